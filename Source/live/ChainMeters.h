#pragma once

// The meter bridge's two points: the chain's input and its output, each a LiveMeter publishing
// MeterSnapshots for the display (see LiveMeter.h and MeterSnapshot.h).
//
// Design note: both meters run on the audio thread, and only while the programme sounds (a
// stopped player leaves the readings where they were). The output meter measures the master
// exactly as a render would produce it: nothing after it (references, monitor checks, platform
// preview) is metered. The stages after it read the master's loudness through MasterReading:
// the reference player matches references to it, the platform preview computes its gain from it.
// Integrated loudness is a histogram walk, so it is refreshed at the meter's 10 Hz loudness
// steps (not per block) and published in atomics the message thread may read too.

#include "analysis/LoudnessMeter.h"
#include "live/MeterSnapshot.h"

#include <atomic>
#include <memory>
#include <optional>

namespace crest::live
{

class LiveMeter;

/** What the output meter has measured of the master, for the stages after it. */
struct MasterReading
{
    std::optional<float> integratedLufs; ///< since the last reset, refreshed at 10 Hz
    float truePeakDb = -200.0f; ///< largest true peak since the last reset, refreshed with it
    /** The output meter's loudness, for short-term loudness now (asked only by whoever needs
        it: it is a 3 s window sum). Audio thread; nullptr when there is none. */
    const analysis::LoudnessMeter* loudness = nullptr;
};

/** Meters the chain's input and output and publishes their snapshots. */
class ChainMeters
{
public:
    ChainMeters();
    ~ChainMeters();

    /** Sizes both meters (message thread, audio held off). */
    void prepare (double sampleRate, int maxBlockSize);

    /** Measures the chain's input / output (the master). Audio thread. */
    void measureInput (const float* left, const float* right, int numSamples) noexcept;
    void measureOutput (const float* left, const float* right, int numSamples) noexcept;

    /** The master as measured so far. Audio thread. */
    MasterReading master() const noexcept;

    /** The master's integrated loudness and true peak as last published (empty integrated
        loudness before the first reading). Any thread. */
    std::optional<float> masterIntegratedLufs() const noexcept;
    float masterTruePeakDb() const noexcept { return outputTruePeakDb.load(); }

    /** The newest snapshot of the input / output (see MeterSnapshotBuffer::read). Message thread. */
    bool readInput (MeterSnapshot& into) noexcept { return inputSnapshots->read (into); }
    bool readOutput (MeterSnapshot& into) noexcept { return outputSnapshots->read (into); }

    /** The newest snapshots without copying (valid until the next read on this thread). Message thread. */
    const MeterSnapshot& latestInput() noexcept { return inputSnapshots->latest(); }
    const MeterSnapshot& latestOutput() noexcept { return outputSnapshots->latest(); }

    /** Resets everything measured by both meters at the next block. Any thread. */
    void requestReset() noexcept;

    /** Clip threshold (dBTP) and spectrum options, for both meters (see LiveMeter). Any thread. */
    void setClipThreshold (float dbtp) noexcept;
    void setSpectrumOptions (float averagingSeconds, float slopeDbPerOctave, float peakFallDbPerSecond) noexcept;

private:
    std::unique_ptr<LiveMeter> inputMeter, outputMeter;
    std::unique_ptr<MeterSnapshotBuffer> inputSnapshots, outputSnapshots;
    std::atomic<float> outputIntegratedLufs { 0.0f }, outputTruePeakDb { -200.0f };
    std::atomic<bool> outputHasIntegrated { false };
};

} // namespace crest::live
