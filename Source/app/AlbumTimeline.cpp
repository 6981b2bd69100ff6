#include "app/AlbumTimeline.h"

#include "album/CdLayout.h"
#include "album/Fades.h"
#include "app/CrestLookAndFeel.h"
#include "engine/AudioFileInput.h"
#include "live/ProgrammeLayout.h"
#include "session/Versions.h"

#include <algorithm>
#include <cmath>

namespace crest::app
{

namespace
{
    constexpr int rulerHeight = 20;
    constexpr int markerHeight = 18;
    constexpr int scrollHeight = 12;
    constexpr float headerHeight = 18.0f;
    constexpr float handleSize = 9.0f;
    constexpr double gainTopDb = 12.0, gainBottomDb = -24.0;

    juce::String curveName (session::FadeCurve curve)
    {
        switch (curve)
        {
            case session::FadeCurve::linear:
                return "Linear";
            case session::FadeCurve::equalPower:
                return "Equal power";
            case session::FadeCurve::logarithmic:
                return "Logarithmic";
            case session::FadeCurve::sCurve:
                return "S-curve";
        }
        return {};
    }

    juce::String clockTime (double seconds, bool tenths)
    {
        const bool negative = seconds < 0.0;
        seconds = std::abs (seconds);
        const int minutes = (int) (seconds / 60.0);
        const double rest = seconds - minutes * 60.0;
        juce::String s = juce::String (minutes) + ":"
            + (tenths ? juce::String (rest, 1).paddedLeft ('0', 4) : juce::String ((int) rest).paddedLeft ('0', 2));
        return negative ? "-" + s : s;
    }

    juce::String cdTime (int64_t frames)
    {
        const auto minutes = frames / (60 * album::cdFramesPerSecond);
        const auto seconds = (frames / album::cdFramesPerSecond) % 60;
        const auto rest = frames % album::cdFramesPerSecond;
        return juce::String (minutes).paddedLeft ('0', 2) + ":" + juce::String (seconds).paddedLeft ('0', 2) + ":"
            + juce::String (rest).paddedLeft ('0', 2);
    }

