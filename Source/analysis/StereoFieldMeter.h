#pragma once

#include "dsp/Biquad.h"

#include <array>
#include <cstdint>
#include <optional>

namespace crest::analysis
{

/** The stereo picture of the first two channels: phase correlation (overall and its worst
    400 ms window), side-to-mid energy (width), left/right balance, and what a mono fold-down
    loses, over the full band and below 150 Hz where mono compatibility matters most.

    Correlation is the normalised cross-correlation sum(LR) / sqrt(sum(LL) sum(RR)): +1 for
    identical channels, -1 for inverted ones, about 0 for unrelated ones. Windows quieter than
    -70 dBFS are not counted towards the minimum (silence has no phase). Realtime-safe.
*/
class StereoFieldMeter
{
public:
    /** Frequency below which the low-band figures are taken. */
    static constexpr double lowBandHz = 150.0;

    /** Prepares for a sample rate. Not realtime-safe. */
    void prepare (double sampleRate);

    /** Forgets everything. */
    void reset() noexcept;

    /** Measures a block of a left and a right channel. */
    void process (const float* left, const float* right, int numSamples) noexcept;

    /** Overall correlation; empty when either channel is silent. */
    std::optional<double> correlation() const noexcept { return correlationOf (total); }

    /** Correlation below lowBandHz; empty when that band is silent. */
    std::optional<double> lowBandCorrelation() const noexcept { return correlationOf (lowTotal); }

    /** Lowest correlation of any 400 ms window (100 ms steps); empty when none qualified. */
    std::optional<double> minimumCorrelation() const noexcept { return minimum; }

    /** Start of the window with the lowest correlation, in samples. */
    int64_t minimumCorrelationSample() const noexcept { return minimumAt; }

    /** Correlation of the 400 ms window that ended with the last completed 100 ms step;
        empty before 400 ms or when that window is silent. */
    std::optional<double> latestWindowCorrelation() const noexcept { return latestWindow; }

    /** Side energy relative to mid energy in dB (-inf for mono; 0 for unrelated channels). */
    std::optional<double> sideToMidDb() const noexcept;

    /** Left energy relative to right energy in dB (positive: leaning left). */
    std::optional<double> balanceDb() const noexcept;

    /** Level change of the mono fold-down (L+R)/2 against the stereo average, in dB:
        0 for identical channels, -3 for unrelated ones, very negative for inverted ones. */
    std::optional<double> monoFoldDownDb() const noexcept { return foldDownOf (total); }

    /** The same, below lowBandHz. */
    std::optional<double> lowBandMonoFoldDownDb() const noexcept { return foldDownOf (lowTotal); }

private:
    struct Sums
    {
        double ll = 0.0, rr = 0.0, lr = 0.0;
        void add (const Sums& o) noexcept { ll += o.ll; rr += o.rr; lr += o.lr; }
    };

    static std::optional<double> correlationOf (const Sums& s) noexcept;
    static std::optional<double> foldDownOf (const Sums& s) noexcept;
    void completeStep() noexcept;

    double sampleRate = 48000.0;
    int64_t samplesSeen = 0, stepStart = 0, nextStepEnd = 0, steps = 0;
    Sums total, lowTotal, step;
    std::array<Sums, 4> window {};
    std::array<int64_t, 4> windowStarts {};
    dsp::Biquad lowLeft[2], lowRight[2];
    int decimation = 1, pendingCount = 0;
    double pendingLeft = 0.0, pendingRight = 0.0;
    std::optional<double> minimum, latestWindow;
    int64_t minimumAt = 0;
};

} // namespace crest::analysis
