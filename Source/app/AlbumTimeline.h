#pragma once

// The album as a montage: every track's waveform in running order on a time ruler (and a CD
// ruler, MM:SS:FF, when the session delivers a CD), with handles for everything that shapes the
// sequence.
//
// Design note: the view is a picture of the session. It lays the album out with album::Timeline
// (the same positions the renderer, the CUE/DDP writers and the player use) every time the
// document changes, and every gesture goes through album::TimelineEdits, which makes it one
// named undo step and snaps it to CD frames when the session has a CD target; the Workstation
// then hands the edited album to the player, so an edit is heard at once. The view keeps no
// copy of the album that could go stale; during a drag it only remembers where the drag began.
//
// A clip's waveform is its processed master (after the chain, in the master colour) once the
// track has been played or rendered (masterOf, filled by the album view from MasterChecks), and
// its source's until then (in the unprocessed colour, trimmed, gained and faded exactly as
// Fades.h applies them, so a fade is drawn as it sounds). Source peaks come from a background
// thread that reads each source once into a table of peaks. The message thread reads only each
// source's header, once (rate and length, for the layout), never its audio; until a table is
// ready the clip is drawn without its waveform. A tag in the clip's corner says which is shown.
//
// Mouse, on a clip: drag its title bar to reorder; drag its body sideways for the spacing before
// it (right: a longer gap; left past zero: a crossfade); drag the small squares at its top
// corners for the fade lengths; drag its lower edges to trim; drag the gain line up or down;
// right-click for fade and crossfade curves and more (removing the track too); double-click to
// play it from its start. In the marker strip: drag INDEX 00 (the pregap) and INDEX 02+,
// double-click to add an index. On the rulers: click to seek. Wheel zooms about the mouse;
// Shift+wheel scrolls. Keys (when it has focus, or forwarded): + and -
// zoom, F fits the album, I adds an index at the play head.

#include "album/MasterCheck.h"
#include "album/Timeline.h"
#include "album/TimelineEdits.h"
#include "app/PerFileWork.h"
#include "app/Workstation.h"

#include <map>
#include <memory>
#include <optional>

namespace crest::app
{

/** A source's peaks: the largest absolute sample of each channel-mixed block. */
struct SourcePeakTable
{
    double sampleRate = 0.0;
    int64_t lengthInSamples = 0;
    std::vector<float> peaks;
};

/** Peaks of source files, read on a background thread (one table per file). */
class SourcePeaks : public PerFileWork<SourcePeakTable>
{
public:
    using Table = SourcePeakTable;

    /** Samples per peak. */
    static constexpr int samplesPerPeak = 256;

    SourcePeaks();
    ~SourcePeaks() override;

private:
    std::shared_ptr<const Table> compute (const std::string& path) override;
};

/** The album timeline. */
class AlbumTimeline : public juce::Component, private juce::Timer, private juce::ChangeListener, private juce::ScrollBar::Listener
{
public:
    AlbumTimeline (Workstation&, album::TimelineEdits&);
    ~AlbumTimeline() override;

    /** The selected track (0-based, -1: none) and a callback when the user selects another. */
    int selectedTrack = 0;
    std::function<void (int)> onSelect;

    /** Shows the whole album in the view's width. */
    void zoomToFit();

    /** Shows album seconds [from, to) in the view's width. */
    void showRange (double from, double to);

    /** Where a track's fade handle is drawn, in this view's coordinates (for a test's mouse). */
    juce::Point<float> fadeHandle (int track, album::FadeEnd end) const;

    /** Where a test's mouse takes a track's title bar (to reorder it). */
    juce::Point<float> titleBar (int track) const;

    /** Where a test's mouse takes a track's body (its spacing: gap or crossfade), clear of the
        gain line, the fade handles and the trim edges. */
    juce::Point<float> bodyGrip (int track) const;

    /** Where a test's mouse takes an index marker: INDEX 00 (`index` -1) or extra index
        `index` (0: INDEX 02) of a track. */
    juce::Point<float> indexMarker (int track, int index) const;

    /** Pixels per second at the present zoom. */
    double zoom() const noexcept { return pixelsPerSecond; }

    /** Selects a track (the inspector follows). */
    void select (int track);

    /** Zooms by `factor` (more than 1: in) about the view x position `aboutX`. */
    void zoomBy (double factor, float aboutX);

    /** Handles the timeline's keys (+, -, F, I); returns true when it used the key. */
    bool handleKey (const juce::KeyPress&);

    /** Adds an index point at the play head, to the track playing there. */
    void addIndexAtPlayhead();

    /** The album as laid out for the document as it is now (laid out again first if the
        document changed since), if it could be. */
    const std::optional<album::Timeline>& layout()
    {
        if (shownRevision != workstation.editor().revision())
            refresh();
        return timeline;
    }

    /** Each track's source, resolved against the session's folder, in running order. */
    const std::vector<std::string>& sourcePaths() const noexcept { return paths; }

