#include "engine/UtilityModule.h"

#include <cmath>

namespace crest::engine
{
namespace
{
    constexpr double rampSeconds = 0.02; // polarity flips and swaps glide, so they never click

    float linearGain (float db) { return db == 0.0f ? 1.0f : std::pow (10.0f, db / 20.0f); }
} // namespace

const ParameterTable& UtilityModule::parameterSpecs()
{
    namespace id = ids::utility;
    using specs::toggle;
    static const ParameterTable table ({
        specs::number (id::gain, "Gain", "dB", -24.0f, 24.0f, 0.0f),
        toggle (id::invertLeft, "Invert left polarity"),
        toggle (id::invertRight, "Invert right polarity"),
        toggle (id::swapChannels, "Swap left and right"),
        toggle (id::mono, "Mono"),
        toggle (id::dcFilter, "DC filter (5 Hz high-pass)"),
    });
    return table;
}

UtilityModule::UtilityModule()
    : Module (parameterSpecs()), gainDb (parameter (ids::utility::gain)), invertLeft (parameter (ids::utility::invertLeft)),
      invertRight (parameter (ids::utility::invertRight)), swap (parameter (ids::utility::swapChannels)),
      mono (parameter (ids::utility::mono)), dcFilter (parameter (ids::utility::dcFilter))
{
}

void UtilityModule::prepare (double rate, int)
{
    sampleRate = rate;
    // A first-order-like DC blocker as a biquad: zero at DC, pole just inside the unit circle.
    const double pole = std::exp (-2.0 * 3.14159265358979323846 * 5.0 / rate);
    dsp::BiquadCoefficients c;
    c.b0 = 0.5 * (1.0 + pole);
    c.b1 = -c.b0;
    c.b2 = 0.0;
    c.a1 = -pole;
    c.a2 = 0.0;
    dcLeft.setCoefficients (c);
    dcRight.setCoefficients (c);
    leftGain.prepare (rate, rampSeconds, 1.0f);
    rightGain.prepare (rate, rampSeconds, 1.0f);
    monoAmount.prepare (rate, rampSeconds, 0.0f);
    swapAmount.prepare (rate, rampSeconds, 0.0f);
    reset();
}

void UtilityModule::reset() noexcept
{
    const float g = linearGain (gainDb.get());
    leftGain.reset (invertLeft.getIndex() != 0 ? -g : g);
    rightGain.reset (invertRight.getIndex() != 0 ? -g : g);
    monoAmount.reset ((float) mono.getIndex());
    swapAmount.reset ((float) swap.getIndex());
    dcLeft.reset();
    dcRight.reset();
    dcWasOn = dcFilter.getIndex() != 0;
}

void UtilityModule::process (float* left, float* right, int numSamples) noexcept
{
    const float g = linearGain (gainDb.get());
    leftGain.setTarget (invertLeft.getIndex() != 0 ? -g : g);
    rightGain.setTarget (invertRight.getIndex() != 0 ? -g : g);
    monoAmount.setTarget ((float) mono.getIndex());
    swapAmount.setTarget ((float) swap.getIndex());

    const bool dcOn = dcFilter.getIndex() != 0;
    if (dcOn && ! dcWasOn)
    {
        dcLeft.reset();
        dcRight.reset();
    }
    dcWasOn = dcOn;

    const bool neutral = ! leftGain.isSmoothing() && ! rightGain.isSmoothing() && ! monoAmount.isSmoothing()
                         && ! swapAmount.isSmoothing() && leftGain.value() == 1.0f && rightGain.value() == 1.0f
                         && monoAmount.value() == 0.0f && swapAmount.value() == 0.0f && ! dcOn;
    if (neutral)
        return;

    if (! leftGain.isSmoothing() && ! rightGain.isSmoothing() && ! monoAmount.isSmoothing() && ! swapAmount.isSmoothing())
        processSteady (left, right, numSamples, dcOn);
    else
        for (int i = 0; i < numSamples; ++i)
        {
            float l = left[i], r = right[i];
            if (dcOn)
            {
                l = (float) dcLeft.process (l);
                r = (float) dcRight.process (r);
            }

            const float s = swapAmount.next();
            const float swappedL = l + s * (r - l), swappedR = r + s * (l - r);
            l = swappedL * leftGain.next();
            r = swappedR * rightGain.next();

            const float m = monoAmount.next();
            const float mid = 0.5f * (l + r);
            left[i] = l + m * (mid - l);
            right[i] = r + m * (mid - r);
        }

    if (dcOn)
    {
        dcLeft.flushDenormals();
        dcRight.flushDenormals();
        // A NaN that got into the filter memory would otherwise stay there forever.
        if (! std::isfinite (left[numSamples - 1]) || ! std::isfinite (right[numSamples - 1]))
        {
            dcLeft.reset();
            dcRight.reset();
        }
    }
}

void UtilityModule::processSteady (float* left, float* right, int numSamples, bool dcOn) noexcept
{
    // What the general loop does with settings that do not move: the same operations in the
    // same order (bit-identical), without four smoothers stepped per sample, and both DC
    // filters as the two lanes of one vector (Biquad::process() on each lane), so their
    // recursions overlap instead of running one after the other.
    const float s = swapAmount.value(), gl = leftGain.value(), gr = rightGain.value(), m = monoAmount.value();
    using Pair = double __attribute__ ((vector_size (16)));
    const auto& c = dcLeft.getCoefficients(); // both channels' filters are the same
    const auto [l1, l2] = dcLeft.getState();
    const auto [r1, r2] = dcRight.getState();
    Pair s1 { l1, r1 }, s2 { l2, r2 };
    for (int i = 0; i < numSamples; ++i)
    {
        float l = left[i], r = right[i];
        if (dcOn)
        {
            const Pair x { (double) l, (double) r };
            const Pair y = c.b0 * x + s1;
            s1 = c.b1 * x - c.a1 * y + s2;
            s2 = c.b2 * x - c.a2 * y;
            l = (float) y[0];
            r = (float) y[1];
        }
        const float swappedL = l + s * (r - l), swappedR = r + s * (l - r);
        l = swappedL * gl;
        r = swappedR * gr;
        const float mid = 0.5f * (l + r);
        left[i] = l + m * (mid - l);
        right[i] = r + m * (mid - r);
    }
    if (dcOn)
    {
        dcLeft.setState (s1[0], s2[0]);
        dcRight.setState (s1[1], s2[1]);
    }
}

} // namespace crest::engine
