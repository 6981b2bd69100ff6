#pragma once

#include <cmath>
#include <utility>

namespace crest::dsp
{

/** Coefficients of one second-order section, normalised so that a0 == 1. */
struct BiquadCoefficients
{
    double b0 = 1.0, b1 = 0.0, b2 = 0.0;
    double a1 = 0.0, a2 = 0.0;
};

/** One sample through a section in transposed direct form II with state (s1, s2): the one
    place this recursion is written, for Biquad and for loops that keep the state in registers
    (several channels at once, coefficients ramping per sample). */
inline double transposedDirectForm2 (const BiquadCoefficients& c, double x, double& s1, double& s2) noexcept
{
    const double y = c.b0 * x + s1;
    s1 = c.b1 * x - c.a1 * y + s2;
    s2 = c.b2 * x - c.a2 * y;
    return y;
}

/** One second-order IIR section in transposed direct form II, double precision.

    Double precision because metering filters at high sample rates put their poles very
    close to the unit circle, where single precision state visibly shifts the response.
    Realtime-safe: no allocation, no branches beyond the arithmetic.
*/
class Biquad
{
public:
    /** Sets new coefficients, keeping the state (callers reset() when that matters). */
    void setCoefficients (const BiquadCoefficients& c) noexcept { coeffs = c; }

    /** Returns the current coefficients. */
    const BiquadCoefficients& getCoefficients() const noexcept { return coeffs; }

    /** Clears the filter's memory. */
    void reset() noexcept { s1 = s2 = 0.0; }

    /** Filters one sample. */
    inline double process (double x) noexcept { return transposedDirectForm2 (coeffs, x, s1, s2); }

    /** The two state variables (for code that runs several filters in one vector loop). */
    std::pair<double, double> getState() const noexcept { return { s1, s2 }; }

    /** Restores the two state variables. */
    void setState (double state1, double state2) noexcept
    {
        s1 = state1;
        s2 = state2;
    }

    /** Flushes state that has decayed into the denormal range, so quiet tails cost nothing.
        Written as selects rather than branches: the equaliser flushes dozens of sections every
        0.7 ms, and the compare-and-branch chains were a third of its per-sub-block upkeep. */
    void flushDenormals() noexcept
    {
        s1 = std::fabs (s1) < 1.0e-30 ? 0.0 : s1;
        s2 = std::fabs (s2) < 1.0e-30 ? 0.0 : s2;
    }

private:
    BiquadCoefficients coeffs;
    double s1 = 0.0, s2 = 0.0;
};

} // namespace crest::dsp