    /** A mark drawn on a clip (a finding): where in the source, its colour and what it says. */
    struct Mark
    {
        double sourceSeconds = 0.0;
        juce::Colour colour;
        juce::String text;
    };

    /** The marks of a track (0-based), or empty; the findings panel provides them. */
    std::function<std::vector<Mark> (int track)> marksOf;

    /** The rendered master of a track (0-based), or nullptr when it has not been rendered; sets
        `current` false when the session has changed since (a new render is on its way). */
    std::function<std::shared_ptr<const album::MasterCheck> (int track, bool& current)> masterOf;

    /** What a clip's waveform shows now (for tests and screenshots): "master", "master
        (updating)", "source" or "" when nothing is drawn yet. */
    juce::String waveformShown (int track) const;

    /** Plays from a source time of a track (a finding's time), when that time is not trimmed away. */
    void seekToSourceTime (int track, double sourceSeconds);

    /** Plays from a note's place (its track and time from the track's start); 0-based index. */
    void seekToNote (int note);

    /** The track under the play head (0-based) and the play head's seconds from its start;
        track -1 when it is in no track. */
    std::pair<int, double> playheadInTrack() const;

    /** Called when a note's mark on the timeline is clicked (its index in the session). */
    std::function<void (int note)> onNoteClicked;

    /** Waits until every source's peaks are read (screenshots). */
    void waitForWaveforms (int timeoutMs);

    /** Brings the layout up to date with the document now (screenshots; normally on change). */
    void refresh();

    void paint (juce::Graphics&) override;
    void resized() override;
    void mouseMove (const juce::MouseEvent&) override;
    void mouseDown (const juce::MouseEvent&) override;
    void mouseDrag (const juce::MouseEvent&) override;
    void mouseUp (const juce::MouseEvent&) override;
    void mouseDoubleClick (const juce::MouseEvent&) override;
    void mouseWheelMove (const juce::MouseEvent&, const juce::MouseWheelDetails&) override;
    bool keyPressed (const juce::KeyPress& key) override { return handleKey (key); }

private:
    /** What is under the mouse. */
    enum class Part
    {
        nothing,
        ruler,
        header,
        body,
        fadeIn,
        fadeOut,
        trimIn,
        trimOut,
        gain,
        pregap,
        index
    };
    struct Hit
    {
        Part part = Part::nothing;
        int track = -1;
        int index = -1; ///< which extra index point, for Part::index
    };

    void timerCallback() override;
    void changeListenerCallback (juce::ChangeBroadcaster*) override;
    void scrollBarMoved (juce::ScrollBar*, double newRangeStart) override;
    void updateLayout();
    void updateScrollBar();
    Hit partAt (juce::Point<float>) const;
    void showMenu (const Hit&, const juce::MouseEvent&);
    void seekToX (float x);
    void edited (bool ok);

    // Geometry
    double secondsAt (float x) const noexcept { return viewStart + (x - (float) lanesLeft()) / pixelsPerSecond; }
    float xAt (double seconds) const noexcept { return (float) lanesLeft() + (float) ((seconds - viewStart) * pixelsPerSecond); }
    float xAtSample (int64_t sample) const noexcept;
    double secondsOf (int64_t sample) const noexcept;
    int lanesLeft() const noexcept { return 0; }
    juce::Rectangle<int> timeRuler() const;
    juce::Rectangle<int> cdRuler() const;
    juce::Rectangle<int> markerStrip() const;
    juce::Rectangle<int> lane (int which) const;
    juce::Rectangle<float> clipBounds (int track) const;
    juce::Rectangle<float> waveArea (int track) const;
    float gainY (int track, double db) const;
    double gainAtY (int track, float y) const;
    double albumSeconds() const noexcept;
    bool showsCdRuler() const noexcept;

    void paintRulers (juce::Graphics&);
    void paintClip (juce::Graphics&, int track);
    void paintMarkers (juce::Graphics&);
    void paintNotes (juce::Graphics&);
    int noteAt (juce::Point<float>) const;
    juce::Rectangle<float> noteBounds (int note) const;
    void paintFadeCurve (juce::Graphics&, int track, bool in);

    Workstation& workstation;
    album::TimelineEdits& edits;
    SourcePeaks peaks;
    std::optional<album::Timeline> timeline;
    std::string layoutProblem;
    std::map<std::string, engine::AudioFileInfo> infos; // by the source as the session holds it
    std::vector<std::string> paths; // each track's source, resolved
    uint64_t shownRevision = ~0ull;
    int shownPeaks = -1;

    double pixelsPerSecond = 10.0, viewStart = 0.0;
    bool fitted = false, userZoomed = false;
    juce::ScrollBar scrollBar { false };

    // The drag in progress.
    Hit drag;
    double dragStartValue = 0.0;
    float dragStartX = 0.0f, dragStartY = 0.0f;
    bool dragged = false;
    int64_t lastPlayhead = -1;
};

} // namespace crest::app
