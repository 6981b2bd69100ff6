#include "dsp/EqualiserFilters.h"

#include "dsp/SquaredMagnitudeFit.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <initializer_list>
#include <utility>

namespace crest::dsp
{
namespace
{
    constexpr double pi = 3.14159265358979323846;

    inline double square (double v) noexcept
    {
        return v * v;
    }

    /*  The squared magnitude of a biquad, written in the basis
            p1 = sin^2 (w/2),  p0 = 1 - p1,  p2 = 4 p0 p1,
        is  B0 p0 + B1 p1 + B2 p2  with  B0 = (b0 + b1 + b2)^2 (the DC value),
        B1 = (b0 - b1 + b2)^2 (the Nyquist value) and B2 = -4 b0 b2; likewise for the
        denominator. Matching DC and Nyquist therefore fixes B0 and B1 directly, and one more
        frequency fixes B2. The same polynomial as a power series in p1 is
        B0 + (B1 - B0 + 4 B2) p1 - 4 B2 p1^2, the form the least-squares fit works in. */
    struct Basis
    {
        double p0, p1, p2;
    };

    Basis basisAt (double w) noexcept
    {
        const double s = std::sin (0.5 * w);
        const double p1 = s * s;
        return { 1.0 - p1, p1, 4.0 * (1.0 - p1) * p1 };
    }

    /** Impulse-invariant pole pair of an analog resonance at w0 (rad/sample) with damping zeta:
        the digital poles sit exactly where the analog ones map, so a resonance keeps its
        frequency and bandwidth however close to Nyquist it is. */
    void impulseInvariantPoles (double w0, double zeta, double& a1, double& a2) noexcept
    {
        if (zeta < 1.0)
        {
            const double r = std::exp (-zeta * w0);
            a1 = -2.0 * r * std::cos (w0 * std::sqrt (1.0 - zeta * zeta));
            a2 = r * r;
        }
        else
        {
            // Two real poles; written with two exponentials rather than exp * cosh so that
            // strongly damped sections do not overflow or cancel.
            const double root = std::sqrt (zeta * zeta - 1.0);
            const double z1 = std::exp (w0 * (-zeta + root)), z2 = std::exp (w0 * (-zeta - root));
            a1 = -(z1 + z2);
            a2 = z1 * z2;
        }
    }

    /** The minimum-phase numerator whose squared magnitude, over the denominator (a1, a2),
        equals t0 at DC, tn at Nyquist and tm at wm (all squared magnitudes): the closed-form
        three-point match. Used for the detector filters and as the fit's fallback. */
    BiquadCoefficients matchSecondOrder (double a1, double a2, double t0, double tn, double tm, double wm) noexcept
    {
        const double bigA0 = square (1.0 + a1 + a2), bigA1 = square (1.0 - a1 + a2), bigA2 = -4.0 * a2;
        const auto phi = basisAt (wm);
        const double denominator = bigA0 * phi.p0 + bigA1 * phi.p1 + bigA2 * phi.p2;

        const double bigB0 = t0 * bigA0, bigB1 = tn * bigA1;
        double bigB2 = (tm * denominator - bigB0 * phi.p0 - bigB1 * phi.p1) / phi.p2;

        const double r0 = std::sqrt (bigB0), r1 = std::sqrt (bigB1);
        const double w = 0.5 * (r0 + r1);

        // No real numerator has this squared magnitude when w^2 + B2 < 0 (the match asks for
        // a dip the two zeros cannot make). Keep DC and Nyquist exact and put the zeros just
        // inside the unit circle (never on it: a reciprocal design would turn them into poles).
        bigB2 = std::max (bigB2, -(1.0 - 1.0e-6) * w * w);

        BiquadCoefficients c;
        c.b0 = 0.5 * (w + std::sqrt (w * w + bigB2)); // the larger root: zeros inside the circle
        c.b1 = 0.5 * (r0 - r1);
        c.b2 = c.b0 > 0.0 ? -bigB2 / (4.0 * c.b0) : 0.0;
        c.a1 = a1;
        c.a2 = a2;
        return c;
    }

