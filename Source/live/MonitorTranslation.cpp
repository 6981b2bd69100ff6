#include "live/MonitorTranslation.h"

#include <algorithm>
#include <cmath>
#include <complex>

namespace crest::live
{

namespace
{
    // Second-order sections after R. Bristow-Johnson's "Audio EQ Cookbook".
    dsp::BiquadCoefficients normalised (double b0, double b1, double b2, double a0, double a1, double a2)
    {
        return { b0 / a0, b1 / a0, b2 / a0, a1 / a0, a2 / a0 };
    }

    dsp::BiquadCoefficients highPass (double rate, double f, double q)
    {
        const double w = 2.0 * M_PI * f / rate, c = std::cos (w), alpha = std::sin (w) / (2.0 * q);
        return normalised ((1.0 + c) / 2.0, -(1.0 + c), (1.0 + c) / 2.0, 1.0 + alpha, -2.0 * c, 1.0 - alpha);
    }

    dsp::BiquadCoefficients lowPass (double rate, double f, double q)
    {
        const double w = 2.0 * M_PI * f / rate, c = std::cos (w), alpha = std::sin (w) / (2.0 * q);
        return normalised ((1.0 - c) / 2.0, 1.0 - c, (1.0 - c) / 2.0, 1.0 + alpha, -2.0 * c, 1.0 - alpha);
    }

    dsp::BiquadCoefficients bell (double rate, double f, double q, double gainDb)
    {
        const double a = std::pow (10.0, gainDb / 40.0), w = 2.0 * M_PI * f / rate, c = std::cos (w);
        const double alpha = std::sin (w) / (2.0 * q);
        return normalised (1.0 + alpha * a, -2.0 * c, 1.0 - alpha * a, 1.0 + alpha / a, -2.0 * c, 1.0 - alpha / a);
    }

    dsp::BiquadCoefficients shelf (double rate, double f, double gainDb, bool high)
    {
        // Shelf slope S = 1 (the steepest without overshoot).
        const double a = std::pow (10.0, gainDb / 40.0), w = 2.0 * M_PI * f / rate, c = std::cos (w);
        const double alpha = std::sin (w) / 2.0 * std::sqrt (2.0), ra = 2.0 * std::sqrt (a) * alpha;
        if (! high)
            return normalised (a * ((a + 1) - (a - 1) * c + ra), 2 * a * ((a - 1) - (a + 1) * c),
                a * ((a + 1) - (a - 1) * c - ra), (a + 1) + (a - 1) * c + ra, -2 * ((a - 1) + (a + 1) * c),
                (a + 1) + (a - 1) * c - ra);
        return normalised (a * ((a + 1) + (a - 1) * c + ra), -2 * a * ((a - 1) + (a + 1) * c), a * ((a + 1) + (a - 1) * c - ra),
            (a + 1) - (a - 1) * c + ra, 2 * ((a - 1) - (a + 1) * c), (a + 1) - (a - 1) * c - ra);
    }

    double sectionMagnitudeSquared (const dsp::BiquadCoefficients& s, double rate, double f)
    {
        const auto z = std::polar (1.0, -2.0 * M_PI * f / rate); // z^-1
        const auto h = (s.b0 + s.b1 * z + s.b2 * z * z) / (1.0 + s.a1 * z + s.a2 * z * z);
        return std::norm (h);
    }

    constexpr double butterworth4Q1 = 0.54119610, butterworth4Q2 = 1.30656296; // 4th order as two sections

