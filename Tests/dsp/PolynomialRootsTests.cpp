// Roots of small real polynomials (the equaliser's quartic split depends on them).

#include "dsp/PolynomialRoots.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <limits>
#include <vector>

using Complex = std::complex<double>;

namespace
{
/** Coefficients (lowest power first) of the monic polynomial with these roots. */
std::vector<double> fromRoots (const std::vector<Complex>& roots)
{
    std::vector<Complex> c { 1.0 };
    for (const auto& r : roots)
    {
        std::vector<Complex> next (c.size() + 1, 0.0);
        for (size_t i = 0; i < c.size(); ++i)
        {
            next[i + 1] += c[i];
            next[i] -= r * c[i];
        }
        c = next;
    }
    std::vector<double> out;
    for (const auto& v : c)
        out.push_back (v.real());
    return out;
}

/** The largest distance from an expected root to the nearest root found. */
double worstMiss (const std::vector<Complex>& expected, const std::array<Complex, crest::dsp::maxRootDegree>& found)
{
    double worst = 0.0;
    for (const auto& e : expected)
    {
        double nearest = 1.0e300;
        for (size_t i = 0; i < expected.size(); ++i)
            nearest = std::min (nearest, std::abs (found[i] - e) / std::max (1.0, std::abs (e)));
        worst = std::max (worst, nearest);
    }
    return worst;
}
} // namespace

TEST_CASE ("Polynomial roots: real, complex and widely spread roots", "[dsp][roots]")
{
    const std::vector<std::vector<Complex>> cases {
        { 1.0, 2.0, 3.0, 4.0 },
        { Complex (0.0, 1.0), Complex (0.0, -1.0), 0.5, -2.0 },
        { Complex (1.1877, 0.2110), Complex (1.1877, -0.2110), 1.0049, 1.1595 }, // an equaliser quartic
        { 1.0e-6, 1.0, 2.0, 3.0 },
        { Complex (0.3, 1.0e-4), Complex (0.3, -1.0e-4), -5.0, 7.0 },
        { 2.0, -3.0 },
        { Complex (-1.0, 2.0), Complex (-1.0, -2.0), 10.0 },
    };
    for (const auto& roots : cases)
    {
        const auto c = fromRoots (roots);
        std::array<Complex, crest::dsp::maxRootDegree> found {};
        REQUIRE (crest::dsp::polynomialRoots (c.data(), (int) roots.size(), found));
        INFO ("degree " << roots.size() << ", first root " << roots[0]);
        CHECK (worstMiss (roots, found) < 1.0e-9);
    }
}

TEST_CASE ("Polynomial roots: double roots are found to about the square root of rounding", "[dsp][roots]")
{
    const std::vector<Complex> roots { 1.0, 1.0, 2.0, 2.0 };
    const auto c = fromRoots (roots);
    std::array<Complex, crest::dsp::maxRootDegree> found {};
    REQUIRE (crest::dsp::polynomialRoots (c.data(), 4, found));
    CHECK (worstMiss (roots, found) < 1.0e-6);
}

TEST_CASE ("Polynomial roots: non-finite or degenerate input is refused", "[dsp][roots]")
{
    std::array<Complex, crest::dsp::maxRootDegree> found {};
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double withNan[] = { 1.0, nan, 1.0 };
    const double zeroLead[] = { 1.0, 2.0, 0.0 };
    const double tooHigh[] = { 1.0, 0.0, 0.0, 0.0, 0.0, 1.0 };
    CHECK_FALSE (crest::dsp::polynomialRoots (withNan, 2, found));
    CHECK_FALSE (crest::dsp::polynomialRoots (zeroLead, 2, found));
    CHECK_FALSE (crest::dsp::polynomialRoots (tooHigh, 5, found));
}
