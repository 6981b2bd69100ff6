#pragma once

#include "dsp/Biquad.h"
#include "dsp/LinearSmoother.h"

namespace crest::dsp
{

namespace detail
{
    struct DynamicsSteadyConstants; // the steady path's constants, defined in DynamicsProcessor.cpp
}

/** What the compressor's detector measures. */
enum class DetectionMode
{
    peak, ///< the instantaneous sample magnitude
    rms ///< the mean square over about 10 ms (rmsSeconds), which adds to the attack time
};

/** Which pair of signals the compressor detects and controls. */
enum class StereoMode
{
    stereo, ///< left and right
    midSide ///< mid (L+R)/2 and side (L-R)/2
};

/** Everything that sets a DynamicsProcessor. Values are used as given (the engine validates
    its parameters); the processor only keeps them in safe ranges. */
struct DynamicsSettings
{
    float thresholdDb = 0.0f; ///< level above which gain is reduced, dBFS
    float ratio = 1.0f; ///< input dB per output dB above the threshold (1 = off)
    float kneeDb = 0.0f; ///< width of the soft knee centred on the threshold (0 = hard)
    float attackMs = 10.0f; ///< time constant of a rise in gain reduction (63 % of a step)
    float releaseMs = 150.0f; ///< time to recover 63 % of a gain reduction once the level falls
    bool autoRelease = false; ///< program-dependent release (see DynamicsProcessor)
    float makeupDb = 0.0f; ///< gain after compression, dB
    DetectionMode detection = DetectionMode::peak;
    float stereoLinkPct = 100.0f; ///< 0: channels independent; 100: both get the larger reduction
    StereoMode stereoMode = StereoMode::stereo;
    float sidechainHighPassHz = 0.0f; ///< detector high-pass (12 dB/oct); below 20 Hz it is off
    float mixPct = 100.0f; ///< parallel compression: 0 dry, 100 fully compressed
};

/** A stereo mastering compressor kernel: feed-forward, log-domain gain computer with soft knee,
    smooth peak or RMS detection, linked or independent channels in L/R or M/S, side-chain
    high-pass, program-dependent release and a parallel (dry/wet) mix.

    Design: the gain computer turns each sample's detector level into a wanted gain
    reduction; a "decoupled" ballistics stage holds its peaks (so a sine is compressed by its
    peak level, with little ripple, rather than by its average) and an attack filter smooths
    the result. The hold stage's release is solved so that, seen from outside, a reduction
    recovers 63 % in exactly `releaseMs` despite the attack filter in series. With auto
    release a second, slow envelope follows sustained reduction: short peaks recover at the
    set release, long stretches of compression up to five times slower, which avoids pumping.

    Everything runs per sample and every parameter change glides (smoothingSeconds), so the
    output does not depend on how the signal is cut into blocks and parameter steps do not
    click. A stereo/mid-side switch crossfades between the two paths.

    Speed: while anything glides, samples go one by one through the general path. Once every
    glide has ended (the usual case) a steady path takes over, split into passes so that no
    loop waits on a long chain of dependent operations: the serial recursions (mean square,
    then hold, slow and attack envelopes) run as tight loops of their own, and the memoryless
    parts in between (the logarithm of the gain computer, the exponential of the gain, the
    output mix) four samples at a time as vectors. processBandSum() runs four processors (a
    multiband's bands) the same way with one band per vector lane. Logarithm and exponential
    are polynomials fitted for Crest, accurate to 3e-8 dB and 4e-8 dB, below what a float
    output can show; an exponent of exactly 0 gives a gain of exactly 1, which keeps neutral
    settings bit-exact. Which path a sample takes depends only on the glide state at that
    sample, and envelopes are flushed to zero at fixed sample counts rather than at block
    ends, so block sizes still cannot change the output.

    It must never allocate or lock after prepare(), never add latency (the parallel dry signal
    is therefore already aligned), and never let a NaN or infinity stick: such a sample is
    output as silence and the signal state is reset, so later output is clean.
*/
class DynamicsProcessor
{
public:
    /** How long parameter changes glide. */
    static constexpr double smoothingSeconds = 0.02;

    /** Averaging time constant of RMS detection. */
    static constexpr double rmsSeconds = 0.01;

    /** With auto release, how much slower sustained gain reduction recovers. */
    static constexpr double autoReleaseSlowFactor = 5.0;

    /** With auto release, how many release times of compression count as "sustained". */
    static constexpr double autoReleaseBuildFactor = 3.0;

