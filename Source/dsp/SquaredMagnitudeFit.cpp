#include "dsp/SquaredMagnitudeFit.h"

#include "dsp/PolynomialRoots.h"

#include <algorithm>
#include <cmath>
#include <complex>

namespace crest::dsp
{
namespace
{
    inline double square (double v) noexcept
    {
        return v * v;
    }

    constexpr int maxColumns = 4;
    using Matrix = std::array<std::array<double, maxColumns>, QuarticFit::capacity>;
    using Column = std::array<double, QuarticFit::capacity>;

    /** min |M x - y| by Householder QR (M and y are overwritten): the monomial columns span many
        orders of magnitude, which normal equations would square away. */
    bool solveLeastSquares (Matrix& m, Column& y, int rows, int cols, std::array<double, maxColumns>& x) noexcept
    {
        for (int j = 0; j < cols; ++j)
        {
            double norm = 0.0;
            for (int i = j; i < rows; ++i)
                norm += square (m[(size_t) i][(size_t) j]);
            norm = std::sqrt (norm);
            if (! (norm > 0.0))
                return false;
            const double diagonal = m[(size_t) j][(size_t) j];
            const double alpha = diagonal > 0.0 ? -norm : norm;
            // Householder vector v = column - alpha e_j, kept in place below the diagonal.
            const double v0 = diagonal - alpha;
            const double vv = v0 * v0 + (norm * norm - diagonal * diagonal);
            const auto v = [&m, j, v0] (int i) { return i == j ? v0 : m[(size_t) i][(size_t) j]; };
            if (vv > 0.0)
            {
                for (int c = j + 1; c < cols; ++c)
                {
                    double d = 0.0;
                    for (int i = j; i < rows; ++i)
                        d += v (i) * m[(size_t) i][(size_t) c];
                    d *= 2.0 / vv;
                    for (int i = j; i < rows; ++i)
                        m[(size_t) i][(size_t) c] -= d * v (i);
                }
                double d = 0.0;
                for (int i = j; i < rows; ++i)
                    d += v (i) * y[(size_t) i];
                d *= 2.0 / vv;
                for (int i = j; i < rows; ++i)
                    y[(size_t) i] -= d * v (i);
            }
            m[(size_t) j][(size_t) j] = alpha;
        }
        for (int j = cols - 1; j >= 0; --j)
        {
            double t = y[(size_t) j];
            for (int c = j + 1; c < cols; ++c)
                t -= m[(size_t) j][(size_t) c] * x[(size_t) c];
            x[(size_t) j] = t / m[(size_t) j][(size_t) j];
            if (! std::isfinite (x[(size_t) j]))
                return false;
        }
        return true;
    }

    /** A monic quadratic (p - r1)(p - r2) as c0 + c1 p + p^2. */
    struct MonicQuadratic
    {
        double c0 = 0.0, c1 = 0.0;
        double at (double p) const noexcept { return c0 + p * (c1 + p); }
    };