    /** The reciprocal of a minimum-phase section (still minimum phase, exactly 1/H). */
    BiquadCoefficients inverted (const BiquadCoefficients& c) noexcept
    {
        BiquadCoefficients r;
        r.b0 = 1.0 / c.b0;
        r.b1 = c.a1 / c.b0;
        r.b2 = c.a2 / c.b0;
        r.a1 = c.b1 / c.b0;
        r.a2 = c.b2 / c.b0;
        return r;
    }

    /** An analog prototype's squared magnitude as a function of x = (f / f0)^2. */
    struct Prototype
    {
        double (*squared) (double x, double p, double q) noexcept;
        double p, q;
        double w0; ///< f0 in radians per sample
        double at (double w) const noexcept { return squared ((w / w0) * (w / w0), p, q); }
    };

    /** Weight of fit points above 20 kHz that sample a sharp feature (audible points: 1). */
    constexpr double inaudibleFeatureWeight = 0.01;

    /** The fit points every grid shares, worked out once at start-up (a dynamic band is
        redesigned every few hundred microseconds, and their sines and powers of two were a
        third of its design time). Each is exactly the point add() would make. */
    struct SharedPoints
    {
        std::array<FitPoint, 25> highBand {}; // pi * 2^(-k/4), k = 24 .. 0
        std::array<FitPoint, 4> lowOctaves {}; // pi * 2^(-k/4), k = 40, 36, 32, 28
        std::array<double, 7> twelfths {}; // 2^(-k/12), k = 6 .. 0
        std::array<double, 25> twentyFourths {}; // 2^(-k/24), k = 24 .. 0

        /** FitGrid::addTopHalfOctave()'s points at the common rates, whose top of the audible
            band (wTop) is known in advance: a dynamic band adds them at every redesign. */
        struct TopHalfOctave
        {
            double wTop = 0.0;
            std::array<FitPoint, 7> points {};
        };
        std::array<TopHalfOctave, 6> topHalfOctaves {};

        /** The top of the audible band in radians per sample, as designEqBand() works it out. */
        static double audibleTop (double sampleRate) noexcept { return 2.0 * pi * std::min (20000.0, 0.5 * sampleRate) / sampleRate; }

        SharedPoints() noexcept
        {
            for (int k = 24; k >= 0; --k)
                highBand[(size_t) (24 - k)] = FitPoint::at (std::min (pi * std::exp2 (-0.25 * k), pi));
            for (int i = 0, k = 40; k > 24; k -= 4, ++i)
                lowOctaves[(size_t) i] = FitPoint::at (std::min (pi * std::exp2 (-0.25 * k), pi));
            for (int k = 6; k >= 0; --k)
                twelfths[(size_t) (6 - k)] = std::exp2 (-k / 12.0);
            for (int k = 24; k >= 0; --k)
                twentyFourths[(size_t) (24 - k)] = std::exp2 (-k / 24.0);
            const double rates[] = { 44100.0, 48000.0, 88200.0, 96000.0, 176400.0, 192000.0 };
            for (size_t r = 0; r < topHalfOctaves.size(); ++r)
            {
                auto& top = topHalfOctaves[r];
                top.wTop = audibleTop (rates[r]);
                for (size_t i = 0; i < twelfths.size(); ++i)
                    top.points[i] = FitPoint::at (std::min (top.wTop * twelfths[i], pi)); // as FitGrid::add() makes it
            }
        }
    };

    // Namespace scope, so built when the library loads: no initialisation guard on the audio thread.
    const SharedPoints sharedPoints;

    /** Frequencies (radians per sample) at which a section is fitted to its prototype. */
    struct FitGrid
    {
        static constexpr int capacity = 96;
        // Only [0, size) is ever read; left unset beyond, as zeroing it cost more than filling it.
        std::array<FitPoint, capacity> points;
        std::array<bool, capacity> feature;
        int size = 0;

        void add (double v, bool isFeature = false) noexcept
        {
            if (size < capacity && v > 0.0)
            {
                feature[(size_t) size] = isFeature;
                points[(size_t) size++] = FitPoint::at (std::min (v, pi));
            }
        }

