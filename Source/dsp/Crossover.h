#pragma once

#include "dsp/LinearSmoother.h"

#include <array>
#include <cstring>
#include <memory>

namespace crest::dsp
{

/** A 2nd-order state-variable filter section with trapezoidal integrators ("TPT"): the same
    low-pass, high-pass and all-pass responses as bilinear biquads of equal Q, but its state is
    that of two integrators, so moving its frequency while audio runs through it stays smooth
    (a direct-form biquad under fast coefficient changes produces transients). Realtime-safe. */
class StateVariableSection
{
public:
    /** Precomputed coefficients for one frequency and Q. */
    struct Coefficients
    {
        double k = 1.4142135623730951; ///< 1 / Q
        double a1 = 1.0, a2 = 0.0, a3 = 0.0;
    };

    /** Coefficients for a frequency (Hz, pre-warped) and Q at a sample rate. */
    static Coefficients design (double sampleRate, double frequency, double q) noexcept;

    /** Sets coefficients, keeping the state. */
    void setCoefficients (const Coefficients& c) noexcept { coeffs = c; }

    /** Clears the integrators. */
    void reset() noexcept { ic1 = ic2 = 0.0; }

    /** Runs one sample; low(), high() and allPass() then give its outputs. */
    inline void process (double x) noexcept
    {
        const double v3 = x - ic2;
        v1 = coeffs.a1 * ic1 + coeffs.a2 * v3;
        v2 = ic2 + coeffs.a2 * ic1 + coeffs.a3 * v3;
        ic1 = 2.0 * v1 - ic1;
        ic2 = 2.0 * v2 - ic2;
        input = x;
    }

    /** Low-pass output of the last sample. */
    double low() const noexcept { return v2; }
    /** High-pass output of the last sample. */
    double high() const noexcept { return input - coeffs.k * v1 - v2; }
    /** All-pass output of the last sample (low + high - k band). */
    double allPass() const noexcept { return input - 2.0 * coeffs.k * v1; }

    /** Flushes integrator state that has decayed into the denormal range. */
    void flushDenormals() noexcept
    {
        if (ic1 > -1.0e-30 && ic1 < 1.0e-30)
            ic1 = 0.0;
        if (ic2 > -1.0e-30 && ic2 < 1.0e-30)
            ic2 = 0.0;
    }

    /** The kinds of output a section can give in the vectorised kernels. */
    enum class Output
    {
        low,
        high,
        allPass,
        identity ///< the input, unfiltered (and the state stays at rest)
    };

    /** One section written as a linear state-space update with a single output, the form in
        which the vectorised kernels run many sections as the lanes of one vector:
        y = dx x + d1 ic1 + d2 ic2, then ic1 <- p11 ic1 + q1 (x - ic2) and
        ic2 <- ic2 + q1 ic1 + q2 (x - ic2). The integrators are the same as process() uses (so
        coefficients may glide just as smoothly); only the rounding differs. */
    struct StateSpace
    {
        double p11 = 0.0, q1 = 0.0, q2 = 0.0; ///< state update
        double dx = 1.0, d1 = 0.0, d2 = 0.0; ///< output
    };

    /** The state-space form of a section with these coefficients and output. */
    static StateSpace stateSpace (const Coefficients& c, Output output) noexcept;

    /** The same section as a transposed direct-form II biquad: y = b0 x + s1, then
        s1 <- b1 x - a1 y + s2 and s2 <- b2 x - a2 y. Two multiplies fewer per sample than the
        state-space form, and the input reaches the output through one multiply-add; but its
        state does not survive a change of coefficients smoothly (a gliding frequency would
        make it jump), so kernels run it only while coefficients stay put, and convert the
        state exactly (toDirect, toStateSpace: row-major 2 x 2 maps) to and from the
        state-space form around glides. */
    struct DirectForm
    {
        double b0 = 1.0, b1 = 0.0, b2 = 0.0, a1 = 0.0, a2 = 0.0;
        double toDirect[4] = {}; ///< (s1, s2) from (ic1, ic2)
        double toStateSpace[4] = {}; ///< (ic1, ic2) from (s1, s2)
    };

