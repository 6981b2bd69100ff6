#pragma once

#include "analysis/LoudnessMeter.h"
#include "dsp/LinearSmoother.h"
#include "dsp/RealtimeMailbox.h"
#include "dsp/RetireQueue.h"
#include "engine/ProcessingChain.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace crest::live
{

/** Runs the mastering chain live and lets the user change it while audio plays.

    Design: the message thread builds a complete new engine::ProcessingChain (add, remove, reorder,
    bypass, a latency-changing parameter) and posts it through a single-slot atomic mailbox. The
    audio thread picks it up at a block start and first primes it: a new chain starts empty, and
    one with latency (a linear-phase EQ holds about 8,800 samples) would otherwise play that much
    silence. So the host keeps a preallocated history of its recent input (the longest latency it
    accepts plus a settling time) and feeds the new chain the last (its latency + primeSeconds)
    of it, output discarded, while the old chain goes on playing. Priming is spread over a few
    callbacks (at most primeBlocksPerCallback extra blocks each, so one callback never runs a
    long burst), catching up with the live input; once it has, the host crossfades from the old
    chain to the new over 30 ms with both running on the same input. The crossfade law follows
    what is mixed: equal gain when the two latencies match (the outputs are the same programme,
    correlated), equal power when they differ (the two outputs are then different moments of the
    programme, uncorrelated, and an equal-gain mix would dip 3 dB at its middle).

    Latency compensation: latencySamples() is the latency of what is heard (the old chain's until
    the crossfade's midpoint, the new one's after), so a playhead drawn at "input position minus
    latency" shows the moment the listener hears; a change of latency is a jump of that many
    samples, made inside the crossfade, never a stretch of silence. The retired chain goes back
    through a lock-free queue and is freed by the message thread in collectGarbage(). The audio
    thread never allocates, frees, locks or waits.

    Bypass-compare: the unprocessed signal is delayed by the chain's latency (time-aligned) and,
    with loudness matching on, scaled by the difference of the two signals' short-term loudness
    (BS.1770, 3 s), so the comparison is about the processing, not the level.
*/
class ChainHost
{
public:
    /** Longest chain latency the compare path can align (samples at the prepared rate). */
    static constexpr double maximumLatencySeconds = 1.0;

    /** Input a new chain is fed beyond its latency before it is heard, so its envelopes
        (limiter, compressors) have settled to what they would be had it always been running. */
    static constexpr double primeSeconds = 0.25;

    /** Extra blocks of history a priming chain may process per callback (its CPU cost while
        priming is at most this many times a running chain's). */
    static constexpr int primeBlocksPerCallback = 4;

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

    /** A fresh start, as a render's per-track chain has: takes a posted chain at once (no
        crossfade), ends any crossfade, and clears the chain's signal memory and the compare
        path's delay. Audio thread, between blocks (the player's TrackChains, as a track begins). */
    void reset() noexcept;

    /** For a host that is not processing (its track is not playing): takes a posted chain at
        once, so the message thread can post the next. Cheap (one atomic exchange when nothing
        is posted). Audio thread. */
    void takePosted() noexcept;

    /** Processes a stereo block in place. Audio thread. */
    void process (float* left, float* right, int numSamples) noexcept;

    /** Listens to the unprocessed (true) or processed (false) signal. Any thread. */
    void setCompareUnprocessed (bool unprocessed) noexcept { compareUnprocessed.store (unprocessed); }

    /** Matches the unprocessed signal's loudness to the processed one while comparing. */
    void setLoudnessMatch (bool on) noexcept { loudnessMatch.store (on); }

    /** The gain (dB) applied to the unprocessed signal by loudness matching right now. */
    float matchGainDb() const noexcept { return currentMatchDb.load(); }

    /** Latency of what is heard, in samples: the running chain's, or during a crossfade the
        chain that dominates the mix (audio thread's view). */
    int latencySamples() const noexcept { return runningLatency.load(); }

    /** True from the moment a posted chain is taken until it is fully heard (priming and
        crossfading). Any thread. */
    bool isChanging() const noexcept { return changing.load(); }

private:
    double sampleRate = 48000.0;
    int maxBlockSize = 0;

    dsp::RealtimeMailbox<engine::ProcessingChain> mailbox;
    engine::ProcessingChain* current = nullptr;  // audio thread
    engine::ProcessingChain* fadingOut = nullptr; // audio thread, during a crossfade
    engine::ProcessingChain* priming = nullptr;   // audio thread, fed history before it is heard
    int64_t primeCursor = 0;                      // next history sample (absolute) the priming chain takes
    bool equalPowerFade = false;
    std::atomic<bool> changing { false };
    engine::ProcessingChain* latestPosted = nullptr;
    std::vector<std::unique_ptr<engine::ProcessingChain>> owned; // message thread: every chain not yet freed

    // With one change in flight at a time the queue holds at most a chain or two; when the
    // message thread stops collecting and it fills, a retired chain stays in `owned` until
    // the host is destroyed.
    dsp::RetireQueue<engine::ProcessingChain, 32> retired;

    dsp::LinearSmoother crossfade, compareMix, matchGain;
    std::vector<float> inLeft, inRight, oldLeft, oldRight, dryLeft, dryRight;
    // The input history: the compare path's delay line and the priming source, one ring.
    std::vector<float> historyLeft, historyRight, primeLeft, primeRight;
    int64_t written = 0; // input samples written to the history so far

    void primeFromHistory (int64_t blockStart) noexcept;
    std::atomic<int> runningLatency { 0 };

    analysis::LoudnessMeter inputLoudness, outputLoudness;
    std::atomic<bool> compareUnprocessed { false }, loudnessMatch { true };
    std::atomic<float> currentMatchDb { 0.0f };
};

} // namespace crest::live