        /** Adds points worked out in advance (all positive frequencies). */
        template <size_t count>
        void addShared (const std::array<FitPoint, count>& shared) noexcept
        {
            for (const auto& f : shared)
                if (size < capacity)
                {
                    feature[(size_t) size] = false;
                    points[(size_t) size++] = f;
                }
        }

        /** Every octave from pi/1024 to pi/128 (about 20 - 200 Hz at 44.1/48 kHz). */
        void addLowOctaves() noexcept { addShared (sharedPoints.lowOctaves); }

        /** Every quarter octave from pi/64 to Nyquist: where digital and analog part ways. */
        void addHighBand() noexcept { addShared (sharedPoints.highBand); }

        /** Twelfth octaves over the top half octave of the audible band, where the fit is hardest,
            and its top itself: left out, the fit lets the error grow unchecked over the last
            twelfth octave, which is where the worst case sits at 44.1/48 kHz. */
        void addTopHalfOctave (double wTop) noexcept
        {
            for (const auto& top : sharedPoints.topHalfOctaves)
                if (top.wTop == wTop)
                {
                    addShared (top.points);
                    return;
                }
            for (const double m : sharedPoints.twelfths)
                add (wTop * m);
        }

        /** 24ths of an octave over the top octave of the audible band and its top itself. */
        void addTopOctave (double wTop) noexcept
        {
            for (const double m : sharedPoints.twentyFourths)
                add (wTop * m);
        }

        /** A sharp feature (a resonance of quality q at wc) sampled finely enough to be seen. */
        void addFeature (double wc, double q) noexcept
        {
            const double step = std::clamp (0.5 / q, 1.0 / 24.0, 1.0 / 3.0);
            for (int k = -4; k <= 4; ++k)
                if (wc * std::exp2 (k * step) < pi)
                    add (wc * std::exp2 (k * step), true);
        }

        /** Least-squares weight of point i: audible points 1; above the audible band a sharp
            feature's samples `featureWeight`, the plain grid 0.001 (nobody hears them, and
            freeing the fit there buys accuracy below). */
        double weight (int i, double wAudible, double featureWeight = inaudibleFeatureWeight) const noexcept
        {
            if (points[(size_t) i].w <= wAudible)
                return 1.0;
            return feature[(size_t) i] ? featureWeight : 0.001;
        }
    };

    /** The numerator over the fixed denominator (a1, a2) that fits the prototype best in the
        least-squares sense of relative error (close to dB error) over the grid, with the DC
        value t0 exact. Points above 20 kHz count little: nobody hears them, and freeing the
        fit there buys accuracy below. That includes the samples of a sharp feature that lies
        above 20 kHz (a cut's corner, a shelf's zeros near Nyquist): they count a little more
        than the plain grid, so the response up there stays tame, but far less than audible
        points (at full weight they cost accuracy below 20 kHz: a 48 dB/oct high cut at 18 kHz
        was 1.1 dB off at 20 kHz at 48 kHz, now 0.5 dB). When that fit is not realisable the
        features get full weight again, and when that is not realisable either it falls back
        to the three-point match.

        The unknowns are C1, C2 of B0 + C1 p1 + C2 p1^2: near DC only C1 matters and near
        Nyquist both do, so the two are well separated (in the DC/Nyquist basis the normal
        equations lose every digit for features far below Nyquist). */
    BiquadCoefficients fitNumerator (
        double a1, double a2, double t0, const Prototype& proto, const FitGrid& grid, double wAudible) noexcept
    {
        const double bigB0 = t0 * square (1.0 + a1 + a2);
        const PolePair poles (a1, a2);
        // Only [0, n) is used: no zeroing (it was a third of this function's time).
        std::array<double, FitGrid::capacity> us, vs, cs;
        std::array<int, FitGrid::capacity> pointOf;
        int n = 0;
        for (int i = 0; i < grid.size; ++i)
        {
            const auto& f = grid.points[(size_t) i];
            const double target = proto.at (f.w) * poles.squaredAt (f);
            if (! (target > 1.0e-300))
                continue;
            const double r = 1.0 / target;
            us[(size_t) n] = f.p * r;
            vs[(size_t) n] = f.p * f.p * r;
            cs[(size_t) n] = 1.0 - bigB0 * r;
            pointOf[(size_t) n] = i;
            ++n;
        }

        BiquadCoefficients out;
        out.a1 = a1;
        out.a2 = a2;
        for (const double featureWeight : { inaudibleFeatureWeight, 1.0 })
        {
            double suu = 0.0, suv = 0.0, svv = 0.0, suc = 0.0, svc = 0.0;
            for (size_t i = 0; i < (size_t) n; ++i)
            {
                const double weight = grid.weight (pointOf[i], wAudible, featureWeight);
                suu += weight * us[i] * us[i];
                suv += weight * us[i] * vs[i];
                svv += weight * vs[i] * vs[i];
                suc += weight * us[i] * cs[i];
                svc += weight * vs[i] * cs[i];
            }
            const double det = suu * svv - suv * suv;
            if (det > 0.0 && minimumPhaseNumerator (bigB0, (suc * svv - svc * suv) / det, (svc * suu - suc * suv) / det, out))
                return out;
        }

        const double wm = std::min (proto.w0, 0.9 * pi);
        return matchSecondOrder (a1, a2, t0, proto.at (pi), proto.at (wm), wm);
    }

