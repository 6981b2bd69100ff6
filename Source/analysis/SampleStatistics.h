#pragma once

#include <cstdint>
#include <vector>

namespace crest::analysis
{

/** What the samples themselves say, per channel: peak, DC, RMS, clipping, non-finite values,
    where the programme starts and ends, how the edges begin, and how many bits carry audio.

    Clipping is counted as runs of at least `minimumClipRun` consecutive samples at or above
    the full-scale threshold (a single full-scale sample is a legitimate peak; three in a row
    is a flattened waveform). Realtime-safe after prepare().
*/
class SampleStatistics
{
public:
    /** Samples at or above this magnitude are "at full scale" (within half an LSB at 16 bits). */
    static constexpr float fullScale = 32766.5f / 32768.0f;

    /** Consecutive full-scale samples that make a clip. */
    static constexpr int minimumClipRun = 3;

    /** Samples below this magnitude count as silence for the programme's start and end. */
    static constexpr float silenceThreshold = 0.0003162f; // -70 dBFS

    /** Replaces NaN and infinite samples by zero in place; returns how many there were and,
        when `firstIndex` is given, sets it to the first one's index (or leaves it alone). */
    static int64_t replaceNonFinite (float* samples, int numSamples, int* firstIndex = nullptr) noexcept;

    /** Per-channel figures. */
    struct Channel
    {
        float peak = 0.0f;                   ///< largest magnitude
        double sum = 0.0, sumOfSquares = 0.0; ///< for DC offset and RMS
        int64_t clippedSamples = 0;          ///< samples inside clip runs
        int64_t clipRuns = 0;                ///< number of clip runs
        int64_t firstClipSample = -1;        ///< start of the first clip run
        int currentRun = 0;
        int64_t currentRunStart = 0;
        uint32_t usedBits = 0;               ///< OR of the samples as 24-bit integers
        bool fractionalBeyond24 = false;     ///< a sample is not a multiple of 2^-23
    };

    /** Prepares for a channel count and sample rate (the edges are 5 ms). */
    void prepare (double sampleRate, int numChannels);

    /** Forgets everything. */
    void reset() noexcept;

    /** Measures a block of non-interleaved, finite samples. */
    void process (const float* const* channels, int numSamples) noexcept;

    /** Per-channel results. */
    const std::vector<Channel>& channels() const noexcept { return perChannel; }

    /** Samples seen since reset(). */
    int64_t length() const noexcept { return samplesSeen; }

    /** First sample (any channel) above the silence threshold, or -1 when all silent. */
    int64_t firstAudibleSample() const noexcept { return firstAudible; }

    /** Last sample (any channel) above the silence threshold, or -1 when all silent. */
    int64_t lastAudibleSample() const noexcept { return lastAudible; }

    /** Largest magnitude within the first 5 ms (an abrupt start clicks). */
    float headPeak() const noexcept { return head; }

    /** Largest magnitude within the last 5 ms seen (an abrupt end clicks). */
    float tailPeak() const noexcept;

    /** Bits that carry audio, as a 24-bit integer view sees them (16 for a 16-bit mix padded
        into 24 bits); 0 for silence, 25 when samples are finer than 24-bit. */
    int effectiveBits() const noexcept;

private:
    void countClips (Channel& channel, const float* samples, int numSamples) noexcept;

    std::vector<Channel> perChannel;
    int64_t samplesSeen = 0, firstAudible = -1, lastAudible = -1;
    int edgeLength = 240;
    float head = 0.0f;
    std::vector<float> tailRing; // max magnitude over channels for the last edgeLength samples
    int tailHead = 0;
};

} // namespace crest::analysis
