#include "app/ExportDialog.h"

#include "app/CrestLookAndFeel.h"
#include "export/ExportPreflight.h"

#include <algorithm>

namespace crest::app
{
namespace
{
    using session::DeliverableTarget;

    juce::String minutesAndSeconds (double seconds)
    {
        const int s = (int) std::ceil (juce::jmax (0.0, seconds));
        return juce::String (s / 60) + ":" + juce::String (s % 60).paddedLeft ('0', 2);
    }

    juce::Colour colourOf (delivery::Severity s)
    {
        return s == delivery::Severity::error  ? palette::clip
            : s == delivery::Severity::warning ? palette::warning
                                               : palette::textDim;
    }

    juce::String describeFinding (const delivery::DeliveryFinding& f)
    {
        juce::String where = f.target.empty() ? juce::String ("session") : juce::String (f.target);
        // Some checks name the track in their sentence already ("track 2: ISRC ...").
        if (f.track > 0 && ! juce::String (f.message).startsWith ("track " + juce::String (f.track)))
            where << " track " << f.track;
        return where + ": " + juce::String (f.message);
    }
} // namespace

ExportDialog::ExportDialog (Workstation& w) : workstation (w)
{
    setName ("ExportDialog");
    for (auto t : session::allDeliverableTargets)
    {
        auto* b = targetButtons.add (new juce::ToggleButton (session::targetName (t)));
        b->setName (juce::String ("target-") + session::targetName (t));
        b->onClick = [this, t, b] { toggleTarget (t, b->getToggleState()); };
        addAndMakeVisible (b);
    }
    exportButton.onClick = [this] { start(); };
    cancelButton.onClick = [this]
    {
        if (running != nullptr && ! running->finished())
            running->cancel();
        else if (auto* dialog = findParentComponentOfClass<juce::DialogWindow>())
            dialog->setVisible (false);
    };
    chooseButton.onClick = [this]
    {
        chooser = std::make_unique<juce::FileChooser> ("Export into", folder.getParentDirectory());
        chooser->launchAsync (juce::FileBrowserComponent::openMode | juce::FileBrowserComponent::canSelectDirectories,
            [this] (const juce::FileChooser& fc)
            {
                if (fc.getResult() != juce::File())
                    setDestination (fc.getResult());
            });
    };
    openReportButton.onClick = [this] { folder.getChildFile ("report.html").startAsProcess(); };
    openFolderButton.onClick = [this] { folder.startAsProcess(); };
    for (auto* b : { &exportButton, &cancelButton, &chooseButton, &openReportButton, &openFolderButton })
        addAndMakeVisible (b);
    openReportButton.setVisible (false);
    openFolderButton.setVisible (false);
    folder = defaultDestination (workstation);
    workstation.addChangeListener (this);
    refreshPreflight();
    setSize (820, 640);
}

ExportDialog::~ExportDialog()
{
    workstation.removeChangeListener (this);
    stopTimer();
    running.reset(); // cancels a running export and waits: its staging folder is removed
}

juce::File ExportDialog::defaultDestination (const Workstation& w)
{
    const auto file = w.sessionFile();
    if (file == juce::File())
        return juce::File::getSpecialLocation (juce::File::userDocumentsDirectory).getChildFile ("Crest deliverables");
    return file.getSiblingFile (file.getFileNameWithoutExtension() + " deliverables");
}

void ExportDialog::setDestination (const juce::File& f)
{
    folder = f;
    repaint();
}

void ExportDialog::changeListenerCallback (juce::ChangeBroadcaster*)
{
    if (running == nullptr || running->finished())
        refreshPreflight();
}

void ExportDialog::toggleTarget (DeliverableTarget t, bool on)
{
    workstation.editor().apply (
        juce::String (on ? "Add export target " : "Remove export target ").toStdString() + session::targetName (t),
        session::EditKind::album,
        [t, on] (session::Session& s)
        {
            auto& list = s.deliverables.targets;
            list.erase (std::remove (list.begin(), list.end(), t), list.end());
            if (on)
            {
                // Keep Crest's order of targets, whatever the order of the clicks.
                list.push_back (t);
                std::sort (list.begin(), list.end(), [] (auto a, auto b) { return (int) a < (int) b; });
            }
        });
    workstation.sendChangeMessage();
    refreshPreflight();
}

void ExportDialog::refreshPreflight()
{
    const auto& targets = workstation.session().deliverables.targets;
    for (size_t i = 0; i < session::allDeliverableTargets.size(); ++i)
    {
        const bool on = std::find (targets.begin(), targets.end(), session::allDeliverableTargets[i]) != targets.end();
        targetButtons[(int) i]->setToggleState (on, juce::dontSendNotification);
        targetButtons[(int) i]->setTooltip (optionsText (session::allDeliverableTargets[i]));
    }
    preflight = delivery::preflightRelease (workstation.session());
    const bool busy = running != nullptr && ! running->finished();
    exportButton.setEnabled (! busy && ! blocked());
    repaint();
}

bool ExportDialog::blocked() const
{
    return delivery::firstPreflightError (preflight) != nullptr;
}

juce::StringArray ExportDialog::preflightLines() const
{
    juce::StringArray lines;
    for (const auto& f : preflight)
        lines.add (delivery::describePreflight (f));
    return lines;
}

juce::String ExportDialog::optionsText (DeliverableTarget t) const
{
    const auto& d = workstation.session().deliverables;
    const auto rate = [] (double hz)
    { return juce::String (hz / 1000.0, hz == 44100.0 || hz == 88200.0 || hz == 176400.0 ? 1 : 0) + " kHz"; };
    switch (t)
    {
        case DeliverableTarget::cd:
            return "16-bit 44.1 kHz WAV of the album and each track, CUE sheet; dither " + juce::String (d.cdDither);
        case DeliverableTarget::ddp:
            return "DDP 2.0 image (PQ, CD-Text, MD5 checksums) for replication";
        case DeliverableTarget::streaming:
            return "24-bit WAV at the session rate; "
                + (d.streamingLufs
                        ? juce::String (*d.streamingLufs, 1) + " LUFS " + (d.streamingAlbumMode ? "(album gain)" : "(per track)")
                        : juce::String ("no loudness normalisation"))
                + ", ceiling " + juce::String (d.ceilingDbtp, 1) + " dBTP";
        case DeliverableTarget::adm:
            return "Apple Digital Masters: 24-bit WAV, checked for clipping through AAC";
        case DeliverableTarget::hires:
            return "24-bit " + juce::String (d.hiresFormat).toUpperCase() + " at " + rate (d.hiresSampleRate);
        case DeliverableTarget::mp3:
        {
            juce::StringArray modes;
            for (const auto& m : d.mp3Modes)
                modes.add (m == "320" ? "320 kbps CBR" : juce::String (m).toUpperCase() + " VBR");
            return "MP3 " + modes.joinIntoString (" and ") + ", ID3 tags";
        }
        case DeliverableTarget::flac:
            return "24-bit FLAC at the session rate, Vorbis tags";
        case DeliverableTarget::vinyl:
        {
            juce::StringArray sides;
            for (size_t i = 0; i < d.vinyl.sideStarts.size(); ++i)
                sides.add (juce::String::charToString ((juce::juce_wchar) ('A' + i)) + " from track "
                    + juce::String (d.vinyl.sideStarts[i] + 1));
            return juce::String (d.vinyl.diameterInches) + "\" at " + juce::String (d.vinyl.rpm) + " rpm, side "
                + sides.joinIntoString (", side ") + "; cutting checks";
        }
    }
    return {};
}

void ExportDialog::start()
{
    refreshPreflight();
    if (blocked() || (running != nullptr && ! running->finished()))
        return;
    delivery::ReleaseExportOptions options;
    options.destination = folder.getFullPathName().toStdString();
    options.sessionPath = workstation.sessionFile().getFullPathName().toStdString();
    running = std::make_unique<delivery::ExportJob> (workstation.session(), options);
    reported = false;
    exportButton.setEnabled (false);
    chooseButton.setEnabled (false);
    for (auto* b : targetButtons)
        b->setEnabled (false);
    openReportButton.setVisible (false);
    openFolderButton.setVisible (false);
    cancelButton.setButtonText ("Cancel");
    startTimerHz (10);
    poll();
}

void ExportDialog::poll()
{
    if (running == nullptr)
        return;
    shown = running->status();
    if (shown.finished && ! reported)
    {
        reported = true;
        stopTimer();
        const auto& result = running->result();
        chooseButton.setEnabled (true);
        for (auto* b : targetButtons)
            b->setEnabled (true);
        cancelButton.setButtonText ("Close");
        openReportButton.setVisible (result.succeeded);
        openFolderButton.setVisible (result.succeeded);
        refreshPreflight();
        resized();
        if (onFinished)
            onFinished (result);
        if (onDelivered && result.succeeded)
            onDelivered();
    }
    repaint (statusArea);
}

void ExportDialog::paint (juce::Graphics& g)
{
    g.fillAll (palette::panel);
    auto area = getLocalBounds().reduced (12);
    const auto name
        = workstation.sessionFile() == juce::File() ? juce::String ("unsaved session") : workstation.sessionFile().getFileName();
    g.setColour (palette::text);
    g.setFont (fonts::label (20.0f).boldened());
    g.drawText (
        "Export  " + juce::String (workstation.session().album.title), area.removeFromTop (28), juce::Justification::centredLeft);
    g.setColour (palette::textDim);
    g.setFont (fonts::label (13.0f));
    g.drawText (name + "   " + juce::String (workstation.session().tracks.size()) + " tracks", area.removeFromTop (18),
        juce::Justification::centredLeft);

    // The targets: a tick each (laid out by resized()), and the options the session holds.
    g.setFont (fonts::label (13.5f));
    for (size_t i = 0; i < session::allDeliverableTargets.size(); ++i)
    {
        const auto* b = targetButtons[(int) i];
        g.setColour (b->getToggleState() ? palette::text : palette::textDim);
        g.drawFittedText (optionsText (session::allDeliverableTargets[i]),
            juce::Rectangle<int> (b->getRight() + 6, b->getY(), getWidth() - b->getRight() - 24, b->getHeight()),
            juce::Justification::centredLeft, 1, 0.85f);
    }
    g.setColour (palette::textDim);
    g.drawText (
        "Into:", juce::Rectangle<int> (12, chooseButton.getY(), 44, chooseButton.getHeight()), juce::Justification::centredLeft);
    g.setColour (palette::text);
    g.drawFittedText (folder.getFullPathName(),
        juce::Rectangle<int> (56, chooseButton.getY(), chooseButton.getX() - 64, chooseButton.getHeight()),
        juce::Justification::centredLeft, 1, 0.7f);

    if (running != nullptr)
        paintProgress (g, statusArea);
    else
        paintReport (g, statusArea);
}

void ExportDialog::paintReport (juce::Graphics& g, juce::Rectangle<int> area)
{
    // Before starting: the preflight.
    auto inner = drawPanel (g, area, "Preflight (Red Book and platforms)").reduced (10, 2);
    g.setFont (fonts::label (13.5f));
    if (preflight.empty())
    {
        g.setColour (palette::loudness);
        g.drawText ("Nothing to report: every target can be made.", inner.removeFromTop (22), juce::Justification::centredLeft);
    }
    int errors = 0, warnings = 0;
    for (const auto& f : preflight)
        (f.severity == delivery::Severity::error ? errors : warnings) += f.severity == delivery::Severity::info ? 0 : 1;
    if (! preflight.empty())
    {
        g.setColour (errors > 0 ? palette::clip : palette::warning);
        g.drawText (errors > 0 ? juce::String (errors) + " error(s) stop the export; fix them first."
                : warnings > 0 ? juce::String (warnings) + " warning(s): the export can go ahead; listen and decide."
                               : juce::String ("Every target can be made; notes below."),
            inner.removeFromTop (22), juce::Justification::centredLeft);
    }
    for (const auto& f : preflight)
    {
        if (inner.getHeight() < 20)
            break;
        auto row = inner.removeFromTop (20);
        g.setColour (colourOf (f.severity));
        g.drawText (juce::String (delivery::toString (f.severity)).toUpperCase(), row.removeFromLeft (76),
            juce::Justification::centredLeft);
        g.setColour (palette::text);
        g.drawFittedText (describeFinding (f), row, juce::Justification::centredLeft, 1, 0.8f);
    }
}

void ExportDialog::paintProgress (juce::Graphics& g, juce::Rectangle<int> area)
{
    const auto& result = running->result();
    const bool done = shown.finished;
    juce::String title = "Exporting";
    if (done)
        title = result.succeeded ? "Export finished" : result.cancelled ? "Export cancelled" : "Export failed";
    auto inner = drawPanel (g, area, title).reduced (10, 2);
    g.setFont (fonts::label (13.5f));

    auto bar = [&] (const juce::String& label, double fraction, juce::Colour colour)
    {
        auto row = inner.removeFromTop (24).reduced (0, 3);
        g.setColour (palette::text);
        g.drawText (label, row.removeFromLeft (110), juce::Justification::centredLeft);
        auto percent = row.removeFromRight (52);
        g.setColour (palette::background);
        g.fillRoundedRectangle (row.toFloat(), 3.0f);
        g.setColour (colour);
        g.fillRoundedRectangle (row.toFloat().withWidth ((float) (row.getWidth() * juce::jlimit (0.0, 1.0, fraction))), 3.0f);
        g.setColour (palette::textDim);
        g.drawText (juce::String (juce::roundToInt (fraction * 100.0)) + " %", percent, juce::Justification::centredRight);
    };

    if (! done || ! result.succeeded)
    {
        bar ("Track masters", shown.masters, palette::input);
        for (const auto& t : shown.targets)
            bar (t.name, t.fraction, palette::accent);
        inner.removeFromTop (6);
        g.setColour (palette::text);
        juce::String line = "Elapsed " + minutesAndSeconds (shown.elapsedSeconds);
        if (shown.secondsLeft)
            line << "   about " << minutesAndSeconds (*shown.secondsLeft) << " left";
        g.drawText (line, inner.removeFromTop (22), juce::Justification::centredLeft);
        g.setColour (palette::textDim);
        g.drawFittedText (juce::String (shown.lastLine), inner.removeFromTop (20), juce::Justification::centredLeft, 1, 0.8f);
        if (done)
        {
            g.setColour (result.cancelled ? palette::warning : palette::clip);
            g.drawFittedText (result.cancelled ? juce::String ("Cancelled: nothing was written.") : juce::String (result.error),
                inner.removeFromTop (44), juce::Justification::topLeft, 2, 0.8f);
        }
        return;
    }

    // Finished: what report.html says, in brief.
    int errors = 0, warnings = 0;
    for (const auto& f : result.report.findings)
        (f.severity == delivery::Severity::error ? errors : warnings) += f.severity == delivery::Severity::info ? 0 : 1;
    g.setColour (palette::loudness);
    g.drawText (juce::String (result.report.files.size()) + " files in " + minutesAndSeconds (shown.elapsedSeconds)
            + ", with report.html and report.json; " + juce::String (errors) + " errors, " + juce::String (warnings)
            + " warnings",
        inner.removeFromTop (22), juce::Justification::centredLeft);
    g.setFont (juce::Font (juce::Font::getDefaultMonospacedFontName(), 12.5f, juce::Font::plain));
    auto header = inner.removeFromTop (20);
    g.setColour (palette::textDim);
    g.drawText ("file", header.removeFromLeft (inner.getWidth() - 250), juce::Justification::centredLeft);
    g.drawText ("LUFS", header.removeFromLeft (60), juce::Justification::centredRight);
    g.drawText ("dBTP", header.removeFromLeft (60), juce::Justification::centredRight);
    g.drawText ("MD5", header, juce::Justification::centredRight);
    int listed = 0;
    for (const auto& f : result.report.files)
    {
        if (inner.getHeight() < 40)
        {
            g.drawText ("... and " + juce::String ((int) result.report.files.size() - listed)
                    + " more: Open report lists every file with its loudness, peaks and MD5",
                inner.removeFromTop (18), juce::Justification::centredLeft);
            break;
        }
        ++listed;
        auto row = inner.removeFromTop (18);
        g.setColour (palette::text);
        g.drawFittedText (
            juce::String (f.path), row.removeFromLeft (inner.getWidth() - 250), juce::Justification::centredLeft, 1, 0.8f);
        g.drawText (f.integratedLufs ? juce::String (*f.integratedLufs, 1) : juce::String ("-"), row.removeFromLeft (60),
            juce::Justification::centredRight);
        g.drawText (f.truePeakDbtp ? juce::String (*f.truePeakDbtp, 1) : juce::String ("-"), row.removeFromLeft (60),
            juce::Justification::centredRight);
        g.setColour (palette::textDim);
        g.drawText (juce::String (f.md5).substring (0, 12) + "...", row, juce::Justification::centredRight);
    }
    for (const auto& f : result.report.findings)
    {
        if (f.severity == delivery::Severity::info || inner.getHeight() < 18)
            continue;
        g.setColour (colourOf (f.severity));
        g.drawFittedText (describeFinding (f), inner.removeFromTop (18), juce::Justification::centredLeft, 1, 0.8f);
    }
}

void ExportDialog::resized()
{
    auto area = getLocalBounds().reduced (12);
    area.removeFromTop (54);
    targetsArea = area.removeFromTop (8 * 24);
    auto targets = targetsArea;
    for (auto* b : targetButtons)
        b->setBounds (targets.removeFromTop (24).removeFromLeft (110));
    area.removeFromTop (8);
    auto into = area.removeFromTop (28);
    chooseButton.setBounds (into.removeFromRight (100).reduced (0, 2));
    auto buttons = area.removeFromBottom (36).reduced (0, 3);
    cancelButton.setBounds (buttons.removeFromRight (110));
    buttons.removeFromRight (8);
    exportButton.setBounds (buttons.removeFromRight (110));
    openReportButton.setBounds (buttons.removeFromLeft (120));
    buttons.removeFromLeft (8);
    openFolderButton.setBounds (buttons.removeFromLeft (120));
    area.removeFromTop (6);
    statusArea = area.withTrimmedBottom (6);
}

} // namespace crest::app