    // Squared magnitudes of the normalised analog prototypes; x = (f / f0)^2. All take
    // (x, a, q2) so that a fit can hold any of them: a = 10^(dB/40) (the gain's square root),
    // q2 = Q^2; the tilt takes its full linear gain in `a`.

    double powInt (double x, int n) noexcept
    {
        double r = 1.0;
        for (int i = 0; i < n; ++i)
            r *= x;
        return r;
    }

    double butterworthLowSquared (double x, double order, double) noexcept
    {
        return 1.0 / (1.0 + powInt (x, (int) order));
    }

    double butterworthHighSquared (double x, double order, double) noexcept
    {
        const double p = powInt (x, (int) order);
        return p / (1.0 + p);
    }

    double bellSquared (double x, double a, double q2) noexcept
    {
        const double d = square (1.0 - x);
        return (d + x * a * a / q2) / (d + x / (a * a * q2));
    }

    double lowShelfSquared (double x, double a, double q2) noexcept
    {
        return a * a * (square (a - x) + x * a / q2) / (square (1.0 - a * x) + x * a / q2);
    }

    double highShelfSquared (double x, double a, double q2) noexcept
    {
        return a * a * (square (1.0 - a * x) + x * a / q2) / (square (a - x) + x * a / q2);
    }

    double lowPassSquared (double x, double, double q2) noexcept
    {
        return 1.0 / (square (1.0 - x) + x / q2);
    }
    double highPassSquared (double x, double, double q2) noexcept
    {
        return x * x / (square (1.0 - x) + x / q2);
    }
    double lowPass1Squared (double x, double, double) noexcept
    {
        return 1.0 / (1.0 + x);
    }
    double highPass1Squared (double x, double, double) noexcept
    {
        return x / (1.0 + x);
    }
    double bandPassSquared (double x, double, double q2) noexcept
    {
        return (x / q2) / (square (1.0 - x) + x / q2);
    }
    double notchSquared (double x, double, double q2) noexcept
    {
        return square (1.0 - x) / (square (1.0 - x) + x / q2);
    }
    double inverseNotchSquared (double x, double, double q2) noexcept
    {
        return 1.0 + x / (q2 * square (1.0 - x));
    }
    double tiltSquared (double x, double g, double) noexcept
    {
        return (g * x + 1.0) / (x + g);
    }

    int cutOrder (int slopeDbPerOctave) noexcept
    {
        return std::clamp ((slopeDbPerOctave + 3) / 6, 1, 2 * maxEqSections);
    }

    constexpr double minimumQ = 0.05;

    /** A second-order section: impulse-invariant poles at (wp, zeta), numerator fitted to the
        prototype with DC value t0. `features` are the prototype's sharp spots (frequency, Q). */
    BiquadCoefficients fittedSection (double wp, double zeta, double t0, const Prototype& proto,
        std::initializer_list<std::pair<double, double>> features, double wAudible) noexcept
    {
        double a1 = 0.0, a2 = 0.0;
        impulseInvariantPoles (wp, zeta, a1, a2);
        FitGrid grid;
        grid.addHighBand();
        grid.addTopHalfOctave (wAudible);
        for (const auto& [w, q] : features)
            grid.addFeature (w, q);
        return fitNumerator (a1, a2, t0, proto, grid, wAudible);
    }

