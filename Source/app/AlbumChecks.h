#pragma once

// What `crest check` finds in each track, and how loud each track is, shown beside the timeline.
//
// Design note: each track's source is analysed once (engine::analyseFile, the same pass `crest
// check` makes) on a background thread of its own; the message thread only reads finished
// results. The findings panel lists them with their severity, sentence and time (a click plays
// from there and selects the track; the timeline marks them on the clips). The loudness overview
// charts integrated loudness, loudness range, true peak and PLR per track, the album's spread and
// the chosen platform's target, and offers to conform the tracks as one undoable gain change
// (album/LoudnessConform).
//
// The findings panel also lists the master's findings after the chain (album::checkMaster:
// over-limiting, inter-sample overs, clipping), for each track played or rendered, updated after
// each render (MasterChecks, its own background thread). The loudness overview's figures are the
// sources' with each track's gain offset added (exact for that gain stage, before any chain),
// and it says so.

#include "album/TimelineEdits.h"
#include "analysis/MixCheck.h"
#include "app/AlbumTimeline.h"
#include "app/MasterChecks.h"
#include "app/PerFileWork.h"
#include "app/Workstation.h"
#include "engine/FileAnalysis.h"

#include <map>
#include <memory>

namespace crest::app
{

/** One source's analysis and findings. */
struct TrackCheckResult
{
    std::string error; ///< why the file could not be analysed (empty: it was)
    std::optional<engine::FileAnalysis> analysis;
    std::vector<analysis::Finding> findings;
};

/** Each source analysed in the background, as `crest check` analyses it. */
class TrackChecks : public PerFileWork<TrackCheckResult>
{
public:
    using Result = TrackCheckResult;

    TrackChecks();
    ~TrackChecks() override;

private:
    std::shared_ptr<const Result> compute (const std::string& path) override;
};

/** The findings of every track's source, most serious first within each track, then those of
    each rendered master after the chain. */
class FindingsPanel : public juce::Component,
                      public juce::SettableTooltipClient,
                      private juce::Timer,
                      private juce::ChangeListener
{
public:
    FindingsPanel (Workstation&, TrackChecks&, MasterChecks&, AlbumTimeline&);
    ~FindingsPanel() override;

    void paint (juce::Graphics&) override;
    void mouseDown (const juce::MouseEvent&) override;
    void mouseMove (const juce::MouseEvent&) override;

    /** The height its rows need. */
    int preferredHeight() const;

    /** The master findings listed now, as "T<track> <code>" (tests and screenshots). */
    juce::StringArray masterFindingCodes() const;

    /** Renders the masters of every track ("Render masters"). */
    juce::TextButton renderButton { "Render masters" };
    void resized() override;

    /** Rebuilds the rows from the results now. */
    void refresh();

private:
    struct Row
    {
        int track = 0;
        analysis::Finding finding;
        bool ofMaster = false; ///< a finding of the master after the chain (its time from the track's start)
        juce::String heading; ///< not a finding: a section's heading or a note (when not empty)
        int top = 0, height = 0; ///< where it is drawn
    };
    int rowAt (int y) const;
    void timerCallback() override;
    void changeListenerCallback (juce::ChangeBroadcaster*) override;

    Workstation& workstation;
    TrackChecks& checks;
    MasterChecks& masters;
    AlbumTimeline& timeline;
    std::vector<Row> rows;
    int pending = 0, shownFinished = -1, shownMasters = -1, hover = -1;
    uint64_t shownRevision = ~0ull;
};

/** Integrated loudness, LRA, true peak and PLR per track, with the album's spread and the
    platform target, and the conform actions. */
class LoudnessOverview : public juce::Component, private juce::Timer, private juce::ChangeListener
{
public:
    LoudnessOverview (Workstation&, TrackChecks&, album::TimelineEdits&, AlbumTimeline&);
    ~LoudnessOverview() override;

    void paint (juce::Graphics&) override;
    void resized() override;
    void mouseDown (const juce::MouseEvent&) override;

    /** Which tracks keep their level when conforming to the album (click a column). */
    std::vector<bool> keep;

private:
    void timerCallback() override;
    void changeListenerCallback (juce::ChangeBroadcaster*) override;
    std::vector<std::optional<double>> measuredLufs() const;
    juce::Rectangle<int> chartArea() const;

    Workstation& workstation;
    TrackChecks& checks;
    album::TimelineEdits& edits;
    AlbumTimeline& timeline;
    juce::TextButton toTarget { "Conform all to target" }, toAlbum { "Conform to album" };
    int shownFinished = -1;
};

} // namespace crest::app
