#pragma once

// The transport: the one place that starts, stops, loops and moves the play head.
//
// Design note: every command goes to the Workstation, which sets the player's transport atomics
// (read by the audio thread at its next block); the bar never waits for the player to act. What
// it shows (position, track) it reads back from the player on its own 20 Hz timer, so the
// figures are what is being heard, not what was last asked for.

#include "app/Workstation.h"

namespace crest::app
{

/** Play, stop and loop, the play position in large figures, the track playing, and the way to
    the audio settings. Keyboard: space plays/stops, Home goes to the start, left/right move
    5 s (1 s with Shift), up/down go to the previous/next track, 1-9 jump to a track. */
class TransportBar : public juce::Component, private juce::Timer
{
public:
    explicit TransportBar (Workstation&);

    /** Handles the transport keys; returns true when the key was one of them. */
    bool handleKey (const juce::KeyPress&);

    /** Shows the play position and track now (the timer does this 20 times a second). */
    void update();

    /** Opens the audio device settings. */
    std::function<void()> onSettings;

    void paint (juce::Graphics&) override;
    void resized() override;

private:
    void timerCallback() override { update(); }
    void togglePlay();

    Workstation& workstation;
    juce::TextButton playButton { "Play" }, stopButton { "Stop" }, loopButton { "Loop" }, homeButton { "|<" },
        settingsButton { "Audio..." };
    juce::String shownTime, shownTrack;
};

} // namespace crest::app