    /** A first-order prototype (one real pole at wp) as a biquad whose second pole sits at the
        origin: the spare numerator coefficient is what lets it follow the analog curve to Nyquist. */
    BiquadCoefficients fittedFirstOrder (double wp, double t0, const Prototype& proto, double wAudible) noexcept
    {
        FitGrid grid;
        grid.addHighBand();
        grid.addTopHalfOctave (wAudible);
        grid.addFeature (wp, 0.5);
        grid.addFeature (proto.w0, 0.5);
        return fitNumerator (-std::exp (-wp), 0.0, t0, proto, grid, wAudible);
    }

    /** A second-order Butterworth high-pass section: impulse-invariant poles and the analog
        double zero at DC kept exactly (else the response far below the corner would fall at
        6 dB/oct instead of 12), so only the level is fitted. */
    BiquadCoefficients fittedHighPass (double w0, double q, double wAudible) noexcept
    {
        double a1 = 0.0, a2 = 0.0;
        impulseInvariantPoles (w0, 0.5 / q, a1, a2);
        const Prototype proto { highPassSquared, 0.0, q * q, w0 };
        FitGrid grid;
        grid.addHighBand();
        grid.addTopHalfOctave (wAudible);
        grid.addFeature (w0, q);

        const PolePair poles (a1, a2);
        double snn = 0.0, sn = 0.0;
        for (int i = 0; i < grid.size; ++i)
        {
            const auto& f = grid.points[(size_t) i];
            const double target = proto.at (f.w) * poles.squaredAt (f);
            if (! (target > 1.0e-300))
                continue;
            const double weight = grid.weight (i, wAudible, 0.001);
            const double n = 16.0 * f.p * f.p / target; // |1 - 2/z + 1/z^2|^2 = 16 p^2
            snn += weight * n * n;
            sn += weight * n;
        }
        const double g = snn > 0.0 ? std::sqrt (sn / snn) : 0.0;
        return { g, -2.0 * g, g, a1, a2 };
    }

    /** Butterworth cut of order n as matched sections: second-order sections first, the odd
        order's first-order section last. */
    void designCut (EqCascade& out, bool highPass, int order, double w0, double wAudible) noexcept
    {
        out.numSections = 0;
        for (int k = 0; k < order / 2; ++k)
        {
            const double q = butterworthSectionQ (order, k);
            out.sections[(size_t) out.numSections++] = highPass
                ? fittedHighPass (w0, q, wAudible)
                : fittedSection (w0, 0.5 / q, 1.0, { lowPassSquared, 0.0, q * q, w0 }, { { w0, q } }, wAudible);
        }
        if (order % 2 == 1)
        {
            const Prototype proto { highPass ? highPass1Squared : lowPass1Squared, 0.0, 0.0, w0 };
            out.sections[(size_t) out.numSections++] = fittedFirstOrder (w0, highPass ? 0.0 : 1.0, proto, wAudible);
        }
    }

    /*  The top section. Every band at every rate gets a second section with a double real pole
        at z = -1/2, fitted jointly with the band's own section: the band's impulse-invariant
        poles stay, and both numerators come from one quartic least-squares fit with one Lawson
        step (dsp/SquaredMagnitudeFit.h), over the audible band (to 20 kHz) and loosely above
        it. One fixed pole position, not a search, so that a gliding band's designs move
        smoothly from one to the next (the module ramps coefficients between them); -1/2 is the
        best single choice found over the whole settings grid at 44.1 and 48 kHz (poles at
        -0.3 or -0.55 suit some bands slightly better and others worse). */
    constexpr double topPoleRadius = 0.5;
    constexpr int lawsonSteps = 1;

