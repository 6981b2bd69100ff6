#pragma once

#include "dsp/LinearSmoother.h"
#include "dsp/Oversampler.h"

#include <array>
#include <atomic>
#include <vector>

namespace crest::dsp
{

/** The last stage of a master: a look-ahead true-peak limiter. Its output must never exceed
    the ceiling, inter-sample peaks included, and it must never make a click doing so.

    Design: input gain (smoothed), then two gain stages of the same construction.

    A gain stage, per channel:
      1. detection on an oversampled copy (8x up to 96 kHz, 4x below 200 kHz, 2x above,
         through Oversampler's linear-phase cascade, flat to 0.485 of the rate): for each
         base-rate sample, the largest magnitude of the reconstructed waveform from that sample
         to the next, each local maximum of the oversampled points refined by a parabola (an
         8x grid alone can under-read a peak by 0.17 dB; refined, by a few thousandths);
      2. the gain reduction each sample needs (dB, stereo-linked by the unlink amount), held
         by a sliding maximum over the look-ahead plus a guard of a few samples either side;
      3. release (fixed, or program-dependent: a fast envelope for transients over a slow one
         that charges only under sustained limiting);
      4. two running means whose lengths add up to the look-ahead, so the gain glides down in
         an S-shaped ramp that ends as the peak arrives. A mean of values that are each no
         larger than the held reduction is no larger than it, so every sample gets at most
         the gain it and its neighbours needed;
      5. that gain applied to the delayed signal.

    Why two stages: a gain that moves is a modulation, and the product of a gain curve and a
    signal has inter-sample peaks of its own. With a long look-ahead the gain moves slowly and
    the effect is a few hundredths of a dB; with a short one and a fast release it reaches a
    tenth. So the main stage (the user's look-ahead and release, aiming 0.02 dB under the
    ceiling) does the limiting, and a safety stage (0.5 ms, aiming 0.005 dB under the
    ceiling) measures the main stage's actual output and removes what is left. Its corrections
    are hundredths of a dB, so its own modulation is negligible.

    The gain is smooth (no instant jumps), computed sample by sample (the output does not
    depend on block sizes), and exactly 1 when nothing needs limiting: a signal below the
    ceiling comes out bit-exact, only delayed.

    Known limit: for content within about 2 % of the Nyquist frequency (over 21.6 kHz at
    44.1 kHz) the waveform between samples depends on the reconstruction filter itself, and a
    moving gain changes it in ways only a very long filter sees. Programme material below
    0.47 of the rate reads under the ceiling by short and near-ideal interpolators alike;
    full-band white noise reads under it by a reconstruction flat to 0.48 of the rate, but up
    to about 0.3 dB over by a near-ideal one (see the tests).

    Must never: allocate, lock or do I/O in process(); let a NaN or infinity into its memory
    (non-finite input samples are treated as silence).
*/
class TruePeakLimiter
{
public:
    /** The detection oversampling factor used at a sample rate. */
    static int detectionOversamplingFor (double sampleRate) noexcept;

    /** How far below the ceiling the main stage aims, in dB. */
    static constexpr float safetyMarginDb = 0.02f;

    /** How far below the ceiling the safety stage aims, in dB. */
    static constexpr float finalMarginDb = 0.005f;

    /** Look-ahead of the safety stage, in milliseconds. */
    static constexpr double safetyLookaheadMs = 0.5;

    /** Samples either side of a peak over which the gain is held at the peak's reduction. */
    static constexpr int guardSamples = 4;

    TruePeakLimiter();

    /** Sizes everything for a sample rate and look-ahead time. Not realtime-safe. */
    void prepare (double sampleRate, int maxBlockSize, double lookaheadMs);

    /** Clears all signal memory and jumps every setting to its target. */
    void reset() noexcept;

    /** Gain before the limiter, in dB. Smoothed. */
    void setInputGainDb (float db) noexcept;

    /** Ceiling in dBTP (default -1). Smoothed. */
    void setCeilingDb (float dbtp) noexcept;

    /** Release time constant in milliseconds. */
    void setReleaseMs (float ms) noexcept;

    /** Program-dependent release on or off. */
    void setAutoRelease (bool on) noexcept;

    /** 0 = both channels get the same gain, 1 = each channel its own. Smoothed. */
    void setStereoUnlink (float amount) noexcept;

    /** Processes a stereo block in place (any length). */
    void process (float* left, float* right, int numSamples) noexcept;

    /** Delay added, in samples (both stages: detection, look-ahead and guard). */
    int latencySamples() const noexcept { return main.latency + safety.latency; }

    /** Delay of the main stage alone, in samples. */
    int mainStageLatency() const noexcept { return main.latency; }

    /** Largest gain reduction of the last block, in dB (positive). Safe from any thread. */
    float gainReductionDb() const noexcept { return reduction.load (std::memory_order_relaxed); }

    /** The detection oversampling factor in use. */
    int getDetectionOversampling() const noexcept { return factor; }

private:
    static constexpr int chunk = 256;

    /** Sliding maximum over the last `size` values (monotonic queue in fixed storage). */
    struct SlidingMax
    {
        std::vector<float> values;
        std::vector<long long> positions;
        int size = 1, head = 0, count = 0;
        long long now = 0;

        void prepare (int windowSize);
        void reset() noexcept;
        float push (float v) noexcept;
    };

    /** Running mean of the last `size` values, exactly 0 when they are all 0. */
    struct RunningMean
    {
        std::vector<double> values;
        int size = 1, position = 0, nonZero = 0;
        double sum = 0.0;

        void prepare (int length);
        void reset() noexcept;
        double push (double v) noexcept;
    };

    struct Channel
    {
        Oversampler detector;
        SlidingMax hold;
        RunningMean first, second;
        std::vector<float> delay;
        float release = 0.0f, fast = 0.0f, slow = 0.0f; // gain-reduction envelopes, dB
        float before = 0.0f, centre = 0.0f, groupPeak = 0.0f; // detection: last two points, open group
    };

    /** Detection, hold, release, smoothing and delay for both channels. */
    struct Stage
    {
        std::array<Channel, 2> channels;
        std::array<std::array<float, chunk>, 2> peaks {};
        int factor = 8, lookahead = 1, latency = 0, delayMask = 0, delayWrite = 0;

        void prepare (double passband, int oversampling, int lookaheadSamples);
        void reset() noexcept;

        /** Fills peaks[][0 .. n) for the next n input samples of each channel. */
        void detect (const float* const* input, int n) noexcept;

        /** Applies a gain to sample i of a channel (delayed) and returns it. */
        float delayAndApply (int channel, int i, float input, float gain) noexcept;
    };

    void processChunk (float* const* io, int n) noexcept;
    void updateReleaseCoefficients() noexcept;

    /** Reduction (dB) -> gain, through hold, release and the two means. */
    float gainFor (Channel& state, float needDb, bool useAutoRelease, float releaseCoeff) noexcept;

    double sampleRate = 48000.0;
    int factor = 8;
    Stage main, safety;
    std::array<std::array<float, chunk>, 2> gained {}, limited {};

    LinearSmoother inputGain, ceiling, unlink;
    float inputTarget = 1.0f, ceilingTarget = 1.0f, unlinkTarget = 0.0f, ceilingDb = -1.0f;
    float releaseMs = 60.0f;
    bool autoRelease = true;
    float releaseCoefficient = 0.0f, fastCoefficient = 0.0f, slowCoefficient = 0.0f, slowCharge = 0.0f;
    float safetyRelease = 0.0f;
    std::atomic<float> reduction { 0.0f };
};

} // namespace crest::dsp
