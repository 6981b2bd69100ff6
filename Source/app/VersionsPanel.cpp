#include "app/VersionsPanel.h"

#include "app/CrestLookAndFeel.h"
#include "export/ExportReport.h"
#include "export/Proof.h"
#include "session/DifferenceText.h"
#include "session/SessionFile.h"
#include "session/Versions.h"

namespace crest::app
{

namespace
{
    constexpr int lineHeight = 17;

    juce::String figure (const std::optional<double>& value, const char* unit)
    {
        return value ? juce::String (*value, 1) + unit : juce::String ("-");
    }

    juce::File reviewPage()
    {
        // Installed: share/crest/review beside bin/; from the build tree: the source's Resources.
        const auto exe = juce::File::getSpecialLocation (juce::File::currentExecutableFile);
        const auto installed = exe.getParentDirectory().getParentDirectory().getChildFile ("share/crest/review/index.html");
        if (installed.existsAsFile())
            return installed;
#ifdef CREST_REVIEW_DIR
        return juce::File (CREST_REVIEW_DIR).getChildFile ("index.html");
#else
        return installed;
#endif
    }
} // namespace

VersionsPanel::VersionsPanel (Workstation& w) : workstation (w)
{
    setName ("VersionsPanel");
    nameLabel.setText ("Name", juce::dontSendNotification);
    noteLabel.setText ("Note", juce::dontSendNotification);
    for (auto* l : { &nameLabel, &noteLabel })
    {
        l->setColour (juce::Label::textColourId, palette::textDim);
        l->setFont (fonts::label (13.0f));
    }
    nameField.setTextToShowWhenEmpty ("v2 after notes", palette::textDim);
    noteField.setTextToShowWhenEmpty ("what changed, for the client", palette::textDim);
    nameField.onReturnKey = [this] { createFromFields(); };
    noteField.onReturnKey = [this] { createFromFields(); };
    createButton.setTooltip ("Keep the working state as a version (one undo step)");
    createButton.onClick = [this] { createFromFields(); };
    restoreButton.setTooltip ("Make the selected version the working state (one undo step)");
    restoreButton.onClick = [this]
    {
        const auto& s = workstation.session();
        if (selectedVersion < 0 || (size_t) selectedVersion >= s.versions.size())
            return;
        session::restoreVersion (workstation.editor(), s.versions[(size_t) selectedVersion].name);
    };
    approveButton.onClick = [this]
    {
        const auto& s = workstation.session();
        if (selectedVersion < 0 || (size_t) selectedVersion >= s.versions.size())
            return;
        try
        {
            const auto& name = s.versions[(size_t) selectedVersion].name;
            const bool already = selectedTrack >= 0 && (size_t) selectedTrack < s.tracks.size()
                && s.tracks[(size_t) selectedTrack].approvedVersion == name;
            session::approveTrack (workstation.editor(), selectedTrack, already ? std::string() : name);
        }
        catch (const std::invalid_argument& e)
        {
            status = e.what();
            repaint();
        }
    };
    compareButton.setTooltip ("Play the selected version (B) against A (the working state, or the version set as A), "
                              "whole mastering state and loudness-matched; C flips between them");
    compareButton.onClick = [this]
    {
        const auto& s = workstation.session();
        if (workstation.comparison().active())
            workstation.stopComparison();
        else if (selectedVersion >= 0 && (size_t) selectedVersion < s.versions.size())
        {
            if (! compareAgainst.empty() && session::findVersion (s, compareAgainst) == nullptr)
                compareAgainst.clear();
            workstation.compareVersions (compareAgainst, s.versions[(size_t) selectedVersion].name);
        }
    };
    againstButton.setTooltip ("Compare against the selected version (A) instead of the working state; "
                              "click again on it to go back to the working state");
    againstButton.onClick = [this]
    {
        const auto& s = workstation.session();
        if (selectedVersion < 0 || (size_t) selectedVersion >= s.versions.size())
            return;
        const auto& name = s.versions[(size_t) selectedVersion].name;
        compareAgainst = compareAgainst == name ? std::string() : name;
        updateButtons();
        repaint();
    };
    proofButton.setTooltip (
        "MP3 320 proofs of the selected version (and the one before it) with a review page, as `crest proof`");
    proofButton.onClick = [this]
    {
        chooser = std::make_unique<juce::FileChooser> ("Proof into an empty folder",
            workstation.sessionFile().existsAsFile() ? workstation.sessionFile().getParentDirectory()
                                                     : juce::File::getSpecialLocation (juce::File::userDocumentsDirectory));
        chooser->launchAsync (juce::FileBrowserComponent::openMode | juce::FileBrowserComponent::canSelectDirectories,
            [this] (const juce::FileChooser& c)
            {
                if (c.getResult() != juce::File())
                    startProof (c.getResult().getChildFile ("proof"));
            });
    };
    for (auto* c : std::initializer_list<juce::Component*> { &nameLabel, &noteLabel, &nameField, &noteField, &createButton,
             &restoreButton, &approveButton, &compareButton, &proofButton, &againstButton })
        addAndMakeVisible (c);
    workstation.addChangeListener (this);
    layoutRows();
}

VersionsPanel::~VersionsPanel()
{
    workstation.removeChangeListener (this);
    cancelProof = true;
    if (proofThread.joinable())
        proofThread.join();
}

bool VersionsPanel::createFromFields()
{
    const auto name = nameField.getText().trim().toStdString();
    try
    {
        session::createVersion (workstation.editor(), name, noteField.getText().trim().toStdString(), delivery::nowUtc());
    }
    catch (const std::invalid_argument& e)
    {
        status = e.what();
        repaint();
        return false;
    }
    status.clear();
    nameField.clear();
    noteField.clear();
    selectedVersion = (int) workstation.session().versions.size() - 1;
    return true;
}

bool VersionsPanel::startProof (const juce::File& folder)
{
    const auto& s = workstation.session();
    if (proofThread.joinable() || selectedVersion < 0 || (size_t) selectedVersion >= s.versions.size())
        return false;
    delivery::ProofOptions options;
    options.destination = folder.getFullPathName().toStdString();
    if (selectedVersion > 0)
        options.versions.push_back (s.versions[(size_t) selectedVersion - 1].name);
    options.versions.push_back (s.versions[(size_t) selectedVersion].name);
    options.reviewPage = reviewPage().getFullPathName().toStdString();
    options.cancel = &cancelProof;
    options.progress = [this] (const std::string& line)
    {
        const std::lock_guard<std::mutex> lock (proofMutex);
        proofLine = line;
    };
    proofDone = false;
    cancelProof = false;
    proofFolder = options.destination;
    status = "Proof: starting...";
    // The session is copied: the engineer keeps editing while the proof renders.
    proofThread = std::thread (
        [this, copy = s, options]
        {
            std::string error;
            delivery::ProofResult result;
            try
            {
                session::SessionFile::checkSources (copy);
                result = delivery::writeProof (copy, options);
            }
            catch (const std::exception& e)
            {
                result.error = e.what();
            }
            {
                const std::lock_guard<std::mutex> lock (proofMutex);
                proofFigures = result.succeeded ? result.figures : decltype (proofFigures) {};
                proofError = result.succeeded ? std::string() : result.error;
                proofFiles = result.files.size();
            }
            proofDone = true;
        });
    updateButtons();
    startTimerHz (4);
    repaint();
    return true;
}

void VersionsPanel::timerCallback()
{
    pollProof();
}

void VersionsPanel::pollProof()
{
    if (! proofThread.joinable())
    {
        stopTimer();
        return;
    }
    if (! proofDone.load())
    {
        const std::lock_guard<std::mutex> lock (proofMutex);
        status = "Proof: " + juce::String (proofLine);
        repaint();
        return;
    }
    proofThread.join();
    stopTimer();
    finishProof();
}

void VersionsPanel::finishProof()
{
    const std::lock_guard<std::mutex> lock (proofMutex);
    if (! proofError.empty())
        status = "Proof failed: " + juce::String (proofError);
    else
    {
        status = "Proof written: " + juce::String (proofFiles) + " files in " + juce::String (proofFolder);
        // The figures were taken as each version was rendered: keep them with the versions.
        auto figures = proofFigures;
        workstation.editor().apply ("Keep Proof Figures", session::EditKind::album,
            [figures] (session::Session& s) { session::storeFigures (s, figures); });
        workstation.editor().endGesture();
    }
    updateButtons();
    repaint();
}

void VersionsPanel::changeListenerCallback (juce::ChangeBroadcaster*)
{
    layoutRows();
}

void VersionsPanel::layoutRows()
{
    const auto& s = workstation.session();
    if (selectedVersion >= (int) s.versions.size())
        selectedVersion = (int) s.versions.size() - 1;
    if (selectedVersion < 0 && ! s.versions.empty())
        selectedVersion = (int) s.versions.size() - 1;
    rows.clear();
    // Newest first: the version in hand is the one talked about.
    for (int i = (int) s.versions.size() - 1; i >= 0; --i)
    {
        const auto& v = s.versions[(size_t) i];
        Row row;
        row.version = i;
        juce::StringArray approvedBy;
        for (size_t n = 0; n < s.tracks.size(); ++n)
            if (s.tracks[n].approvedVersion == v.name)
                approvedBy.add (juce::String ((int) n + 1));
        // The name alone on the first line (it may be long), then when it was made and approvals.
        row.lines.add (v.name);
        juce::String when = juce::String (v.createdUtc).substring (0, 16).replace ("T", " ") + " UTC";
        if (! approvedBy.isEmpty())
            when << "   approved for track" << (approvedBy.size() > 1 ? "s " : " ") << approvedBy.joinIntoString (", ");
        row.lines.add (when);
        if (! v.note.empty())
            row.lines.add ("\"" + juce::String (v.note) + "\"");
        for (size_t n = 0; n < s.tracks.size(); ++n)
            if (const auto* t = v.find (s.tracks[n].id))
            {
                const auto& f = t->figures;
                row.lines.add ("  " + juce::String ((int) n + 1) + ": "
                    + (f.integratedLufs ? figure (f.integratedLufs, " LUFS") + "  LRA " + figure (f.loudnessRangeLu, " LU")
                                + "  TP " + figure (f.truePeakDbtp, " dBTP") + "  PLR " + figure (f.plrDb, " dB")
                                        : juce::String ("not measured (a proof measures it)")));
            }
        if (i > 0)
        {
            const auto difference = session::describeDifference (s.versions[(size_t) i - 1], v);
            if (difference.empty())
                row.lines.add ("= same as " + juce::String (s.versions[(size_t) i - 1].name));
            for (const auto& line : difference)
                row.lines.add ("+ " + juce::String (line));
        }
        else
            row.lines.add ("(the first version)");
        rows.push_back (std::move (row));
    }
    updateButtons();
    const int wanted = preferredHeight();
    if (getHeight() != wanted && getWidth() > 0)
        setSize (getWidth(), wanted);
    else
        resized();
    repaint();
}

void VersionsPanel::updateButtons()
{
    const auto& s = workstation.session();
    const bool has = selectedVersion >= 0 && (size_t) selectedVersion < s.versions.size();
    for (auto* b : { &restoreButton, &approveButton, &compareButton, &againstButton })
        b->setEnabled (has);
    if (! compareAgainst.empty() && session::findVersion (s, compareAgainst) == nullptr)
        compareAgainst.clear();
    againstButton.setButtonText (has && s.versions[(size_t) selectedVersion].name == compareAgainst ? "Unset A" : "Set as A");
    proofButton.setEnabled (has && ! proofThread.joinable() && ! s.tracks.empty());
    const bool trackOk = selectedTrack >= 0 && (size_t) selectedTrack < s.tracks.size();
    const bool approved
        = has && trackOk && s.tracks[(size_t) selectedTrack].approvedVersion == s.versions[(size_t) selectedVersion].name;
    approveButton.setButtonText (approved ? "Withdraw approval" : "Approve for track " + juce::String (selectedTrack + 1));
    approveButton.setEnabled (has && trackOk);
    approveButton.setTooltip ("The client approves the selected version of the track selected on the timeline");
    compareButton.setButtonText (workstation.comparison().active() ? "Stop comparing"
            : compareAgainst.empty()                               ? "Compare with working (C)"
                                                                   : "Compare with A (C)");
}

int VersionsPanel::preferredHeight() const
{
    int h = 4 + 26 + 4 + 26 + 6 + 26 + 6 + 26 + 8 + 20;
    for (const auto& row : rows)
        h += row.lines.size() * lineHeight + 12;
    return juce::jmax (h + 10, 200);
}

void VersionsPanel::resized()
{
    auto area = getLocalBounds().reduced (8, 4);
    auto line = area.removeFromTop (26);
    nameLabel.setBounds (line.removeFromLeft (40));
    nameField.setBounds (line.reduced (0, 1));
    area.removeFromTop (4);
    line = area.removeFromTop (26);
    noteLabel.setBounds (line.removeFromLeft (40));
    noteField.setBounds (line.reduced (0, 1));
    area.removeFromTop (6);
    line = area.removeFromTop (26);
    const int width = line.getWidth();
    createButton.setBounds (line.removeFromLeft (width * 4 / 10).reduced (1));
    restoreButton.setBounds (line.removeFromLeft (width * 3 / 10).reduced (1));
    proofButton.setBounds (line.reduced (1));
    area.removeFromTop (6);
    line = area.removeFromTop (26);
    approveButton.setBounds (line.removeFromLeft (width * 4 / 10).reduced (1));
    againstButton.setBounds (line.removeFromLeft (width * 2 / 10).reduced (1));
    compareButton.setBounds (line.reduced (1));
    area.removeFromTop (8);
    listTop = area.getY() + 20; // the status line first
    int y = listTop;
    for (auto& row : rows)
    {
        const int h = row.lines.size() * lineHeight + 8;
        row.area = { area.getX(), y, area.getWidth(), h };
        y += h + 4;
    }
}

void VersionsPanel::paint (juce::Graphics& g)
{
    g.fillAll (palette::panel);
    const auto area = getLocalBounds().reduced (8, 0);
    g.setFont (fonts::label (13.0f));
    g.setColour (status.startsWith ("Proof failed") || status.contains ("there is") || status.contains ("version '")
            ? palette::warning
            : palette::textDim);
    const auto& comparing = workstation.comparison();
    // While comparing, what is compared matters more than a finished proof's message.
    const bool showStatus = ! status.isEmpty() && ! (comparing.active() && status.startsWith ("Proof written"));
    g.drawFittedText (showStatus                                           ? status
            : comparing.active() && ! workstation.comparisonTiming.empty() ? juce::String (workstation.comparisonTiming)
            : comparing.active() ? juce::String ("Comparing " + session::stateLabel (comparing.firstState()) + " (A) with "
                  + session::stateLabel (comparing.secondState()) + " (B): C flips")
                                 : juce::String (workstation.session().versions.empty()
                                         ? "No versions yet: name the working state and create one."
                                         : "Click a version to select it; Set as A to compare two versions."),
        area.getX(), listTop - 20, area.getWidth(), 18, juce::Justification::centredLeft, 1, 1.0f);

    const auto& s = workstation.session();
    const auto& heard = workstation.comparison();
    for (const auto& row : rows)
    {
        const bool selected = row.version == selectedVersion;
        const auto& name = s.versions[(size_t) row.version].name;
        const bool isHeard = heard.active() && heard.heard() == name;
        g.setColour (selected ? palette::panelRaised : palette::panel.brighter (0.03f));
        g.fillRoundedRectangle (row.area.toFloat(), 4.0f);
        g.setColour (isHeard ? palette::loudness : selected ? palette::accent : palette::outline);
        g.drawRoundedRectangle (row.area.toFloat().reduced (0.5f), 4.0f, isHeard ? 2.0f : 1.0f);
        int y = row.area.getY() + 4;
        for (int i = 0; i < row.lines.size(); ++i)
        {
            const auto& text = row.lines[i];
            const bool heading = i == 0;
            g.setFont (heading ? fonts::label (14.0f).boldened() : fonts::label (12.5f));
            g.setColour (heading             ? palette::text
                    : text.startsWith ("+")  ? palette::accent
                    : text.startsWith ("\"") ? palette::text.withAlpha (0.85f)
                                             : palette::textDim);
            const bool isA = ! compareAgainst.empty() && name == compareAgainst;
            g.drawFittedText (heading && (isHeard || isA) ? text + (isA ? "   (A)" : "") + (isHeard ? "   (heard)" : "") : text,
                row.area.getX() + 8, y, row.area.getWidth() - 14, lineHeight, juce::Justification::centredLeft, 1, 0.85f);
            y += lineHeight;
        }
    }
}

void VersionsPanel::mouseDown (const juce::MouseEvent& e)
{
    for (const auto& row : rows)
        if (row.area.contains (e.getPosition()))
        {
            selectedVersion = row.version;
            status.clear();
            updateButtons();
            repaint();
            return;
        }
}

} // namespace crest::app
