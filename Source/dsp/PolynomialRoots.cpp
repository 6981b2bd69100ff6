#include "dsp/PolynomialRoots.h"

#include <algorithm>
#include <cmath>

namespace crest::dsp
{

bool polynomialRoots (const double* c, int degree, std::array<std::complex<double>, maxRootDegree>& roots) noexcept
{
    using Complex = std::complex<double>;
    constexpr double pi = 3.14159265358979323846;
    if (degree < 1 || degree > maxRootDegree || ! (c[degree] != 0.0))
        return false;
    for (int i = 0; i <= degree; ++i)
        if (! std::isfinite (c[i]))
            return false;

    // Monic, so that p(x) = x^n + m[n-1] x^(n-1) + ... + m[0].
    std::array<double, maxRootDegree + 1> m {};
    for (int i = 0; i <= degree; ++i)
        m[(size_t) i] = c[i] / c[degree];
    if (degree == 1)
    {
        roots[0] = -m[0];
        return std::isfinite (m[0]);
    }

    const auto evaluate = [&m, degree] (Complex x, Complex& derivative)
    {
        Complex p = 1.0, d = 0.0;
        for (int i = degree - 1; i >= 0; --i)
        {
            d = d * x + p;
            p = p * x + m[(size_t) i];
        }
        derivative = d;
        return p;
    };
    // How large rounding makes p(x) when evaluating it at x: below this, x is as good as a root.
    const auto roundingBound = [&m, degree] (double size)
    {
        double bound = 1.0;
        for (int k = degree - 1; k >= 0; --k)
            bound = bound * size + std::fabs (m[(size_t) k]);
        return 16.0 * 2.2e-16 * bound;
    };

    // Start on a circle whose radius is the geometric mean of the roots' sizes, turned off the
    // real axis so that no start sits on the symmetry line of a real polynomial.
    double radius = std::pow (std::fabs (m[0]), 1.0 / degree);
    if (! (radius > 0.0) || ! std::isfinite (radius))
        radius = 1.0;
    for (int i = 0; i < degree; ++i)
        roots[(size_t) i] = std::polar (radius, 2.0 * pi * (i + 0.25) / degree + 0.4);

    // Aberth-Ehrlich: Newton's step for each root, repelled by the others.
    bool settled = false;
    for (int iteration = 0; iteration < 100 && ! settled; ++iteration)
    {
        settled = true;
        for (int i = 0; i < degree; ++i)
        {
            auto& x = roots[(size_t) i];
            Complex derivative;
            const Complex p = evaluate (x, derivative);
            if (std::abs (p) <= roundingBound (std::abs (x)))
                continue;
            const Complex ratio = p / derivative;
            Complex repulsion = 0.0;
            for (int j = 0; j < degree; ++j)
                if (j != i)
                    repulsion += 1.0 / (x - roots[(size_t) j]);
            const Complex step = ratio / (1.0 - ratio * repulsion);
            if (! (std::isfinite (step.real()) && std::isfinite (step.imag())))
                return false;
            x -= step;
            if (std::abs (step) > 1.0e-14 * std::abs (x))
                settled = false;
        }
    }
    return settled;
}

} // namespace crest::dsp
