#pragma once

#include "analysis/LoudnessMeter.h"
#include "dsp/LinearSmoother.h"
#include "dsp/RealtimeMailbox.h"
#include "dsp/RetireQueue.h"
#include "engine/ProcessingChain.h"

#include <atomic>
#include <memory>
#include <vector>

namespace crest::live
{

/** Runs the mastering chain live and lets the user change it while audio plays.

    Design: the message thread builds a complete new engine::ProcessingChain (add, remove, reorder,
    a latency-changing parameter) and posts it through a single-slot atomic mailbox. The audio
    thread picks it up at a block start and crossfades from the old chain to the new one over
    30 ms (both run during the fade, fed the same input), so neither a reorder nor a latency
    change clicks. The retired chain goes back through a lock-free queue and is freed by the
    message thread in collectGarbage(). The audio thread never allocates, frees, locks or waits.

    Bypass-compare: the unprocessed signal is delayed by the chain's latency (time-aligned) and,
    with loudness matching on, scaled by the difference of the two signals' short-term loudness
    (BS.1770, 3 s), so the comparison is about the processing, not the level.
*/
class ChainHost
{
public:
    /** Longest chain latency the compare path can align (samples at the prepared rate). */
    static constexpr double maximumLatencySeconds = 1.0;

    ChainHost();
    ~ChainHost();

    /** Prepares for a rate and a largest block. Message thread, before audio starts. */
    void prepare (double sampleRate, int maxBlockSize);

    /** Builds a chain from a description and posts it to the audio thread. Returns false and
        sets `error` when it cannot be built, or when the previous change is still pending
        (then call collectGarbage() and try again a moment later). Message thread. */
    bool setChain (const engine::ChainDescription& description, std::string& error);

    /** Frees chains the audio thread has retired. Message thread (e.g. on a timer). */
    void collectGarbage();

    /** The chain most recently posted (for parameter edits; it stays alive until replaced
        and collected). Message thread. */
    engine::ProcessingChain* editableChain() const noexcept { return latestPosted; }

    /** Processes a stereo block in place. Audio thread. */
    void process (float* left, float* right, int numSamples) noexcept;

    /** Listens to the unprocessed (true) or processed (false) signal. Any thread. */
    void setCompareUnprocessed (bool unprocessed) noexcept { compareUnprocessed.store (unprocessed); }

    /** Matches the unprocessed signal's loudness to the processed one while comparing. */
    void setLoudnessMatch (bool on) noexcept { loudnessMatch.store (on); }

    /** The gain (dB) applied to the unprocessed signal by loudness matching right now. */
    float matchGainDb() const noexcept { return currentMatchDb.load(); }

    /** Latency of the running chain in samples (audio thread's view). */
    int latencySamples() const noexcept { return runningLatency.load(); }

private:
    double sampleRate = 48000.0;
    int maxBlockSize = 0;

    dsp::RealtimeMailbox<engine::ProcessingChain> mailbox;
    engine::ProcessingChain* current = nullptr;  // audio thread
    engine::ProcessingChain* fadingOut = nullptr; // audio thread, during a crossfade
    engine::ProcessingChain* latestPosted = nullptr;
    std::vector<std::unique_ptr<engine::ProcessingChain>> owned; // message thread: every chain not yet freed

    // With one change in flight at a time the queue holds at most a chain or two; when the
    // message thread stops collecting and it fills, a retired chain stays in `owned` until
    // the host is destroyed.
    dsp::RetireQueue<engine::ProcessingChain, 32> retired;

    dsp::LinearSmoother crossfade, compareMix, matchGain;
    std::vector<float> inLeft, inRight, oldLeft, oldRight, dryLeft, dryRight;
    std::vector<float> delayLeft, delayRight;
    int delayPosition = 0;
    std::atomic<int> runningLatency { 0 };

    analysis::LoudnessMeter inputLoudness, outputLoudness;
    std::atomic<bool> compareUnprocessed { false }, loudnessMatch { true };
    std::atomic<float> currentMatchDb { 0.0f };
};

} // namespace crest::live