    /** The direct form of a section given in state-space form. */
    static DirectForm directForm (const StateSpace& s) noexcept;

private:
    Coefficients coeffs;
    double ic1 = 0.0, ic2 = 0.0, v1 = 0.0, v2 = 0.0, input = 0.0;
};

#if defined(__GNUC__) && ! defined(__clang__)
#pragma GCC diagnostic push
// The step functions below return vectors by value; they are inlined into their kernels, so
// the ABI for returning 32-byte vectors (which GCC warns differs with and without AVX) never applies.
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

/** Four sections run as the lanes of one vector: their coefficients lane by lane, in both the
    state-variable form (for glides) and the direct form (otherwise), with the maps between
    their states. Kernels (Crossover, ImagerModule) chain such steps per sample with GCC/Clang
    vectors of four doubles (V). A default step passes its input through. */
struct alignas (32) SectionStep
{
    double p11[4] = {}, q1[4] = {}, q2[4] = {}, dx[4] = { 1.0, 1.0, 1.0, 1.0 }, d1[4] = {}, d2[4] = {};
    double b0[4] = { 1.0, 1.0, 1.0, 1.0 }, b1[4] = {}, b2[4] = {}, negA1[4] = {}, negA2[4] = {};
    double toDirect[4][4] = {}, toStateSpace[4][4] = {}; ///< [map entry][lane]

    /** Sets one lane to a section with these coefficients and output. */
    void setLane (int lane, const StateVariableSection::Coefficients& c, StateVariableSection::Output output) noexcept;

    /** One sample through the four sections in direct form: five multiply-adds per lane. */
    template <class V>
    V direct (V& s1, V& s2, const V& x) const noexcept
    {
        const V y = lanes<V> (b0) * x + s1;
        s1 = (lanes<V> (b1) * x + s2) + lanes<V> (negA1) * y;
        s2 = lanes<V> (b2) * x + lanes<V> (negA2) * y;
        return y;
    }

    /** direct() for a step whose lanes are all all-passes, whose numerator is the
        denominator reversed (b0 = a2, b1 = a1, b2 = 1): three multiply-adds per lane. */
    template <class V>
    V directAllPass (V& s1, V& s2, const V& x) const noexcept
    {
        const V y = s1 - lanes<V> (negA2) * x;
        s1 = s2 - lanes<V> (negA1) * (x - y);
        s2 = x + lanes<V> (negA2) * y;
        return y;
    }

    /** One sample through the four sections in state-variable form. The output is formed
        with the input entering last, as one multiply-add: samples pass several steps in
        series, and this keeps each step's share of that chain short. */
    template <class V>
    V stateVariable (V& ic1, V& ic2, const V& x) const noexcept
    {
        const V y = (lanes<V> (d1) * ic1 + lanes<V> (d2) * ic2) + lanes<V> (dx) * x;
        const V v3 = x - ic2;
        const V next1 = lanes<V> (p11) * ic1 + lanes<V> (q1) * v3;
        ic2 = ic2 + lanes<V> (q1) * ic1 + lanes<V> (q2) * v3;
        ic1 = next1;
        return y;
    }

    /** Four doubles as a vector. */
    template <class V>
    static V lanes (const double* p) noexcept
    {
        V v;
        std::memcpy (&v, p, sizeof (v));
        return v;
    }
};

#if defined(__GNUC__) && ! defined(__clang__)
#pragma GCC diagnostic pop
#endif

/** The states of a SectionStep's four sections: (ic1, ic2) in state-variable form, (s1, s2)
    in direct form. */
struct alignas (32) SectionState
{
    double s1[4] = {}, s2[4] = {};

    /** Converts the state to the other form, under the step's (current) coefficients. */
    void convert (const SectionStep& step, bool toDirect) noexcept;

    /** Sets state that has decayed into the denormal range to zero. */
    void flushDenormals() noexcept;
};

/** Splits one or two channels into 2 to 4 frequency bands whose sum is the input, for
    multiband dynamics and band-wise stereo width.

    Two kinds:
    - linkwitzRiley: 4th-order Linkwitz-Riley (24 dB/oct) splits in a tree, built from
      state-variable sections so that they can glide. Each split's low and high outputs sum to
      a 2nd-order all-pass, so every band that does not pass through a later split gets that
      split's all-pass as compensation. All bands then share one phase response and their sum
      is an all-pass: flat in magnitude, zero latency. Because the bands are in phase with
      non-negative magnitudes summing to one, any per-band gain yields at every frequency a
      blend of the band gains, never more than the largest.
    - linearPhase: symmetric FIR low-passes (Kaiser-windowed sincs) at each crossover, bands
      taken as their differences and the top band as the delayed input minus the highest
      low-pass, so the sum is exactly the input delayed by latencySamples(). Convolution is
      uniformly partitioned FFT convolution (FFTW); the latency is fixed by the sample rate.

    Crossover frequencies glide when changed (per sample for the IIR splits; the FIR kind
    crossfades to a redesigned filter over one partition) so that moving them does not click.

    Speed (Linkwitz-Riley): the sections of both channels run as the lanes of 4-wide vectors,
    two sections of two channels per vector. The tree is laid out as eight such "steps" (see
    Crossover.cpp), the first section of each split duplicated so that every lane has one
    output, and the compensation all-passes placed where lanes are free. With no glide, whole
    blocks run through one loop of direct-form sections (the cheapest per sample); while a
    frequency glides, samples go one by one through state-variable sections with fresh
    coefficients, the state converted exactly between the two forms where a glide starts and
    ends (which depends only on the samples, never on the block size). processRecords() hands
    the bands over as doubles, interleaved per sample, for callers that work on all bands at
    once.

    It must never allocate, lock or plan FFTs after prepare(); the band sum must stay flat
    whatever the frequencies (they are kept in ascending order); a NaN or infinity in the
    input is taken as silence, so that it cannot stay in the filters' memory.
*/
class Crossover
{
public:
    /** The filter family. */
    enum class Type
    {
        linkwitzRiley,
        linearPhase
    };