    size_t slotOf (Translation t) noexcept
    {
        return (size_t) t;
    }
} // namespace

std::string translationName (Translation t)
{
    switch (t)
    {
        case Translation::off:
            return "Off";
        case Translation::mono:
            return "Mono";
        case Translation::phone:
            return "Phone speaker";
        case Translation::earbuds:
            return "Earbuds";
        case Translation::laptop:
            return "Laptop";
        case Translation::car:
            return "Car";
        case Translation::club:
            return "Club";
    }
    return "Off";
}

std::string translationKey (Translation t)
{
    switch (t)
    {
        case Translation::off:
            return "off";
        case Translation::mono:
            return "mono";
        case Translation::phone:
            return "phone";
        case Translation::earbuds:
            return "earbuds";
        case Translation::laptop:
            return "laptop";
        case Translation::car:
            return "car";
        case Translation::club:
            return "club";
    }
    return "off";
}

MonitorTranslation::Design MonitorTranslation::design (Translation t, double rate)
{
    Design d;
    auto add = [&d] (const dsp::BiquadCoefficients& c) { d.sections[(size_t) d.numSections++] = c; };
    const double nyquistGuard = rate * 0.45; // keep corners below Nyquist at low rates
    switch (t)
    {
        case Translation::off:
            break;
        case Translation::mono:
            d.mono = true;
            break;
        case Translation::phone:
            d.mono = true;
            add (highPass (rate, 500.0, butterworth4Q1));
            add (highPass (rate, 500.0, butterworth4Q2));
            add (bell (rate, std::min (2500.0, nyquistGuard), 1.0, 4.0));
            add (lowPass (rate, std::min (10000.0, nyquistGuard), 0.7071));
            break;
        case Translation::earbuds:
            add (highPass (rate, 90.0, 0.7071));
            add (bell (rate, std::min (3000.0, nyquistGuard), 1.4, 3.0));
            add (shelf (rate, std::min (10000.0, nyquistGuard), -3.0, true));
            break;
        case Translation::laptop:
            d.sideGain = 0.5f;
            add (highPass (rate, 200.0, butterworth4Q1));
            add (highPass (rate, 200.0, butterworth4Q2));
            add (bell (rate, std::min (1200.0, nyquistGuard), 1.2, 3.0));
            add (lowPass (rate, std::min (14000.0, nyquistGuard), 0.7071));
            break;
        case Translation::car:
            add (shelf (rate, 90.0, 6.0, false));
            add (bell (rate, 400.0, 1.0, -3.0));
            add (shelf (rate, std::min (6000.0, nyquistGuard), -4.0, true));
            break;
        case Translation::club:
            d.mono = true;
            add (highPass (rate, 30.0, 0.7071));
            add (shelf (rate, 80.0, 6.0, false));
            add (shelf (rate, std::min (8000.0, nyquistGuard), -2.0, true));
            break;
    }
    return d;
}

double MonitorTranslation::magnitudeDb (Translation t, double rate, double f)
{
    const auto d = design (t, rate);
    double power = 1.0;
    for (int i = 0; i < d.numSections; ++i)
        power *= sectionMagnitudeSquared (d.sections[(size_t) i], rate, f);
    return 10.0 * std::log10 (std::max (power, 1.0e-30));
}

void MonitorTranslation::prepare (double rate, int maxBlockSize)
{
    sampleRate = rate;
    designs[0] = design (Translation::off, rate);
    fixedCompensationDb[0] = 0.0f;
    for (auto t : allTranslations)
    {
        designs[slotOf (t)] = design (t, rate);
        // The filters' effect on pink noise (equal power per octave, 20 Hz - 20 kHz): the mean of
        // |H|^2 over log frequency. Used until 3 s of audio give a measured match.
        double sum = 0.0;
        const int points = 200;
        for (int i = 0; i < points; ++i)
            sum += std::pow (
                10.0, magnitudeDb (t, rate, std::min (20.0 * std::pow (1000.0, (i + 0.5) / points), rate * 0.49)) / 10.0);
        fixedCompensationDb[slotOf (t)] = (float) std::clamp (-10.0 * std::log10 (sum / points), -20.0, 20.0);
    }
    before.prepare (rate, 2);
    after.prepare (rate, 2);
    gain.prepare (rate, 0.2, 1.0f);
    mix.prepare (rate, 0.02, 1.0f);
    for (auto& d : dry)
        d.assign ((size_t) maxBlockSize, 0.0f);
    reset();
}

void MonitorTranslation::reset() noexcept
{
    for (auto& channel : filters)
        for (auto& f : channel)
            f.reset();
    before.reset();
    after.reset();
    running = requested.load();
    gain.reset (std::pow (10.0f, fixedCompensationDb[slotOf (running)] / 20.0f));
    mix.reset (1.0f);
}

void MonitorTranslation::applyDesign (const Design& d, float* left, float* right, int n) noexcept
{
    if (d.mono || d.sideGain != 1.0f)
    {
        const float side = d.mono ? 0.0f : d.sideGain;
        for (int i = 0; i < n; ++i)
        {
            const float m = 0.5f * (left[i] + right[i]), s = 0.5f * (left[i] - right[i]) * side;
            left[i] = m + s;
            right[i] = m - s;
        }
    }
    float* channels[] = { left, right };
    for (int c = 0; c < 2; ++c)
    {
        for (int k = 0; k < d.numSections; ++k)
        {
            auto& f = filters[(size_t) c][(size_t) k];
            f.setCoefficients (d.sections[(size_t) k]);
            float* x = channels[c];
            for (int i = 0; i < n; ++i)
                x[i] = (float) f.process (x[i]);
            f.flushDenormals();
        }
    }
}

void MonitorTranslation::process (float* left, float* right, int n) noexcept
{
    const auto wanted = requested.load (std::memory_order_relaxed);
    if (wanted != running && ! mix.isSmoothing())
    {
        if (mix.value() > 0.0f && running != Translation::off)
        {
            mix.setTarget (0.0f); // fade the old simulation out first (20 ms), then switch
        }
        else
        {
            running = wanted;
            for (auto& channel : filters)
                for (auto& f : channel)
                    f.reset();
            before.reset();
            after.reset();
            gain.reset (std::pow (10.0f, fixedCompensationDb[slotOf (running)] / 20.0f));
            mix.reset (0.0f);
            mix.setTarget (1.0f);
        }
    }

    if (running == Translation::off && ! mix.isSmoothing() && wanted == Translation::off)
    {
        currentMatchDb.store (0.0f, std::memory_order_relaxed);
        return; // bit-exact pass-through
    }

    std::copy (left, left + n, dry[0].begin());
    std::copy (right, right + n, dry[1].begin());
    const float* in[] = { left, right };
    before.process (in, n);
    applyDesign (designs[slotOf (running)], left, right, n);
    after.process (in, n);

    float db = 0.0f;
    if (levelMatch.load (std::memory_order_relaxed) && running != Translation::off)
    {
        const auto b = before.shortTermLufs(), a = after.shortTermLufs();
        db = b && a ? (float) std::clamp (*b - *a, -20.0, 20.0) : fixedCompensationDb[slotOf (running)];
    }
    currentMatchDb.store (db, std::memory_order_relaxed);
    gain.setTarget (std::pow (10.0f, db / 20.0f));

    // Between simulations the output dips through the dry signal (mix 0 = unfiltered), so a
    // change of filters never switches abruptly.
    for (int i = 0; i < n; ++i)
    {
        const float g = gain.next(), m = running == Translation::off ? 0.0f : mix.next();
        left[i] = dry[0][(size_t) i] + m * (g * left[i] - dry[0][(size_t) i]);
        right[i] = dry[1][(size_t) i] + m * (g * right[i] - dry[1][(size_t) i]);
    }
}

} // namespace crest::live
