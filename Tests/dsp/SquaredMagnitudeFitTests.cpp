// Squared-magnitude polynomials: a fit over fixed poles recovers a cascade it could represent
// exactly, the split gives minimum-phase sections, and the pole form agrees with direct
// evaluation.

#include "dsp/SquaredMagnitudeFit.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <complex>

using namespace crest;

namespace
{
constexpr double pi = 3.14159265358979323846;

double squaredDirect (const dsp::BiquadCoefficients& c, double w)
{
    const auto z1 = std::polar (1.0, -w), z2 = z1 * z1;
    return std::norm (c.b0 + c.b1 * z1 + c.b2 * z2) / std::norm (1.0 + c.a1 * z1 + c.a2 * z2);
}

/** The larger root magnitude of b0 + b1 x + b2 x^2 read as b0 z^2 + b1 z + b2 (zeros in z). */
double largestZero (const dsp::BiquadCoefficients& c)
{
    if (c.b0 == 0.0)
        return 0.0;
    const auto d = std::sqrt (std::complex<double> (c.b1 * c.b1 - 4.0 * c.b0 * c.b2));
    return std::max (std::abs ((-c.b1 + d) / (2.0 * c.b0)), std::abs ((-c.b1 - d) / (2.0 * c.b0)));
}
} // namespace

TEST_CASE ("Pole pairs give their squared magnitude without trigonometry per point", "[dsp][eq][fit]")
{
    for (const auto& [a1, a2] :
        { std::pair { -1.9, 0.95 }, std::pair { 1.0, 0.25 }, std::pair { -0.5, 0.0 }, std::pair { -1.99999, 0.99999 } })
    {
        const dsp::PolePair poles (a1, a2);
        for (double w = 0.001; w < pi; w *= 1.3)
        {
            const auto z1 = std::polar (1.0, -w), z2 = z1 * z1;
            const double direct = std::norm (1.0 + a1 * z1 + a2 * z2);
            CHECK (poles.squaredAt (dsp::FitPoint::at (w)) == Approx (direct).epsilon (1.0e-9));
        }
    }
}

TEST_CASE ("A quadratic squared magnitude factors back into its minimum-phase numerator", "[dsp][eq][fit]")
{
    // b = (1 - 0.9 z^-1 e^{j0.3})(1 - 0.9 z^-1 e^{-j0.3}) times 2.
    dsp::BiquadCoefficients original { 2.0, -2.0 * 2.0 * 0.9 * std::cos (0.3), 2.0 * 0.81, 0.0, 0.0 };
    // Its squared magnitude as c0 + c1 p + c2 p^2, read off three points.
    const auto value = [&original] (double p) { return squaredDirect (original, 2.0 * std::asin (std::sqrt (p))); };
    const double c0 = value (0.0), v1 = value (0.5), v2 = value (1.0);
    const double c2 = 2.0 * (v2 - 2.0 * v1 + c0), c1 = v2 - c0 - c2;
    dsp::BiquadCoefficients back;
    REQUIRE (dsp::minimumPhaseNumerator (c0, c1, c2, back));
    CHECK (back.b0 == Approx (original.b0).epsilon (1.0e-9));
    CHECK (back.b1 == Approx (original.b1).epsilon (1.0e-9));
    CHECK (back.b2 == Approx (original.b2).epsilon (1.0e-9));

    // Zeros at DC stay exactly at DC: (1 - z^-1)^2 is 16 p^2.
    dsp::BiquadCoefficients highPass;
    REQUIRE (dsp::minimumPhaseNumerator (0.0, 0.0, 16.0, highPass));
    CHECK (highPass.b0 + highPass.b1 + highPass.b2 == 0.0);
    CHECK (highPass.b0 == highPass.b2);

    // Negative somewhere on the circle: no numerator.
    dsp::BiquadCoefficients none;
    CHECK_FALSE (dsp::minimumPhaseNumerator (1.0, -3.0, 0.0, none));
}

TEST_CASE ("A quartic fit over the right poles recovers a two-section cascade exactly", "[dsp][eq][fit]")
{
    // A resonant section and a section with poles near Nyquist, each with minimum-phase zeros.
    const dsp::BiquadCoefficients first { 1.2, -1.7, 0.75, -1.8, 0.9 }, second { 0.6, 0.5, 0.1, 1.0, 0.25 };
    dsp::QuarticFit fit;
    for (double w = 0.002; w < pi; w *= 1.15)
        fit.add (dsp::FitPoint::at (w), squaredDirect (first, w) * squaredDirect (second, w), 1.0, true);
    fit.setDc (0, squaredDirect (first, 0.0) * squaredDirect (second, 0.0));

    dsp::Quartic quartic {};
    double worstDb = 1.0;
    REQUIRE (fit.fit (dsp::PolePair (first.a1, first.a2), dsp::PolePair (second.a1, second.a2), 1, quartic, worstDb));
    CHECK (worstDb < 1.0e-9);

    dsp::BiquadCoefficients near, far;
    REQUIRE (dsp::splitQuartic (quartic, dsp::PolePair (first.a1, first.a2).resonanceP(), near, far));
    near.a1 = first.a1, near.a2 = first.a2, far.a1 = second.a1, far.a2 = second.a2;
    CHECK (largestZero (near) < 1.0);
    CHECK (largestZero (far) < 1.0);
    for (double w = 0.001; w < pi; w *= 1.2)
    {
        const double expected = squaredDirect (first, w) * squaredDirect (second, w);
        CHECK (squaredDirect (near, w) * squaredDirect (far, w) == Approx (expected).epsilon (1.0e-8));
    }
    // Each section keeps its own zeros: the split put the resonant section's zeros with it.
    CHECK (near.b1 / near.b0 == Approx (first.b1 / first.b0).epsilon (1.0e-6));
}

TEST_CASE ("A quartic that goes negative on the unit circle is not split", "[dsp][eq][fit]")
{
    // (p - 0.3)(p - 0.6)(p + 1)(p + 2): negative between 0.3 and 0.6.
    const double r[] = { 0.3, 0.6, -1.0, -2.0 };
    dsp::Quartic c { 1.0, 0.0, 0.0, 0.0, 0.0 };
    for (double root : r)
    {
        dsp::Quartic next {};
        for (int i = 0; i < 4; ++i)
        {
            next[(size_t) i + 1] += c[(size_t) i];
            next[(size_t) i] -= root * c[(size_t) i];
        }
        c = next;
    }
    dsp::BiquadCoefficients near, far;
    CHECK_FALSE (dsp::splitQuartic (c, 0.5, near, far));
}