    static constexpr int maxBands = 4;
    static constexpr int maxChannels = 2;

    /** How long an IIR crossover frequency change glides. */
    static constexpr double glideSeconds = 0.02;

    Crossover();
    ~Crossover();
    Crossover (const Crossover&) = delete;
    Crossover& operator= (const Crossover&) = delete;

    /** Prepares for a rate, 1 or 2 channels, 2 to 4 bands and a kind, with the crossover
        frequencies (only the first numBands - 1 are used) taken at once. Not realtime-safe. */
    void prepare (double sampleRate, int numChannels, int numBands, Type type, const std::array<float, 3>& frequenciesHz);

    /** New crossover frequencies in Hz (sorted and kept inside 10 Hz .. 0.45 fs); they glide.
        Realtime-safe. */
    void setFrequencies (const std::array<float, 3>& frequenciesHz) noexcept;

    /** Clears all signal memory and finishes glides. */
    void reset() noexcept;

    /** Splits a block. input[channel] are numSamples samples; bands[band][channel] receive
        the bands, lowest first. Output may not alias input. Realtime-safe. */
    void process (const float* const* input, float* const* const* bands, int numSamples) noexcept;

    /** Doubles per sample in processRecords() output: every band of both channels. */
    static constexpr int recordSize = 2 * maxBands;

    /** Where a band of a channel sits in a record: bands 0 and 1 of channel 0, of channel 1,
        then bands 2 and 3 likewise (the order the kernel produces them in). */
    static constexpr int recordIndex (int band, int channel) noexcept { return (band / 2) * 4 + channel * 2 + band % 2; }

    /** Splits a block into records: for sample i, band b of channel c is
        records[i * recordSize + recordIndex (b, c)] (bands beyond numBands() and a missing
        second channel are zero). Same filters and state as process(), without rounding the
        bands to float. Realtime-safe. */
    void processRecords (const float* const* input, double* records, int numSamples) noexcept;

    /** Delay of every band relative to the input, in samples (0 for Linkwitz-Riley). */
    int latencySamples() const noexcept;

    /** The number of bands, as prepared. */
    int numBands() const noexcept { return bandCount; }

    /** The kind, as prepared. */
    Type type() const noexcept { return kind; }

    /** Length of the linear-phase FIR filters at a sample rate (odd, symmetric). */
    static int linearPhaseFilterLength (double sampleRate) noexcept;

    /** Partition (block) size of the linear-phase convolution at a sample rate. */
    static int linearPhasePartitionSize (double sampleRate) noexcept;

private:
    template <class Sink>
    void processLinkwitzRiley (const float* const* input, int numSamples, Sink sink) noexcept;
    void updateSplit (int split, double frequency) noexcept;
    void flushDenormals() noexcept;
    std::array<float, 3> sanitise (const std::array<float, 3>& frequenciesHz) const noexcept;

    Type kind = Type::linkwitzRiley;
    double sampleRate = 48000.0;
    int channelCount = 2, bandCount = 2;

    // Linkwitz-Riley: one step is four sections (two kinds, two channels) run as the lanes of
    // one vector (see Crossover.cpp for the layout).
    static constexpr int maxSteps = 8;
    SectionStep steps[maxSteps] {};
    SectionState stepStates[maxSteps] {};
    bool directForm = true; // the form stepStates are in

    // Every flushInterval samples since the last reset, state decayed into the denormal range
    // is set to zero (counted in samples, so that block sizes cannot change the output).
    static constexpr int flushInterval = 256;
    int untilFlush = flushInterval;

    // The kernel's input, converted into its first step's lanes; runs never exceed a flush
    // interval, so this many samples.
    alignas (32) double inputLanes[4 * flushInterval] = {};

    std::array<float, 3> targets {}; // the frequencies last asked for, sanitised
    void convertStates (bool toDirect) noexcept;
    LinearSmoother splitLog2[maxBands - 1];

    // Linear phase lives behind a pointer: FFTW buffers and plans.
    struct LinearPhase;
    std::unique_ptr<LinearPhase> linear;
};

} // namespace crest::dsp
