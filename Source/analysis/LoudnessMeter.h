#pragma once

#include "analysis/LoudnessHistogram.h"
#include "dsp/KWeightingFilter.h"

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace crest::analysis
{

/** Loudness of the last moment, as a meter shows it. Empty optionals mean "not enough
    audio yet" or "below the absolute gate" (silence), never -inf. */
struct LoudnessSnapshot
{
    std::optional<double> momentaryLufs, shortTermLufs, integratedLufs, loudnessRangeLu;
    std::optional<double> momentaryMaxLufs, shortTermMaxLufs;
};

/** Programme loudness per ITU-R BS.1770-4 and EBU R128 / Tech 3341 / Tech 3342.

    Design: the K-weighted, channel-weighted energy is summed over 100 ms steps (step k ends
    at sample round(k * rate / 10), so rates like 11025 Hz stay exact). Momentary loudness is
    the last 4 steps (400 ms, 75 % overlap), short-term the last 30 (3 s, updated at 10 Hz).
    Every momentary block feeds a gating histogram for integrated loudness; every short-term
    value feeds another for the loudness range. Memory is fixed at prepare(): the same object
    serves a realtime meter bridge and a two-hour file.

    Never: allocate, lock or do I/O in process().
*/
class LoudnessMeter
{
public:
    /** Channel weights of BS.1770 for a channel count in WAV/SMPTE order: 1.0 for L, R, C;
        0 for LFE (4th of 6 or 8); 1.41 for surrounds. Mono and stereo are all 1.0. */
    static std::vector<double> defaultChannelWeights (int numChannels);

    /** Prepares for a sample rate and channel count (weights as defaultChannelWeights()). */
    void prepare (double sampleRate, int numChannels);

    /** Prepares with explicit channel weights. Not realtime-safe. */
    void prepare (double sampleRate, const std::vector<double>& channelWeights);

    /** Forgets everything measured; keeps the preparation. */
    void reset() noexcept;

    /** Measures a block of non-interleaved channels, any length. Non-finite samples must
        have been replaced by the caller (see SampleStatistics). */
    void process (const float* const* channels, int numSamples) noexcept;

    /** Samples still to come before the current 100 ms step completes (always >= 1). */
    int samplesUntilStepEnd() const noexcept { return (int) (nextStepEnd - samplesSeen); }

    /** Number of 100 ms steps completed since reset(). */
    int64_t stepsCompleted() const noexcept { return steps; }

    /** Momentary loudness (last 400 ms), empty before 400 ms or when under the gate. */
    std::optional<double> momentaryLufs() const noexcept;

    /** Short-term loudness (last 3 s), empty before 3 s or when under the gate. */
    std::optional<double> shortTermLufs() const noexcept;

    /** Mean-square energy of the last short-term window (for feeding other histograms). */
    std::optional<double> shortTermEnergy() const noexcept;

    /** Everything at once, as a meter bridge reads it. */
    LoudnessSnapshot getSnapshot() const noexcept;

    /** Integrated loudness since reset(). */
    std::optional<double> integratedLufs() const noexcept { return momentaryBlocks.gatedLoudness (-10.0); }

    /** Loudness range since reset(), from every short-term value at 10 Hz. */
    std::optional<double> loudnessRangeLu() const noexcept { return shortTermBlocks.loudnessRange(); }

    /** Sample rate prepared for. */
    double getSampleRate() const noexcept { return sampleRate; }

private:
    static constexpr int shortTermSteps = 30;
    static constexpr int momentarySteps = 4;

    void completeStep() noexcept;
    std::optional<double> windowEnergy (int numSteps) const noexcept;

    double sampleRate = 48000.0;
    std::vector<double> weights;
    std::vector<dsp::KWeightingFilter> filters;

    double stepEnergy = 0.0;
    int64_t samplesSeen = 0, nextStepEnd = 0, steps = 0;
    std::array<double, shortTermSteps> ringEnergy {};
    std::array<int64_t, shortTermSteps> ringSamples {};
    int ringHead = 0;

    std::optional<double> momentaryMax, shortTermMax;
    LoudnessHistogram momentaryBlocks, shortTermBlocks;
};

} // namespace crest::analysis
