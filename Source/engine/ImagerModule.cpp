#include "engine/ImagerModule.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace crest::engine
{
namespace
{
    ParameterSpec number (
        const std::string& id, const std::string& name, const std::string& unit, float minimum, float maximum, float defaultValue)
    {
        ParameterSpec s;
        s.id = id;
        s.name = name;
        s.unit = unit;
        s.minimum = minimum;
        s.maximum = maximum;
        s.defaultValue = defaultValue;
        return s;
    }

    ParameterSpec choice (const std::string& id, const std::string& name, std::vector<std::string> choices, int defaultIndex)
    {
        ParameterSpec s;
        s.id = id;
        s.name = name;
        s.kind = ParameterKind::choice;
        s.maximum = (float) choices.size() - 1.0f;
        s.defaultValue = (float) defaultIndex;
        s.choices = std::move (choices);
        return s;
    }

    ParameterSpec toggle (const std::string& id, const std::string& name, bool changesLatency = false)
    {
        ParameterSpec s;
        s.id = id;
        s.name = name;
        s.kind = ParameterKind::toggle;
        s.changesLatency = changesLatency;
        return s;
    }

    constexpr double rampSeconds = 0.02;
    constexpr double pi = 3.14159265358979323846;

    // Section Qs of a 4th-order Butterworth: 1 / (2 cos (pi / 8)) and 1 / (2 cos (3 pi / 8)).
    constexpr double butterworth4Q[2] = { 0.54119610014619698, 1.3065629648763766 };

    double dbToGain (double db)
    {
        return std::pow (10.0, db / 20.0);
    }
} // namespace

ImagerModule::ImagerModule()
    : bandsChoice (addParameter (choice ("bands", "Bands", { "1", "2", "3", "4" }, 0))),
      crossover1 (addParameter (number ("crossover1_hz", "Crossover 1", "Hz", 20.0f, 16000.0f, 250.0f))),
      crossover2 (addParameter (number ("crossover2_hz", "Crossover 2", "Hz", 20.0f, 16000.0f, 2000.0f))),
      crossover3 (addParameter (number ("crossover3_hz", "Crossover 3", "Hz", 20.0f, 16000.0f, 8000.0f))),
      balance (addParameter (
          number ("mid_side_balance_db", "Mid/side balance (+ lowers side, - lowers mid)", "dB", -12.0f, 12.0f, 0.0f))),
      monoBelow (addParameter (toggle ("mono_below", "Mono below"))),
      monoBelowHz (addParameter (number ("mono_below_hz", "Mono below frequency", "Hz", 20.0f, 300.0f, 150.0f)))
{
    for (int b = 0; b < maxBands; ++b)
        width[(size_t) b] = &addParameter (number ("band" + std::to_string (b + 1) + "_width_pct",
            "Band " + std::to_string (b + 1) + " width", "%", 0.0f, 200.0f, 100.0f));
}

std::array<float, 3> ImagerModule::crossoverFrequencies() const noexcept
{
    return { crossover1.get(), crossover2.get(), crossover3.get() };
}

float ImagerModule::subBandWidth (int index) const noexcept
{
    // With fewer bands, the top sub-bands take the last band's width (their crossovers then
    // sum to an all-pass and are inaudible).
    return width[(size_t) std::min (index, activeBands() - 1)]->get() * 0.01f;
}

bool ImagerModule::neutral() const noexcept
{
    for (int b = 0; b < activeBands(); ++b)
        if (width[(size_t) b]->get() != 100.0f)
            return false;
    return balance.get() == 0.0f && monoBelow.getIndex() == 0;
}

void ImagerModule::prepare (double rate, int)
{
    sampleRate = rate;
    crossover.prepare (rate, 2, maxBands, dsp::Crossover::Type::linkwitzRiley, crossoverFrequencies());
    for (auto& w : subBandWidths)
        w.prepare (rate, rampSeconds, 1.0f);
    for (auto* s : { &midGain, &sideGain, &monoAmount, &monoLog2, &engaged })
        s->prepare (rate, rampSeconds, 0.0f);

    scratch.assign ((size_t) ((2 + 2 * maxBands) * chunkSize), 0.0f);
    mid = scratch.data();
    side = mid + chunkSize;
    for (int b = 0; b < maxBands; ++b)
        for (int c = 0; c < 2; ++c)
            subBand[b][c] = scratch.data() + (size_t) ((2 + 2 * b + c) * chunkSize);
    reset();
}

void ImagerModule::reset() noexcept
{
    setTargets (true);
    engaged.reset (neutral() ? 0.0f : 1.0f);
    resetFilters();
}

void ImagerModule::resetFilters() noexcept
{
    crossover.reset();
    sideFirst.reset();
    sideAllPass.reset();
    for (auto& f : sideLow)
        f.reset();
    for (auto& f : midAllPass)
        f.reset();
}

void ImagerModule::setTargets (bool jump) noexcept
{
    const auto set = [jump] (dsp::LinearSmoother& s, double v)
    {
        if (jump)
            s.reset ((float) v);
        else
            s.setTarget ((float) v);
    };

    crossover.setFrequencies (crossoverFrequencies());
    for (int j = 0; j < maxBands; ++j)
        set (subBandWidths[(size_t) j], subBandWidth (j));

    const double b = balance.get();
    set (midGain, b < 0.0 ? dbToGain (b) : 1.0);
    set (sideGain, b > 0.0 ? dbToGain (-b) : 1.0);
    set (monoAmount, monoBelow.getIndex() != 0 ? 1.0 : 0.0);
    set (monoLog2, std::log2 (std::min ((double) monoBelowHz.get(), 0.45 * sampleRate)));
    if (jump)
    {
        crossover.reset();
        updateMonoFilters (std::exp2 ((double) monoLog2.value()));
    }
}

void ImagerModule::updateMonoFilters (double frequency) noexcept
{
    const auto q1 = dsp::StateVariableSection::design (sampleRate, frequency, butterworth4Q[0]);
    const auto q2 = dsp::StateVariableSection::design (sampleRate, frequency, butterworth4Q[1]);
    sideFirst.setCoefficients (q1);
    sideAllPass.setCoefficients (q2);
    sideLow[0].setCoefficients (q2);
    sideLow[1].setCoefficients (q1);
    sideLow[2].setCoefficients (q2);
    midAllPass[0].setCoefficients (q1);
    midAllPass[1].setCoefficients (q2);
}

void ImagerModule::process (float* left, float* right, int numSamples) noexcept
{
    const bool wantNeutral = neutral();
    if (wantNeutral && engaged.value() == 0.0f && ! engaged.isSmoothing())
        return; // bit-exact

    if (! wantNeutral && engaged.value() == 0.0f && ! engaged.isSmoothing())
    {
        // Leaving neutral: the processed path starts from clean filters at its settings, and
        // the engage crossfade brings it in, so nothing needs to glide inside it.
        setTargets (true);
        resetFilters();
    }
    else
    {
        setTargets (false);
    }
    engaged.setTarget (wantNeutral ? 0.0f : 1.0f);

    for (int offset = 0; offset < numSamples; offset += chunkSize)
        processChunk (left + offset, right + offset, std::min (chunkSize, numSamples - offset));
}

void ImagerModule::processChunk (float* left, float* right, int n) noexcept
{
    for (int i = 0; i < n; ++i)
    {
        mid[i] = 0.5f * (left[i] + right[i]);
        side[i] = 0.5f * (left[i] - right[i]);
    }
    const float* input[2] = { mid, side };
    float* const* subs[maxBands] = { subBand[0], subBand[1], subBand[2], subBand[3] };
    crossover.process (input, subs, n);

    for (int i = 0; i < n; ++i)
    {
        double m = 0.0, s = 0.0;
        for (int j = 0; j < maxBands; ++j)
        {
            m += subBand[j][0][i];
            s += subBandWidths[(size_t) j].next() * subBand[j][1][i];
        }

        if (monoLog2.isSmoothing())
            updateMonoFilters (std::exp2 ((double) monoLog2.next()));
        midAllPass[0].process (m);
        midAllPass[1].process (midAllPass[0].allPass());
        m = midAllPass[1].allPass();

        sideFirst.process (s);
        sideAllPass.process (sideFirst.allPass());
        sideLow[0].process (sideFirst.low());
        sideLow[1].process (sideLow[0].low());
        sideLow[2].process (sideLow[1].low());
        // High-pass = all-pass - low-pass: fading the low-pass out of the side fades mono in.
        s = sideAllPass.allPass() - monoAmount.next() * sideLow[2].low();

        m *= midGain.next();
        s *= sideGain.next();

        const double dryL = left[i], dryR = right[i];
        const double wetL = m + s, wetR = m - s;
        const float e = engaged.next();
        if (e >= 1.0f)
        {
            left[i] = (float) wetL;
            right[i] = (float) wetR;
        }
        else
        {
            const double p = 0.5 - 0.5 * std::cos (pi * e);
            left[i] = (float) (dryL + p * (wetL - dryL));
            right[i] = (float) (dryR + p * (wetR - dryR));
        }
    }

    sideFirst.flushDenormals();
    sideAllPass.flushDenormals();
    for (auto& f : sideLow)
        f.flushDenormals();
    for (auto& f : midAllPass)
        f.flushDenormals();
}

} // namespace crest::engine