    double sectionSquared (const BiquadCoefficients& c, const FitPoint& f) noexcept
    {
        // The numerator in the same p form as the fit: B0 p0 + B1 p1 + B2 p2.
        const double bigB0 = square (c.b0 + c.b1 + c.b2), bigB1 = square (c.b0 - c.b1 + c.b2), bigB2 = -4.0 * c.b0 * c.b2;
        const double numerator = bigB0 * (1.0 - f.p) + bigB1 * f.p + bigB2 * 4.0 * f.p * (1.0 - f.p);
        return numerator / PolePair (c.a1, c.a2).squaredAt (f);
    }

    /** Refits section `index` of `cascade` together with a top section (appended), both to the
        prototype (in the design domain: the one whose sharp part sits in the poles). `dcZeros`:
        the section's exact zeros at DC (a high-pass), else its DC value is kept. Leaves the
        cascade as it was, plus an identity top section, when no pair can be found (a fit that
        is not a squared magnitude; not seen over the settings grid, but checked). */
    void addTopSection (EqCascade& cascade, int index, int dcZeros, const Prototype& proto,
        std::initializer_list<std::pair<double, double>> features, double wAudible) noexcept
    {
        if (cascade.numSections >= maxEqSections)
            return;
        auto& top = cascade.sections[(size_t) cascade.numSections++];
        top = BiquadCoefficients {};

        // What the pair must make: the prototype over the band's other sections.
        const auto others = [&cascade, index] (const FitPoint& f) {
            double m = 1.0;
            for (int s = 0; s < cascade.numSections - 1; ++s)
                if (s != index)
                    m *= sectionSquared (cascade.sections[(size_t) s], f);
            return m;
        };
        FitGrid grid;
        grid.addLowOctaves();
        grid.addHighBand();
        grid.addTopOctave (wAudible);
        for (const auto& [wc, q] : features)
            grid.addFeature (wc, q);
        QuarticFit fit;
        for (int i = 0; i < grid.size; ++i)
        {
            const auto& f = grid.points[(size_t) i];
            fit.add (f, proto.at (f.w) / others (f), grid.weight (i, wAudible), f.w <= wAudible);
        }

        const auto& main = cascade.sections[(size_t) index];
        double dcValue = 1.0;
        if (dcZeros == 0)
            dcValue = proto.at (0.0) / others (FitPoint::at (0.0));
        fit.setDc (dcZeros, dcValue);

        const PolePair mainPoles (main.a1, main.a2), topPoles (2.0 * topPoleRadius, topPoleRadius * topPoleRadius);
        Quartic quartic {};
        double worstDb = 0.0;
        BiquadCoefficients near, far;
        if (! fit.fit (mainPoles, topPoles, lawsonSteps, quartic, worstDb) || ! splitQuartic (quartic, mainPoles.resonanceP(), near, far))
            return; // keep the single section and an identity top section
        near.a1 = main.a1;
        near.a2 = main.a2;
        far.a1 = topPoles.a1;
        far.a2 = topPoles.a2;
        cascade.sections[(size_t) index] = near;
        top = far;
    }
} // namespace

double butterworthSectionQ (int order, int index) noexcept
{
    // Angle of the pole pair from the negative real axis; odd orders also have a real pole.
    const double angle = order % 2 == 0 ? pi * (2 * index + 1) / (2.0 * order) : pi * (index + 1) / (double) order;
    return 0.5 / std::cos (angle);
}

bool isIdentity (const EqBand& band) noexcept
{
    switch (band.type)
    {
        case EqBandType::off:
            return true;
        case EqBandType::bell:
        case EqBandType::lowShelf:
        case EqBandType::highShelf:
        case EqBandType::tilt:
            return band.gainDb == 0.0;
        case EqBandType::lowCut:
        case EqBandType::highCut:
        case EqBandType::notch:
            return false;
    }
    return true;
}

EqCascade designEqBand (const EqBand& band, double sampleRate, bool withTopSection) noexcept
{
    EqCascade out;
    if (isIdentity (band) || ! (sampleRate > 0.0))
        return out;

    const double f0 = std::clamp (band.frequencyHz, 1.0, 0.49 * sampleRate);
    const double w0 = 2.0 * pi * f0 / sampleRate;
    const double wAudible = SharedPoints::audibleTop (sampleRate);
    const double q = std::max (band.q, minimumQ);
    const double q2 = q * q;
    const bool cut = band.gainDb < 0.0;
    const double a = std::pow (10.0, std::fabs (band.gainDb) / 40.0); // boost side: a > 1

    const auto top = [&] (int index, int dcZeros, const Prototype& proto, std::initializer_list<std::pair<double, double>> features) {
        if (withTopSection)
            addTopSection (out, index, dcZeros, proto, features, wAudible);
        else if (out.numSections < maxEqSections)
            out.sections[(size_t) out.numSections++] = BiquadCoefficients {}; // same structure, so designs glide
    };
    // Designs whose sharp part sits in the zeros are made as their mirror image and inverted.
    const auto invertAll = [&out] {
        for (int i = 0; i < out.numSections; ++i)
            out.sections[(size_t) i] = inverted (out.sections[(size_t) i]);
    };

    auto& s = out.sections[0];
    out.numSections = 1;
    switch (band.type)
    {
        case EqBandType::bell:
        {
            // The boost carries the resonance in its poles; a cut is its exact reciprocal.
            const Prototype proto { bellSquared, a, q2, w0 };
            s = fittedSection (w0, 0.5 / (a * q), 1.0, proto, { { w0, a * q } }, wAudible);
            top (0, 0, proto, { { w0, a * q } });
            if (cut)
                invertAll();
            break;
        }
        case EqBandType::lowShelf:
        {
            // Boosting low shelf: poles at f0 / sqrt(a), below its zeros at f0 * sqrt(a).
            const Prototype proto { lowShelfSquared, a, q2, w0 };
            s = fittedSection (w0 / std::sqrt (a), 0.5 / q, a * a * a * a, proto,
                { { w0 / std::sqrt (a), q }, { w0 * std::sqrt (a), q } }, wAudible);
            top (0, 0, proto, { { w0 / std::sqrt (a), q }, { w0 * std::sqrt (a), q } });
            if (cut)
                invertAll();
            break;
        }
        case EqBandType::highShelf:
        {
            // Cutting high shelf: poles at f0 / sqrt(a), below its zeros; a boost is its reciprocal.
            const Prototype proto { highShelfSquared, 1.0 / a, q2, w0 };
            s = fittedSection (w0 / std::sqrt (a), 0.5 / q, 1.0, proto,
                { { w0 / std::sqrt (a), q }, { w0 * std::sqrt (a), q } }, wAudible);
            top (0, 0, proto, { { w0 / std::sqrt (a), q }, { w0 * std::sqrt (a), q } });
            if (! cut)
                invertAll();
            break;
        }
        case EqBandType::lowCut:
        case EqBandType::highCut:
        {
            const bool highPass = band.type == EqBandType::lowCut;
            const int order = cutOrder (band.slopeDbPerOctave);
            designCut (out, highPass, order, w0, wAudible);
            // The pair takes the sharpest second-order section (the last), or the first-order one.
            const int index = order >= 2 ? order / 2 - 1 : 0;
            const double sectionQ = order >= 2 ? butterworthSectionQ (order, index) : 0.5;
            top (index, highPass ? std::min (order, 2) : 0,
                { highPass ? butterworthHighSquared : butterworthLowSquared, (double) order, 0.0, w0 }, { { w0, sectionQ } });
            break;
        }
        case EqBandType::notch:
        {
            // Zeros exactly on the unit circle at the centre (a true null). The poles are what
            // must follow the analog bandwidth, so fit the reciprocal: its fixed "poles" are the
            // notch's zeros and its fitted numerator becomes the notch's denominator.
            const Prototype proto { inverseNotchSquared, 0.0, q2, w0 };
            FitGrid grid;
            grid.addHighBand();
            grid.addTopHalfOctave (wAudible);
            grid.addFeature (w0, q);
            s = fitNumerator (-2.0 * std::cos (w0), 1.0, 1.0, proto, grid, wAudible);
            top (0, 0, proto, { { w0, q } });
            invertAll();
            break;
        }
        case EqBandType::tilt:
        {
            // The falling tilt has its pole below its zero; a rising one is its reciprocal.
            const double g = 1.0 / (a * a);
            const Prototype proto { tiltSquared, g, 0.0, w0 };
            s = fittedFirstOrder (w0 * std::sqrt (g), 1.0 / g, proto, wAudible);
            top (0, 0, proto, { { w0 * std::sqrt (g), 0.5 }, { w0, 0.5 } });
            if (! cut)
                invertAll();
            break;
        }
        case EqBandType::off:
            out.numSections = 0;
            break;
    }
    return out;
}

BiquadCoefficients designSidechainFilter (const EqBand& band, double sampleRate) noexcept
{
    const double f0 = std::clamp (band.frequencyHz, 1.0, 0.49 * sampleRate);
    const double w0 = 2.0 * pi * f0 / sampleRate;
    const double wAudible = SharedPoints::audibleTop (sampleRate);
    EqCascade cascade;

    switch (band.type)
    {
        case EqBandType::bell:
        case EqBandType::notch:
        {
            const double q = std::max (band.q, minimumQ);
            double a1 = 0.0, a2 = 0.0;
            impulseInvariantPoles (w0, 0.5 / q, a1, a2);
            const double xNyquist = square (pi / w0);
            return matchSecondOrder (a1, a2, 0.0, bandPassSquared (xNyquist, 0.0, q * q), 1.0, w0);
        }
        case EqBandType::highShelf:
        case EqBandType::highCut:
            designCut (cascade, true, 2, w0, wAudible);
            return cascade.sections[0];
        case EqBandType::lowShelf:
        case EqBandType::lowCut:
        case EqBandType::tilt:
        case EqBandType::off:
            break;
    }
    designCut (cascade, false, 2, w0, wAudible);
    return cascade.sections[0];
}

AnalogEqResponse::AnalogEqResponse (const EqBand& band) noexcept : type (band.type)
{
    const double f0 = std::max (band.frequencyHz, 1.0);
    const double q = std::max (band.q, minimumQ);
    inverseFrequencySquared = 1.0 / (f0 * f0);
    q2 = q * q;
    a = std::pow (10.0, band.gainDb / 40.0);
    gainLinear = a * a;
    order = cutOrder (band.slopeDbPerOctave);
    if (isIdentity (band))
        type = EqBandType::off;
}

double AnalogEqResponse::magnitudeSquared (double frequencyHz) const noexcept
{
    const double x = frequencyHz * frequencyHz * inverseFrequencySquared;
    switch (type)
    {
        case EqBandType::off:
            return 1.0;
        case EqBandType::bell:
            return bellSquared (x, a, q2);
        case EqBandType::lowShelf:
            return lowShelfSquared (x, a, q2);
        case EqBandType::highShelf:
            return highShelfSquared (x, a, q2);
        case EqBandType::lowCut:
        {
            const double p = powInt (x, order);
            return p / (1.0 + p);
        }
        case EqBandType::highCut:
            return 1.0 / (1.0 + powInt (x, order));
        case EqBandType::notch:
            return notchSquared (x, 0.0, q2);
        case EqBandType::tilt:
            return tiltSquared (x, gainLinear, 0.0);
    }
    return 1.0;
}

double analogMagnitudeDb (const EqBand& band, double frequencyHz) noexcept
{
    const double m = AnalogEqResponse (band).magnitudeSquared (frequencyHz);
    return m > 0.0 ? 10.0 * std::log10 (m) : -400.0;
}

double cascadeMagnitudeDb (const EqCascade& cascade, double sampleRate, double frequencyHz) noexcept
{
    const auto z1 = std::polar (1.0, -2.0 * pi * frequencyHz / sampleRate);
    const auto z2 = z1 * z1;
    double m = 1.0;
    for (int i = 0; i < cascade.numSections; ++i)
    {
        const auto& c = cascade.sections[(size_t) i];
        m *= std::norm (c.b0 + c.b1 * z1 + c.b2 * z2) / std::norm (1.0 + c.a1 * z1 + c.a2 * z2);
    }
    return m > 0.0 ? 10.0 * std::log10 (m) : -400.0;
}

} // namespace crest::dsp
