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
         through Oversampler's linear-phase cascade): for each base-rate sample, the largest
         magnitude of the reconstructed waveform from that sample to the next, each local
         maximum of the oversampled points refined by a parabola (an 8x grid alone can
         under-read a peak by 0.17 dB; refined, by a few thousandths). The main stage takes
         the larger of two reconstructions (below); the safety stage one flat to 0.49;
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

    Why two reconstructions: between the samples, content near the Nyquist frequency looks
    different to different interpolators. A short one (Crest's own meter, ffmpeg's, most
    DACs' slow roll-off filters) attenuates it from about 0.4 of the rate, a near-ideal one
    keeps it; where that content is out of phase with a peak, the short one reads higher. The
    demo mix at +6 dB into -1 dBTP came out at -1.01 dBTP by a long interpolator but -0.80 by
    Crest's meter, ffmpeg and sox; white noise at +12 dB at -0.5. So the main stage detects on
    a gentle reconstruction (flat to 0.40, half down at Nyquist, images rejected from 0.60)
    and a flat one (to 0.47), and limits the larger; a peak is a convex function of how much
    of the top band a meter keeps, so a meter between the two reads no higher than the larger
    one. The safety stage's flat reconstruction (to 0.49) covers the band from 0.47 up. Cost:
    about 5 % of the limiter's time (the gentle filters are short, and the main stage's flat
    one got shorter).

    The gain is smooth (no instant jumps), computed sample by sample (the output does not
    depend on block sizes), and exactly 1 when nothing needs limiting: a signal below the
    ceiling comes out bit-exact, only delayed.

    Speed (the shortcuts are exact: whether one is taken, which depends on where blocks
    start, never changes a bit of the output):
      - each step runs over a block at a time, vectorised where samples are independent
        (detection, needs, dB conversions, gain application), in clones for AVX-512, AVX2 and
        plain x86-64, without fused multiply-adds so that every clone gives the same bits;
        only hold, release and the running means go sample by sample;
      - a peak only matters if it can exceed the ceiling. A parabola refinement rises at most
        a quarter above its centre, so a block whose oversampled points all stay under
        ceiling / 1.25 needs no peak at all; the oversampler can often prove that from its
        first stage (its later stages raise a magnitude by at most their L1 gain) and then
        defers their work until a block may reach it (Oversampler::upsampleReaching());
      - dB conversions are branch-free approximations within a few 1e-7 (ratioToDb(),
        reductionToLoss(), checked by the tests);
      - linked channels with equal needs have equal gains: channel 1's gain state is then
        channel 0's, worked out once;
      - a stage with nothing to reduce and nothing still being reduced (usually the safety
        stage) skips hold, release and means: its gain is exactly 1.

    Known limit: content within 1 % of the Nyquist frequency is seen by no detector. Measured
    at +12 dB (+6 for the demo) into -1 dBTP, 44.1-96 kHz, with Kaiser-sinc 8x meters of
    half-length 16 to 96 samples and Crest's meter: programme reads -1.02 to -1.00 dBTP and
    white noise -1.03 to -0.97, except a half-length of 24 on noise (down to -0.945). A near-ideal
    meter (half-length 512, flat to 0.497) reads the demo at -0.94 and full-band white noise
    at -0.78 (see the tests).

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

    /** 20 log10 (ratio) for a positive normal ratio, as the limiter computes it: within
        2e-6 dB + 2e-7 of the value (see the tests). */
    static float ratioToDb (float ratio) noexcept;

    /** 1 - 10^(-db / 20) for db >= 0 (the fraction of the signal a reduction removes), as the
        limiter computes it: within 2e-7 of the value (see the tests). */
    static float reductionToLoss (float db) noexcept;

