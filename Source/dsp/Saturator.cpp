#include "dsp/ReproducibleFloat.h" // first: see there

#include "dsp/Saturator.h"
#include "dsp/VectorDispatch.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <tuple>
#include <type_traits>

namespace crest::dsp
{
namespace
{
    constexpr double pi = 3.14159265358979323846;
    constexpr float baseScale = 0.25f; // curve input for a full-scale sample at 0 dB drive
    constexpr float fadeInDb = 6.0f; // drive over which the saturation fades in from clean
    constexpr float tubeBias = 0.35f; // offset into tanh that makes the tube curve asymmetric
    constexpr double shelfCornerHz = 8000.0; // tape softening: first-order shelf pole
    constexpr double shelfGainDb = -2.0; // ... and its high-frequency gain at full drive
    constexpr double dcCornerHz = 5.0; // the residual's DC blocker

    // Computed once at start-up, so the curve itself has no static-initialisation guard.
    const float tubeOffset = std::tanh (tubeBias);

    float dbToGain (float db)
    {
        return db == 0.0f ? 1.0f : std::pow (10.0f, db / 20.0f);
    }

    using vec::fromBits;
    using vec::toBits;

    /** tanh, branch-free so that it vectorises, within 4e-7 of the value relative to it (see
        the tests), and exactly odd.

        tanh a = E / (E + 2) with E = e^(2a) - 1, computed without cancellation near 0: 2a =
        n ln 2 + r with n = round (2a / ln 2) and |r| <= ln 2 / 2 (ln 2 in two parts, so that
        n ln 2 is exact), and E = 2^n (e^r - 1) + (2^n - 1), where e^r - 1 is its Taylor
        series to the 7th power (under 2e-8 relative). a is clamped at 9, where tanh is 1 in
        float. n comes from adding 1.5 * 2^23, which leaves round (x) in the low mantissa bits
        (no float-to-int conversion); 2^n is built from its exponent bits. */
    inline float fastTanh (float v) noexcept
    {
        constexpr float ln2High = 0.693145751953125f; // few mantissa bits: n * ln2High is exact
        constexpr float ln2Low = 1.42860682030941723e-6f;
        constexpr float inverseLn2 = 1.44269504088896341f;
        constexpr float roundingShift = 12582912.0f; // 1.5 * 2^23
        constexpr float k2 = 1.0f / 2.0f, k3 = 1.0f / 3.0f, k4 = 1.0f / 4.0f, k5 = 1.0f / 5.0f, k6 = 1.0f / 6.0f,
                        k7 = 1.0f / 7.0f;

        const std::uint32_t bits = toBits (v);
        const float magnitude = fromBits (bits & 0x7fffffffu);
        const float a = magnitude < 9.0f ? magnitude : 9.0f; // also maps NaN to 9 (never fed one)
        const float y = a + a;
        const float shifted = y * inverseLn2 + roundingShift;
        const float n = shifted - roundingShift; // round (y / ln 2), exactly
        const auto exponent = (std::int32_t) (toBits (shifted) - toBits (roundingShift));
        const float r = (y - n * ln2High) - n * ln2Low;
        const float em1
            = r * (1.0f + r * k2 * (1.0f + r * k3 * (1.0f + r * k4 * (1.0f + r * k5 * (1.0f + r * k6 * (1.0f + r * k7))))));
        const float scale = fromBits ((std::uint32_t) (exponent + 127) << 23);
        const float e = scale * em1 + (scale - 1.0f);
        const float t = e / (e + 2.0f);
        return fromBits (toBits (t) | (bits & 0x80000000u));
    }

    /** The tube curve from tanh x: (tanh (x + b) - tanh (b)) / (1 - tanh^2 (b)), rewritten by
        the addition theorem so that quiet signals do not lose their precision to the
        difference of two nearly equal values. */
    inline float tubeFromTanh (float t, float offset) noexcept
    {
        return t / (1.0f + offset * t);
    }

