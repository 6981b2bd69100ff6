#pragma once

// The Album tab: the timeline across the top, the track and album inspectors beside it, and
// the tools that judge the sequence (zoom, play transitions).
//
// Design note: it owns the album::TimelineEdits that the timeline and both inspectors share (so
// their edits are checked against the same source information), and the follower that plays
// transitions; everything else it shows is the session, read fresh after each change.
// "Play transitions" is driven from this view's timer: the follower (live/TransitionPlan, tested
// without audio) says when to seek to the next stretch or stop.

#include "app/AlbumChecks.h"
#include "app/AlbumInspector.h"
#include "app/AlbumTimeline.h"
#include "app/NotesPanel.h"
#include "app/VersionsPanel.h"
#include "live/TransitionPlan.h"

#include <memory>

namespace crest::app
{

/** The Album tab. */
class AlbumView : public juce::Component, private juce::Timer
{
public:
    explicit AlbumView (Workstation&);
    ~AlbumView() override;

    /** Starts (or stops, when running) playing the transitions of the album. */
    void togglePlayTransitions();

    /** True while transitions are playing. */
    bool playingTransitions() const noexcept { return follower != nullptr; }

    /** Handles the album's keys: T plays transitions, C flips the version comparison, N adds a
        note at the play head, the timeline's keys otherwise. */
    bool handleKey (const juce::KeyPress&);

    /** The pages beside the timeline. */
    enum class Page
    {
        track = 0,
        album,
        loudness,
        findings,
        versions,
        notes
    };

    /** Shows a page beside the timeline. */
    void showPage (Page);

    void paint (juce::Graphics&) override;
    void resized() override;

    Workstation& workstation;
    album::TimelineEdits edits;
    AlbumTimeline timeline;
    TrackInspector trackInspector;
    AlbumInspector albumInspector;
    TrackChecks checks;
    MasterChecks masters;
    FindingsPanel findings;
    LoudnessOverview loudness;
    VersionsPanel versions;
    NotesPanel notes;

private:
    void timerCallback() override;
    void updateTransitionButton();

    juce::TabbedComponent inspectors { juce::TabbedButtonBar::TabsAtTop };
    juce::Viewport trackPage, albumPage, findingsPage, versionsPage, notesPage;
    juce::TextButton zoomOut { "-" }, zoomIn { "+" }, fit { "Fit" }, transitions { "Play transitions" };
    juce::Slider transitionSeconds;
    juce::Label transitionLabel, hint, snapLabel;
    std::unique_ptr<live::TransitionFollower> follower;
    bool sawPlaying = false;
};

} // namespace crest::app