    constexpr session::FadeCurve allCurves[] = { session::FadeCurve::linear, session::FadeCurve::equalPower,
        session::FadeCurve::logarithmic, session::FadeCurve::sCurve };
} // namespace

// ---- source peaks -------------------------------------------------------------------------------

SourcePeaks::SourcePeaks() : PerFileWork ("Crest timeline peaks", 4000)
{
    start();
}

SourcePeaks::~SourcePeaks()
{
    stop();
}

std::shared_ptr<const SourcePeaks::Table> SourcePeaks::compute (const std::string& path)
{
    auto table = std::make_shared<Table>();
    std::string error;
    if (auto input = engine::AudioFileInput::open (path, error))
    {
        const auto& info = input->info();
        table->sampleRate = info.sampleRate;
        table->lengthInSamples = info.lengthInSamples;
        table->peaks.reserve ((size_t) (info.lengthInSamples / samplesPerPeak + 1));
        juce::AudioBuffer<float> buffer (juce::jmax (1, info.numChannels), samplesPerPeak * 64);
        float peak = 0.0f;
        int inPeak = 0;
        while (! shouldStop())
        {
            const int n = input->read (buffer, buffer.getNumSamples());
            if (n <= 0)
                break;
            for (int i = 0; i < n; ++i)
            {
                for (int c = 0; c < info.numChannels; ++c)
                    peak = juce::jmax (peak, std::abs (buffer.getSample (c, i)));
                if (++inPeak == samplesPerPeak)
                {
                    table->peaks.push_back (peak);
                    peak = 0.0f;
                    inPeak = 0;
                }
            }
        }
        if (inPeak > 0)
            table->peaks.push_back (peak);
    }
    if (shouldStop())
        return nullptr;
    // A file that cannot be read gets an empty table: the clip is drawn without a waveform, and
    // the layout says why (it opens the same file).
    return table;
}

// ---- the timeline -----------------------------------------------------------------------------

AlbumTimeline::AlbumTimeline (Workstation& w, album::TimelineEdits& e) : workstation (w), edits (e)
{
    setName ("AlbumTimeline");
    setOpaque (true);
    setWantsKeyboardFocus (true);
    scrollBar.setAutoHide (false);
    scrollBar.addListener (this);
    addAndMakeVisible (scrollBar);
    workstation.addChangeListener (this);
    startTimerHz (30);
}

AlbumTimeline::~AlbumTimeline()
{
    workstation.removeChangeListener (this);
}

void AlbumTimeline::refresh()
{
    updateLayout();
    repaint();
}

void AlbumTimeline::waitForWaveforms (int timeoutMs)
{
    updateLayout();
    for (const auto& path : paths)
        peaks.find (path);
    peaks.waitUntilIdle (timeoutMs);
    shownPeaks = -1;
    repaint();
}

void AlbumTimeline::changeListenerCallback (juce::ChangeBroadcaster*)
{
    if (shownRevision != workstation.editor().revision())
        refresh();
}

void AlbumTimeline::updateLayout()
{
    const auto& session = workstation.session();
    shownRevision = workstation.editor().revision();
    const auto folder = workstation.sessionFile().getParentDirectory().getFullPathName().toStdString();
    paths.clear();
    std::map<std::string, engine::AudioFileInfo> known;
    bool allKnown = true;
    for (const auto& track : session.tracks)
    {
        const auto path = live::resolvePath (track.source, folder);
        paths.push_back (path);
        auto found = infos.find (track.source);
        if (found == infos.end())
        {
            // Only the header is read here (rate, length); the audio is read by SourcePeaks.
            std::string error;
            auto input = engine::AudioFileInput::open (path, error);
            if (input == nullptr)
            {
                allKnown = false;
                layoutProblem = "Track " + std::to_string (&track - session.tracks.data() + 1) + ": " + error;
                continue;
            }
            found = infos.emplace (track.source, input->info()).first;
        }
        known[track.source] = found->second;
    }
    edits.setSources (known);
    timeline.reset();
    if (! allKnown || session.tracks.empty())
    {
        if (session.tracks.empty())
            layoutProblem = "No tracks yet: drop audio files on the window to add them.";
        return;
    }
    std::vector<engine::AudioFileInfo> sources;
    for (const auto& track : session.tracks)
        sources.push_back (known[track.source]);
    std::string error;
    if (showsCdRuler())
        timeline = album::Timeline::build (session, sources, album::Alignment::cdFrames, error);
    if (! timeline)
        timeline = album::Timeline::build (session, sources, album::Alignment::samples, error);
    layoutProblem = timeline ? std::string() : error;
    if (selectedTrack >= (int) session.tracks.size())
        select ((int) session.tracks.size() - 1);
    if (! fitted && getWidth() > 0)
        zoomToFit();
    updateScrollBar();
}

bool AlbumTimeline::showsCdRuler() const noexcept
{
    const auto& session = workstation.session();
    if (! album::snapsToCdFrames (session))
        return false;
    // CD frames need a rate that divides into them; the first track's rate when unset.
    double rate = session.sampleRate;
    if (rate <= 0.0 && ! session.tracks.empty())
        if (auto found = infos.find (session.tracks.front().source); found != infos.end())
            rate = found->second.sampleRate;
    return rate > 0.0 && std::fmod (rate, (double) album::cdFramesPerSecond) == 0.0;
}

double AlbumTimeline::albumSeconds() const noexcept
{
    return timeline ? (double) timeline->lengthInSamples() / timeline->sampleRate() : 0.0;
}

double AlbumTimeline::secondsOf (int64_t sample) const noexcept
{
    return timeline ? (double) sample / timeline->sampleRate() : 0.0;
}

float AlbumTimeline::xAtSample (int64_t sample) const noexcept
{
    return xAt (secondsOf (sample));
}

void AlbumTimeline::zoomToFit()
{
    const double length = juce::jmax (1.0, albumSeconds());
    pixelsPerSecond = juce::jmax (0.5, (getWidth() - 24.0) / length);
    viewStart = -8.0 / pixelsPerSecond;
    fitted = getWidth() > 0 && timeline.has_value();
    userZoomed = false;
    updateScrollBar();
    repaint();
}

juce::Point<float> AlbumTimeline::fadeHandle (int track, album::FadeEnd end) const
{
    if (! timeline || track < 0 || track >= (int) timeline->tracks().size())
        return {};
    const auto& p = timeline->tracks()[(size_t) track];
    const auto x
        = end == album::FadeEnd::in ? xAtSample (p.audioStart + p.fadeInLength) : xAtSample (p.audioEnd - p.fadeOutLength);
    return { x, waveArea (track).getY() + 3.0f };
}

juce::Point<float> AlbumTimeline::titleBar (int track) const
{
    const auto clip = clipBounds (track);
    return { clip.getCentreX(), clip.getY() + headerHeight / 2.0f };
}

juce::Point<float> AlbumTimeline::bodyGrip (int track) const
{
    if (! timeline || track < 0 || track >= (int) timeline->tracks().size())
        return {};
    const auto wave = waveArea (track);
    const float gain = gainY (track, workstation.session().tracks[(size_t) track].gainDb);
    // A third of the way down, or two thirds when the gain line is near there.
    const float y = std::abs (wave.getY() + wave.getHeight() / 3.0f - gain) > 8.0f ? wave.getY() + wave.getHeight() / 3.0f
                                                                                   : wave.getY() + wave.getHeight() * 2.0f / 3.0f;
    return { clipBounds (track).getCentreX(), y };
}

juce::Point<float> AlbumTimeline::indexMarker (int track, int index) const
{
    if (! timeline || track < 0 || track >= (int) timeline->tracks().size())
        return {};
    const auto& p = timeline->tracks()[(size_t) track];
    const int64_t at = index < 0 ? p.pregapStart : p.indexPoints[(size_t) index];
    return { xAtSample (at) + 3.0f, (float) markerStrip().getCentreY() };
}

void AlbumTimeline::showRange (double from, double to)
{
    if (to <= from || getWidth() <= 0)
        return;
    pixelsPerSecond = juce::jlimit (0.5, 4000.0, getWidth() / (to - from));
    viewStart = from;
    userZoomed = true;
    updateScrollBar();
    repaint();
}

void AlbumTimeline::zoomBy (double factor, float aboutX)
{
    const double at = secondsAt (aboutX);
    pixelsPerSecond = juce::jlimit (0.5, 4000.0, pixelsPerSecond * factor);
    viewStart = at - (aboutX - lanesLeft()) / pixelsPerSecond;
    userZoomed = true;
    updateScrollBar();
    repaint();
}

void AlbumTimeline::updateScrollBar()
{
    const double visible = getWidth() / pixelsPerSecond;
    const double total = juce::jmax (albumSeconds(), viewStart + visible) + 2.0;
    scrollBar.setRangeLimits (juce::jmin (0.0, viewStart), total, juce::dontSendNotification);
    scrollBar.setCurrentRange (viewStart, visible, juce::dontSendNotification);
}

void AlbumTimeline::scrollBarMoved (juce::ScrollBar*, double newRangeStart)
{
    viewStart = newRangeStart;
    repaint();
}

void AlbumTimeline::resized()
{
    scrollBar.setBounds (getLocalBounds().removeFromBottom (scrollHeight));
    if (! fitted || ! userZoomed)
        zoomToFit(); // the whole album keeps fitting a resized window until the engineer zooms
    updateScrollBar();
}

juce::Rectangle<int> AlbumTimeline::timeRuler() const
{
    return getLocalBounds().removeFromTop (rulerHeight);
}

juce::Rectangle<int> AlbumTimeline::cdRuler() const
{
    return showsCdRuler() ? getLocalBounds().withTrimmedTop (rulerHeight).removeFromTop (rulerHeight) : juce::Rectangle<int>();
}

juce::Rectangle<int> AlbumTimeline::markerStrip() const
{
    const int top = rulerHeight * (showsCdRuler() ? 2 : 1);
    return getLocalBounds().withTrimmedTop (top).removeFromTop (markerHeight);
}

juce::Rectangle<int> AlbumTimeline::lane (int which) const
{
    auto area = getLocalBounds().withTrimmedTop (markerStrip().getBottom()).withTrimmedBottom (scrollHeight + 2);
    const int h = area.getHeight() / 2;
    return which == 0 ? area.removeFromTop (h) : area.withTrimmedTop (h);
}

juce::Rectangle<float> AlbumTimeline::clipBounds (int track) const
{
    if (! timeline || track < 0 || track >= (int) timeline->tracks().size())
        return {};
    const auto& p = timeline->tracks()[(size_t) track];
    const auto area = lane (track % 2).toFloat().reduced (0.0f, 3.0f);
    const float x0 = xAtSample (p.audioStart), x1 = xAtSample (p.audioEnd);
    return { x0, area.getY(), juce::jmax (1.0f, x1 - x0), area.getHeight() };
}

juce::Rectangle<float> AlbumTimeline::waveArea (int track) const
{
    return clipBounds (track).withTrimmedTop (headerHeight).reduced (0.0f, 2.0f);
}

float AlbumTimeline::gainY (int track, double db) const
{
    const auto area = waveArea (track);
    const double fraction = (gainTopDb - juce::jlimit (gainBottomDb, gainTopDb, db)) / (gainTopDb - gainBottomDb);
    return area.getY() + (float) fraction * area.getHeight();
}

double AlbumTimeline::gainAtY (int track, float y) const
{
    const auto area = waveArea (track);
    const double fraction = (y - area.getY()) / juce::jmax (1.0f, area.getHeight());
    return gainTopDb - fraction * (gainTopDb - gainBottomDb);
}

// ---- painting -----------------------------------------------------------------------------------

void AlbumTimeline::paint (juce::Graphics& g)
{
    // An undo or an opened session may reach the screen before its change message reaches us.
    if (shownRevision != workstation.editor().revision())
        updateLayout();
    g.fillAll (palette::panel);
    for (int l = 0; l < 2; ++l)
    {
        g.setColour (l == 0 ? palette::background.withAlpha (0.55f) : palette::background.withAlpha (0.35f));
        g.fillRect (lane (l));
    }
    if (! timeline)
    {
        g.setColour (palette::textDim);
        g.setFont (fonts::label (15.0f));
        g.drawFittedText (layoutProblem.empty() ? juce::String ("Laying out the album...") : juce::String (layoutProblem),
            getLocalBounds().reduced (20), juce::Justification::centred, 3);
        return;
    }
    if (peaks.finished() != shownPeaks)
        shownPeaks = peaks.finished();

    // Pregaps: the silence before each track, shaded in the lanes.
    for (size_t i = 0; i < timeline->tracks().size(); ++i)
    {
        const auto& p = timeline->tracks()[i];
        if (p.pregapStart < p.start)
        {
            const float x0 = xAtSample (p.pregapStart), x1 = xAtSample (p.start);
            g.setColour (palette::grid.withAlpha (0.6f));
            g.fillRect (
                juce::Rectangle<float> (x0, (float) lane (0).getY(), x1 - x0, (float) (lane (1).getBottom() - lane (0).getY())));
        }
    }
    for (int i = 0; i < (int) timeline->tracks().size(); ++i)
        paintClip (g, i);
    paintRulers (g);
    paintMarkers (g);
    paintNotes (g);

    // The play head.
    auto& player = workstation.player();
    if (player.sampleRate() > 0.0)
    {
        const float x = xAt ((double) player.position() / player.sampleRate());
        g.setColour (palette::text);
        g.drawVerticalLine ((int) x, 0.0f, (float) (getHeight() - scrollHeight));
        juce::Path head;
        head.addTriangle (x - 5.0f, 0.0f, x + 5.0f, 0.0f, x, 7.0f);
        g.fillPath (head);
    }
}

void AlbumTimeline::paintRulers (juce::Graphics& g)
{
    const auto ruler = timeRuler();
    g.setColour (palette::panelRaised);
    g.fillRect (ruler);
    g.setFont (fonts::label (12.0f));
    static const double steps[] = { 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600 };
    double step = steps[std::size (steps) - 1];
    for (double s : steps)
        if (s * pixelsPerSecond >= 64.0)
        {
            step = s;
            break;
        }
    const double first = std::floor (secondsAt (0.0f) / step) * step;
    for (double t = first; xAt (t) < getWidth(); t += step)
    {
        const float x = xAt (t);
        g.setColour (palette::outline);
        g.drawVerticalLine ((int) x, (float) ruler.getY() + 10.0f, (float) ruler.getBottom());
        for (int k = 1; k < 5; ++k)
            g.drawVerticalLine ((int) xAt (t + step * k / 5.0), (float) ruler.getBottom() - 4.0f, (float) ruler.getBottom());
        g.setColour (palette::textDim);
        if (x + 3.0f >= 0.0f) // a label cut by the left edge reads as another time ("1:00" as "00")
            g.drawText (clockTime (t, step < 1.0), juce::Rectangle<float> (x + 3.0f, (float) ruler.getY(), 60.0f, 12.0f),
                juce::Justification::centredLeft);
    }

    auto cd = cdRuler();
    if (cd.isEmpty())
        return;
    g.setColour (palette::panelRaised.darker (0.2f));
    g.fillRect (cd);
    static const int frameSteps[] = { 1, 5, 15, 25, 75, 150, 375, 750, 1500, 4500, 9000, 22500 };
    const double framePixels = pixelsPerSecond / album::cdFramesPerSecond;
    int frameStep = frameSteps[std::size (frameSteps) - 1];
    for (int f : frameSteps)
        if (f * framePixels >= 78.0)
        {
            frameStep = f;
            break;
        }
    // Disc time counts from the album's first sample (track 1's INDEX 00), as the CUE sheet does.
    const auto firstFrame = (int64_t) std::floor (secondsAt (0.0f) * album::cdFramesPerSecond / frameStep) * frameStep;
    for (int64_t f = juce::jmax<int64_t> (0, firstFrame); xAt ((double) f / album::cdFramesPerSecond) < getWidth();
         f += frameStep)
    {
        const float x = xAt ((double) f / album::cdFramesPerSecond);
        g.setColour (palette::outline);
        g.drawVerticalLine ((int) x, (float) cd.getY() + 10.0f, (float) cd.getBottom());
        g.setColour (palette::input.brighter (0.4f));
        if (x + 3.0f >= (float) cd.getX() + 94.0f) // not half under the ruler's name
            g.drawText (
                cdTime (f), juce::Rectangle<float> (x + 3.0f, (float) cd.getY(), 70.0f, 12.0f), juce::Justification::centredLeft);
    }
    // What the second ruler counts, over its left end.
    auto name = cd.removeFromLeft (94);
    g.setColour (palette::panelRaised.darker (0.2f));
    g.fillRect (name);
    g.setColour (palette::input.brighter (0.4f));
    g.setFont (fonts::label (11.5f).boldened());
    g.drawText ("CD  MM:SS:FF", name.reduced (4, 0), juce::Justification::centredLeft);
}

void AlbumTimeline::paintClip (juce::Graphics& g, int index)
{
    const auto& session = workstation.session();
    const auto& p = timeline->tracks()[(size_t) index];
    const auto& track = session.tracks[(size_t) index];
    const auto clip = clipBounds (index);
    if (clip.getRight() < 0.0f || clip.getX() > (float) getWidth())
        return;
    const bool selected = index == selectedTrack;
    g.setColour (selected ? palette::panelRaised.brighter (0.12f) : palette::panelRaised);
    g.fillRoundedRectangle (clip, 3.0f);

    // The waveform: the rendered master where there is one (what leaves the chain, fades and
    // crossfade included), else the source's peaks times the track's gain and fades.
    const auto wave = waveArea (index);
    const double rate = timeline->sampleRate();
    const auto table = index < (int) paths.size() ? peaks.find (paths[(size_t) index]) : nullptr;
    const float gain = juce::Decibels::decibelsToGain ((float) track.gainDb);
    bool masterCurrent = true, nextCurrent = true;
    auto master = masterOf ? masterOf (index, masterCurrent) : nullptr;
    // A crossfade out belongs to the next track's master (mixed, as it sounds).
    std::shared_ptr<const album::MasterCheck> nextMaster;
    if (master != nullptr && p.crossfadeOutLength > 0 && index + 1 < (int) timeline->tracks().size())
        nextMaster = masterOf (index + 1, nextCurrent);
    const auto masterPeak = [] (const album::MasterCheck& m, int64_t from, int64_t to) -> std::optional<float>
    {
        if (from < 0 || to > m.length || to <= from)
            return std::nullopt;
        float peak = 0.0f;
        const auto k1 = (size_t) ((to - 1) / album::MasterCheck::samplesPerPeak);
        for (auto k = (size_t) (from / album::MasterCheck::samplesPerPeak); k <= k1 && k < m.peaks.size(); ++k)
            peak = juce::jmax (peak, m.peaks[k]);
        return peak;
    };
    if (master != nullptr || (table != nullptr && ! table->peaks.empty()))
    {
        const auto visible = g.getClipBounds().toFloat().getIntersection (clip);
        const float mid = wave.getCentreY(), half = wave.getHeight() * 0.5f;
        const auto sourceColour = selected ? palette::input.brighter (0.35f) : palette::input.brighter (0.15f);
        const auto masterColour = selected ? palette::accent : palette::accent.withAlpha (0.8f);
        for (int x = (int) visible.getX(); x < (int) std::ceil (visible.getRight()); ++x)
        {
            // The album samples under this column, relative to the track's audio start.
            const auto a0 = (int64_t) std::floor (secondsAt ((float) x) * rate) - p.audioStart;
            const auto a1 = (int64_t) std::floor (secondsAt ((float) x + 1.0f) * rate) - p.audioStart;
            const auto from = juce::jmax<int64_t> (0, a0), to = juce::jmin<int64_t> (p.length(), juce::jmax (a1, a0 + 1));
            if (to <= from)
                continue;
            std::optional<float> level;
            if (master != nullptr)
                level = masterPeak (*master, from, to);
            if (! level && nextMaster != nullptr)
            {
                const auto offset = p.audioStart - timeline->tracks()[(size_t) index + 1].audioStart;
                level = masterPeak (*nextMaster, from + offset, to + offset);
            }
            const bool ofMaster = level.has_value();
            if (! level && table != nullptr && ! table->peaks.empty())
            {
                const double toSource = table->sampleRate / rate;
                const auto k0 = (size_t) (((double) (p.sourceStart + from) * toSource) / SourcePeaks::samplesPerPeak);
                const auto k1 = (size_t) (((double) (p.sourceStart + to) * toSource) / SourcePeaks::samplesPerPeak);
                float peak = 0.0f;
                for (size_t k = k0; k <= k1 && k < table->peaks.size(); ++k)
                    peak = juce::jmax (peak, table->peaks[k]);
                level = peak * gain * (float) album::trackFadeGain (p, (from + to) / 2);
            }
            if (! level)
                continue;
            const float h = juce::jmin (*level, 1.0f) * half;
            g.setColour (ofMaster ? masterColour : sourceColour);
            g.drawVerticalLine (x, mid - h, mid + h);
            if (*level > 1.0f)
            {
                // Over full scale: in a master, a fixed-point file clips there; before the chain,
                // the gain would clip a fixed-point stage.
                g.setColour (palette::clip);
                g.drawVerticalLine (x, mid - half, mid - half + 2.0f);
                g.drawVerticalLine (x, mid + half - 2.0f, mid + half);
            }
        }
        g.setColour (palette::outline);
        g.drawHorizontalLine ((int) mid, juce::jmax (0.0f, clip.getX()), juce::jmin ((float) getWidth(), clip.getRight()));

        // Which picture this is, in the clip's lower right corner (where no handle is).
        const juce::String tag = master == nullptr ? "source" : masterCurrent ? "master" : "master, updating";
        g.setFont (fonts::label (11.0f));
        const float tagWidth = fonts::label (11.0f).getStringWidthFloat (tag) + 10.0f;
        if (clip.getWidth() > tagWidth + 90.0f)
        {
            const auto tagArea
                = juce::Rectangle<float> (clip.getRight() - tagWidth - 4.0f, clip.getBottom() - 17.0f, tagWidth, 14.0f);
            g.setColour (palette::background.withAlpha (0.7f));
            g.fillRoundedRectangle (tagArea, 3.0f);
            g.setColour (master == nullptr ? palette::input.brighter (0.4f) : palette::accent);
            g.drawText (tag, tagArea, juce::Justification::centred);
        }
    }
    else
    {
        g.setColour (palette::textDim);
        g.setFont (fonts::label (12.0f));
        g.drawText ("reading waveform...", wave, juce::Justification::centred);
    }

    // Findings of the mix check, where they happen (a small flag at the clip's foot).
    if (marksOf)
        for (const auto& mark : marksOf (index))
        {
            const double albumSecond = secondsOf (p.audioStart) + mark.sourceSeconds - track.trimInSeconds;
            if (albumSecond < secondsOf (p.audioStart) || albumSecond > secondsOf (p.audioEnd))
                continue;
            const float x = xAt (albumSecond);
            juce::Path flag;
            flag.addTriangle (x - 5.0f, clip.getBottom() - 1.0f, x + 5.0f, clip.getBottom() - 1.0f, x, clip.getBottom() - 9.0f);
            g.setColour (mark.colour);
            g.fillPath (flag);
            g.drawVerticalLine ((int) x, wave.getY(), clip.getBottom() - 9.0f);
        }

    // Fades and crossfades, as their gain curves.
    paintFadeCurve (g, index, true);
    paintFadeCurve (g, index, false);

    // The header: number, title, spacing.
    auto header = clip.withHeight (headerHeight);
    g.setColour (selected ? palette::accent.withAlpha (0.45f) : palette::outline);
    g.fillRoundedRectangle (header, 3.0f);
    g.setColour (palette::text);
    g.setFont (fonts::label (13.0f).boldened());
    const juce::String title
        = track.title.empty() ? juce::File (track.source).getFileNameWithoutExtension() : juce::String (track.title);
    // The title stays in view when the clip starts left of the view (zoomed into a transition).
    auto text = header.getIntersection (getLocalBounds().toFloat()).reduced (5.0f, 0.0f);
    juce::String spacing;
    if (track.crossfade)
        spacing = "xfade " + juce::String (track.crossfade->seconds, 2) + " s " + curveName (track.crossfade->curve);
    else
        spacing = "gap " + juce::String (track.gapSeconds, 2) + " s";
    g.drawText (juce::String (index + 1) + "  " + title, text, juce::Justification::centredLeft, true);
    g.setFont (fonts::label (11.5f));
    g.setColour (palette::text.withAlpha (0.8f));
    const float titleWidth = fonts::label (13.0f).boldened().getStringWidthFloat (juce::String (index + 1) + "  " + title);
    if (text.getWidth() > titleWidth + fonts::label (11.5f).getStringWidthFloat (spacing) + 16.0f)
        g.drawText (spacing, text, juce::Justification::centredRight, true);

    // The gain line and its value.
    const float gy = gainY (index, track.gainDb);
    g.setColour (palette::warning.withAlpha (0.9f));
    g.drawLine (clip.getX(), gy, clip.getRight(), gy, 1.2f);
    g.setFont (fonts::label (11.5f));
    const auto gainText = (track.gainDb > 0 ? "+" : "") + juce::String (track.gainDb, 1) + " dB";
    // Left, after the fade-in, where no fade curve or handle is drawn.
    const float labelX = juce::jmax (0.0f, xAtSample (p.audioStart + juce::jmax (p.fadeInLength, p.crossfadeInLength)) + 6.0f);
    if (labelX + 58.0f < clip.getRight() - 10.0f)
    {
        // On a dark backing: over a loud waveform the figure would not read.
        const float textWidth = fonts::label (11.5f).getStringWidthFloat (gainText) + 6.0f;
        g.setColour (palette::background.withAlpha (0.7f));
        g.fillRoundedRectangle (juce::Rectangle<float> (labelX - 3.0f, gy - 14.0f, textWidth, 13.0f), 2.0f);
        g.setColour (palette::warning.withAlpha (0.9f));
        g.drawText (gainText, juce::Rectangle<float> (labelX, gy - 14.0f, 58.0f, 13.0f), juce::Justification::centredLeft);
    }

    // Fade handles at the top corners of the waveform.
    g.setColour (palette::warning);
    const float hx0 = xAtSample (p.audioStart + p.fadeInLength), hx1 = xAtSample (p.audioEnd - p.fadeOutLength);
    g.fillRect (juce::Rectangle<float> (hx0 - handleSize / 2.0f, wave.getY() - 1.0f, handleSize, handleSize));
    g.fillRect (juce::Rectangle<float> (hx1 - handleSize / 2.0f, wave.getY() - 1.0f, handleSize, handleSize));

    g.setColour (selected ? palette::accent : palette::outline.brighter (0.3f));
    g.drawRoundedRectangle (clip, 3.0f, selected ? 1.6f : 1.0f);
}

void AlbumTimeline::paintFadeCurve (juce::Graphics& g, int index, bool in)
{
    const auto& p = timeline->tracks()[(size_t) index];
    const auto wave = waveArea (index);
    // The track's own fade, then the crossfade over the same end (drawn in the reference
    // colour, since it belongs to the transition between two tracks).
    for (int pass = 0; pass < 2; ++pass)
    {
        const bool crossfade = pass == 1;
        const int64_t length
            = in ? (crossfade ? p.crossfadeInLength : p.fadeInLength) : (crossfade ? p.crossfadeOutLength : p.fadeOutLength);
        if (length <= 0)
            continue;
        const auto curve
            = in ? (crossfade ? p.crossfadeInCurve : p.fadeInCurve) : (crossfade ? p.crossfadeOutCurve : p.fadeOutCurve);
        const int64_t first = in ? p.audioStart : p.audioEnd - length;
        const float x0 = xAtSample (first), x1 = xAtSample (first + length);
        if (x1 < 0.0f || x0 > (float) getWidth())
            continue;
        juce::Path curvePath, shade;
        const int columns = juce::jmax (2, (int) (x1 - x0));
        for (int c = 0; c <= columns; ++c)
        {
            const auto i = (int64_t) ((double) length * c / columns);
            const double gainAt = in ? album::fadeInGain (curve, i, length) : album::fadeOutGain (curve, i, length);
            const float x = x0 + (x1 - x0) * (float) c / (float) columns;
            const float y = wave.getBottom() - (float) gainAt * wave.getHeight();
            if (c == 0)
            {
                curvePath.startNewSubPath (x, y);
                shade.startNewSubPath (x, wave.getY());
            }
            else
                curvePath.lineTo (x, y);
            shade.lineTo (x, y);
        }
        shade.lineTo (x1, wave.getY());
        shade.closeSubPath();
        // What the fade takes away is shaded; the curve is the gain (bottom 0, top full).
        g.setColour (palette::background.withAlpha (0.45f));
        g.fillPath (shade);
        g.setColour (crossfade ? palette::reference : palette::warning);
        g.strokePath (curvePath, juce::PathStrokeType (1.6f));
    }
}

void AlbumTimeline::paintMarkers (juce::Graphics& g)
{
    const auto strip = markerStrip();
    g.setColour (palette::panelRaised.darker (0.35f));
    g.fillRect (strip);
    const float top = (float) strip.getY(), bottom = (float) lane (1).getBottom();
    // Flags in album order; a label is left out where it would run into the one before.
    float labelEnd = -1.0e9f;
    auto flag = [&] (float x, const juce::String& label, juce::Colour colour, bool line)
    {
        juce::Path p;
        p.addTriangle (x, top + 2.0f, x, top + (float) markerHeight - 2.0f, x + 6.0f, top + (float) markerHeight / 2.0f);
        g.setColour (colour);
        g.fillPath (p);
        g.setFont (fonts::label (11.5f).boldened());
        const float width = g.getCurrentFont().getStringWidthFloat (label) + 2.0f;
        if (label.isNotEmpty() && x + 7.0f > labelEnd)
        {
            g.drawText (
                label, juce::Rectangle<float> (x + 7.0f, top, width, (float) markerHeight), juce::Justification::centredLeft);
            labelEnd = x + 7.0f + width + 3.0f;
        }
        if (line)
        {
            const float dashes[] = { 3.0f, 3.0f };
            g.setColour (colour.withAlpha (0.55f));
            g.drawDashedLine (juce::Line<float> (x, top + (float) markerHeight, x, bottom), dashes, 2, 1.0f);
        }
    };
    for (size_t i = 0; i < timeline->tracks().size(); ++i)
    {
        const auto& p = timeline->tracks()[i];
        // Labels as a CD player shows them: the track number at INDEX 01, 00 at the pregap,
        // 02, 03... for the extra indices.
        // The pregap's label only where it does not crowd out the track's own.
        if (p.pregapStart < p.start)
            flag (xAtSample (p.pregapStart), xAtSample (p.start) - xAtSample (p.pregapStart) > 30.0f ? "00" : "",
                palette::textDim, false);
        flag (xAtSample (p.start), "Track " + juce::String (p.number), palette::accent, true);
        for (size_t k = 0; k < p.indexPoints.size(); ++k)
            flag (xAtSample (p.indexPoints[k]), juce::String ((int) k + 2).paddedLeft ('0', 2), palette::loudness, true);
    }
}

// ---- mouse --------------------------------------------------------------------------------------

AlbumTimeline::Hit AlbumTimeline::partAt (juce::Point<float> at) const
{
    Hit hit;
    if (! timeline)
        return hit;
    if (at.y < (float) markerStrip().getY())
    {
        hit.part = Part::ruler;
        return hit;
    }
    const auto& placements = timeline->tracks();
    if (markerStrip().toFloat().contains (at))
    {
        // Extra index points first (they are what one drags most), then INDEX 00 pregaps.
        for (size_t i = 0; i < placements.size(); ++i)
            for (size_t k = 0; k < placements[i].indexPoints.size(); ++k)
                if (std::abs (at.x - xAtSample (placements[i].indexPoints[k]) - 3.0f) <= 6.0f)
                    return { Part::index, (int) i, (int) k };
        for (size_t i = 0; i < placements.size(); ++i)
            if (placements[i].pregapStart < placements[i].start
                && std::abs (at.x - xAtSample (placements[i].pregapStart) - 3.0f) <= 6.0f)
                return { Part::pregap, (int) i, -1 };
        hit.part = Part::ruler;
        return hit;
    }
    // The selected track's clip wins where two overlap (a crossfade), then the later one.
    std::vector<int> order;
    if (selectedTrack >= 0 && selectedTrack < (int) placements.size())
        order.push_back (selectedTrack);
    for (int i = (int) placements.size() - 1; i >= 0; --i)
        if (i != selectedTrack)
            order.push_back (i);
    for (int i : order)
    {
        const auto clip = clipBounds (i);
        if (! clip.expanded (4.0f, 0.0f).contains (at))
            continue;
        const auto& p = placements[(size_t) i];
        const auto wave = waveArea (i);
        if (at.y < clip.getY() + headerHeight)
            return { Part::header, i, -1 };
        if (at.y <= wave.getY() + handleSize + 2.0f)
        {
            if (std::abs (at.x - xAtSample (p.audioStart + p.fadeInLength)) <= 7.0f)
                return { Part::fadeIn, i, -1 };
            if (std::abs (at.x - xAtSample (p.audioEnd - p.fadeOutLength)) <= 7.0f)
                return { Part::fadeOut, i, -1 };
        }
        if (std::abs (at.y - gainY (i, workstation.session().tracks[(size_t) i].gainDb)) <= 4.0f)
            return { Part::gain, i, -1 };
        if (at.y > wave.getCentreY())
        {
            if (std::abs (at.x - clip.getX()) <= 5.0f)
                return { Part::trimIn, i, -1 };
            if (std::abs (at.x - clip.getRight()) <= 5.0f)
                return { Part::trimOut, i, -1 };
        }
        if (clip.contains (at))
            return { Part::body, i, -1 };
    }
    hit.part = Part::nothing;
    return hit;
}

void AlbumTimeline::mouseMove (const juce::MouseEvent& e)
{
    const auto hit = partAt (e.position);
    auto shape = juce::MouseCursor::NormalCursor;
    juce::String tip;
    switch (hit.part)
    {
        case Part::header:
            shape = juce::MouseCursor::DraggingHandCursor;
            tip = "Drag to move the track in the running order";
            break;
        case Part::body:
            shape = juce::MouseCursor::LeftRightResizeCursor;
            tip = "Drag sideways: the gap before the track (left past zero: a crossfade). Right-click for curves.";
            break;
        case Part::fadeIn:
        case Part::fadeOut:
            shape = juce::MouseCursor::LeftRightResizeCursor;
            tip = "Drag: fade length. Right-click: its curve.";
            break;
        case Part::trimIn:
        case Part::trimOut:
            shape = juce::MouseCursor::LeftEdgeResizeCursor;
            tip = "Drag to trim";
            break;
        case Part::gain:
            shape = juce::MouseCursor::UpDownResizeCursor;
            tip = "Drag: the track's gain (Shift: fine)";
            break;
        case Part::pregap:
            shape = juce::MouseCursor::LeftRightResizeCursor;
            tip = "INDEX 00: drag for the pregap";
            break;
        case Part::index:
            shape = juce::MouseCursor::LeftRightResizeCursor;
            tip = "Index point: drag to move, right-click to remove";
            break;
        case Part::ruler:
            tip = "Click to play from here; double-click the marker strip to add an index";
            break;
        case Part::nothing:
            break;
    }
    setMouseCursor (shape);
    setHelpText (tip);
}

void AlbumTimeline::select (int track)
{
    if (selectedTrack == track)
        return;
    selectedTrack = track;
    if (onSelect)
        onSelect (track);
    repaint();
}

void AlbumTimeline::seekToX (float x)
{
    auto& player = workstation.player();
    if (player.sampleRate() > 0.0)
        player.seek ((int64_t) juce::jmax (0.0, secondsAt (x) * player.sampleRate()));
    repaint();
}

void AlbumTimeline::seekToSourceTime (int track, double sourceSeconds)
{
    if (! timeline || track < 0 || track >= (int) timeline->tracks().size())
        return;
    const auto& p = timeline->tracks()[(size_t) track];
    const double albumSecond
        = secondsOf (p.audioStart) + sourceSeconds - workstation.session().tracks[(size_t) track].trimInSeconds;
    select (track);
    if (albumSecond < secondsOf (p.audioStart) || albumSecond > secondsOf (p.audioEnd))
        return;
    seekToX (xAt (albumSecond));
    // Bring the place into view.
    if (xAt (albumSecond) < 0.0f || xAt (albumSecond) > (float) getWidth())
    {
        viewStart = albumSecond - getWidth() / pixelsPerSecond / 3.0;
        updateScrollBar();
        repaint();
    }
}

void AlbumTimeline::edited (bool ok)
{
    if (! ok)
        return;
    workstation.sendChangeMessage(); // the player follows (Workstation's timer), the inspectors refresh
    updateLayout();
    repaint();
}

void AlbumTimeline::mouseDown (const juce::MouseEvent& e)
{
    if (shownRevision != workstation.editor().revision())
        updateLayout();
    grabKeyboardFocus();
    if (const int note = noteAt (e.position); note >= 0 && ! e.mods.isPopupMenu())
    {
        seekToNote (note);
        if (onNoteClicked)
            onNoteClicked (note);
        drag = {};
        return;
    }
    drag = partAt (e.position);
    dragged = false;
    dragStartX = e.position.x;
    dragStartY = e.position.y;
    if (drag.track >= 0 && drag.part != Part::pregap && drag.part != Part::index)
        select (drag.track);
    if (e.mods.isPopupMenu())
    {
        showMenu (drag, e);
        drag = {};
        return;
    }
    if (drag.track < 0)
    {
        if (drag.part == Part::ruler)
            seekToX (e.position.x);
        return;
    }
    const auto& track = workstation.session().tracks[(size_t) drag.track];
    const auto& p = timeline->tracks()[(size_t) drag.track];
    switch (drag.part)
    {
        case Part::body:
            dragStartValue = track.crossfade ? -track.crossfade->seconds : track.gapSeconds;
            break;
        case Part::fadeIn:
            dragStartValue = track.fadeIn.seconds;
            break;
        case Part::fadeOut:
            dragStartValue = track.fadeOut.seconds;
            break;
        case Part::trimIn:
            dragStartValue = track.trimInSeconds;
            break;
        case Part::trimOut:
            dragStartValue = track.trimOutSeconds ? *track.trimOutSeconds : track.trimInSeconds + secondsOf (p.length());
            break;
        case Part::gain:
            dragStartValue = track.gainDb;
            break;
        case Part::pregap:
            dragStartValue = track.gapSeconds;
            break;
        case Part::index:
            dragStartValue = drag.index < (int) track.indexPoints.size() ? track.indexPoints[(size_t) drag.index] : 0.0;
            break;
        default:
            dragStartValue = 0.0;
            break;
    }
}

void AlbumTimeline::mouseDrag (const juce::MouseEvent& e)
{
    if (drag.track < 0 || ! timeline)
    {
        if (drag.part == Part::ruler)
            seekToX (e.position.x);
        return;
    }
    if (! dragged && e.getDistanceFromDragStart() < 3)
        return;
    dragged = true;
    const double dx = (e.position.x - dragStartX) / pixelsPerSecond;
    const int t = drag.track;
    const auto& placements = timeline->tracks();
    const auto& p = placements[(size_t) t];
    const double length = secondsOf (p.length());
    switch (drag.part)
    {
        case Part::header:
        {
            // The new place: after every other track whose middle lies left of the mouse.
            int to = 0;
            for (int i = 0; i < (int) placements.size(); ++i)
                if (i != t && clipBounds (i).getCentreX() < e.position.x)
                    ++to;
            if (to != t && edits.dragTrack (t, to))
            {
                drag.track = to;
                selectedTrack = to;
                if (onSelect)
                    onSelect (to);
                edited (true);
            }
            break;
        }
        case Part::body:
            edited (edits.setSpacing (t, t == 0 ? juce::jmax (0.0, dragStartValue + dx) : dragStartValue + dx));
            break;
        case Part::fadeIn:
            edited (edits.setFade (t, album::FadeEnd::in, juce::jlimit (0.0, length, dragStartValue + dx)));
            break;
        case Part::fadeOut:
            edited (edits.setFade (t, album::FadeEnd::out, juce::jlimit (0.0, length, dragStartValue - dx)));
            break;
        case Part::trimIn:
            edited (edits.setTrimIn (t, juce::jmax (0.0, dragStartValue + dx)));
            break;
        case Part::trimOut:
        {
            const auto& info = infos[workstation.session().tracks[(size_t) t].source];
            const double sourceSeconds = info.durationSeconds();
            const double v = dragStartValue + dx;
            edited (edits.setTrimOut (t, v >= sourceSeconds - 0.001 ? std::optional<double>() : std::optional<double> (v)));
            break;
        }
        case Part::gain:
        {
            const double perPixel = (gainTopDb - gainBottomDb) / juce::jmax (1.0f, waveArea (t).getHeight());
            const double step = e.mods.isShiftDown() ? 0.01 : 0.1;
            const double v = dragStartValue + (dragStartY - e.position.y) * perPixel * (e.mods.isShiftDown() ? 0.1 : 1.0);
            edited (edits.setGain (t, juce::jlimit (gainBottomDb, gainTopDb, std::round (v / step) * step)));
            break;
        }
        case Part::pregap:
            // From where the drag began, not from the track's start: a longer gap moves the track
            // (and its start) later, which must not feed back into the next step of the drag.
            edited (edits.setGap (t, juce::jmax (0.0, dragStartValue - dx)));
            break;
        case Part::index:
        {
            // Relative too: where on the marker the hand took it does not move the index.
            const int moved = edits.moveIndex (t, drag.index, dragStartValue + dx);
            if (moved >= 0)
            {
                drag.index = moved;
                edited (true);
            }
            break;
        }
        default:
            break;
    }
}

void AlbumTimeline::mouseUp (const juce::MouseEvent& e)
{
    edits.endGesture();
    if (! dragged && ! e.mods.isPopupMenu() && drag.track >= 0 && drag.part != Part::index && drag.part != Part::pregap)
        seekToX (e.position.x); // a click on a clip plays from there
    drag = {};
    dragged = false;
}

void AlbumTimeline::mouseDoubleClick (const juce::MouseEvent& e)
{
    if (! timeline)
        return;
    if (! markerStrip().toFloat().contains (e.position))
    {
        // On a clip: play the track from its start (INDEX 01), as the running-order list did.
        const auto hit = partAt (e.position);
        if (hit.track >= 0 && (hit.part == Part::header || hit.part == Part::body))
        {
            workstation.player().jumpToTrack (hit.track);
            workstation.player().play();
        }
        return;
    }
    const double at = secondsAt (e.position.x);
    const auto& placements = timeline->tracks();
    for (int i = (int) placements.size() - 1; i >= 0; --i)
        if (at > secondsOf (placements[(size_t) i].start))
        {
            edited (edits.addIndex (i, at - secondsOf (placements[(size_t) i].start)) >= 0);
            return;
        }
}

void AlbumTimeline::addIndexAtPlayhead()
{
    auto& player = workstation.player();
    if (! timeline || player.sampleRate() <= 0.0)
        return;
    const double at = (double) player.position() / player.sampleRate();
    const auto& placements = timeline->tracks();
    for (int i = (int) placements.size() - 1; i >= 0; --i)
        if (at > secondsOf (placements[(size_t) i].start))
        {
            edited (edits.addIndex (i, at - secondsOf (placements[(size_t) i].start)) >= 0);
            return;
        }
}

void AlbumTimeline::showMenu (const Hit& hit, const juce::MouseEvent& e)
{
    if (! timeline || hit.track < 0)
        return;
    const int t = hit.track;
    const auto& track = workstation.session().tracks[(size_t) t];
    const auto& p = timeline->tracks()[(size_t) t];
    const double at = secondsAt (e.position.x);
    const double fromAudioStart = at - secondsOf (p.audioStart);
    const double length = secondsOf (p.length());
    juce::PopupMenu menu;
    juce::Component::SafePointer<AlbumTimeline> self (this);

    if (hit.part == Part::index)
    {
        menu.addItem ("Remove INDEX " + juce::String (hit.index + 2).paddedLeft ('0', 2) + " of track " + juce::String (t + 1),
            [self, t, which = hit.index]
            {
                if (self != nullptr)
                    self->edited (self->edits.removeIndex (t, which));
            });
        menu.showMenuAsync (juce::PopupMenu::Options().withTargetScreenArea ({ e.getScreenX(), e.getScreenY(), 1, 1 }));
        return;
    }

    auto curveMenu = [&] (const juce::String& title, session::FadeCurve current, std::function<void (session::FadeCurve)> set)
    {
        menu.addSectionHeader (title);
        for (auto curve : allCurves)
            menu.addItem (curveName (curve), true, curve == current, [set, curve] { set (curve); });
    };
    const bool inCrossfade = track.crossfade && fromAudioStart < secondsOf (p.crossfadeInLength);
    const bool nearStart = fromAudioStart < length / 2.0;
    if (inCrossfade)
        curveMenu ("Crossfade curve (track " + juce::String (t) + " into " + juce::String (t + 1) + ")", track.crossfade->curve,
            [self, t] (session::FadeCurve c)
            {
                if (self != nullptr)
                    self->edited (self->edits.setCrossfadeCurve (t, c));
            });
    else if (nearStart)
        curveMenu ("Fade-in curve", track.fadeIn.curve,
            [self, t] (session::FadeCurve c)
            {
                if (self != nullptr)
                    self->edited (self->edits.setFadeCurve (t, album::FadeEnd::in, c));
            });
    else
        curveMenu ("Fade-out curve", track.fadeOut.curve,
            [self, t] (session::FadeCurve c)
            {
                if (self != nullptr)
                    self->edited (self->edits.setFadeCurve (t, album::FadeEnd::out, c));
            });
    menu.addSeparator();
    auto item = [&] (const juce::String& text, std::function<bool (album::TimelineEdits&)> edit, bool enabled = true)
    {
        menu.addItem (text, enabled, false,
            [self, edit]
            {
                if (self != nullptr)
                    self->edited (edit (self->edits));
            });
    };
    const double sinceStart = at - secondsOf (p.start);
    item (
        "Add index point here", [t, sinceStart] (album::TimelineEdits& ed) { return ed.addIndex (t, sinceStart) >= 0; },
        sinceStart > 0.0);
    item ("Fade in to here",
        [t, fromAudioStart] (album::TimelineEdits& ed) { return ed.setFade (t, album::FadeEnd::in, fromAudioStart); });
    item ("Fade out from here",
        [t, v = length - fromAudioStart] (album::TimelineEdits& ed) { return ed.setFade (t, album::FadeEnd::out, v); });
    item (
        "No fade-in", [t] (album::TimelineEdits& ed) { return ed.setFade (t, album::FadeEnd::in, 0.0); },
        track.fadeIn.seconds > 0.0);
    item (
        "No fade-out", [t] (album::TimelineEdits& ed) { return ed.setFade (t, album::FadeEnd::out, 0.0); },
        track.fadeOut.seconds > 0.0);
    menu.addSeparator();
    item ("Trim start here",
        [t, v = track.trimInSeconds + fromAudioStart] (album::TimelineEdits& ed) { return ed.setTrimIn (t, v); });
    item ("Trim end here",
        [t, v = track.trimInSeconds + fromAudioStart] (album::TimelineEdits& ed) { return ed.setTrimOut (t, v); });
    item (
        "Remove trims",
        [t] (album::TimelineEdits& ed)
        {
            const bool a = ed.setTrimIn (t, 0.0);
            const bool b = ed.setTrimOut (t, std::nullopt);
            return a || b;
        },
        track.trimInSeconds > 0.0 || track.trimOutSeconds.has_value());
    if (t > 0)
    {
        menu.addSeparator();
        item (track.crossfade ? "Remove crossfade (gapless)" : "Crossfade 3 s with the track before",
            [t, has = track.crossfade.has_value()] (album::TimelineEdits& ed) { return ed.setCrossfade (t, has ? 0.0 : 3.0); });
    }
    menu.addSeparator();
    menu.addItem ("Remove track " + juce::String (t + 1) + " from the album",
        [self, t]
        {
            if (self != nullptr && self->workstation.editor().removeTrack (t))
                self->edited (true);
        });
    menu.showMenuAsync (juce::PopupMenu::Options().withTargetScreenArea ({ e.getScreenX(), e.getScreenY(), 1, 1 }));
}

void AlbumTimeline::mouseWheelMove (const juce::MouseEvent& e, const juce::MouseWheelDetails& wheel)
{
    if (e.mods.isShiftDown() || std::abs (wheel.deltaX) > std::abs (wheel.deltaY))
    {
        const float delta = std::abs (wheel.deltaX) > std::abs (wheel.deltaY) ? wheel.deltaX : wheel.deltaY;
        viewStart -= delta * 200.0 / pixelsPerSecond;
        updateScrollBar();
        repaint();
        return;
    }
    zoomBy (std::exp (wheel.deltaY * 2.0), e.position.x);
}

bool AlbumTimeline::handleKey (const juce::KeyPress& key)
{
    const auto c = key.getTextCharacter();
    if (key.getModifiers().isCommandDown())
        return false;
    if (c == '+' || c == '=')
        zoomBy (1.5, getWidth() / 2.0f);
    else if (c == '-')
        zoomBy (1.0 / 1.5, getWidth() / 2.0f);
    else if (c == 'f' || c == 'F')
        zoomToFit();
    else if (c == 'i' || c == 'I')
        addIndexAtPlayhead();
    else
        return false;
    return true;
}

void AlbumTimeline::timerCallback()
{
    if (shownRevision != workstation.editor().revision())
        refresh();
    if (peaks.finished() != shownPeaks)
        repaint();
    auto& player = workstation.player();
    const auto now = player.position();
    if (now != lastPlayhead && player.sampleRate() > 0.0 && isShowing())
    {
        const auto xOf = [&] (int64_t s) { return (int) xAt ((double) s / player.sampleRate()); };
        if (lastPlayhead >= 0)
            repaint (xOf (lastPlayhead) - 6, 0, 13, getHeight());
        repaint (xOf (now) - 6, 0, 13, getHeight());
        lastPlayhead = now;
    }
}

// ---- notes ---------------------------------------------------------------------------------------

juce::Rectangle<float> AlbumTimeline::noteBounds (int index) const
{
    // A note's mark: a pin (or a span for a range) along the bottom of its track's waveform.
    const auto& s = workstation.session();
    if (! timeline || index < 0 || (size_t) index >= s.notes.size())
        return {};
    const auto& note = s.notes[(size_t) index];
    const int track = session::trackIndex (s, note.trackId);
    if (track < 0 || track >= (int) timeline->tracks().size())
        return {};
    const auto& p = timeline->tracks()[(size_t) track];
    const auto area = waveArea (track);
    const double start = secondsOf (p.start) + note.timeSeconds;
    const float x0 = xAt (start);
    const float x1 = note.endSeconds ? xAt (secondsOf (p.start) + *note.endSeconds) : x0;
    return { x0 - 6.0f, area.getBottom() - 16.0f, juce::jmax (12.0f, x1 - x0 + 12.0f), 16.0f };
}

int AlbumTimeline::noteAt (juce::Point<float> at) const
{
    const auto& notes = workstation.session().notes;
    // The newest on top wins.
    for (int i = (int) notes.size() - 1; i >= 0; --i)
        if (noteBounds (i).contains (at))
            return i;
    return -1;
}

void AlbumTimeline::paintNotes (juce::Graphics& g)
{
    const auto& s = workstation.session();
    for (int i = 0; i < (int) s.notes.size(); ++i)
    {
        const auto& note = s.notes[(size_t) i];
        const auto box = noteBounds (i);
        if (box.isEmpty() || box.getRight() < 0.0f || box.getX() > (float) getWidth())
            continue;
        const int track = session::trackIndex (s, note.trackId);
        const auto wave = waveArea (track);
        auto colour = note.author == session::NoteAuthor::client ? palette::clientNote : palette::engineerNote;
        if (note.done)
            colour = colour.withSaturation (0.15f).withAlpha (0.7f);
        const float x0 = box.getX() + 6.0f, x1 = box.getRight() - 6.0f;
        if (note.endSeconds)
        {
            g.setColour (colour.withAlpha (note.done ? 0.08f : 0.16f));
            g.fillRect (juce::Rectangle<float> (x0, wave.getY(), x1 - x0, wave.getHeight()));
            g.setColour (colour.withAlpha (0.8f));
            g.fillRect (juce::Rectangle<float> (x0, box.getBottom() - 4.0f, x1 - x0, 3.0f));
        }
        g.setColour (colour.withAlpha (0.7f));
        g.drawVerticalLine ((int) x0, wave.getY(), box.getBottom());
        // The pin: the note's number in a disc, filled while open, hollow once done.
        const auto disc = juce::Rectangle<float> (x0 - 7.0f, box.getY(), 14.0f, 14.0f);
        if (note.done)
        {
            g.setColour (palette::panel);
            g.fillEllipse (disc);
            g.setColour (colour);
            g.drawEllipse (disc.reduced (0.5f), 1.2f);
        }
        else
        {
            g.setColour (colour);
            g.fillEllipse (disc);
        }
        g.setColour (note.done ? colour : palette::background);
        g.setFont (fonts::label (10.0f).boldened());
        g.drawText (juce::String (i + 1), disc, juce::Justification::centred);
    }
}

void AlbumTimeline::seekToNote (int index)
{
    const auto& s = workstation.session();
    auto& player = workstation.player();
    if (! timeline || index < 0 || (size_t) index >= s.notes.size() || player.sampleRate() <= 0.0)
        return;
    const auto& note = s.notes[(size_t) index];
    const int track = session::trackIndex (s, note.trackId);
    if (track < 0 || track >= (int) timeline->tracks().size())
        return;
    select (track);
    const double at = secondsOf (timeline->tracks()[(size_t) track].start) + note.timeSeconds;
    player.seek ((int64_t) juce::jmax (0.0, at * player.sampleRate()));
    if (xAt (at) < 0.0f || xAt (at) > (float) getWidth())
    {
        viewStart = at - getWidth() / pixelsPerSecond / 3.0;
        updateScrollBar();
    }
    repaint();
}

juce::String AlbumTimeline::waveformShown (int track) const
{
    bool current = true;
    if (masterOf)
        if (masterOf (track, current) != nullptr)
            return current ? "master" : "master (updating)";
    if (track >= 0 && track < (int) paths.size())
        if (auto table = const_cast<SourcePeaks&> (peaks).find (paths[(size_t) track]);
            table != nullptr && ! table->peaks.empty())
            return "source";
    return {};
}

std::pair<int, double> AlbumTimeline::playheadInTrack() const
{
    auto& player = workstation.player();
    if (! timeline || player.sampleRate() <= 0.0)
        return { -1, 0.0 };
    const double at = (double) player.position() / player.sampleRate();
    const auto& tracks = timeline->tracks();
    for (int i = (int) tracks.size() - 1; i >= 0; --i)
        if (at >= secondsOf (tracks[(size_t) i].start))
            return { at < secondsOf (tracks[(size_t) i].audioEnd) ? i : -1, at - secondsOf (tracks[(size_t) i].start) };
    return { -1, 0.0 };
}

} // namespace crest::app
