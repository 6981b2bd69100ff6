#pragma once

#include "dsp/Biquad.h"

#include <array>

namespace crest::dsp
{

/*  Squared magnitudes of IIR sections, written as polynomials in p = sin^2 (w/2).

    What it is for: designing minimum-phase filters by their magnitude alone. A biquad's squared
    magnitude |b0 + b1/z + b2/z^2|^2 on the unit circle is a quadratic in p (p = 0 at DC, 1 at
    Nyquist), and a cascade of two is a quartic. Fitting that polynomial to a target over fixed
    poles is linear least squares; factoring it gives the minimum-phase numerators back. The
    equaliser uses this to match analog prototypes (dsp/EqualiserFilters.h).

    Why a quartic: one section's response must level off at Nyquist with a shape fixed by two
    numbers, so at 44.1/48 kHz it cannot follow an analog curve still moving at 20 kHz. A band
    section paired with a second one whose poles sit near Nyquist can: its fitted quartic bends
    the response where the single section could not, to within a few hundredths of a dB.

    What it must never do: allocate, lock or throw. Everything here runs on the audio thread
    while a band glides, as a bounded amount of arithmetic on the stack.
*/

/** A frequency with the trigonometry the fits need done once. Made by at() only; no default
    values, so that a grid's unused capacity is not written each time a grid is set up (zeroing
    it was a noticeable part of a dynamic band's redesign, which runs every sub-block). */
struct FitPoint
{
    double w; ///< radians per sample, 0..pi
    double p; ///< sin^2 (w/2)
    double sinHalf, cosHalf;

    /** The point at w radians per sample. */
    static FitPoint at (double w) noexcept;
};

/** The pole pair 1 + a1/z + a2/z^2 of a stable section, ready to give its squared magnitude at
    fit points without further trigonometry (from the pole form, which stays accurate for poles
    right next to z = 1, where the polynomial form cancels to nothing). */
class PolePair
{
public:
    /** Poles of 1 + a1/z + a2/z^2. */
    PolePair (double a1, double a2) noexcept;

    /** |1 + a1/z + a2/z^2|^2 at a point. */
    double squaredAt (const FitPoint& point) const noexcept;

    /** The pair's angle as a p value (0 for real poles): where its resonance sits. */
    double resonanceP() const noexcept { return resonance; }

    const double a1, a2;

private:
    bool complexPair = false;
    double r = 0.0, sinHalfTheta = 0.0, cosHalfTheta = 1.0; // complex pair: radius and half angle
    double z1 = 0.0, z2 = 0.0; // real poles
    double resonance = 0.0;
};

/** The minimum-phase numerator b0 + b1/z + b2/z^2 whose squared magnitude is c0 + c1 p + c2 p^2
    (only b0..b2 are set). False when no real numerator has it (the quadratic is negative
    somewhere on 0 <= p <= 1). */
bool minimumPhaseNumerator (double c0, double c1, double c2, BiquadCoefficients& section) noexcept;

/** A quartic squared-magnitude numerator p^0..p^4. */
using Quartic = std::array<double, 5>;

/** Fits the numerator of two cascaded sections with fixed poles to a target squared magnitude. */
class QuarticFit
{
public:
    static constexpr int capacity = 96;

    /** Adds a point: its target squared magnitude, its least-squares weight, and whether its
        error counts towards the worst case (points above the audible band usually do not). */
    void add (const FitPoint& point, double target, double weight, bool counts) noexcept;

    /** Demands `zeros` exact zeros at DC (a high-pass: 1 or 2); otherwise the DC value of the
        squared magnitude is `dcValue` exactly. */
    void setDc (int zeros, double dcValue) noexcept;

    /** The quartic over poles `first` * `second` that fits the targets best: weighted least
        squares in relative error, then `reweightings` Lawson steps towards the smallest worst
        case. Sets `worstDb` (the largest |error| in dB over the counted points). False when no
        fit is positive at every point. */
    bool fit (const PolePair& first, const PolePair& second, int reweightings, Quartic& quartic, double& worstDb) const noexcept;

private:
    std::array<FitPoint, capacity> points {};
    std::array<double, capacity> targets {}, weights {};
    std::array<bool, capacity> counts {};
    int count = 0;
    int dcZeros = 0;
    double dc = 1.0;
};

/** Splits a quartic squared magnitude (positive on 0 < p < 1) into two minimum-phase numerators.
    `near` gets the pair of roots nearest `pNear` (so a band section keeps the zeros that belong
    to it), `far` the others, scaled to 1 at p = 1/2. False when the quartic has no such split. */
bool splitQuartic (const Quartic& quartic, double pNear, BiquadCoefficients& near, BiquadCoefficients& far) noexcept;

} // namespace crest::dsp
