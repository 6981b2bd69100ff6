#pragma once

// The album at a glance, for finding a place and scrubbing to it.
//
// Design note: the peaks come from the source files, read on a worker thread of this view's
// own (cancelled and joined when the programme changes or the view goes), never on the
// message thread and never on the audio thread. The play head and loop region are read from
// the player on a timer; a click or drag only posts a seek.

#include "app/Workstation.h"

#include <atomic>
#include <thread>

namespace crest::app
{

/** The album at a glance: its waveform (peaks per column), track markers with numbers, the
    play head and the loop region. Click or drag to scrub; Shift-drag sets a loop region.

    The peaks are computed on a background thread from the session's files (never on the
    message thread, which would freeze the window for a long album); until they are ready the
    markers and the play head already work. */
class WaveformOverview : public juce::Component, private juce::Timer
{
public:
    explicit WaveformOverview (Workstation&);
    ~WaveformOverview() override;

    /** Starts computing the overview of the programme the player has loaded. */
    void rebuild();

    /** True once the background computation has finished. */
    bool isReady() const noexcept { return ready.load(); }

    /** Waits for the background computation (screenshots). */
    void waitUntilReady (int timeoutMs);

    void paint (juce::Graphics&) override;
    void mouseDown (const juce::MouseEvent&) override;
    void mouseDrag (const juce::MouseEvent&) override;

    static constexpr int columns = 2048;

private:
    void timerCallback() override;
    void seekTo (float x);
    void cancelWorker();

    Workstation& workstation;
    std::thread worker;
    std::atomic<bool> ready { false }, cancel { false };
    std::vector<float> peaks, rms; // written by the worker until `ready`
    std::vector<float> shownPeaks, shownRms; // message thread
    int64_t programmeLength = 0;
    float lastPlayheadX = -1.0f;
};

} // namespace crest::app
