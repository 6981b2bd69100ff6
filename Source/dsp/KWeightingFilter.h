#pragma once

#include "dsp/Biquad.h"

namespace crest::dsp
{

/** The K-weighting pre-filter of ITU-R BS.1770: a high shelf (the head's acoustic effect)
    followed by the RLB high-pass.

    Coefficients are derived for each sample rate from the analog prototypes by the bilinear
    transform with pre-warping, never reused from the 48 kHz table; at 48 kHz the derivation
    reproduces the table printed in BS.1770 to better than 1e-9.
*/
class KWeightingFilter
{
public:
    /** Stage 1 (high shelf) coefficients for the given sample rate in Hz. */
    static BiquadCoefficients shelfCoefficients (double sampleRate);

    /** Stage 2 (RLB high-pass) coefficients for the given sample rate in Hz. */
    static BiquadCoefficients highPassCoefficients (double sampleRate);

    /** Magnitude response of the whole filter in dB at a frequency in Hz (for tests and plots). */
    static double magnitudeDb (double sampleRate, double frequencyHz);

    /** Designs the filter for a sample rate and clears its state. */
    void prepare (double sampleRate);

    /** Clears the state. */
    void reset() noexcept;

    /** Filters one sample. */
    inline double process (double x) noexcept { return highPass.process (shelf.process (x)); }

    /** Flushes decayed state to zero (call once per block). */
    void flushDenormals() noexcept
    {
        shelf.flushDenormals();
        highPass.flushDenormals();
    }

    /** The first stage (for vectorised loops over several channels). */
    Biquad& getShelf() noexcept { return shelf; }

    /** The second stage. */
    Biquad& getHighPass() noexcept { return highPass; }

private:
    Biquad shelf, highPass;
};

} // namespace crest::dsp