    MonicQuadratic quadraticOf (std::complex<double> r1, std::complex<double> r2) noexcept
    {
        return { (r1 * r2).real(), -(r1 + r2).real() };
    }
} // namespace

FitPoint FitPoint::at (double w) noexcept
{
    FitPoint f;
    f.w = w;
    f.sinHalf = std::sin (0.5 * w);
    f.cosHalf = std::cos (0.5 * w);
    f.p = f.sinHalf * f.sinHalf;
    return f;
}

PolePair::PolePair (double a1In, double a2In) noexcept : a1 (a1In), a2 (a2In)
{
    const double disc = a1 * a1 - 4.0 * a2;
    if (disc < 0.0)
    {
        complexPair = true;
        r = std::sqrt (a2);
        const double theta = std::acos (std::clamp (-a1 / (2.0 * r), -1.0, 1.0));
        sinHalfTheta = std::sin (0.5 * theta);
        cosHalfTheta = std::cos (0.5 * theta);
        resonance = sinHalfTheta * sinHalfTheta;
    }
    else
    {
        const double root = std::sqrt (disc);
        z1 = 0.5 * (-a1 + root);
        z2 = 0.5 * (-a1 - root);
    }
}

double PolePair::squaredAt (const FitPoint& f) const noexcept
{
    if (complexPair)
    {
        // |e^{jw} - r e^{j theta}|^2 = (1 - r)^2 + 4 r sin^2 ((theta - w) / 2), and the same at -theta.
        const double s1 = sinHalfTheta * f.cosHalf - cosHalfTheta * f.sinHalf;
        const double s2 = sinHalfTheta * f.cosHalf + cosHalfTheta * f.sinHalf;
        const double d = square (1.0 - r);
        return (d + 4.0 * r * s1 * s1) * (d + 4.0 * r * s2 * s2);
    }
    return (square (1.0 - z1) + 4.0 * z1 * f.p) * (square (1.0 - z2) + 4.0 * z2 * f.p);
}

bool minimumPhaseNumerator (double c0, double c1, double c2, BiquadCoefficients& c) noexcept
{
    // In the basis p0 = 1 - p, p1 = p, p2 = 4 p (1 - p) the squared magnitude of a numerator is
    // B0 p0 + B1 p1 + B2 p2 with B0 = (b0 + b1 + b2)^2 (DC), B1 = (b0 - b1 + b2)^2 (Nyquist)
    // and B2 = -4 b0 b2; here B0 = c0, B1 = c0 + c1 + c2, B2 = -c2 / 4.
    const double nyquist = c0 + c1 + c2;
    if (! (c0 >= 0.0 && nyquist >= 0.0))
        return false;
    const double r0 = std::sqrt (c0), r1 = std::sqrt (nyquist);
    const double w = 0.5 * (r0 + r1);
    // w^2 + B2, rearranged so that nothing cancels for zeros near DC.
    const double disc = 0.25 * (2.0 * c0 + c1 + 2.0 * r0 * r1);
    if (! (disc >= 0.0) || w <= 0.0)
        return false;
    c.b0 = 0.5 * (w + std::sqrt (disc)); // the larger root: zeros inside the unit circle
    c.b1 = 0.5 * (r0 - r1);
    c.b2 = c2 / (16.0 * c.b0);
    if (c0 == 0.0)
    {
        // Zeros at DC stay exactly there (a rounding error would move a double zero by 1e-8).
        if (c1 == 0.0)
            c.b2 = c.b0;
        c.b1 = -(c.b0 + c.b2);
    }
    return std::isfinite (c.b0) && std::isfinite (c.b1) && std::isfinite (c.b2);
}

void QuarticFit::add (const FitPoint& point, double target, double weight, bool countsTowardsWorst) noexcept
{
    if (count < capacity)
    {
        points[(size_t) count] = point;
        targets[(size_t) count] = target;
        weights[(size_t) count] = weight;
        counts[(size_t) count] = countsTowardsWorst;
        ++count;
    }
}

void QuarticFit::setDc (int zeros, double dcValue) noexcept
{
    dcZeros = std::clamp (zeros, 0, 2);
    dc = dcValue;
}

bool QuarticFit::fit (
    const PolePair& first, const PolePair& second, int reweightings, Quartic& best, double& worstDb) const noexcept
{
    // What the numerator must be at each point: target times both denominators. Points on a
    // fixed zero or pole (a notch's centre) say nothing and are skipped.
    Column desired {}, weight = weights;
    for (int i = 0; i < count; ++i)
    {
        const auto& f = points[(size_t) i];
        desired[(size_t) i] = targets[(size_t) i] * first.squaredAt (f) * second.squaredAt (f);
    }
    const auto usable = [&desired] (int i) { return desired[(size_t) i] > 1.0e-300 && desired[(size_t) i] < 1.0e300; };

    // Unknowns: the coefficients of p^firstPower .. p^4; below that the numerator is fixed (its
    // DC value, or zeros at DC).
    const double fixedDc = dcZeros == 0 ? dc * square (1.0 + first.a1 + first.a2) * square (1.0 + second.a1 + second.a2) : 0.0;
    const int firstPower = dcZeros == 0 ? 1 : dcZeros;
    const int cols = 5 - firstPower;

    double bestWorst = 1.0e300;
    for (int step = 0; step <= reweightings; ++step)
    {
        Matrix m {};
        Column y {};
        int rows = 0;
        for (int i = 0; i < count; ++i)
        {
            if (! usable (i))
                continue;
            const double t = desired[(size_t) i], p = points[(size_t) i].p;
            // Relative error (close to an error in dB): divide the row by the desired value.
            const double scale = std::sqrt (weight[(size_t) i]) / t;
            double power = firstPower == 1 ? p : p * p;
            for (int c = 0; c < cols; ++c, power *= p)
                m[(size_t) rows][(size_t) c] = scale * power;
            y[(size_t) rows] = scale * (t - fixedDc);
            ++rows;
        }
        std::array<double, maxColumns> x {};
        if (rows < cols || ! solveLeastSquares (m, y, rows, cols, x))
            break;
        Quartic q {};
        q[0] = fixedDc;
        for (int c = 0; c < cols; ++c)
            q[(size_t) (firstPower + c)] = x[(size_t) c];

        // Error per point, in nepers of squared magnitude (|ln ratio|); a fit that goes
        // negative anywhere is no squared magnitude at all.
        Column errors {};
        double worst = 0.0;
        bool positive = true;
        for (int i = 0; i < count && positive; ++i)
        {
            if (! usable (i))
                continue;
            const double p = points[(size_t) i].p;
            const double n = q[0] + p * (q[1] + p * (q[2] + p * (q[3] + p * q[4])));
            positive = n > 0.0;
            if (positive)
            {
                errors[(size_t) i] = std::fabs (std::log (n / desired[(size_t) i]));
                if (counts[(size_t) i])
                    worst = std::max (worst, errors[(size_t) i]);
            }
        }
        if (! positive)
            break;
        if (worst < bestWorst)
        {
            bestWorst = worst;
            best = q;
        }
        if (! (worst > 0.0))
            break;
        // Lawson: weight each point by its share of the worst error, so the next solve trades
        // accuracy where there is room for accuracy where it is short.
        for (int i = 0; i < count; ++i)
            if (counts[(size_t) i])
                weight[(size_t) i] *= std::max (errors[(size_t) i] / worst, 0.02);
    }
    worstDb = 4.342944819032518 * bestWorst; // 10 log10 (e^x) = 4.34 x
    return bestWorst < 1.0e300;
}

bool splitQuartic (const Quartic& q, double pNear, BiquadCoefficients& near, BiquadCoefficients& far) noexcept
{
    using Complex = std::complex<double>;
    if (! (q[4] != 0.0))
        return false;

    // Roots in p: exact zeros at DC first (a high-pass keeps them exactly), then the rest.
    std::array<Complex, 4> roots {};
    int zeros = 0;
    while (zeros < 2 && q[(size_t) zeros] == 0.0)
        ++zeros;
    std::array<Complex, maxRootDegree> found {};
    if (! polynomialRoots (q.data() + zeros, 4 - zeros, found))
        return false;
    for (int i = 0; i < 4 - zeros; ++i)
        roots[(size_t) (zeros + i)] = found[(size_t) i];

    // A real root strictly between 0 and 1 means the quartic changes sign on the unit circle: no
    // squared magnitude (a double root there is rounding's near miss and equally unusable).
    const auto isReal = [] (Complex r) { return std::fabs (r.imag()) <= 1.0e-9 * std::max (1.0, std::abs (r)); };
    for (auto& r : roots)
        if (isReal (r))
        {
            r = r.real();
            if (r.real() > 0.0 && r.real() < 1.0)
                return false;
        }

    // Two quadratics with real coefficients: conjugates stay together, real roots pair with
    // their neighbours in order.
    std::array<Complex, 4> realRoots {}, complexRoots {};
    int reals = 0, numComplex = 0;
    for (const auto& r : roots)
        (isReal (r) ? realRoots[(size_t) reals++] : complexRoots[(size_t) numComplex++]) = r;
    if (reals % 2 != 0)
        return false;
    for (int i = 1; i < reals; ++i) // in order (at most four)
        for (int j = i; j > 0 && realRoots[(size_t) j].real() < realRoots[(size_t) j - 1].real(); --j)
            std::swap (realRoots[(size_t) j], realRoots[(size_t) j - 1]);
    if (numComplex == 4)
    {
        // Partner of the first: the one nearest its conjugate.
        int partner = 1;
        for (int j = 2; j < 4; ++j)
            if (std::abs (complexRoots[(size_t) j] - std::conj (complexRoots[0]))
                < std::abs (complexRoots[(size_t) partner] - std::conj (complexRoots[0])))
                partner = j;
        std::swap (complexRoots[1], complexRoots[(size_t) partner]);
    }
    for (int k = 0; k < numComplex; k += 2)
        if (std::abs (complexRoots[(size_t) k] - std::conj (complexRoots[(size_t) k + 1]))
            > 1.0e-6 * std::max (1.0, std::abs (complexRoots[(size_t) k])))
            return false;
    std::array<Complex, 4> ordered {};
    for (int k = 0; k < reals; ++k)
        ordered[(size_t) k] = realRoots[(size_t) k];
    for (int k = 0; k < numComplex; ++k)
        ordered[(size_t) (reals + k)] = complexRoots[(size_t) k];
    MonicQuadratic a = quadraticOf (ordered[0], ordered[1]), b = quadraticOf (ordered[2], ordered[3]);

    // The pair nearest pNear belongs to the band section.
    const double meanA = -0.5 * a.c1, meanB = -0.5 * b.c1;
    if (std::fabs (meanB - pNear) < std::fabs (meanA - pNear))
        std::swap (a, b);

    const double farHalf = b.at (0.5), nearHalf = a.at (0.5);
    if (! (std::fabs (farHalf) > 0.0) || ! std::isfinite (farHalf))
        return false;
    const double farScale = 1.0 / farHalf; // carries the sign: both factors come out positive
    const double nearScale = q[4] / farScale;
    if (! (nearScale * nearHalf > 0.0))
        return false;
    return minimumPhaseNumerator (nearScale * a.c0, nearScale * a.c1, nearScale, near)
        && minimumPhaseNumerator (farScale * b.c0, farScale * b.c1, farScale, far);
}

} // namespace crest::dsp
