#pragma once

#include <array>
#include <cstddef>
#include <vector>

namespace crest::analysis
{

/** True peak per channel, in the manner of ITU-R BS.1770 Annex 2, but finer.

    The signal is interpolated by a polyphase windowed-sinc filter at 8x below 96 kHz, 4x below
    192 kHz and 2x above (BS.1770 asks for 4x; 8x cuts the worst-case under-read from about
    0.6 dB to about 0.15 dB). The phase that lands on the original samples is an exact delta,
    so the true peak never reads below the sample peak.

    Work is skipped where it cannot change an answer: a stretch of 32 samples whose largest
    magnitude, times the filter's gain bound, stays under both the peak so far and full scale
    cannot hold a new maximum or an over. So getPeak() is exact, and getRecentPeak() is exact
    whenever it exceeds full scale or the running maximum (otherwise it is at least the sample
    peak of the stretch). Realtime-safe after prepare(): no allocation, lock or I/O.
*/
class TruePeakMeter
{
public:
    /** The oversampling factor used at a sample rate. */
    static int oversamplingFor (double sampleRate) noexcept;

    /** Designs the interpolator and sizes the buffers. Not realtime-safe. */
    void prepare (double sampleRate, int numChannels);

    /** Forgets all peaks and the filter history. */
    void reset() noexcept;

    /** Measures a block of non-interleaved channels (any length). */
    void process (const float* const* channels, int numSamples) noexcept;

    /** Pushes silence through the interpolator so that the last samples' inter-sample peaks
        are counted. Call once at the end of a file; not needed for live metering. */
    void flush() noexcept;

    /** Largest true peak of a channel since reset(), linear (1.0 == 0 dBTP). */
    float getPeak (int channel) const noexcept { return channelPeaks[(size_t) channel]; }

    /** Largest true peak of a channel since the last call (see the class note on exactness). */
    float takeRecentPeak (int channel) noexcept;

    /** Number of channels prepared. */
    int getNumChannels() const noexcept { return (int) channelPeaks.size(); }

    /** The oversampling factor in use. */
    int getOversampling() const noexcept { return oversampling; }

    /** Taps per polyphase branch. */
    static constexpr int tapsPerPhase = 32;

    /** Phases are computed in one vector of this width (unused lanes hold zeros). */
    static constexpr int lanes = 8;

private:
    static constexpr int stretch = 32;
    static constexpr int history = tapsPerPhase - 1;

    void processChannel (int channel, const float* input, int numSamples) noexcept;

    int oversampling = 8;
    float gainBound = 1.0f;
    alignas (32) std::array<std::array<float, lanes>, tapsPerPhase> coefficients {};
    // At 4x, two output samples share a vector: row j holds the four phases' taps j-1 (lanes
    // 0-3, for sample s) and j (lanes 4-7, for sample s+1), both applied to x[s+1-j].
    alignas (32) std::array<std::array<float, lanes>, tapsPerPhase + 1> pairCoefficients {};
    std::vector<float> channelPeaks, recentPeaks;
    std::vector<std::array<float, history + stretch>> windows; // history, then the new stretch
    std::vector<float> previousStretchMax, currentStretchMax;
    std::vector<int> filled; // samples of the current stretch already in the window
};

} // namespace crest::analysis
