#include "app/AlbumChecks.h"

#include "album/LoudnessConform.h"
#include "app/CrestLookAndFeel.h"
#include "live/PlatformTargets.h"

#include <cmath>

namespace crest::app
{

namespace
{
    juce::Colour severityColour (analysis::Severity s)
    {
        switch (s)
        {
            case analysis::Severity::serious:
                return palette::clip;
            case analysis::Severity::warning:
                return palette::warning;
            case analysis::Severity::info:
                break;
        }
        return palette::input.brighter (0.3f);
    }

    constexpr int findingRow = 52; // three lines: a finding's sentence is rarely short
} // namespace

// ---- background analysis -------------------------------------------------------------------------

TrackChecks::TrackChecks() : PerFileWork ("Crest track checks", 10000)
{
    start();
}

TrackChecks::~TrackChecks()
{
    stop();
}

std::shared_ptr<const TrackChecks::Result> TrackChecks::compute (const std::string& path)
{
    std::atomic<bool> cancel { false };
    auto result = std::make_shared<Result>();
    // One thread: the player and the window keep the other core.
    result->analysis = engine::analyseFile (
        path, result->error, [this, &cancel] (double) { cancel = shouldStop(); }, &cancel, engine::AnalysisThreads::one);
    if (shouldStop())
        return nullptr;
    if (result->analysis)
    {
        analysis::DeliveryFormat format;
        const auto& file = result->analysis->file;
        format.formatName = file.formatName;
        format.bitsPerSample = file.bitsPerSample;
        format.isFloatingPoint = file.isFloatingPoint;
        format.isLossy = file.isLossy;
        result->findings = analysis::checkMix (result->analysis->analysis, format);
    }
    return result;
}

// ---- findings -----------------------------------------------------------------------------------

namespace
{
    constexpr int headingRow = 24, captionHeight = 46; // three lines of caption in a narrow page
}

FindingsPanel::FindingsPanel (Workstation& w, TrackChecks& c, MasterChecks& m, AlbumTimeline& t)
    : workstation (w), checks (c), masters (m), timeline (t)
{
    setName ("FindingsPanel");
    timeline.marksOf = [this] (int track)
    {
        std::vector<AlbumTimeline::Mark> marks;
        const auto& paths = timeline.sourcePaths();
        if (track < 0 || track >= (int) paths.size())
            return marks;
        if (auto result = checks.find (paths[(size_t) track]))
            for (const auto& f : result->findings)
                if (f.timeSeconds && f.severity != analysis::Severity::info)
                    marks.push_back ({ *f.timeSeconds, severityColour (f.severity), f.message });
        // The master's findings are timed from the track's start: in source time, after the trim.
        if (auto master = masters.find (track); master != nullptr && master->check)
            for (const auto& f : master->check->findings)
                if (f.timeSeconds && f.severity != analysis::Severity::info)
                    marks.push_back ({ *f.timeSeconds + workstation.session().tracks[(size_t) track].trimInSeconds,
                        severityColour (f.severity), "Master: " + juce::String (f.message) });
        return marks;
    };
    timeline.masterOf = [this] (int track, bool& current) -> std::shared_ptr<const album::MasterCheck>
    {
        auto result = masters.find (track);
        if (result == nullptr || ! result->check)
            return nullptr;
        current = masters.isCurrent (track);
        return { result, &*result->check };
    };
    renderButton.setTooltip ("Render every track through its chain in the background and check the masters "
                             "(a track is rendered by itself once it has been played)");
    renderButton.onClick = [this]
    {
        masters.renderAll();
        refresh();
    };
    addAndMakeVisible (renderButton);
    workstation.addChangeListener (this);
    startTimerHz (4);
}

FindingsPanel::~FindingsPanel()
{
    timeline.marksOf = nullptr;
    timeline.masterOf = nullptr;
    workstation.removeChangeListener (this);
}

void FindingsPanel::changeListenerCallback (juce::ChangeBroadcaster*)
{
    refresh();
}

void FindingsPanel::timerCallback()
{
    if (checks.finished() != shownFinished || masters.finished() != shownMasters
        || shownRevision != workstation.editor().revision())
        refresh();
}

void FindingsPanel::resized()
{
    renderButton.setBounds (getWidth() - 8 - 130, 6, 130, 24);
}

void FindingsPanel::refresh()
{
    shownFinished = checks.finished();
    shownMasters = masters.finished();
    shownRevision = workstation.editor().revision();
    rows.clear();
    pending = 0;
    int y = 4 + captionHeight;
    const auto add = [this, &y] (Row row)
    {
        row.top = y;
        row.height = row.heading.isNotEmpty() ? headingRow : findingRow;
        y += row.height;
        rows.push_back (std::move (row));
    };
    const auto finding = [&add] (int track, const analysis::Finding& f, bool ofMaster)
    {
        Row r;
        r.track = track;
        r.finding = f;
        r.ofMaster = ofMaster;
        add (std::move (r));
    };
    const auto heading = [&add] (const juce::String& text)
    {
        Row r;
        r.heading = text;
        add (std::move (r));
    };

    heading ("Sources (before the chain)");
    const auto& paths = timeline.sourcePaths();
    bool anySource = false;
    for (int i = 0; i < (int) paths.size(); ++i)
    {
        auto result = checks.find (paths[(size_t) i]);
        if (result == nullptr)
        {
            ++pending;
            continue;
        }
        if (! result->error.empty())
        {
            analysis::Finding f;
            f.severity = analysis::Severity::serious;
            f.message = "Could not be analysed: " + result->error;
            finding (i, f, false);
            anySource = true;
        }
        for (const auto& f : result->findings)
        {
            finding (i, f, false);
            anySource = true;
        }
    }
    if (! anySource)
        heading (pending > 0 ? "  analysing..." : "  nothing to report");

    heading ("Masters (after the chain)");
    juce::StringArray notRendered, updating, clean;
    for (int i = 0; i < (int) paths.size(); ++i)
    {
        auto result = masters.find (i);
        if (masters.isPending (i))
            updating.add (juce::String (i + 1));
        if (result == nullptr)
        {
            if (! masters.isPending (i))
                notRendered.add (juce::String (i + 1));
            continue;
        }
        if (! result->error.empty())
        {
            analysis::Finding f;
            f.severity = analysis::Severity::serious;
            f.message = "Could not be rendered: " + result->error;
            finding (i, f, true);
            continue;
        }
        if (result->check->findings.empty())
            clean.add (juce::String (i + 1));
        for (const auto& f : result->check->findings)
            finding (i, f, true);
    }
    if (! clean.isEmpty())
        heading ("  nothing to report for track" + juce::String (clean.size() > 1 ? "s " : " ") + clean.joinIntoString (", "));
    if (! updating.isEmpty())
        heading ("  rendering track" + juce::String (updating.size() > 1 ? "s " : " ") + updating.joinIntoString (", ") + "...");
    if (! notRendered.isEmpty())
        heading ("  not rendered yet: track" + juce::String (notRendered.size() > 1 ? "s " : " ")
            + notRendered.joinIntoString (", ") + " (play them, or Render masters)");

    const int height = preferredHeight();
    if (getHeight() != height && getWidth() > 0)
        setSize (getWidth(), height);
    timeline.repaint();
    repaint();
}

int FindingsPanel::preferredHeight() const
{
    return (rows.empty() ? 4 + captionHeight : rows.back().top + rows.back().height) + 8;
}

juce::StringArray FindingsPanel::masterFindingCodes() const
{
    juce::StringArray codes;
    for (const auto& row : rows)
        if (row.ofMaster && row.heading.isEmpty())
            codes.add ("T" + juce::String (row.track + 1) + " " + juce::String (row.finding.code));
    return codes;
}

int FindingsPanel::rowAt (int y) const
{
    for (size_t r = 0; r < rows.size(); ++r)
        if (y >= rows[r].top && y < rows[r].top + rows[r].height)
            return rows[r].heading.isEmpty() ? (int) r : -1;
    return -1;
}

void FindingsPanel::paint (juce::Graphics& g)
{
    g.fillAll (palette::panel);
    auto caption = getLocalBounds().reduced (8, 4).withHeight (captionHeight).withTrimmedRight (140);
    g.setColour (palette::textDim);
    g.setFont (fonts::label (12.5f));
    juce::String head = "Mix check of each source, as crest check reports it, and of each master after the chain";
    if (pending > 0)
        head << " (analysing " << pending << " more)";
    g.drawFittedText (head + ". Click a finding to play from it.", caption, juce::Justification::topLeft, 3);
    const int width = getWidth() - 16;
    for (size_t r = 0; r < rows.size(); ++r)
    {
        const auto& entry = rows[r];
        auto row = juce::Rectangle<int> (8, entry.top, width, entry.height);
        if (entry.heading.isNotEmpty())
        {
            const bool section = ! entry.heading.startsWith (" ");
            g.setColour (section ? palette::text : palette::textDim);
            g.setFont (section ? fonts::label (13.0f).boldened() : fonts::label (12.5f));
            g.drawFittedText (
                entry.heading.trim(), row.withTrimmedLeft (section ? 0 : 12), juce::Justification::centredLeft, 1, 0.9f);
            if (section)
            {
                g.setColour (palette::outline);
                g.drawHorizontalLine (row.getBottom() - 2, (float) row.getX(), (float) row.getRight());
            }
            continue;
        }
        row = row.withTrimmedBottom (2);
        const auto& f = entry.finding;
        if ((int) r == hover)
        {
            g.setColour (palette::panelRaised);
            g.fillRect (row);
        }
        const auto colour = severityColour (f.severity);
        // Left: severity (colour and word), track and time; right: the sentence.
        auto left = row.removeFromLeft (78);
        auto first = left.removeFromTop (17);
        g.setColour (colour);
        g.fillEllipse (first.removeFromLeft (12).withSizeKeepingCentre (9, 9).toFloat());
        g.setFont (fonts::label (12.5f).boldened());
        g.drawText (analysis::severityName (f.severity), first, juce::Justification::centredLeft);
        g.setColour (palette::textDim);
        g.setFont (fonts::label (12.5f));
        g.drawText ("T" + juce::String (entry.track + 1) + "  "
                + (f.timeSeconds ? juce::String (analysis::clockTime (*f.timeSeconds)) : juce::String()),
            left.removeFromTop (17).withTrimmedLeft (12), juce::Justification::centredLeft);
        g.setColour (palette::text);
        g.setFont (fonts::label (13.0f));
        g.drawFittedText (f.message, row.withTrimmedRight (4), juce::Justification::topLeft, 3, 0.95f);
    }
}

void FindingsPanel::mouseMove (const juce::MouseEvent& e)
{
    const int now = rowAt (e.y);
    if (now != hover)
    {
        hover = now;
        setTooltip (now >= 0 ? juce::String (rows[(size_t) now].finding.message) : juce::String());
        repaint();
    }
}

void FindingsPanel::mouseDown (const juce::MouseEvent& e)
{
    const int r = rowAt (e.y);
    if (r < 0)
        return;
    const auto& row = rows[(size_t) r];
    if (row.finding.timeSeconds)
        timeline.seekToSourceTime (row.track,
            *row.finding.timeSeconds + (row.ofMaster ? workstation.session().tracks[(size_t) row.track].trimInSeconds : 0.0));
    else
        timeline.select (row.track);
}

// ---- loudness -----------------------------------------------------------------------------------

LoudnessOverview::LoudnessOverview (Workstation& w, TrackChecks& c, album::TimelineEdits& e, AlbumTimeline& t)
    : workstation (w), checks (c), edits (e), timeline (t)
{
    setName ("LoudnessOverview");
    toTarget.onClick = [this]
    {
        const auto& rule = live::platformRule (workstation.platform);
        std::vector<double> current;
        for (const auto& track : workstation.session().tracks)
            current.push_back (track.gainDb);
        const auto gains = album::conformToTarget (measuredLufs(), current, rule.targetLufs);
        if (edits.setGains (gains, "Conform Tracks to " + rule.name))
            workstation.sendChangeMessage();
    };
    toAlbum.onClick = [this]
    {
        std::vector<double> current;
        for (const auto& track : workstation.session().tracks)
            current.push_back (track.gainDb);
        const auto gains = album::conformToAlbum (measuredLufs(), current, keep);
        if (edits.setGains (gains, "Conform Tracks to Album Loudness"))
            workstation.sendChangeMessage();
    };
    toAlbum.setTooltip ("Every track to the album's loudness; tracks marked 'keep' (click a column) keep their level");
    addAndMakeVisible (toTarget);
    addAndMakeVisible (toAlbum);
    workstation.addChangeListener (this);
    startTimerHz (4);
}

LoudnessOverview::~LoudnessOverview()
{
    workstation.removeChangeListener (this);
}

void LoudnessOverview::changeListenerCallback (juce::ChangeBroadcaster*)
{
    keep.resize (workstation.session().tracks.size(), false);
    repaint();
}

void LoudnessOverview::timerCallback()
{
    if (checks.finished() != shownFinished)
    {
        shownFinished = checks.finished();
        repaint();
    }
}

std::vector<std::optional<double>> LoudnessOverview::measuredLufs() const
{
    std::vector<std::optional<double>> measured;
    for (const auto& path : timeline.sourcePaths())
    {
        auto result = checks.find (path);
        measured.push_back (result && result->analysis ? result->analysis->analysis.integratedLufs : std::nullopt);
    }
    return measured;
}

juce::Rectangle<int> LoudnessOverview::chartArea() const
{
    // Under the caption and a strip of figures; over the track numbers and the buttons.
    return getLocalBounds().reduced (8, 4).withTrimmedTop (captionHeight + 58).withTrimmedBottom (52).withTrimmedLeft (44);
}

void LoudnessOverview::resized()
{
    auto bar = getLocalBounds().reduced (8, 4).removeFromBottom (28);
    toTarget.setBounds (bar.removeFromLeft (juce::jmin (200, bar.getWidth() / 2)).reduced (1));
    toAlbum.setBounds (bar.removeFromLeft (juce::jmin (200, bar.getWidth())).reduced (1));
}

void LoudnessOverview::mouseDown (const juce::MouseEvent& e)
{
    const auto chart = chartArea();
    const int count = (int) workstation.session().tracks.size();
    if (count == 0 || ! chart.contains (e.getPosition()))
        return;
    const int t = (e.x - chart.getX()) * count / chart.getWidth();
    keep.resize ((size_t) count, false);
    keep[(size_t) t] = ! keep[(size_t) t];
    repaint();
}

void LoudnessOverview::paint (juce::Graphics& g)
{
    g.fillAll (palette::panel);
    const auto& rule = live::platformRule (workstation.platform);
    const auto& tracks = workstation.session().tracks;
    const auto measured = measuredLufs();
    toTarget.setButtonText ("All to " + juce::String (rule.targetLufs, 0) + " LUFS");
    keep.resize (tracks.size(), false);

    // The album's spread: the band between the quietest and loudest track (the band in the
    // chart, its figure in the caption, where it never sits on a bar).
    std::optional<double> low, high;
    for (size_t i = 0; i < tracks.size() && i < measured.size(); ++i)
        if (measured[i])
        {
            const double level = *measured[i] + tracks[i].gainDb;
            low = low ? juce::jmin (*low, level) : level;
            high = high ? juce::jmax (*high, level) : level;
        }
    auto area = getLocalBounds().reduced (8, 4);
    g.setColour (palette::textDim);
    g.setFont (fonts::label (12.5f));
    g.drawFittedText ("Per track: integrated (bar), loudness range (LRA), true peak (tick), PLR. Sources before the chain, "
                      "with each track's gain; target: "
            + juce::String (rule.name) + " " + juce::String (rule.targetLufs, 0) + " LUFS"
            + (low && high ? "; album spread (band) " + juce::String (*high - *low, 1) + " LU." : juce::String (".")),
        area.removeFromTop (captionHeight), juce::Justification::topLeft, 3);

    const auto chart = chartArea();
    constexpr double top = 0.0, bottom = -36.0;
    auto yOf = [&] (double db) {
        return (float) chart.getY()
            + (float) ((top - juce::jlimit (bottom, top, db)) / (top - bottom)) * (float) chart.getHeight();
    };
    g.setFont (fonts::label (11.5f));
    const double gridStep = chart.getHeight() >= 180 ? 6.0 : 12.0; // labels at least ~15 px apart
    for (double db = top; db >= bottom; db -= gridStep)
    {
        g.setColour (palette::grid);
        g.drawHorizontalLine ((int) yOf (db), (float) chart.getX(), (float) chart.getRight());
        g.setColour (palette::textDim);
        g.drawText (juce::String ((int) db), juce::Rectangle<float> ((float) chart.getX() - 40.0f, yOf (db) - 7.0f, 34.0f, 14.0f),
            juce::Justification::centredRight);
    }

    if (low && high)
    {
        g.setColour (palette::accent.withAlpha (0.12f));
        g.fillRect (juce::Rectangle<float> (
            (float) chart.getX(), yOf (*high), (float) chart.getWidth(), juce::jmax (1.0f, yOf (*low) - yOf (*high))));
    }
    // The platform target.
    const float ty = yOf (rule.targetLufs);
    const float dashes[] = { 6.0f, 4.0f };
    g.setColour (palette::target);
    g.drawDashedLine (juce::Line<float> ((float) chart.getX(), ty, (float) chart.getRight(), ty), dashes, 2, 1.2f);
    g.setFont (fonts::label (12.0f));
    g.drawText (juce::String (rule.name) + " " + juce::String (rule.targetLufs, 0),
        chart.withHeight (15).translated (0, (int) ty - chart.getY() - 16), juce::Justification::centredRight);

    const int count = (int) tracks.size();
    if (count == 0)
        return;
    const float column = (float) chart.getWidth() / (float) count;
    for (int i = 0; i < count; ++i)
    {
        const float x = (float) chart.getX() + column * (float) i;
        const float barWidth = juce::jmin (46.0f, column * 0.45f);
        const float cx = x + column / 2.0f;
        g.setColour (palette::text);
        g.setFont (fonts::label (12.5f).boldened());
        g.drawText (juce::String (i + 1) + (keep[(size_t) i] ? "  keep" : ""),
            juce::Rectangle<float> (x, (float) chart.getBottom() + 2.0f, column, 14.0f), juce::Justification::centred);
        auto result = i < (int) timeline.sourcePaths().size() ? checks.find (timeline.sourcePaths()[(size_t) i]) : nullptr;
        if (result == nullptr || ! result->analysis || ! measured[(size_t) i])
        {
            g.setColour (palette::textDim);
            g.setFont (fonts::label (12.0f));
            g.drawText (result == nullptr ? "measuring" : "no reading", juce::Rectangle<float> (x, ty - 20.0f, column, 14.0f),
                juce::Justification::centred);
            continue;
        }
        const auto& a = result->analysis->analysis;
        const double gain = tracks[(size_t) i].gainDb;
        const double integrated = *a.integratedLufs + gain;
        const double peak = a.truePeakDbtp ? *a.truePeakDbtp + gain : integrated;
        g.setColour (keep[(size_t) i] ? palette::reference.withAlpha (0.7f) : palette::loudness.withAlpha (0.75f));
        g.fillRect (juce::Rectangle<float> (
            cx - barWidth / 2.0f, yOf (integrated), barWidth, (float) chart.getBottom() - yOf (integrated)));
        // LRA: a bracket ending at the integrated level's top (its span, not its place).
        if (a.loudnessRangeLu)
        {
            g.setColour (palette::text.withAlpha (0.6f));
            const float y0 = yOf (integrated), y1 = yOf (integrated - *a.loudnessRangeLu);
            g.drawLine (cx + barWidth / 2.0f + 4.0f, y0, cx + barWidth / 2.0f + 4.0f, y1, 2.0f);
        }
        g.setColour (peak > -1.0 ? palette::clip : palette::warning);
        g.drawLine (cx - barWidth / 2.0f - 4.0f, yOf (peak), cx + barWidth / 2.0f + 4.0f, yOf (peak), 2.5f);
        g.setFont (fonts::label (11.5f));
        g.setColour (palette::text);
        // One figure a line, so a narrow column never wraps one into another.
        const juce::String figures = juce::String (integrated, 1) + " LUFS\nLRA "
            + (a.loudnessRangeLu ? juce::String (*a.loudnessRangeLu, 1) : juce::String ("-")) + " LU\nTP "
            + juce::String (peak, 1) + " dBTP\nPLR " + juce::String (peak - integrated, 1) + " dB";
        g.drawFittedText (figures, juce::Rectangle<int> ((int) x + 2, chart.getY() - 58, (int) column - 4, 56),
            juce::Justification::centred, 4, 0.85f);
    }
}

} // namespace crest::app