    /** The curve on every oversampled point, in place: u = curve (u s) / s, with s and 1 / s
        given per point. blend 0 is tape, 1 is tube, anything between crossfades the two. */
    template <int mode, bool constantScale> // mode 0: tape only, 1: tube only, 2: per-point blend
    CREST_WIDE_VECTOR_CLONES void shape (
        float* u, const float* scales, const float* inverses, const float* blends, float offset, int count) noexcept
    {
        // A steady drive has one scale and one inverse for every point: read once, not per point.
        const float scale0 = scales[0], inverse0 = inverses[0];
        for (int j = 0; j < count; ++j)
        {
            const float scale = constantScale ? scale0 : scales[j];
            const float inverse = constantScale ? inverse0 : inverses[j];
            const float t = fastTanh (u[j] * scale);
            float y;
            if constexpr (mode == 0)
            {
                y = t;
            }
            else if constexpr (mode == 1)
            {
                y = tubeFromTanh (t, offset);
            }
            else
            {
                // Computed for every point and then selected; a blend of exactly 0 or 1 gives
                // exactly what the tape-only or tube-only loops give.
                const float tube = tubeFromTanh (t, offset);
                const float b = blends[j];
                const float mixed = t + b * (tube - t);
                y = b == 1.0f ? tube : mixed;
            }
            u[j] = y * inverse;
        }
    }

