#include "dsp/ReproducibleFloat.h" // first: see there

#include "dsp/TruePeakLimiter.h"
#include "dsp/VectorDispatch.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace crest::dsp
{
namespace
{
    constexpr double smoothingSeconds = 0.02; // input gain, ceiling and unlink changes glide
    constexpr double slowChargeMs = 100.0; // auto release: how fast sustained limiting is noticed
    constexpr double safetyReleaseMs = 10.0; // the safety stage's corrections are tiny; let them go soon
    // Detection: the main stage takes the larger of two reconstructions, one flat to 0.47 of
    // the rate and a gentle one flat to 0.40, half down at the Nyquist frequency and rejecting
    // images from 0.60 on (as a short interpolator treats a signal: most true-peak meters', a
    // DAC's slow roll-off filter). The safety stage, which has the last word, reconstructs
    // flat to 0.49. See the class note for why, and for the figures behind these values.
    // Images at -90 dB move a peak by 0.0003 dB at most.
    constexpr double mainPassband = 0.47, safetyPassband = 0.49, gentlePassband = 0.40;
    constexpr double detectionStopbandDb = 90.0;

    constexpr float boundOfRefinement = 1.2501f; // see Detector::detect()

    constexpr double ln2 = 0.69314718055994530942;
    constexpr double log2Of10 = 3.32192809488736234787;

    float dbToGain (float db)
    {
        return db == 0.0f ? 1.0f : std::pow (10.0f, db / 20.0f);
    }

    float decayCoefficient (double ms, double rate)
    {
        return (float) std::exp (-1000.0 / (std::max (0.01, ms) * rate));
    }

    using vec::fromBits;
    using vec::toBits;

    /** 20 log10 (x) for a positive normal x, branch-free so that it vectorises. x = 2^e m with
        m in [sqrt 1/2, sqrt 2), and log2 m = (2 / ln 2) atanh (s) for s = (m - 1) / (m + 1):
        |s| <= 0.172, so the odd series to s^9 leaves less than 1e-9 (float rounding dominates). */
    inline float ratioToDbInline (float x) noexcept
    {
        constexpr float c1 = (float) (2.0 / ln2), c3 = (float) (2.0 / (3.0 * ln2)), c5 = (float) (2.0 / (5.0 * ln2)),
                        c7 = (float) (2.0 / (7.0 * ln2)), c9 = (float) (2.0 / (9.0 * ln2));
        constexpr float dbPerOctave = (float) (20.0 / log2Of10); // 20 log10 (2)
        const std::uint32_t bits = toBits (x);
        float m = fromBits ((bits & 0x007fffffu) | 0x3f800000u); // [1, 2)
        float e = (float) ((int) (bits >> 23) - 127);
        const bool high = m > 1.41421356f;
        m = high ? 0.5f * m : m;
        e = high ? e + 1.0f : e;
        const float s = (m - 1.0f) / (m + 1.0f);
        const float s2 = s * s;
        const float log2m = s * (c1 + s2 * (c3 + s2 * (c5 + s2 * (c7 + s2 * c9))));
        return dbPerOctave * (e + log2m);
    }

    /** 1 - 10^(-db / 20) for db >= 0, branch-free. 10^(-db / 20) = 2^x with x <= 0, split as
        2^n 2^f with n = round (x) and |f| <= 0.5; 2^f = e^(f ln 2) by its Taylor series to the
        7th power leaves under 6e-9. n comes from adding 1.5 * 2^23, which leaves round (x) in
        the low mantissa bits (no float-to-int conversion, so the loop vectorises), and 2^n is
        built from its exponent bits (x is clamped at -126, where the loss is 1 in float anyway). */
    inline float reductionToLossInline (float db) noexcept
    {
        constexpr float k2 = 1.0f / 2.0f, k3 = 1.0f / 3.0f, k4 = 1.0f / 4.0f, k5 = 1.0f / 5.0f, k6 = 1.0f / 6.0f,
                        k7 = 1.0f / 7.0f;
        constexpr float roundingShift = 12582912.0f; // 1.5 * 2^23
        const float scaled = db * (float) (-log2Of10 / 20.0);
        const float x = scaled > 0.0f ? 0.0f : (scaled < -126.0f ? -126.0f : scaled);
        const float shifted = x + roundingShift;
        const float rounded = shifted - roundingShift; // round (x), exactly
        const auto n = (std::int32_t) (toBits (shifted) - toBits (roundingShift));
        const float y = (x - rounded) * (float) ln2;
        const float p = 1.0f
            + y * (1.0f + y * k2 * (1.0f + y * k3 * (1.0f + y * k4 * (1.0f + y * k5 * (1.0f + y * k6 * (1.0f + y * k7))))));
        return 1.0f - p * fromBits ((std::uint32_t) (n + 127) << 23);
    }

    /** Refined magnitude of each oversampled point: points[t + 1] with its neighbours
        points[t] and points[t + 2], for t in [0, count). A local maximum of the magnitude is
        raised to the top of the parabola through the three. */
    CREST_WIDE_VECTOR_CLONES
    void refinePeaks (const float* points, int count, float* refined) noexcept
    {
        for (int t = 0; t < count; ++t)
        {
            const float before = points[t], centre = points[t + 1], after = points[t + 2];
            const float peak = std::fabs (centre);
            const float sign = centre > 0.0f ? 1.0f : -1.0f;
            const float ym = sign * before, yp = sign * after;
            const float curvature = 2.0f * peak - ym - yp;
            const bool refine = (peak >= std::fabs (before)) & (peak >= std::fabs (after)) & (peak > 0.0f) & (curvature > 0.0f);
            const float slope = yp - ym;
            const float raised = peak + slope * slope / (8.0f * (refine ? curvature : 1.0f));
            refined[t] = refine ? raised : peak;
        }
    }

    /** The largest magnitude among x[0 .. n). Non-negative floats are ordered like their bit
        patterns, so this is an integer maximum, which vectorises (a NaN would come out as a
        NaN, which no comparison passes). */
    CREST_WIDE_VECTOR_CLONES
    float largestMagnitude (const float* x, int n) noexcept
    {
        std::uint32_t largest = 0;
        for (int i = 0; i < n; ++i)
        {
            const std::uint32_t magnitude = toBits (x[i]) & 0x7fffffffu;
            largest = magnitude > largest ? magnitude : largest;
        }
        return fromBits (largest);
    }

    /** The smallest of x[0 .. n), all positive: an integer minimum of the bit patterns, as
        in largestMagnitude(). */
    CREST_WIDE_VECTOR_CLONES
    float smallestPositive (const float* x, int n) noexcept
    {
        std::uint32_t smallest = 0x7f800000u; // infinity
        for (int i = 0; i < n; ++i)
        {
            const std::uint32_t bits = toBits (x[i]);
            smallest = bits < smallest ? bits : smallest;
        }
        return fromBits (smallest);
    }

    /** The largest refined value of each group of `factor` points, refined[f i - f + 1 .. f i]
        for i in [1, n), into peaks[1 .. n), as a tree of pairwise maxima over the whole block
        (each level vectorises; max is exact, so the order does not matter). `scratch` holds
        count values. */
    template <int factor>
    CREST_WIDE_VECTOR_CLONES void groupMaxima (const float* refined, float* scratch, float* peaks, int n) noexcept
    {
        const int count = factor * n;
        const float* level = refined;
        int width = 1; // each level[t] is the maximum of refined[t .. t + width)
        for (; width < factor; width *= 2)
        {
            const int valid = count - 2 * width + 1;
            for (int t = 0; t < valid; ++t)
            {
                const float a = level[t], b = level[t + width];
                scratch[t] = a > b ? a : b;
            }
            level = scratch;
        }
        for (int i = 1; i < n; ++i)
            peaks[i] = level[factor * (i - 1) + 1];
    }

    /** Per-sample reductions (dB) two peaks need to sit at their ceiling, stereo-linked by the
        unlink amount. */
    CREST_WIDE_VECTOR_CLONES
    void stereoNeeds (const float* peak0, const float* peak1, const float* ceilings, const float* unlinkAmounts, float* need0,
        float* need1, int n) noexcept
    {
        for (int i = 0; i < n; ++i)
        {
            // Computed for every sample and then selected, so that the loop vectorises.
            const float c = ceilings[i];
            const float r0 = peak0[i] / c, r1 = peak1[i] / c;
            const float db0 = ratioToDbInline (r0 > 1.0f ? r0 : 1.0f), db1 = ratioToDbInline (r1 > 1.0f ? r1 : 1.0f);
            const float a = peak0[i] > c ? db0 : 0.0f;
            const float b = peak1[i] > c ? db1 : 0.0f;
            const float linked = a > b ? a : b;
            need0[i] = linked + unlinkAmounts[i] * (a - linked);
            need1[i] = linked + unlinkAmounts[i] * (b - linked);
        }
    }

    /** In place: a reduction in dB -> the fraction of the signal it removes (0 for none). */
    CREST_WIDE_VECTOR_CLONES
    void reductionsToLosses (float* values, int n) noexcept
    {
        for (int i = 0; i < n; ++i)
        {
            const float loss = reductionToLossInline (values[i]); // for every sample, then selected
            values[i] = values[i] > 0.0f ? loss : 0.0f;
        }
    }

    /** gained[i] = input[i] * gain[i], with non-finite input samples treated as silence. */
    CREST_WIDE_VECTOR_CLONES
    void applyInputGain (const float* input, const float* gain, float* gained, int n) noexcept
    {
        for (int i = 0; i < n; ++i)
            gained[i] = std::fabs (input[i]) <= FLT_MAX ? input[i] * gain[i] : 0.0f;
    }

    /** a[i] = max (a[i], b[i]). */
    CREST_WIDE_VECTOR_CLONES
    void largerOf (float* a, const float* b, int n) noexcept
    {
        for (int i = 0; i < n; ++i)
            a[i] = a[i] > b[i] ? a[i] : b[i];
    }

    CREST_WIDE_VECTOR_CLONES
    void multiply (const float* gain, const float* x, float* out, int n) noexcept
    {
        for (int i = 0; i < n; ++i)
            out[i] = gain[i] * x[i];
    }

    bool allZero (const float* x, int n) noexcept
    {
        float any = 0.0f;
        for (int i = 0; i < n; ++i)
            any = std::max (any, x[i]); // needs are never negative
        return any == 0.0f;
    }

    /** A smoother's next n values. */
    void fill (LinearSmoother& smoother, float* out, int n) noexcept
    {
        if (! smoother.isSmoothing())
            std::fill (out, out + n, smoother.value());
        else
            for (int i = 0; i < n; ++i)
                out[i] = smoother.next();
    }
} // namespace

float TruePeakLimiter::ratioToDb (float ratio) noexcept
{
    return ratioToDbInline (ratio);
}

float TruePeakLimiter::reductionToLoss (float db) noexcept
{
    return db > 0.0f ? reductionToLossInline (db) : 0.0f;
}

//==============================================================================
void TruePeakLimiter::SlidingMax::prepare (int windowSize)
{
    size = std::max (1, windowSize);
    int capacity = 1;
    while (capacity < size + 1)
        capacity <<= 1;
    mask = capacity - 1;
    values.assign ((size_t) capacity, 0.0f);
    positions.assign ((size_t) capacity, 0);
    reset();
}

void TruePeakLimiter::SlidingMax::reset() noexcept
{
    head = count = 0;
    now = 0;
}

void TruePeakLimiter::SlidingMax::skipZeros (int n) noexcept
{
    // Every push of 0 would empty the (all-zero) queue and leave just itself.
    values[(size_t) head] = 0.0f;
    positions[(size_t) head] = now + n - 1;
    count = 1;
    now += n;
}

void TruePeakLimiter::RunningMean::prepare (int length)
{
    size = std::max (1, length);
    scale = 1.0 / (double) size;
    values.assign ((size_t) size, 0.0);
    reset();
}

void TruePeakLimiter::RunningMean::reset() noexcept
{
    std::fill (values.begin(), values.end(), 0.0);
    position = nonZero = 0;
    sum = 0.0;
}

//==============================================================================
int TruePeakLimiter::detectionOversamplingFor (double rate) noexcept
{
    // 8x up to 96 kHz: white noise there is flat to 48 kHz, and a 4x grid could under-read
    // its inter-sample peaks. Above, programme material has little near the Nyquist frequency.
    if (rate < 100000.0)
        return 8;
    if (rate < 200000.0)
        return 4;
    return 2;
}

void TruePeakLimiter::Detector::prepare (const Oversampler::Options& options)
{
    oversampler.prepare (options, chunk);
    alignTo (oversampler.upsamplingLatency());
}

void TruePeakLimiter::Detector::alignTo (int latency)
{
    delay = std::max (0, latency - oversampler.upsamplingLatency());
    line.assign ((size_t) (delay + chunk), 0.0f);
    reset();
}

void TruePeakLimiter::Detector::reset() noexcept
{
    oversampler.reset();
    std::fill (line.begin(), line.end(), 0.0f);
    lastBound = 0.0f; // silence before the start: its points are readable (zeros)
    lastComplete = true;
}

void TruePeakLimiter::Stage::prepare (double flatPassband, bool withGentle, int oversampling, int lookaheadSamples)
{
    gentle = withGentle;
    factor = oversampling;
    lookahead = std::max (1, lookaheadSamples);

    Oversampler::Options flat;
    flat.factor = factor;
    flat.phase = Oversampler::Phase::linear;
    flat.passband = flatPassband;
    flat.stopbandDb = detectionStopbandDb;
    auto gentleOptions = flat;
    gentleOptions.passband = gentlePassband;

    const int firstLength = (lookahead + 1) / 2;
    const int secondLength = lookahead + 1 - firstLength; // the two ramps add up to the look-ahead
    for (auto& c : channels)
    {
        c.detectors[0].prepare (flat);
        if (gentle)
            c.detectors[1].prepare (gentleOptions);
        c.hold.prepare (lookahead + 2 * guardSamples);
        c.first.prepare (firstLength);
        c.second.prepare (secondLength);
    }
    // The reconstructions are lined up on the slower one (the flat one: its filters are longer).
    int detection = channels[0].detectors[0].oversampler.upsamplingLatency();
    if (gentle)
        detection = std::max (detection, channels[0].detectors[1].oversampler.upsamplingLatency());
    for (auto& c : channels)
        for (int d = 0; d < (gentle ? 2 : 1); ++d)
            c.detectors[(size_t) d].alignTo (detection);
    // Detection completes a group one sample late (see detect()), hence the + 1.
    latency = detection + 1 + lookahead - 1 + guardSamples;

    int size = 1;
    while (size < latency + chunk + 1)
        size <<= 1;
    delayMask = size - 1;
    for (auto& c : channels)
        c.delay.assign ((size_t) size, 0.0f);
    refined.assign ((size_t) (chunk * factor), 0.0f);
    scratch.assign ((size_t) (chunk * factor), 0.0f);
    reset();
}

void TruePeakLimiter::Stage::reset() noexcept
{
    for (auto& c : channels)
    {
        for (auto& d : c.detectors)
            d.reset();
        c.hold.reset();
        c.first.reset();
        c.second.reset();
        std::fill (c.delay.begin(), c.delay.end(), 0.0f);
        c.release = c.fast = c.slow = 0.0f;
    }
    delayWrite = 0;
    shared = true;
}

void TruePeakLimiter::Stage::detect (const float* const* input, int n, float threshold) noexcept
{
    // Each channel's peaks are the larger of its two reconstructions' (see the class note): a
    // meter or converter whose response lies between them reads no higher than the larger.
    const float level = threshold / boundOfRefinement; // see Detector::detect()
    for (int ch = 0; ch < 2; ++ch)
    {
        auto& c = channels[(size_t) ch];
        float* p = peaks[(size_t) ch].data();
        c.detectors[0].detect (input[ch], n, level, p, refined.data(), scratch.data());
        if (gentle)
        {
            c.detectors[1].detect (input[ch], n, level, gentlePeaks.data(), refined.data(), scratch.data());
            largerOf (p, gentlePeaks.data(), n);
        }
    }
}

void TruePeakLimiter::Detector::detect (const float* input, int n, float level, float* p, float* refined, float* scratch) noexcept
{
    // Per base-rate sample, the largest magnitude of the waveform from that sample up to the
    // next one. Each local maximum of the oversampled magnitude is refined by the parabola
    // through it and its neighbours. A maximum needs the next oversampled value, so a group
    // is complete only when the next one starts: results come one sample late (p[0] is the
    // group the previous block left open: its last `factor` points, whose neighbours the
    // oversampler keeps readable before the block).
    //
    // A refined value is at most 1.25 times the largest magnitude of its three points (the
    // parabola's rise is at most a quarter of its centre; boundOfRefinement adds a margin for
    // rounding). So when no point of a block, nor the last two of the block before, can reach
    // level = threshold / boundOfRefinement, no peak of it can need a reduction and the
    // exact values do not matter: they are reported as 0. The oversampler can often prove
    // that from its first stage alone, and then defers the rest of its work.
    if (delay > 0)
    {
        // line = [delay samples of history, the new block]; the delayed block is its start.
        std::copy (input, input + n, line.begin() + delay);
        input = line.data();
    }
    const int factor = oversampler.getFactor();
    const int count = n * factor;
    float open[8]; // refined values of the open group's points but the last

    bool complete = true;
    const bool mayBeQuiet = lastBound <= level;
    const float* up = mayBeQuiet ? oversampler.upsampleReaching (input, n, level, complete) : oversampler.upsample (input, n);
    if (delay > 0)
        std::copy (line.begin() + n, line.begin() + n + delay, line.begin()); // keep the history

    if (! complete || (mayBeQuiet && largestMagnitude (up, count) < level))
    {
        // The open group's last point is low, and so are its neighbours, so only the
        // others can need a reduction: they are exact if the previous block was complete
        // (its points are readable), and after a quiet block all under that block's
        // level, which is no higher than this one's.
        p[0] = 0.0f;
        if (lastComplete)
        {
            refinePeaks (up - factor - 1, factor - 1, open);
            for (int k = 0; k < factor - 1; ++k)
                p[0] = std::max (p[0], open[k]);
        }
        std::fill (p + 1, p + n, 0.0f);
        lastBound = level; // every point of this block is under it
        lastComplete = complete;
        return;
    }

    // refined[t] belongs to point t - 1: the first is the open group's last point.
    refinePeaks (up - 2, count, refined);
    refinePeaks (up - factor - 1, factor - 1, open);
    p[0] = refined[0];
    for (int k = 0; k < factor - 1; ++k)
        p[0] = std::max (p[0], open[k]);

    // A group is the points from one base-rate sample up to the next: refined[f i - f + 1 .. f i].
    if (factor == 8)
        groupMaxima<8> (refined, scratch, p, n);
    else if (factor == 4)
        groupMaxima<4> (refined, scratch, p, n);
    else
        groupMaxima<2> (refined, scratch, p, n);

    // Strictly above the last two points' magnitudes (the next float up).
    lastBound = fromBits (toBits (std::max (std::fabs (up[count - 2]), std::fabs (up[count - 1]))) + 1);
    lastComplete = true;
}

void TruePeakLimiter::Stage::computeNeeds (const float* ceilings, const float* unlinkAmounts, int n, float lowestCeiling) noexcept
{
    // Usually no peak of a block reaches even the lowest ceiling (quiet blocks report 0).
    if (std::max (largestMagnitude (peaks[0].data(), n), largestMagnitude (peaks[1].data(), n)) <= lowestCeiling)
    {
        std::fill (needs[0].begin(), needs[0].begin() + n, 0.0f);
        std::fill (needs[1].begin(), needs[1].begin() + n, 0.0f);
        return;
    }
    stereoNeeds (peaks[0].data(), peaks[1].data(), ceilings, unlinkAmounts, needs[0].data(), needs[1].data(), n);
}

namespace
{
    /** SlidingMax and the release envelopes of one channel, in registers for a block. */
    struct HoldAndReleaseState
    {
        float* values;
        long long* positions;
        int head, count, mask;
        long long now, size;
        float fast, slow, release;
    };

    /** SlidingMax::push (need) and the release: returns the reduction in dB. */
    template <bool useAutoRelease>
    inline float holdAndReleaseStep (
        HoldAndReleaseState& s, float need, float releaseCoeff, float fastCoeff, float slowCoeff, float slowChargeRate) noexcept
    {
        while (s.count > 0 && s.values[(s.head + s.count - 1) & s.mask] <= need)
            --s.count;
        const int slot = (s.head + s.count) & s.mask;
        s.values[slot] = need;
        s.positions[slot] = s.now;
        ++s.count;
        // Positions increase by one per push, so at most the front leaves the window.
        if (s.positions[s.head] <= s.now - s.size)
        {
            s.head = (s.head + 1) & s.mask;
            --s.count;
        }
        ++s.now;
        const float held = s.values[s.head];

        if constexpr (useAutoRelease)
        {
            s.fast = std::max (held, s.fast * fastCoeff);
            s.slow += held > s.slow ? (held - s.slow) * slowChargeRate : s.slow * (slowCoeff - 1.0f);
            s.fast = s.fast < 1.0e-6f ? 0.0f : s.fast;
            s.slow = s.slow < 1.0e-6f ? 0.0f : s.slow;
            return std::max (s.fast, s.slow);
        }
        else
        {
            s.release = std::max (held, s.release * releaseCoeff);
            s.release = s.release < 1.0e-6f ? 0.0f : s.release;
            return s.release;
        }
    }

    /** A RunningMean, in registers for a block. */
    struct MeanState
    {
        double* ring;
        int at, count, size;
        double total, scale;
    };

    /** RunningMean::push(). */
    inline double pushMean (MeanState& m, double v) noexcept
    {
        const double old = m.ring[m.at];
        m.ring[m.at] = v;
        m.at = m.at + 1 == m.size ? 0 : m.at + 1;
        m.count += (v != 0.0 ? 1 : 0) - (old != 0.0 ? 1 : 0);
        m.total = m.count == 0 ? 0.0 : m.total + (v - old);
        return m.total * m.scale;
    }
} // namespace

template <bool useAutoRelease, int numChannels>
void TruePeakLimiter::Stage::holdAndRelease (
    int n, float releaseCoeff, float fastCoeff, float slowCoeff, float slowChargeRate) noexcept
{
    // Both channels in one loop: their recurrences are independent, so they overlap.
    HoldAndReleaseState s[numChannels];
    for (int ch = 0; ch < numChannels; ++ch)
    {
        auto& c = channels[(size_t) ch];
        s[ch] = { c.hold.values.data(), c.hold.positions.data(), c.hold.head, c.hold.count, c.hold.mask, c.hold.now, c.hold.size,
            c.fast, c.slow, c.release };
    }
    for (int i = 0; i < n; ++i)
        for (int ch = 0; ch < numChannels; ++ch)
            gains[(size_t) ch][(size_t) i] = holdAndReleaseStep<useAutoRelease> (
                s[ch], needs[(size_t) ch][(size_t) i], releaseCoeff, fastCoeff, slowCoeff, slowChargeRate);
    for (int ch = 0; ch < numChannels; ++ch)
    {
        auto& c = channels[(size_t) ch];
        c.hold.head = s[ch].head;
        c.hold.count = s[ch].count;
        c.hold.now = s[ch].now;
        c.fast = s[ch].fast;
        c.slow = s[ch].slow;
        c.release = s[ch].release;
    }
}

template <int numChannels>
void TruePeakLimiter::Stage::smooth (int n) noexcept
{
    // The two running means, in double so that their sums do not drift (the channels in one
    // loop again).
    MeanState m[numChannels][2];
    for (int ch = 0; ch < numChannels; ++ch)
    {
        auto& c = channels[(size_t) ch];
        m[ch][0] = { c.first.values.data(), c.first.position, c.first.nonZero, c.first.size, c.first.sum, c.first.scale };
        m[ch][1] = { c.second.values.data(), c.second.position, c.second.nonZero, c.second.size, c.second.sum, c.second.scale };
    }
    for (int i = 0; i < n; ++i)
        for (int ch = 0; ch < numChannels; ++ch)
        {
            float& gain = gains[(size_t) ch][(size_t) i];
            const double smoothed = pushMean (m[ch][1], pushMean (m[ch][0], (double) gain));
            gain = smoothed == 0.0 ? 1.0f : (float) (1.0 - smoothed);
        }
    for (int ch = 0; ch < numChannels; ++ch)
    {
        auto& c = channels[(size_t) ch];
        c.first.position = m[ch][0].at;
        c.first.nonZero = m[ch][0].count;
        c.first.sum = m[ch][0].total;
        c.second.position = m[ch][1].at;
        c.second.nonZero = m[ch][1].count;
        c.second.sum = m[ch][1].total;
    }
}

void TruePeakLimiter::Stage::shareState() noexcept
{
    auto& from = channels[0];
    auto& to = channels[1];
    to.hold.values = from.hold.values; // same sizes: no allocation
    to.hold.positions = from.hold.positions;
    to.hold.head = from.hold.head;
    to.hold.count = from.hold.count;
    to.hold.now = from.hold.now;
    to.first.values = from.first.values;
    to.first.position = from.first.position;
    to.first.nonZero = from.first.nonZero;
    to.first.sum = from.first.sum;
    to.second.values = from.second.values;
    to.second.position = from.second.position;
    to.second.nonZero = from.second.nonZero;
    to.second.sum = from.second.sum;
    to.release = from.release;
    to.fast = from.fast;
    to.slow = from.slow;
}

void TruePeakLimiter::Stage::computeGains (
    int n, bool useAutoRelease, float releaseCoeff, float fastCoeff, float slowCoeff, float slowChargeRate) noexcept
{
    // Linked stereo: identical needs through identical states give identical gains. So while
    // the needs agree, channel 1's state is taken to be channel 0's and not worked out again;
    // it is written out when they part, and they share again once both are idle.
    const bool sameNeeds = std::memcmp (needs[0].data(), needs[1].data(), sizeof (float) * (size_t) n) == 0;
    if (shared && ! sameNeeds)
    {
        shareState();
        shared = false;
    }
    const int active = shared ? 1 : 2;

    // Nothing to reduce and nothing still being reduced: the gain is exactly 1 throughout, and
    // the hold and the means only move on (most of the time for the safety stage).
    bool idle = true;
    for (int ch = 0; ch < active; ++ch)
        idle = idle && channels[(size_t) ch].isIdle() && allZero (needs[(size_t) ch].data(), n);
    if (idle)
    {
        for (int ch = 0; ch < active; ++ch)
        {
            auto& c = channels[(size_t) ch];
            c.hold.skipZeros (n);
            c.first.skipZeros (n);
            c.second.skipZeros (n);
        }
        for (auto& g : gains)
            std::fill (g.begin(), g.begin() + n, 1.0f);
        shared = true;
        return;
    }

    // Hold and release (a recurrence, sample by sample), dB to linear for the whole block at
    // once, then the means.
    if (shared)
    {
        if (useAutoRelease)
            holdAndRelease<true, 1> (n, releaseCoeff, fastCoeff, slowCoeff, slowChargeRate);
        else
            holdAndRelease<false, 1> (n, releaseCoeff, fastCoeff, slowCoeff, slowChargeRate);
        reductionsToLosses (gains[0].data(), n);
        smooth<1> (n);
        std::copy (gains[0].begin(), gains[0].begin() + n, gains[1].begin());
    }
    else
    {
        if (useAutoRelease)
            holdAndRelease<true, 2> (n, releaseCoeff, fastCoeff, slowCoeff, slowChargeRate);
        else
            holdAndRelease<false, 2> (n, releaseCoeff, fastCoeff, slowCoeff, slowChargeRate);
        reductionsToLosses (gains[0].data(), n);
        reductionsToLosses (gains[1].data(), n);
        smooth<2> (n);
        shared = channels[0].isIdle() && channels[1].isIdle(); // idle states are interchangeable
    }
}

void TruePeakLimiter::Stage::apply (const float* const* input, float* const* output, int n) noexcept
{
    // Write the block into the delay line first, then read it delayed: the line is longer
    // than the latency plus a block, so nothing is overwritten before it is read.
    const int size = delayMask + 1;
    for (int ch = 0; ch < 2; ++ch)
    {
        float* delay = channels[(size_t) ch].delay.data();
        const int firstWrite = std::min (n, size - delayWrite);
        std::copy (input[ch], input[ch] + firstWrite, delay + delayWrite);
        if (firstWrite < n)
            std::copy (input[ch] + firstWrite, input[ch] + n, delay);

        const int read = (delayWrite - latency) & delayMask;
        const int firstRead = std::min (n, size - read);
        const float* gain = gains[(size_t) ch].data();
        multiply (gain, delay + read, output[ch], firstRead);
        multiply (gain + firstRead, delay, output[ch] + firstRead, n - firstRead);
    }
    delayWrite = (delayWrite + n) & delayMask;
}

//==============================================================================
TruePeakLimiter::TruePeakLimiter()
{
    setCeilingDb (-1.0f);
    safetyRatio = dbToGain (safetyMarginDb - finalMarginDb);
}

void TruePeakLimiter::prepare (double rate, int, double lookaheadMs)
{
    sampleRate = rate;
    factor = detectionOversamplingFor (rate);
    main.prepare (mainPassband, true, factor, (int) std::lround (lookaheadMs * 0.001 * rate));
    safety.prepare (safetyPassband, false, factor, (int) std::lround (safetyLookaheadMs * 0.001 * rate));

    inputGain.prepare (rate, smoothingSeconds, inputTarget);
    ceiling.prepare (rate, smoothingSeconds, ceilingTarget);
    unlink.prepare (rate, smoothingSeconds, unlinkTarget);
    updateReleaseCoefficients();
    reset();
}

void TruePeakLimiter::reset() noexcept
{
    main.reset();
    safety.reset();
    inputGain.reset (inputTarget);
    ceiling.reset (ceilingTarget);
    unlink.reset (unlinkTarget);
    reduction.store (0.0f, std::memory_order_relaxed);
}

void TruePeakLimiter::setInputGainDb (float db) noexcept
{
    inputTarget = dbToGain (db);
    inputGain.setTarget (inputTarget);
}

void TruePeakLimiter::setCeilingDb (float dbtp) noexcept
{
    ceilingDb = dbtp;
    ceilingTarget = dbToGain (dbtp - safetyMarginDb);
    ceiling.setTarget (ceilingTarget);
}

void TruePeakLimiter::setReleaseMs (float ms) noexcept
{
    if (ms == releaseMs)
        return;
    releaseMs = ms;
    updateReleaseCoefficients();
}

void TruePeakLimiter::setAutoRelease (bool on) noexcept
{
    if (on == autoRelease)
        return;
    autoRelease = on;
    // Hand the envelope over where it is, so switching modes never jumps the gain.
    for (auto& c : main.channels)
    {
        const float now = std::max ({ c.release, c.fast, c.slow });
        if (on)
        {
            c.fast = now;
            c.slow = 0.0f;
        }
        else
        {
            c.release = now;
        }
    }
}

void TruePeakLimiter::setStereoUnlink (float amount) noexcept
{
    unlinkTarget = std::clamp (amount, 0.0f, 1.0f);
    unlink.setTarget (unlinkTarget);
}

void TruePeakLimiter::updateReleaseCoefficients() noexcept
{
    // Fixed release: the time given. Program-dependent: overshoots beyond the sustained
    // level recover four times faster, the sustained level itself twice slower.
    releaseCoefficient = decayCoefficient (releaseMs, sampleRate);
    fastCoefficient = decayCoefficient (std::max (1.0, releaseMs * 0.25), sampleRate);
    slowCoefficient = decayCoefficient (releaseMs * 2.0, sampleRate);
    slowCharge = 1.0f - decayCoefficient (slowChargeMs, sampleRate);
    safetyRelease = decayCoefficient (safetyReleaseMs, sampleRate);
}

void TruePeakLimiter::process (float* left, float* right, int numSamples) noexcept
{
    float lowest = 1.0f;
    for (int offset = 0; offset < numSamples; offset += chunk)
    {
        float* io[2] = { left + offset, right + offset };
        const int n = std::min (chunk, numSamples - offset);
        processChunk (io, n);
        for (int ch = 0; ch < 2; ++ch)
            lowest = std::min (lowest, smallestPositive (meter[(size_t) ch].data(), n));
    }
    reduction.store (lowest < 1.0f ? -20.0f * std::log10 (lowest) : 0.0f, std::memory_order_relaxed);
}

void TruePeakLimiter::processChunk (float* const* io, int n) noexcept
{
    // Each step runs over the whole block (vectorised where the samples are independent);
    // only hold, release and the running means go sample by sample.
    fill (inputGain, gainSteps.data(), n);
    for (int ch = 0; ch < 2; ++ch)
        applyInputGain (io[ch], gainSteps.data(), gained[(size_t) ch].data(), n);

    fill (ceiling, ceilings.data(), n);
    fill (unlink, unlinkAmounts.data(), n);
    // The safety stage's ceiling sits a fixed ratio above the main stage's target.
    for (int i = 0; i < n; ++i)
        safetyCeilings[(size_t) i] = ceilings[(size_t) i] * safetyRatio;

    const float* mainInput[2] = { gained[0].data(), gained[1].data() };
    float* mainOutput[2] = { limited[0].data(), limited[1].data() };
    const float lowestCeiling = *std::min_element (ceilings.begin(), ceilings.begin() + n);
    main.detect (mainInput, n, lowestCeiling);
    main.computeNeeds (ceilings.data(), unlinkAmounts.data(), n, lowestCeiling);
    main.computeGains (n, autoRelease, releaseCoefficient, fastCoefficient, slowCoefficient, slowCharge);
    main.apply (mainInput, mainOutput, n);

    const float* safetyInput[2] = { limited[0].data(), limited[1].data() };
    const float lowestSafetyCeiling = *std::min_element (safetyCeilings.begin(), safetyCeilings.begin() + n);
    safety.detect (safetyInput, n, lowestSafetyCeiling);
    safety.computeNeeds (safetyCeilings.data(), unlinkAmounts.data(), n, lowestSafetyCeiling);
    safety.computeGains (n, false, safetyRelease, 0.0f, 0.0f, 0.0f);
    safety.apply (safetyInput, io, n);

    for (int ch = 0; ch < 2; ++ch)
        multiply (main.gains[(size_t) ch].data(), safety.gains[(size_t) ch].data(), meter[(size_t) ch].data(), n);
}

} // namespace crest::dsp
