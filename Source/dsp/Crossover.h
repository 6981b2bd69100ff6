#pragma once

#include "dsp/LinearSmoother.h"

#include <array>
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

private:
    Coefficients coeffs;
    double ic1 = 0.0, ic2 = 0.0, v1 = 0.0, v2 = 0.0, input = 0.0;
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
    void processLinkwitzRiley (const float* const* input, float* const* const* bands, int numSamples) noexcept;
    void processLinearPhase (const float* const* input, float* const* const* bands, int numSamples) noexcept;
    void updateSplit (int split, double frequency) noexcept;
    std::array<float, 3> sanitise (const std::array<float, 3>& frequenciesHz) const noexcept;

    Type kind = Type::linkwitzRiley;
    double sampleRate = 48000.0;
    int channelCount = 2, bandCount = 2;

    // Linkwitz-Riley: per split k, a first section whose low and high outputs each pass a
    // second section, and the compensation all-pass for every band below k.
    struct SplitFilters
    {
        StateVariableSection first, low, high;
        StateVariableSection allPassForBand[maxBands];
    };
    SplitFilters splits[maxBands - 1][maxChannels];
    LinearSmoother splitLog2[maxBands - 1];

    // Linear phase lives behind a pointer: FFTW buffers and plans.
    struct LinearPhase;
    std::unique_ptr<LinearPhase> linear;
};

} // namespace crest::dsp