    /** out[i] = in[i], with non-finite samples replaced by silence. */
    CREST_WIDE_VECTOR_CLONES
    void sanitise (const float* in, float* out, int n) noexcept
    {
        for (int i = 0; i < n; ++i)
            out[i] = std::fabs (in[i]) <= FLT_MAX ? in[i] : 0.0f;
    }
} // namespace

int Saturator::oversamplingFor (double rate) noexcept
{
    // The top rate stays at 350 kHz or more: the curves' harmonics have decayed far below
    // -90 dB before they could fold back into the audio band.
    if (rate < 50000.0)
        return 8;
    if (rate < 100000.0)
        return 4;
    return 2;
}

float Saturator::tapeCurve (float x) noexcept
{
    return fastTanh (x);
}

float Saturator::tubeCurve (float x) noexcept
{
    return tubeFromTanh (fastTanh (x), tubeOffset);
}

void Saturator::prepare (double rate, int)
{
    sampleRate = rate;
    factor = oversamplingFor (rate);
    Oversampler::Options options;
    options.factor = factor;
    options.phase = Oversampler::Phase::linear;
    for (auto& os : oversamplers)
        os.prepare (options, chunk);
    latency = oversamplers[0].latencySamples();

    int size = 1;
    while (size < latency + chunk + 1)
        size <<= 1;
    delayMask = size - 1;
    for (auto& d : dryDelay)
        d.assign ((size_t) size, 0.0f);

    // First-order high shelf by the bilinear transform, prewarped at its pole.
    const double t = std::tan (pi * shelfCornerHz / rate);
    const double g = std::pow (10.0, shelfGainDb / 20.0);
    BiquadCoefficients c;
    c.b0 = (g + t) / (1.0 + t);
    c.b1 = (t - g) / (1.0 + t);
    c.b2 = 0.0;
    c.a1 = (t - 1.0) / (1.0 + t);
    c.a2 = 0.0;
    for (auto& s : shelves)
        s.setCoefficients (c);

    dcPole = std::exp (-2.0 * pi * dcCornerHz / rate);

    drive.prepare (rate, 0.05, driveTarget);
    mix.prepare (rate, 0.02, mixTarget);
    output.prepare (rate, 0.02, outputTarget);
    tubeBlend.prepare (rate, 0.03, blendTarget);
    reset();
}

void Saturator::reset() noexcept
{
    for (auto& os : oversamplers)
        os.reset();
    for (auto& d : dryDelay)
        std::fill (d.begin(), d.end(), 0.0f);
    delayWrite = 0;
    for (auto& s : shelves)
        s.reset();
    dcInput.fill (0.0);
    dcOutput.fill (0.0);
    drive.reset (driveTarget);
    mix.reset (mixTarget);
    output.reset (outputTarget);
    tubeBlend.reset (blendTarget);
    lastScale = baseScale * dbToGain (driveTarget);
}

void Saturator::setCharacter (Character c) noexcept
{
    blendTarget = c == Character::tube ? 1.0f : 0.0f;
    tubeBlend.setTarget (blendTarget);
}

void Saturator::setDriveDb (float db) noexcept
{
    driveTarget = std::max (0.0f, db);
    drive.setTarget (driveTarget);
}

void Saturator::setMix (float m) noexcept
{
    mixTarget = std::clamp (m, 0.0f, 1.0f);
    mix.setTarget (mixTarget);
}

void Saturator::setOutputDb (float db) noexcept
{
    outputTarget = dbToGain (db);
    output.setTarget (outputTarget);
}

void Saturator::process (float* left, float* right, int numSamples) noexcept
{
    for (int offset = 0; offset < numSamples; offset += chunk)
    {
        float* channels[2] = { left + offset, right + offset };
        processChunk (channels, std::min (chunk, numSamples - offset));
    }
}

void Saturator::processChunk (float* const* channels, int n) noexcept
{
    // Settings, sample by sample, shared by both channels. Powers only while drive moves (a
    // steady drive's scale is the one the last block ended on).
    scale[0] = lastScale;
    if (! drive.isSmoothing() && ! mix.isSmoothing() && ! output.isSmoothing() && ! tubeBlend.isSmoothing())
    {
        // What the loop below gives for steady settings, filled.
        const float d = drive.value(), b = tubeBlend.value();
        std::fill (scale.begin() + 1, scale.begin() + n + 1, lastScale);
        std::fill (amount.begin(), amount.begin() + n, mix.value() * std::min (1.0f, d / fadeInDb));
        std::fill (softening.begin(), softening.begin() + n, (1.0f - b) * d / 24.0f);
        std::fill (blend.begin(), blend.begin() + n, b);
        std::fill (gain.begin(), gain.begin() + n, output.value());
    }
    else
    {
        const bool driveMoving = drive.isSmoothing();
        float s = lastScale;
        for (int i = 0; i < n; ++i)
        {
            const float d = drive.next();
            if (driveMoving)
                s = baseScale * dbToGain (d);
            const float b = tubeBlend.next();
            scale[(size_t) i + 1] = s;
            amount[(size_t) i] = mix.next() * std::min (1.0f, d / fadeInDb);
            softening[(size_t) i] = (1.0f - b) * d / 24.0f;
            blend[(size_t) i] = b;
            gain[(size_t) i] = output.next();
        }
    }
    lastScale = scale[(size_t) n];

    // The same per oversampled point, for both channels: the curve's input scale (it glides
    // within a base-rate sample while the drive moves), its inverse, and the blend.
    bool tapeOnly = true, tubeOnly = true;
    for (int i = 0; i < n; ++i)
    {
        tapeOnly = tapeOnly && blend[(size_t) i] == 0.0f;
        tubeOnly = tubeOnly && blend[(size_t) i] == 1.0f;
    }
    // A steady drive (the scale the same across the chunk) needs one scale and its inverse,
    // the very values the per-point loop would fill in.
    bool constantScale = true;
    for (int i = 1; i <= n; ++i)
        constantScale = constantScale && scale[(size_t) i] == scale[0];
    if (constantScale)
    {
        pointScales[0] = scale[0];
        pointInverses[0] = 1.0f / scale[0];
    }
    const float stepScale = 1.0f / (float) factor;
    for (int i = 0; i < n && ! (constantScale && (tapeOnly || tubeOnly)); ++i)
    {
        const float s0 = scale[(size_t) i], s1 = scale[(size_t) i + 1];
        float* scales = pointScales.data() + i * factor;
        float* inverses = pointInverses.data() + i * factor;
        if (constantScale)
        {
            // Only the blends are needed (the scale is read once).
        }
        else if (s0 == s1)
        {
            // What the general case gives for a constant scale, with one division.
            std::fill (scales, scales + factor, s0);
            std::fill (inverses, inverses + factor, 1.0f / s0);
        }
        else
        {
            for (int k = 0; k < factor; ++k)
            {
                scales[k] = s0 + (s1 - s0) * (float) (k + 1) * stepScale;
                inverses[k] = 1.0f / scales[k];
            }
        }
        if (! tapeOnly && ! tubeOnly)
            std::fill (pointBlends.data() + i * factor, pointBlends.data() + (i + 1) * factor, blend[(size_t) i]);
    }

    // The wet path: oversampled curve.
    const int count = n * factor;
    for (int ch = 0; ch < 2; ++ch)
    {
        float* in = input[(size_t) ch].data();
        sanitise (channels[ch], in, n);
        auto& os = oversamplers[(size_t) ch];
        float* up = os.upsample (in, n);
        const auto run = [&] (auto constant) {
            if (tapeOnly)
                shape<0, decltype (constant)::value> (up, pointScales.data(), pointInverses.data(), pointBlends.data(), tubeOffset, count);
            else if (tubeOnly)
                shape<1, decltype (constant)::value> (up, pointScales.data(), pointInverses.data(), pointBlends.data(), tubeOffset, count);
            else
                shape<2, decltype (constant)::value> (up, pointScales.data(), pointInverses.data(), pointBlends.data(), tubeOffset, count);
        };
        if (constantScale)
            run (std::true_type {});
        else
            run (std::false_type {});
        os.downsample (up, wet[(size_t) ch].data(), n);

        // The dry path: the same input, delayed by the same latency (written first, then read:
        // the ring holds more than the latency plus a chunk). The input buffer takes the dry signal.
        float* ring = dryDelay[(size_t) ch].data();
        const int size = delayMask + 1;
        const int firstWrite = std::min (n, size - delayWrite);
        std::copy (in, in + firstWrite, ring + delayWrite);
        if (firstWrite < n)
            std::copy (in + firstWrite, in + n, ring);
        const int read = (delayWrite - latency) & delayMask;
        const int firstRead = std::min (n, size - read);
        std::copy (ring + read, ring + read + firstRead, in);
        if (firstRead < n)
            std::copy (ring, ring + (n - firstRead), in + firstRead);
    }
    delayWrite = (delayWrite + n) & delayMask;

    // Mix, both channels in one pass (their recurrences then overlap, and the compiler may
    // pair them in vector registers): only the distortion residual is DC-blocked, and tape's
    // softening is a shelf on the wet signal (Biquad::process(), spelled out on local state).
    const auto& c = shelves[0].getCoefficients(); // both channels' shelves are the same
    double dcIn[2], dcOut[2], s1[2], s2[2];
    for (int ch = 0; ch < 2; ++ch)
    {
        dcIn[ch] = dcInput[(size_t) ch];
        dcOut[ch] = dcOutput[(size_t) ch];
        std::tie (s1[ch], s2[ch]) = shelves[(size_t) ch].getState();
    }
    // Both channels as the two lanes of one vector (the same operations lane by lane as the
    // scalar form: double residual, DC blocker and shelf, float mix), half the instructions.
    using D2 = double __attribute__ ((vector_size (16)));
    using F2 = float __attribute__ ((vector_size (8)));
    D2 dcI { dcIn[0], dcIn[1] }, dcO { dcOut[0], dcOut[1] }, z1 { s1[0], s1[1] }, z2 { s2[0], s2[1] };
    const float* dry0 = input[0].data();
    const float* dry1 = input[1].data();
    const float* wet0 = wet[0].data();
    const float* wet1 = wet[1].data();
    for (int i = 0; i < n; ++i)
    {
        const float a = amount[(size_t) i], soft = softening[(size_t) i], g = gain[(size_t) i];
        const F2 dry { dry0[i], dry1[i] };
        const F2 full { wet0[i], wet1[i] };
        const D2 fullD = __builtin_convertvector (full, D2);
        const D2 residual = fullD - __builtin_convertvector (dry, D2);
        const D2 hp = residual - dcI + dcPole * dcO;
        dcI = residual;
        dcO = hp;
        const D2 shelved = c.b0 * fullD + z1;
        z1 = c.b1 * fullD - c.a1 * shelved + z2;
        z2 = c.b2 * fullD - c.a2 * shelved;
        const F2 softened = __builtin_convertvector (shelved - fullD, F2);
        const F2 y = a == 0.0f ? dry : dry + a * (__builtin_convertvector (hp, F2) + soft * softened);
        channels[0][i] = g * y[0];
        channels[1][i] = g * y[1];
    }
    for (int ch = 0; ch < 2; ++ch)
    {
        dcIn[ch] = dcI[ch];
        dcOut[ch] = dcO[ch];
        s1[ch] = z1[ch];
        s2[ch] = z2[ch];
    }

    for (int ch = 0; ch < 2; ++ch)
    {
        shelves[(size_t) ch].setState (s1[ch], s2[ch]);
        shelves[(size_t) ch].flushDenormals();
        dcInput[(size_t) ch] = dcIn[ch];
        dcOutput[(size_t) ch] = std::fabs (dcOut[ch]) < 1.0e-30 ? 0.0 : dcOut[ch];
    }
}

} // namespace crest::dsp