    /** Prepares for a sample rate with settings taken at once (no glide). Not realtime-safe
        (but it does not allocate either). */
    void prepare (double sampleRate, const DynamicsSettings& initial) noexcept;

    /** New settings, taken at the next sample: levels and mixes glide, time constants apply
        at once (the envelopes themselves are continuous). Realtime-safe. */
    void setSettings (const DynamicsSettings& settings) noexcept;

    /** Clears signal memory (envelopes, filters) and finishes any glide. */
    void reset() noexcept;

    /** Compresses a stereo block in place. Realtime-safe. */
    void process (float* left, float* right, int numSamples) noexcept;

    /** Largest gain reduction (dB, >= 0) applied during the last process() call. */
    float gainReductionDb() const noexcept { return lastBlockReductionDb; }

    /** The gain computer: the static reduction in dB for a detector level in dBFS (the curve
        the compressor settles to for a steady level). */
    static double staticGainReductionDb (double levelDb, double thresholdDb, double ratio, double kneeDb) noexcept;

    /** The release time constant of the hold stage that makes the whole (hold, then attack
        filter) recover 63 % in `releaseSeconds`; 0 when the attack is the slower of the two
        (the release then cannot be faster than the attack). */
    static double holdReleaseSeconds (double attackSeconds, double releaseSeconds) noexcept;

    /** Runs four processors (processors[b] on band b) as the lanes of one vector over the four
        stereo bands of crossover records (Crossover::processRecords() layout) and writes the
        sum of the compressed bands to left and right: the work of a four-band multiband
        compressor after its crossover, in one loop. Only for the steady state: when any of the
        four glides, filters its side chain, runs another stereo mode than the others or has
        another flush count (none of which a multiband's bands normally do), it does nothing
        and returns false, and the caller runs each processor on its own. Realtime-safe. */
    static bool processBandSum (
        DynamicsProcessor* const* processors, const double* records, float* left, float* right, int numSamples) noexcept;

    /** True when processBandSum() would run these four processors now. */
    static bool canProcessBandSum (const DynamicsProcessor* const* processors) noexcept;

    /** Flush interval: envelopes and mean squares below 1e-12 are set to zero every this many
        samples (counted from the last reset), which keeps denormals out of long, quiet tails. */
    static constexpr int flushInterval = 32;

private:
    struct Detector
    {
        double meanSquare = 0.0; // RMS detector state (signal units squared)
        double hold = 0.0; // peak-hold stage, dB of reduction
        double slow = 0.0; // auto-release sustained envelope, dB
        double envelope = 0.0; // after the attack filter: the reduction applied, dB
    };

    struct Path
    {
        Detector channel[2];
        void reset() noexcept { channel[0] = channel[1] = Detector {}; }
    };

    void updateTimeConstants() noexcept;
    void updateCurve() noexcept;
    void updateHighPass (double frequency) noexcept;
    void applyTargets (bool jump) noexcept;
    void clearSignalState() noexcept;
    double gainComputer (double levelSquared) const noexcept;
    void runPath (Path& path, double a, double b, bool flushNow, double& gainA, double& gainB) noexcept;
    bool gliding() const noexcept;
    detail::DynamicsSteadyConstants steadyConstants() const noexcept;
    void processSample (float& left, float& right, double& largestReduction) noexcept;
    void processSteady (float* left, float* right, int numSamples, double& largestReduction) noexcept;

    DynamicsSettings settings;
    double sampleRate = 48000.0;

    LinearSmoother threshold, slope, knee, makeup, mix, link, detectionBlend, autoBlend, highPassAmount, highPassLog2,
        midSideFade;

    // Derived from the smoothed curve parameters.
    double thresholdNow = 0.0, slopeNow = 0.0, kneeNow = 0.0, kneeStartSquared = 1.0;

    double attackCoeff = 0.0, holdCoeff = 0.0, slowAttackCoeff = 0.0, slowReleaseCoeff = 0.0, rmsCoeff = 0.0;

    Path stereoPath, midSidePath;
    Biquad highPass[2];
    int untilFlush = flushInterval; // samples left until the next flush

    // The steady path's passes hand per-sample values (levels, then wanted reductions, then
    // envelopes) to each other through these, one per detector channel, padded to whole vectors.
    static constexpr int steadyChunk = 256;
    alignas (32) double laneA[steadyChunk + 4] = {};
    alignas (32) double laneB[steadyChunk + 4] = {};

    float lastBlockReductionDb = 0.0f;
};

} // namespace crest::dsp
