#include "dsp/ReproducibleFloat.h" // first: see there

#include "dsp/DynamicsProcessor.h"
#include "dsp/VectorDispatch.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace crest::dsp
{
/** Everything the steady path needs, fixed for a stretch with no glide. */
struct detail::DynamicsSteadyConstants
{
    double rmsCoeff, detection;
    double threshold, slope, kneeLimit, kneeScale, halfKnee, kneeStartSquared;
    double link;
    double holdCoeff, attackCoeff, slowAttackCoeff, slowReleaseCoeff, autoAmount;
    double makeupDb, wet, highPassMix;
};

namespace
{
    constexpr double pi = 3.14159265358979323846;
    constexpr double dbPerLog2OfPower = 3.0102999566398120; // 10 log10 (2): dB of a squared level
    constexpr double log2PerDb = 0.16609640474436813; // log2 (10) / 20: gain exponent per dB
    constexpr double minimumHighPassHz = 20.0;

    /** Below this an envelope or mean square is treated as zero: it keeps denormals out of
        the feedback paths of long, quiet tails. */
    constexpr double flushLevel = 1.0e-12;

    double onePoleCoefficient (double seconds, double sampleRate) noexcept
    {
        return seconds > 0.0 ? std::exp (-1.0 / (seconds * sampleRate)) : 0.0;
    }

    /** The response at time t of the hold release (tau1) followed by the attack filter
        (tauA) to a unit step down: the difference of two exponentials. */
    double cascadeResponse (double t, double tau1, double tauA) noexcept
    {
        if (tau1 <= 0.0)
            return std::exp (-t / tauA);
        if (std::abs (tau1 - tauA) < 1.0e-9 * tauA)
            return (1.0 + t / tauA) * std::exp (-t / tauA);
        return (tau1 * std::exp (-t / tau1) - tauA * std::exp (-t / tauA)) / (tau1 - tauA);
    }

    BiquadCoefficients butterworthHighPass (double sampleRate, double frequency) noexcept
    {
        const double k = std::tan (pi * frequency / sampleRate);
        const double sqrt2 = 1.4142135623730951;
        const double norm = 1.0 / (1.0 + sqrt2 * k + k * k);
        BiquadCoefficients c;
        c.b0 = norm;
        c.b1 = -2.0 * norm;
        c.b2 = norm;
        c.a1 = 2.0 * (k * k - 1.0) * norm;
        c.a2 = (1.0 - sqrt2 * k + k * k) * norm;
        return c;
    }

    void flush (double& v) noexcept
    {
        if (v < flushLevel)
            v = 0.0;
    }

    using vec::load;
    using vec::M4;
    using vec::store;
    using vec::V4;
    using U4 = unsigned long long __attribute__ ((vector_size (32)));
    using F4 = float __attribute__ ((vector_size (16)));

    /** Eight doubles: both channels' four bands in one vector (one AVX-512 register, two
        AVX ones in that clone), for the passes with no recursion. */
    using V8 = double __attribute__ ((vector_size (64)));
    using U8 = unsigned long long __attribute__ ((vector_size (64)));

    /** The integer vector of a double vector's bit patterns. */
    template <class V>
    struct BitsOf;
    template <>
    struct BitsOf<V4>
    {
        using type = U4;
    };
    template <>
    struct BitsOf<V8>
    {
        using type = U8;
    };

    inline V4 broadcast (double x) noexcept
    {
        return V4 { x, x, x, x };
    }

    /** x in every lane of a V4 or V8. */
    template <class V>
    inline V splat (double x) noexcept
    {
        if constexpr (sizeof (V) == sizeof (V4))
            return V { x, x, x, x };
        else
            return V { x, x, x, x, x, x, x, x };
    }

    template <class V>
    inline V maximum (const V& a, const V& b) noexcept
    {
        return a < b ? b : a;
    }

    /** (a, b) as one V8, and its halves back (register moves: going through memory made
        every join a failed store-to-load forwarding). */
    inline V8 join (const V4& a, const V4& b) noexcept
    {
        return __builtin_shufflevector (a, b, 0, 1, 2, 3, 4, 5, 6, 7);
    }
    inline V4 lowHalf (const V8& v) noexcept
    {
        return __builtin_shufflevector (v, v, 0, 1, 2, 3);
    }
    inline V4 highHalf (const V8& v) noexcept
    {
        return __builtin_shufflevector (v, v, 4, 5, 6, 7);
    }

    inline V4 loadFloats (const float* p) noexcept
    {
        F4 f;
        std::memcpy (&f, p, sizeof (f));
        return __builtin_convertvector(f, V4);
    }

    inline void storeFloats (float* p, const V4& v) noexcept
    {
        const F4 f = __builtin_convertvector(v, F4);
        std::memcpy (p, &f, sizeof (f));
    }

    /** 2^x for |x| < 1000. x is split into an integer k, by the 1.5 * 2^52 trick (whose sum
        also holds k in its low bits), and f = x - k in [-0.5, 0.5]; 2^f = 1 + f q (f) with q a
        degree 5 polynomial, a Chebyshev interpolant fitted for Crest: relative error 5e-9,
        4e-8 dB, a tenth of what a float output can show. 2^0 is exactly 1. */
    template <class V>
    inline V exp2Fast (const V& exponent) noexcept
    {
        constexpr double shifter = 6755399441055744.0;
        using U = typename BitsOf<V>::type;
        V x = maximum (exponent, splat<V> (-1000.0));
        x = x < splat<V> (1000.0) ? x : splat<V> (1000.0);
        const V shifted = x + shifter;
        const V f = x - (shifted - shifter);

        V q = splat<V> (1.5453162928717271e-04);
        q = q * f + 1.3390863364672136e-03;
        q = q * f + 9.6180825573248061e-03;
        q = q * f + 5.5503571142189990e-02;
        q = q * f + 2.4022650760567898e-01;
        q = q * f + 6.9314718802622888e-01;
        const V p = 1.0 + f * q;

        const U k = (U) shifted - (U) splat<V> (shifter);
        return p * (V) ((k + 1023) << 52);
    }

    /** log2 (x) for positive, finite, normal x (anything else gives a finite wrong value).
        The mantissa is taken into [sqrt 0.5, sqrt 2) and log2 (1 + u) there by a degree 9
        polynomial in u, a Chebyshev interpolant fitted for Crest: absolute error 9e-9, 3e-8 dB
        of level; no division. */
    template <class V>
    inline V log2Fast (const V& x) noexcept
    {
        using U = typename BitsOf<V>::type;
        const U bits = (U) x;
        V m = (V) ((bits & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL);
        // The exponent field as a double: OR-ed into the mantissa of 2^52, then 2^52 taken away.
        V e = (V) ((bits >> 52) | 0x4330000000000000ULL) - (4503599627370496.0 + 1023.0);
        const auto high = m > splat<V> (1.4142135623730951);
        m = high ? m * 0.5 : m;
        e = high ? e + 1.0 : e;

        const V u = m - 1.0;
        V p = splat<V> (1.1955192556862046e-01);
        p = p * u - 2.0718147869176182e-01;
        p = p * u + 2.1828041529012190e-01;
        p = p * u - 2.3908932998983223e-01;
        p = p * u + 2.8761293316108155e-01;
        p = p * u - 3.6068848573338341e-01;
        p = p * u + 4.8092342403166227e-01;
        p = p * u - 7.2134771269074127e-01;
        p = p * u + 1.4426948582054206e+00;
        p = p * u + 9.7944397554000471e-10;
        return e + p;
    }

    inline double exp2Fast (double x) noexcept
    {
        return exp2Fast (broadcast (x))[0];
    }
    inline double log2Fast (double x) noexcept
    {
        return log2Fast (broadcast (x))[0];
    }

    //==============================================================================
    using SteadyConstants = detail::DynamicsSteadyConstants;

    /** The signal state of the running path, in and out of the steady passes. */
    struct SteadyState
    {
        double meanSquare[2], hold[2], slow[2], envelope[2];
        int untilFlush;
    };

    /** The gain computer's constants, per lane. */
    template <class V>
    struct CurveOf
    {
        V threshold, halfKnee, kneeScale, slope, kneeLimit, kneeStartSquared;
    };
    using Curve = CurveOf<V4>;

    Curve curveFor (const SteadyConstants& k) noexcept
    {
        return { broadcast (k.threshold), broadcast (k.halfKnee), broadcast (k.kneeScale), broadcast (k.slope),
            broadcast (k.kneeLimit), broadcast (k.kneeStartSquared) };
    }

    /** The gain computer on four levels (squared): dB of reduction wanted. */
    template <class V>
    inline V wantedReduction (const V& levelSquared, const CurveOf<V>& k) noexcept
    {
        const V over = log2Fast (levelSquared) * dbPerLog2OfPower - k.threshold;
        const V t = over + k.halfKnee;
        const V inKnee = k.kneeScale * (t * t);
        const V above = k.slope * over;
        const V wanted = over < k.kneeLimit ? inKnee : above;
        return levelSquared > k.kneeStartSquared ? wanted : splat<V> (0.0);
    }

    inline V4 flushed (const V4& v) noexcept
    {
        return v < broadcast (flushLevel) ? broadcast (0.0) : v;
    }

    /** Gains for four samples of both channels, applied to the input, then the dry mix. */
    template <bool midSide>
    inline void applyGains (
        float* left, float* right, const double* envelopeA, const double* envelopeB, const SteadyConstants& k) noexcept
    {
        const double makeup = k.makeupDb * log2PerDb;
        // Both channels' exponentials as one eight-lane vector (see runBands()).
        const V8 gains = exp2Fast (makeup - join (load (envelopeA), load (envelopeB)) * log2PerDb);
        const V4 gainA = lowHalf (gains), gainB = highHalf (gains);
        const V4 l = loadFloats (left), r = loadFloats (right);
        V4 outL, outR;
        if constexpr (midSide)
        {
            const V4 m = 0.5 * (l + r), s = 0.5 * (l - r);
            outL = gainA * m + gainB * s;
            outR = gainA * m - gainB * s;
        }
        else
        {
            outL = l * gainA;
            outR = r * gainB;
        }
        const double dry = 1.0 - k.wet;
        storeFloats (left, k.wet * outL + dry * l);
        storeFloats (right, k.wet * outR + dry * r);
    }

    /** The steady path over at most `chunk` samples of finite input: levels, wanted
        reductions, envelopes and output, in four passes through the lane buffers. Returns the
        largest envelope. */
    template <bool midSide, bool highPass>
    CREST_WIDE_VECTOR_CLONES double runSteady (const SteadyConstants& k, SteadyState& state, Biquad* highPassFilters, double* laneA,
        double* laneB, float* left, float* right, int n) noexcept
    {
        // 1. Side-chain levels: the mean-square recursion is serial, so this is a scalar loop.
        {
            double msA = state.meanSquare[0], msB = state.meanSquare[1];
            const double rc = k.rmsCoeff, rin = 1.0 - k.rmsCoeff, det = k.detection;
            int untilFlush = state.untilFlush;
            for (int i = 0; i < n; ++i)
            {
                double l = left[i], r = right[i];
                if constexpr (highPass)
                {
                    l += k.highPassMix * (highPassFilters[0].process (l) - l);
                    r += k.highPassMix * (highPassFilters[1].process (r) - r);
                }
                double a = l, b = r;
                if constexpr (midSide)
                {
                    a = 0.5 * (l + r);
                    b = 0.5 * (l - r);
                }
                const double sa = a * a, sb = b * b;
                msA = rc * msA + rin * sa;
                msB = rc * msB + rin * sb;
                if (--untilFlush == 0)
                {
                    untilFlush = DynamicsProcessor::flushInterval;
                    flush (msA);
                    flush (msB);
                    if constexpr (highPass)
                    {
                        highPassFilters[0].flushDenormals();
                        highPassFilters[1].flushDenormals();
                    }
                }
                laneA[i] = sa + det * (msA - sa);
                laneB[i] = sb + det * (msB - sb);
            }
            state.meanSquare[0] = msA;
            state.meanSquare[1] = msB;
        }

        // 2. Gain computer and stereo link, four samples at a time (the buffers are padded).
        const Curve curve4 = curveFor (k);
        const auto doubled = [] (const V4& v) { return join (v, v); };
        const CurveOf<V8> curve { doubled (curve4.threshold), doubled (curve4.halfKnee), doubled (curve4.kneeScale),
            doubled (curve4.slope), doubled (curve4.kneeLimit), doubled (curve4.kneeStartSquared) };
        for (int i = 0; i < n; i += 4)
        {
            // Both channels' gain computers as one eight-lane vector (see runBands()).
            const V8 wanted = wantedReduction (join (load (laneA + i), load (laneB + i)), curve);
            V4 a = lowHalf (wanted);
            V4 b = highHalf (wanted);
            const V4 larger = maximum (a, b);
            a += k.link * (larger - a);
            b += k.link * (larger - b);
            store (laneA + i, a);
            store (laneB + i, b);
        }

        // 3. Ballistics: hold, slow and attack envelopes, serial again.
        double largest = 0.0;
        {
            const double hc = k.holdCoeff, hin = 1.0 - k.holdCoeff;
            const double ac = k.attackCoeff, ain = 1.0 - k.attackCoeff;
            const double sac = k.slowAttackCoeff, sain = 1.0 - k.slowAttackCoeff;
            const double src = k.slowReleaseCoeff, srin = 1.0 - k.slowReleaseCoeff;
            const double autoAmount = k.autoAmount;
            double hold[2] = { state.hold[0], state.hold[1] }, slow[2] = { state.slow[0], state.slow[1] },
                   envelope[2] = { state.envelope[0], state.envelope[1] };
            double* lanes[2] = { laneA, laneB };
            int untilFlush = state.untilFlush;
            for (int i = 0; i < n; ++i)
            {
                const bool flushNow = --untilFlush == 0;
                if (flushNow)
                    untilFlush = DynamicsProcessor::flushInterval;
                for (int c = 0; c < 2; ++c)
                {
                    const double g = lanes[c][i];
                    hold[c] = std::max (g, hc * hold[c] + hin * g);
                    slow[c] = std::max (sac * slow[c] + sain * g, src * slow[c] + srin * g); // see runPath()
                    const double held = hold[c] + autoAmount * std::max (0.0, slow[c] - hold[c]);
                    envelope[c] = ac * envelope[c] + ain * held;
                    if (flushNow)
                    {
                        flush (hold[c]);
                        flush (slow[c]);
                        flush (envelope[c]);
                    }
                    lanes[c][i] = envelope[c];
                    largest = std::max (largest, envelope[c]);
                }
            }
            for (int c = 0; c < 2; ++c)
            {
                state.hold[c] = hold[c];
                state.slow[c] = slow[c];
                state.envelope[c] = envelope[c];
            }
            state.untilFlush = untilFlush;
        }

        // 4. Gains and output, four samples at a time; a short tail goes through a padded copy
        // so that every sample sees the same arithmetic.
        int i = 0;
        for (; i + 4 <= n; i += 4)
            applyGains<midSide> (left + i, right + i, laneA + i, laneB + i, k);
        if (i < n)
        {
            float l[4] = {}, r[4] = {};
            std::copy (left + i, left + n, l);
            std::copy (right + i, right + n, r);
            applyGains<midSide> (l, r, laneA + i, laneB + i, k);
            std::copy (l, l + (n - i), left + i);
            std::copy (r, r + (n - i), right + i);
        }
        return largest;
    }

    //==============================================================================
    /** Four processors' constants, one per lane. */
    struct BandConstants
    {
        V4 rmsCoeff, rmsIn, detection;
        Curve curve;
        V4 link;
        V4 holdCoeff, holdIn, attackCoeff, attackIn, slowAttackCoeff, slowAttackIn, slowReleaseCoeff, slowReleaseIn, autoAmount;
        V4 makeupLog2, wet, dry;
    };

    /** Four processors' running paths, one per lane; [0] is the first detector channel. */
    struct BandState
    {
        V4 meanSquare[2], hold[2], slow[2], envelope[2];
        int untilFlush;
    };

    /** A record's bands as two vectors, one per channel, band b in lane b (a record holds
        bands 0 and 1 of both channels, then bands 2 and 3: see Crossover::recordIndex()). */
    inline void loadRecord (const double* record, V4& left, V4& right) noexcept
    {
        const V4 r0 = load (record), r1 = load (record + 4);
        left = vec::shuffle (r0, r1, M4 { 0, 1, 4, 5 });
        right = vec::shuffle (r0, r1, M4 { 2, 3, 6, 7 });
    }

    /** Four processors on the four stereo bands of crossover records (at most `chunk` of them),
        lane b for band b, each step one vector operation for all four bands, in the same four
        passes as the single processor's steady path: a long chain of dependent work per sample
        (logarithm, ballistics, exponential) would otherwise leave the loop waiting on latency.
        laneA and laneB carry four values per sample. Writes the sum of the compressed bands and
        keeps each lane's largest envelope. */
    template <bool midSide>
    CREST_WIDE_VECTOR_CLONES void runBands (const BandConstants& k, BandState& state, double* laneA, double* laneB,
        const double* records, float* left, float* right, int n, V4& largest) noexcept
    {
        const int startFlush = state.untilFlush;

        // Most passes run both channels' four bands as one eight-lane vector: the same
        // arithmetic lane by lane, half the instructions where AVX-512 registers hold eight doubles.
        const auto doubled = [] (const V4& v) { return join (v, v); };

        // 1. Side-chain levels (the mean-square recursion is serial).
        {
            V8 meanSquare = join (state.meanSquare[0], state.meanSquare[1]);
            const V8 rmsCoeff = doubled (k.rmsCoeff), rmsIn = doubled (k.rmsIn), detection = doubled (k.detection);
            const V8 zero = splat<V8> (0.0), floor = splat<V8> (flushLevel);
            int untilFlush = startFlush;
            for (int i = 0; i < n; ++i)
            {
                V4 a, b;
                loadRecord (records + (size_t) i * 8, a, b);
                if constexpr (midSide)
                {
                    const V4 m = 0.5 * (a + b), s = 0.5 * (a - b);
                    a = m;
                    b = s;
                }
                const bool flushNow = --untilFlush == 0;
                if (flushNow)
                    untilFlush = DynamicsProcessor::flushInterval;
                const V8 x = join (a, b);
                const V8 squared = x * x;
                meanSquare = rmsCoeff * meanSquare + rmsIn * squared;
                if (flushNow)
                    meanSquare = meanSquare < floor ? zero : meanSquare;
                const V8 detected = squared + detection * (meanSquare - squared);
                store (laneA + 4 * i, lowHalf (detected));
                store (laneB + 4 * i, highHalf (detected));
            }
            state.meanSquare[0] = lowHalf (meanSquare);
            state.meanSquare[1] = highHalf (meanSquare);
        }

        // 2. Gain computer and stereo link: no recursion, so iterations overlap freely.
        const CurveOf<V8> curve { doubled (k.curve.threshold), doubled (k.curve.halfKnee), doubled (k.curve.kneeScale),
            doubled (k.curve.slope), doubled (k.curve.kneeLimit), doubled (k.curve.kneeStartSquared) };
        for (int i = 0; i < n; ++i)
        {
            const V8 wanted = wantedReduction (join (load (laneA + 4 * i), load (laneB + 4 * i)), curve);
            const V4 a = lowHalf (wanted), b = highHalf (wanted);
            const V4 larger = maximum (a, b);
            store (laneA + 4 * i, a + k.link * (larger - a));
            store (laneB + 4 * i, b + k.link * (larger - b));
        }

        // 3. Ballistics (serial). The largest envelope
        // is taken per channel and then across them: the same value (envelopes are never
        // negative, never NaN), and it only feeds the meter.
        {
            const V8 holdCoeff = doubled (k.holdCoeff), holdIn = doubled (k.holdIn), attackCoeff = doubled (k.attackCoeff),
                     attackIn = doubled (k.attackIn), slowAttackCoeff = doubled (k.slowAttackCoeff),
                     slowAttackIn = doubled (k.slowAttackIn), slowReleaseCoeff = doubled (k.slowReleaseCoeff),
                     slowReleaseIn = doubled (k.slowReleaseIn), autoAmount = doubled (k.autoAmount);
            V8 hold = join (state.hold[0], state.hold[1]), slow = join (state.slow[0], state.slow[1]);
            V8 envelope = join (state.envelope[0], state.envelope[1]);
            V8 top = doubled (largest);
            const V8 zero = splat<V8> (0.0), floor = splat<V8> (flushLevel);
            const auto flushed8 = [&zero, &floor] (const V8& v) { return v < floor ? zero : v; };
            int untilFlush = startFlush;
            for (int i = 0; i < n; ++i)
            {
                const bool flushNow = --untilFlush == 0;
                if (flushNow)
                    untilFlush = DynamicsProcessor::flushInterval;
                const V8 g = join (load (laneA + 4 * i), load (laneB + 4 * i));
                hold = maximum (g, holdCoeff * hold + holdIn * g);
                slow = maximum (slowAttackCoeff * slow + slowAttackIn * g, slowReleaseCoeff * slow + slowReleaseIn * g);
                const V8 held = hold + autoAmount * maximum (zero, slow - hold);
                envelope = attackCoeff * envelope + attackIn * held;
                if (flushNow)
                {
                    hold = flushed8 (hold);
                    slow = flushed8 (slow);
                    envelope = flushed8 (envelope);
                }
                top = maximum (top, envelope);
                store (laneA + 4 * i, lowHalf (envelope));
                store (laneB + 4 * i, highHalf (envelope));
            }
            state.hold[0] = lowHalf (hold);
            state.hold[1] = highHalf (hold);
            state.slow[0] = lowHalf (slow);
            state.slow[1] = highHalf (slow);
            state.envelope[0] = lowHalf (envelope);
            state.envelope[1] = highHalf (envelope);
            state.untilFlush = untilFlush;
            largest = maximum (lowHalf (top), highHalf (top));
        }

        // 4. Gains, output mix and the band sum (no recursion). Four samples' sums come out of
        // one transpose; a tail adds in the same order, so every sample rounds alike.
        const V8 makeupLog2 = doubled (k.makeupLog2);
        const auto bandSums = [&k, records, laneA, laneB, makeupLog2] (int i, V4& yL, V4& yR)
        {
            V4 inL, inR;
            loadRecord (records + (size_t) i * 8, inL, inR);
            const V8 gains = exp2Fast (makeupLog2 - join (load (laneA + 4 * i), load (laneB + 4 * i)) * log2PerDb);
            const V4 gainA = lowHalf (gains), gainB = highHalf (gains);
            V4 outL, outR;
            if constexpr (midSide)
            {
                const V4 m = 0.5 * (inL + inR), s = 0.5 * (inL - inR);
                outL = gainA * m + gainB * s;
                outR = gainA * m - gainB * s;
            }
            else
            {
                outL = inL * gainA;
                outR = inR * gainB;
            }
            yL = k.wet * outL + k.dry * inL;
            yR = k.wet * outR + k.dry * inR;
        };
        const auto sum4 = [] (const V4& y0, const V4& y1, const V4& y2, const V4& y3)
        {
            // [y0 0+1, y1 0+1, y0 2+3, y1 2+3], the same for y2, y3, then the halves added:
            // (b0 + b1) + (b2 + b3) for every sample.
            const V4 a = vec::shuffle (y0, y1, M4 { 0, 4, 2, 6 }) + vec::shuffle (y0, y1, M4 { 1, 5, 3, 7 });
            const V4 b = vec::shuffle (y2, y3, M4 { 0, 4, 2, 6 }) + vec::shuffle (y2, y3, M4 { 1, 5, 3, 7 });
            return vec::shuffle (a, b, M4 { 0, 1, 4, 5 }) + vec::shuffle (a, b, M4 { 2, 3, 6, 7 });
        };
        int i = 0;
        for (; i + 4 <= n; i += 4)
        {
            V4 l[4], r[4];
            for (int j = 0; j < 4; ++j)
                bandSums (i + j, l[j], r[j]);
            storeFloats (left + i, sum4 (l[0], l[1], l[2], l[3]));
            storeFloats (right + i, sum4 (r[0], r[1], r[2], r[3]));
        }
        for (; i < n; ++i)
        {
            V4 yL, yR;
            bandSums (i, yL, yR);
            left[i] = (float) ((yL[0] + yL[1]) + (yL[2] + yL[3]));
            right[i] = (float) ((yR[0] + yR[1]) + (yR[2] + yR[3]));
        }
    }

    /** True when a float's exponent is all ones: infinity or NaN. */
    inline bool nonFinite (const float* x) noexcept
    {
        uint32_t bits;
        std::memcpy (&bits, x, sizeof (bits));
        return (bits & 0x7f800000u) == 0x7f800000u;
    }

    /** Index of the first sample in [from, n) where either channel is not finite, or n.
        Groups of 16 are tested whole, with no exit inside a group, so that the test compiles
        to vector operations; only a group that has one is searched sample by sample. */
    int firstNonFinite (const float* left, const float* right, int from, int n) noexcept
    {
        int i = from;
        for (; i + 16 <= n; i += 16)
        {
            bool any = false;
            for (int j = i; j < i + 16; ++j)
                any |= nonFinite (left + j) | nonFinite (right + j);
            if (any)
                break;
        }
        for (; i < n; ++i)
            if (nonFinite (left + i) || nonFinite (right + i))
                return i;
        return n;
    }
} // namespace

double DynamicsProcessor::staticGainReductionDb (double levelDb, double thresholdDb, double ratio, double kneeDb) noexcept
{
    const double s = 1.0 - 1.0 / std::max (1.0, ratio);
    const double over = levelDb - thresholdDb;
    const double halfKnee = 0.5 * std::max (0.0, kneeDb);
    if (over <= -halfKnee)
        return 0.0;
    if (over < halfKnee)
    {
        // Quadratic blend: matches the straight lines in value and slope at both knee edges.
        const double t = over + halfKnee;
        return s * t * t / (4.0 * halfKnee);
    }
    return s * over;
}

double DynamicsProcessor::holdReleaseSeconds (double attackSeconds, double releaseSeconds) noexcept
{
    const double target = std::exp (-1.0);
    if (attackSeconds <= 0.0)
        return releaseSeconds;
    if (cascadeResponse (releaseSeconds, 0.0, attackSeconds) >= target)
        return 0.0;

    // The response at t = release grows with tau1, from below 1/e (tau1 = 0, shown above)
    // to above it (tau1 = release): bisect.
    double low = 0.0, high = releaseSeconds;
    for (int i = 0; i < 60; ++i)
    {
        const double mid = 0.5 * (low + high);
        (cascadeResponse (releaseSeconds, mid, attackSeconds) < target ? low : high) = mid;
    }
    return 0.5 * (low + high);
}

void DynamicsProcessor::prepare (double rate, const DynamicsSettings& initial) noexcept
{
    sampleRate = rate > 0.0 ? rate : 48000.0;
    for (auto* s : { &threshold, &slope, &knee, &makeup, &mix, &link, &detectionBlend, &autoBlend, &highPassAmount, &highPassLog2,
             &midSideFade })
        s->prepare (sampleRate, smoothingSeconds, 0.0f);

    settings = initial;
    rmsCoeff = onePoleCoefficient (rmsSeconds, sampleRate);
    updateTimeConstants();
    applyTargets (true);
    reset();
}

void DynamicsProcessor::setSettings (const DynamicsSettings& s) noexcept
{
    const bool timesChanged = s.attackMs != settings.attackMs || s.releaseMs != settings.releaseMs;

    if (s.stereoMode != settings.stereoMode)
    {
        // Entering a path that is not running: start its detectors where the running path
        // is, so the crossfade moves between two similar gains.
        const bool toMidSide = s.stereoMode == StereoMode::midSide;
        if (! midSideFade.isSmoothing() && midSideFade.value() == (toMidSide ? 0.0f : 1.0f))
        {
            const Path& from = toMidSide ? stereoPath : midSidePath;
            Path& to = toMidSide ? midSidePath : stereoPath;
            Detector average;
            average.meanSquare = 0.5 * (from.channel[0].meanSquare + from.channel[1].meanSquare);
            average.hold = 0.5 * (from.channel[0].hold + from.channel[1].hold);
            average.slow = 0.5 * (from.channel[0].slow + from.channel[1].slow);
            average.envelope = 0.5 * (from.channel[0].envelope + from.channel[1].envelope);
            to.channel[0] = to.channel[1] = average;
        }
    }

    settings = s;
    if (timesChanged)
        updateTimeConstants();
    applyTargets (false);
}

void DynamicsProcessor::reset() noexcept
{
    for (auto* s : { &threshold, &slope, &knee, &makeup, &mix, &link, &detectionBlend, &autoBlend, &highPassAmount, &highPassLog2,
             &midSideFade })
        s->reset (s->targetValue());
    updateCurve();
    updateHighPass (std::exp2 ((double) highPassLog2.value()));
    clearSignalState();
    lastBlockReductionDb = 0.0f;
}

void DynamicsProcessor::clearSignalState() noexcept
{
    stereoPath.reset();
    midSidePath.reset();
    highPass[0].reset();
    highPass[1].reset();
    untilFlush = flushInterval;
}

void DynamicsProcessor::updateTimeConstants() noexcept
{
    // The slow envelope's update takes the larger of its attack and release steps (see
    // runPath()), which is right only while its release is the slower of the two.
    static_assert (autoReleaseSlowFactor > autoReleaseBuildFactor, "the slow envelope must release slower than it builds");
    const double attack = std::max (0.01, (double) settings.attackMs) * 0.001;
    const double release = std::max (1.0, (double) settings.releaseMs) * 0.001;
    attackCoeff = onePoleCoefficient (attack, sampleRate);
    holdCoeff = onePoleCoefficient (holdReleaseSeconds (attack, release), sampleRate);
    slowAttackCoeff = onePoleCoefficient (autoReleaseBuildFactor * release, sampleRate);
    slowReleaseCoeff = onePoleCoefficient (autoReleaseSlowFactor * release, sampleRate);
}

void DynamicsProcessor::applyTargets (bool jump) noexcept
{
    const auto set = [jump] (LinearSmoother& s, double v)
    {
        if (jump)
            s.reset ((float) v);
        else
            s.setTarget ((float) v);
    };

    set (threshold, settings.thresholdDb);
    set (slope, 1.0 - 1.0 / std::max (1.0f, settings.ratio));
    set (knee, std::max (0.0f, settings.kneeDb));
    set (makeup, settings.makeupDb);
    set (mix, std::clamp (settings.mixPct, 0.0f, 100.0f) * 0.01);
    set (link, std::clamp (settings.stereoLinkPct, 0.0f, 100.0f) * 0.01);
    set (detectionBlend, settings.detection == DetectionMode::rms ? 1.0 : 0.0);
    set (autoBlend, settings.autoRelease ? 1.0 : 0.0);
    set (midSideFade, settings.stereoMode == StereoMode::midSide ? 1.0 : 0.0);

    const bool highPassOn = settings.sidechainHighPassHz >= minimumHighPassHz;
    if (highPassOn)
    {
        const double f = std::min ((double) settings.sidechainHighPassHz, 0.45 * sampleRate);
        if (jump || (highPassAmount.value() == 0.0f && ! highPassAmount.isSmoothing()))
        {
            // Switching on from fully off: start the filter fresh at its frequency (the
            // amount fades it in, so there is nothing to glide from).
            highPassLog2.reset ((float) std::log2 (f));
            updateHighPass (f);
            highPass[0].reset();
            highPass[1].reset();
        }
        else
        {
            highPassLog2.setTarget ((float) std::log2 (f));
        }
    }
    set (highPassAmount, highPassOn ? 1.0 : 0.0);

    if (jump)
        updateCurve();
}

void DynamicsProcessor::updateCurve() noexcept
{
    thresholdNow = threshold.value();
    slopeNow = slope.value();
    kneeNow = knee.value();
    // Levels below the knee's lower edge need no logarithm: compare squares instead.
    kneeStartSquared = std::pow (10.0, 0.1 * (thresholdNow - 0.5 * kneeNow));
}

void DynamicsProcessor::updateHighPass (double frequency) noexcept
{
    const auto c = butterworthHighPass (sampleRate, std::clamp (frequency, minimumHighPassHz, 0.45 * sampleRate));
    highPass[0].setCoefficients (c);
    highPass[1].setCoefficients (c);
}

double DynamicsProcessor::gainComputer (double levelSquared) const noexcept
{
    if (levelSquared <= kneeStartSquared || slopeNow <= 0.0)
        return 0.0;
    const double over = dbPerLog2OfPower * log2Fast (levelSquared) - thresholdNow;
    const double halfKnee = 0.5 * kneeNow;
    if (halfKnee > 0.0 && over < halfKnee)
    {
        const double t = over + halfKnee;
        return slopeNow * t * t / (4.0 * halfKnee);
    }
    return slopeNow * over;
}

void DynamicsProcessor::runPath (Path& path, double a, double b, bool flushNow, double& gainA, double& gainB) noexcept
{
    const double detection = detectionBlend.value();
    const double linkAmount = link.value();
    const double autoAmount = autoBlend.value();
    const double makeupDb = makeup.value();

    double wanted[2];
    const double input[2] = { a, b };
    for (int c = 0; c < 2; ++c)
    {
        auto& d = path.channel[c];
        const double squared = input[c] * input[c];
        d.meanSquare = rmsCoeff * d.meanSquare + (1.0 - rmsCoeff) * squared;
        if (flushNow)
            flush (d.meanSquare);
        wanted[c] = gainComputer (squared + detection * (d.meanSquare - squared));
    }

    // Linking acts on the wanted reduction: 100 % gives both channels the larger one, so
    // a loud left does not pull the image to the right.
    const double larger = std::max (wanted[0], wanted[1]);
    wanted[0] += linkAmount * (larger - wanted[0]);
    wanted[1] += linkAmount * (larger - wanted[1]);

    double gain[2];
    for (int c = 0; c < 2; ++c)
    {
        auto& d = path.channel[c];
        const double g = wanted[c];
        d.hold = std::max (g, holdCoeff * d.hold + (1.0 - holdCoeff) * g);
        // Attack when g is above, release otherwise: as the release is the slower (larger
        // coefficient), that is the larger of the two updates, which needs no comparison on
        // the recursion's path.
        d.slow = std::max (
            slowAttackCoeff * d.slow + (1.0 - slowAttackCoeff) * g, slowReleaseCoeff * d.slow + (1.0 - slowReleaseCoeff) * g);
        const double held = d.hold + autoAmount * std::max (0.0, d.slow - d.hold);
        d.envelope = attackCoeff * d.envelope + (1.0 - attackCoeff) * held;
        if (flushNow)
        {
            flush (d.hold);
            flush (d.slow);
            flush (d.envelope);
        }
        gain[c] = exp2Fast (makeupDb * log2PerDb - d.envelope * log2PerDb);
    }
    gainA = gain[0];
    gainB = gain[1];
}

bool DynamicsProcessor::gliding() const noexcept
{
    for (const auto* s : { &threshold, &slope, &knee, &makeup, &mix, &link, &detectionBlend, &autoBlend, &highPassAmount,
             &highPassLog2, &midSideFade })
        if (s->isSmoothing())
            return true;
    return false;
}

void DynamicsProcessor::processSample (float& left, float& right, double& largestReduction) noexcept
{
    if (threshold.isSmoothing() || slope.isSmoothing() || knee.isSmoothing())
    {
        threshold.next();
        slope.next();
        knee.next();
        updateCurve();
    }
    makeup.next();
    link.next();
    detectionBlend.next();
    autoBlend.next();
    const double wet = mix.next();
    const double midSide = midSideFade.next();
    const double highPassMix = highPassAmount.next();
    if (highPassLog2.isSmoothing())
        updateHighPass (std::exp2 ((double) highPassLog2.next()));

    const double l = left, r = right;
    if (! std::isfinite (l) || ! std::isfinite (r))
    {
        // Silence is the one safe thing to pass on; everything that saw the bad value
        // starts afresh.
        clearSignalState();
        left = right = 0.0f;
        return;
    }

    const bool flushNow = --untilFlush == 0;
    if (flushNow)
        untilFlush = flushInterval;

    double sideL = l, sideR = r;
    if (highPassMix > 0.0)
    {
        sideL += highPassMix * (highPass[0].process (l) - l);
        sideR += highPassMix * (highPass[1].process (r) - r);
    }
    if (flushNow)
    {
        highPass[0].flushDenormals();
        highPass[1].flushDenormals();
    }

    double outL = 0.0, outR = 0.0;
    if (midSide < 1.0)
    {
        double gl, gr;
        runPath (stereoPath, sideL, sideR, flushNow, gl, gr);
        outL = l * gl;
        outR = r * gr;
        largestReduction = std::max (
            largestReduction, (1.0 - midSide) * std::max (stereoPath.channel[0].envelope, stereoPath.channel[1].envelope));
    }
    if (midSide > 0.0)
    {
        const double m = 0.5 * (l + r), s = 0.5 * (l - r);
        double gm, gs;
        runPath (midSidePath, 0.5 * (sideL + sideR), 0.5 * (sideL - sideR), flushNow, gm, gs);
        const double ml = gm * m + gs * s, mr = gm * m - gs * s;
        if (midSide < 1.0)
        {
            outL += midSide * (ml - outL);
            outR += midSide * (mr - outR);
        }
        else
        {
            outL = ml;
            outR = mr;
        }
        largestReduction
            = std::max (largestReduction, midSide * std::max (midSidePath.channel[0].envelope, midSidePath.channel[1].envelope));
    }

    left = (float) (wet * outL + (1.0 - wet) * l);
    right = (float) (wet * outR + (1.0 - wet) * r);
}

detail::DynamicsSteadyConstants DynamicsProcessor::steadyConstants() const noexcept
{
    SteadyConstants k;
    k.rmsCoeff = rmsCoeff;
    k.detection = detectionBlend.value();
    k.threshold = thresholdNow;
    k.slope = slopeNow;
    k.halfKnee = 0.5 * kneeNow;
    // The knee's quadratic applies below halfKnee only when there is a knee at all.
    k.kneeLimit = k.halfKnee > 0.0 ? k.halfKnee : -1.0e300;
    k.kneeScale = k.halfKnee > 0.0 ? slopeNow / (4.0 * k.halfKnee) : 0.0;
    // At 1:1 nothing is ever wanted, so no level may pass the knee's start.
    k.kneeStartSquared = slopeNow > 0.0 ? kneeStartSquared : 1.0e300;
    k.link = link.value();
    k.holdCoeff = holdCoeff;
    k.attackCoeff = attackCoeff;
    k.slowAttackCoeff = slowAttackCoeff;
    k.slowReleaseCoeff = slowReleaseCoeff;
    k.autoAmount = autoBlend.value();
    k.makeupDb = makeup.value();
    k.wet = mix.value();
    k.highPassMix = highPassAmount.value();
    return k;
}

void DynamicsProcessor::processSteady (float* left, float* right, int numSamples, double& largestReduction) noexcept
{
    // With nothing gliding, the mode fades sit at 0 or 1: one path runs, and the side-chain
    // filter either runs fully or not at all.
    const bool midSide = midSideFade.value() >= 0.5f;
    const bool filtered = highPassAmount.value() > 0.0f;
    Path& path = midSide ? midSidePath : stereoPath;

    const auto k = steadyConstants();

    SteadyState state;
    for (int c = 0; c < 2; ++c)
    {
        state.meanSquare[c] = path.channel[c].meanSquare;
        state.hold[c] = path.channel[c].hold;
        state.slow[c] = path.channel[c].slow;
        state.envelope[c] = path.channel[c].envelope;
    }
    state.untilFlush = untilFlush;

    for (int offset = 0; offset < numSamples; offset += steadyChunk)
    {
        const int n = std::min (steadyChunk, numSamples - offset);
        float* l = left + offset;
        float* r = right + offset;
        double largest;
        if (midSide)
            largest = filtered ? runSteady<true, true> (k, state, highPass, laneA, laneB, l, r, n)
                               : runSteady<true, false> (k, state, highPass, laneA, laneB, l, r, n);
        else
            largest = filtered ? runSteady<false, true> (k, state, highPass, laneA, laneB, l, r, n)
                               : runSteady<false, false> (k, state, highPass, laneA, laneB, l, r, n);
        largestReduction = std::max (largestReduction, largest);
    }

    for (int c = 0; c < 2; ++c)
    {
        path.channel[c].meanSquare = state.meanSquare[c];
        path.channel[c].hold = state.hold[c];
        path.channel[c].slow = state.slow[c];
        path.channel[c].envelope = state.envelope[c];
    }
    untilFlush = state.untilFlush;
}

void DynamicsProcessor::process (float* left, float* right, int numSamples) noexcept
{
    double largestReduction = 0.0;

    int i = 0;
    while (i < numSamples)
    {
        if (gliding())
        {
            // Sample by sample until every glide has ended.
            processSample (left[i], right[i], largestReduction);
            ++i;
            continue;
        }

        // Steady up to the next sample that is not finite, which the general path then
        // turns into silence and a fresh start.
        const int end = firstNonFinite (left, right, i, numSamples);
        if (end > i)
            processSteady (left + i, right + i, end - i, largestReduction);
        i = end;
        if (i < numSamples)
        {
            processSample (left[i], right[i], largestReduction);
            ++i;
        }
    }

    lastBlockReductionDb = (float) largestReduction;
}

bool DynamicsProcessor::canProcessBandSum (const DynamicsProcessor* const* processors) noexcept
{
    const bool midSide = processors[0]->midSideFade.value() >= 0.5f;
    for (int b = 0; b < 4; ++b)
    {
        const auto& p = *processors[b];
        if (p.gliding() || p.highPassAmount.value() > 0.0f || (p.midSideFade.value() >= 0.5f) != midSide
            || p.untilFlush != processors[0]->untilFlush)
            return false;
    }
    return true;
}

bool DynamicsProcessor::processBandSum (
    DynamicsProcessor* const* processors, const double* records, float* left, float* right, int numSamples) noexcept
{
    if (! canProcessBandSum (processors))
        return false;
    const bool midSide = processors[0]->midSideFade.value() >= 0.5f;

    BandConstants k;
    BandState state;
    for (int b = 0; b < 4; ++b)
    {
        const auto& p = *processors[b];
        const auto c = p.steadyConstants();
        const int lane = b;
        k.rmsCoeff[lane] = c.rmsCoeff;
        k.rmsIn[lane] = 1.0 - c.rmsCoeff;
        k.detection[lane] = c.detection;
        k.curve.threshold[lane] = c.threshold;
        k.curve.halfKnee[lane] = c.halfKnee;
        k.curve.kneeScale[lane] = c.kneeScale;
        k.curve.slope[lane] = c.slope;
        k.curve.kneeLimit[lane] = c.kneeLimit;
        k.curve.kneeStartSquared[lane] = c.kneeStartSquared;
        k.link[lane] = c.link;
        k.holdCoeff[lane] = c.holdCoeff;
        k.holdIn[lane] = 1.0 - c.holdCoeff;
        k.attackCoeff[lane] = c.attackCoeff;
        k.attackIn[lane] = 1.0 - c.attackCoeff;
        k.slowAttackCoeff[lane] = c.slowAttackCoeff;
        k.slowAttackIn[lane] = 1.0 - c.slowAttackCoeff;
        k.slowReleaseCoeff[lane] = c.slowReleaseCoeff;
        k.slowReleaseIn[lane] = 1.0 - c.slowReleaseCoeff;
        k.autoAmount[lane] = c.autoAmount;
        k.makeupLog2[lane] = c.makeupDb * log2PerDb;
        k.wet[lane] = c.wet;
        k.dry[lane] = 1.0 - c.wet;

        const Path& path = midSide ? p.midSidePath : p.stereoPath;
        for (int ch = 0; ch < 2; ++ch)
        {
            state.meanSquare[ch][lane] = path.channel[ch].meanSquare;
            state.hold[ch][lane] = path.channel[ch].hold;
            state.slow[ch][lane] = path.channel[ch].slow;
            state.envelope[ch][lane] = path.channel[ch].envelope;
        }
    }
    state.untilFlush = processors[0]->untilFlush;

    // The first processor's lane buffers carry four values per sample: a quarter chunk at a time.
    constexpr int chunk = steadyChunk / 4;
    double* laneA = processors[0]->laneA;
    double* laneB = processors[0]->laneB;
    V4 largest {};
    for (int offset = 0; offset < numSamples; offset += chunk)
    {
        const int n = std::min (chunk, numSamples - offset);
        const double* r = records + (size_t) offset * 8;
        if (midSide)
            runBands<true> (k, state, laneA, laneB, r, left + offset, right + offset, n, largest);
        else
            runBands<false> (k, state, laneA, laneB, r, left + offset, right + offset, n, largest);
    }

    for (int b = 0; b < 4; ++b)
    {
        auto& p = *processors[b];
        const int lane = b;
        Path& path = midSide ? p.midSidePath : p.stereoPath;
        for (int ch = 0; ch < 2; ++ch)
        {
            path.channel[ch].meanSquare = state.meanSquare[ch][lane];
            path.channel[ch].hold = state.hold[ch][lane];
            path.channel[ch].slow = state.slow[ch][lane];
            path.channel[ch].envelope = state.envelope[ch][lane];
        }
        p.untilFlush = state.untilFlush;
        p.lastBlockReductionDb = (float) largest[lane];
    }
    return true;
}

} // namespace crest::dsp
