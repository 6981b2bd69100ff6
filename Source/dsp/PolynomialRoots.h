#pragma once

#include <array>
#include <complex>

namespace crest::dsp
{

/** Highest degree polynomialRoots() solves. */
constexpr int maxRootDegree = 4;

/** The complex roots of the real polynomial c[0] + c[1] x + ... + c[degree] x^degree
    (c[degree] != 0, 1 <= degree <= maxRootDegree), by Aberth-Ehrlich iteration from points on
    a circle. A bounded amount of arithmetic with no allocation (realtime-safe). Returns false
    when a coefficient is not finite or the iteration did not settle in 100 rounds. */
bool polynomialRoots (const double* c, int degree, std::array<std::complex<double>, maxRootDegree>& roots) noexcept;

} // namespace crest::dsp