private:
    static constexpr int chunk = 256;

    /** Sliding maximum over the last `size` values: a monotonic queue in fixed storage, pushed
        by the .cpp's holdAndReleaseStep() with its state in registers for a block. */
    struct SlidingMax
    {
        std::vector<float> values;
        std::vector<long long> positions;
        int size = 1, head = 0, count = 0, mask = 0;
        long long now = 0;

        void prepare (int windowSize);
        void reset() noexcept;

        /** True when every value in the window is 0 (needs are never negative). */
        bool isClear() const noexcept { return count == 0 || values[(size_t) head] == 0.0f; }

        /** n pushes of 0 into a clear window. */
        void skipZeros (int n) noexcept;
    };

    /** Running mean of the last `size` values, exactly 0 when they are all 0 (pushed by the
        .cpp's pushMean()). */
    struct RunningMean
    {
        std::vector<double> values;
        int size = 1, position = 0, nonZero = 0;
        double sum = 0.0, scale = 1.0;

        void prepare (int length);
        void reset() noexcept;

        /** n pushes of 0 into a window of zeros. */
        void skipZeros (int n) noexcept { position = (position + n) % size; }
    };

    /** One reconstruction of a channel's waveform between its samples (see the class note). */
    struct Detector
    {
        Oversampler oversampler;
        std::vector<float> line; // the input delayed by `delay` samples, so that every reconstruction lines up
        int delay = 0;
        float lastBound = 0.0f; // the last block's last two points are under this
        bool lastComplete = true; // the last block's points are readable before this one

        /** Designs the oversampler (no alignment delay yet). */
        void prepare (const Oversampler::Options& options);

        /** Delays the input so that the reconstruction's total delay is `latency` samples. */
        void alignTo (int latency);

        void reset() noexcept;

        /** Peaks of the next n input samples into p[0 .. n) (one sample late, see Stage::detect()). */
        void detect (const float* input, int n, float level, float* p, float* refined, float* scratch) noexcept;
    };

    struct Channel
    {
        std::array<Detector, 2> detectors; // flat to near the Nyquist frequency, and gentle
        SlidingMax hold;
        RunningMean first, second;
        std::vector<float> delay;
        float release = 0.0f, fast = 0.0f, slow = 0.0f; // gain-reduction envelopes, dB

        /** True when the gain is 1 and stays 1 for as long as nothing needs reducing. */
        bool isIdle() const noexcept
        {
            return hold.isClear() && release == 0.0f && fast == 0.0f && slow == 0.0f && first.nonZero == 0 && second.nonZero == 0;
        }
    };

    /** Detection, hold, release, smoothing and delay for both channels. */
    struct Stage
    {
        std::array<Channel, 2> channels;
        std::array<std::array<float, chunk>, 2> peaks {}, needs {}, gains {};
        std::array<float, chunk> gentlePeaks {};
        std::vector<float> refined, scratch; // detection: refined peaks of the oversampled points, and maxima of them
        int factor = 8, lookahead = 1, latency = 0, delayMask = 0, delayWrite = 0;
        bool gentle = true; // detectors[1] is used
        bool shared = true; // channel 1's gain state (hold, release, means) is channel 0's, not kept itself

        void prepare (double flatPassband, bool withGentle, int oversampling, int lookaheadSamples);
        void reset() noexcept;

        /** Fills peaks[][0 .. n) for the next n input samples of each channel. Peaks that
            cannot exceed `threshold` may be reported as 0 (they need no reduction either way). */
        void detect (const float* const* input, int n, float threshold) noexcept;

        /** Fills needs[][0 .. n) (dB, stereo-linked) from the peaks, per-sample ceilings (the
            lowest of them given) and unlink amounts. */
        void computeNeeds (const float* ceilings, const float* unlinkAmounts, int n, float lowestCeiling) noexcept;

        /** Fills gains[][0 .. n) from needs[][] through hold, release and the two means. */
        void computeGains (
            int n, bool useAutoRelease, float releaseCoeff, float fastCoeff, float slowCoeff, float slowChargeRate) noexcept;

        /** Hold and release of the first numChannels channels: gains[][i] = the reduction (dB) for needs[][i]. */
        template <bool useAutoRelease, int numChannels>
        void holdAndRelease (int n, float releaseCoeff, float fastCoeff, float slowCoeff, float slowChargeRate) noexcept;

        /** The two running means of the first numChannels channels: gains[][i] from the losses in gains[][i]. */
        template <int numChannels>
        void smooth (int n) noexcept;

        /** Makes channel 1's gain state a copy of channel 0's (see `shared`). */
        void shareState() noexcept;

        /** out[ch][i] = gains[ch][i] * (input delayed by the latency), for both channels. */
        void apply (const float* const* input, float* const* output, int n) noexcept;
    };

    void processChunk (float* const* io, int n) noexcept;
    void updateReleaseCoefficients() noexcept;

    double sampleRate = 48000.0;
    int factor = 8;
    Stage main, safety;
    std::array<std::array<float, chunk>, 2> gained {}, limited {}, meter {};
    std::array<float, chunk> gainSteps {}, ceilings {}, safetyCeilings {}, unlinkAmounts {};

    LinearSmoother inputGain, ceiling, unlink;
    float inputTarget = 1.0f, ceilingTarget = 1.0f, unlinkTarget = 0.0f, ceilingDb = -1.0f;
    float releaseMs = 60.0f;
    bool autoRelease = true;
    float releaseCoefficient = 0.0f, fastCoefficient = 0.0f, slowCoefficient = 0.0f, slowCharge = 0.0f;
    float safetyRelease = 0.0f, safetyRatio = 1.0f;
    std::atomic<float> reduction { 0.0f };
};

} // namespace crest::dsp
