#include "analysis/LoudnessMeter.h"

#include <algorithm>
#include <cmath>

namespace crest::analysis
{

std::vector<double> LoudnessMeter::defaultChannelWeights (int numChannels)
{
    std::vector<double> w ((size_t) std::max (1, numChannels), 1.0);
    if (numChannels == 5) // L R C Ls Rs
    {
        w[3] = w[4] = 1.41;
    }
    else if (numChannels >= 6) // L R C LFE Ls Rs [Lrs Rrs ...]
    {
        w[3] = 0.0;
        for (size_t c = 4; c < w.size(); ++c)
            w[c] = 1.41;
    }
    return w;
}

void LoudnessMeter::prepare (double rate, int numChannels)
{
    prepare (rate, defaultChannelWeights (numChannels));
}

void LoudnessMeter::prepare (double rate, const std::vector<double>& channelWeights)
{
    sampleRate = rate;
    weights = channelWeights;
    dsp::KWeightingFilter designed; // designed once: below 44.1 kHz the design is a fit
    designed.prepare (sampleRate);
    filters.assign (weights.size(), designed);
    reset();
}

void LoudnessMeter::reset() noexcept
{
    for (auto& f : filters)
        f.reset();
    stepEnergy = 0.0;
    samplesSeen = 0;
    steps = 0;
    nextStepEnd = std::llround (sampleRate / 10.0);
    ringEnergy.fill (0.0);
    ringSamples.fill (0);
    ringHead = 0;
    momentaryMax.reset();
    shortTermMax.reset();
    momentaryBlocks.clear();
    shortTermBlocks.clear();
}

void LoudnessMeter::process (const float* const* channels, int numSamples) noexcept
{
    int offset = 0;
    while (offset < numSamples)
    {
        const int n = (int) std::min<int64_t> (numSamples - offset, nextStepEnd - samplesSeen);

        for (size_t c = 0; c < filters.size(); ++c)
        {
            if (weights[c] == 0.0)
                continue;

            auto& filter = filters[c];
            const float* x = channels[c] + offset;
            double sum = 0.0;
            for (int i = 0; i < n; ++i)
            {
                const double y = filter.process ((double) x[i]);
                sum += y * y;
            }
            filter.flushDenormals();
            stepEnergy += weights[c] * sum;
        }

        offset += n;
        samplesSeen += n;
        if (samplesSeen == nextStepEnd)
            completeStep();
    }
}

void LoudnessMeter::completeStep() noexcept
{
    ringEnergy[(size_t) ringHead] = stepEnergy;
    ringSamples[(size_t) ringHead] = samplesSeen - std::llround ((double) steps * sampleRate / 10.0);
    ringHead = (ringHead + 1) % shortTermSteps;
    stepEnergy = 0.0;
    ++steps;
    nextStepEnd = std::llround ((double) (steps + 1) * sampleRate / 10.0);

    if (const auto m = windowEnergy (momentarySteps))
    {
        momentaryBlocks.add (*m);
        const double lufs = energyToLufs (*m);
        if (*m > 0.0 && lufs > absoluteGateLufs)
            momentaryMax = std::max (momentaryMax.value_or (lufs), lufs);
    }

    if (const auto s = windowEnergy (shortTermSteps))
    {
        shortTermBlocks.add (*s);
        const double lufs = energyToLufs (*s);
        if (*s > 0.0 && lufs > absoluteGateLufs)
            shortTermMax = std::max (shortTermMax.value_or (lufs), lufs);
    }
}

std::optional<double> LoudnessMeter::windowEnergy (int numSteps) const noexcept
{
    if (steps < numSteps)
        return std::nullopt;

    double energy = 0.0;
    int64_t samples = 0;
    for (int i = 1; i <= numSteps; ++i)
    {
        const auto index = (size_t) ((ringHead - i + shortTermSteps) % shortTermSteps);
        energy += ringEnergy[index];
        samples += ringSamples[index];
    }
    return energy / (double) samples;
}

static std::optional<double> gatedLufs (std::optional<double> energy) noexcept
{
    if (! energy || ! (*energy > 0.0))
        return std::nullopt;
    const double lufs = energyToLufs (*energy);
    return lufs > absoluteGateLufs ? std::optional<double> (lufs) : std::nullopt;
}

std::optional<double> LoudnessMeter::momentaryLufs() const noexcept
{
    return gatedLufs (windowEnergy (momentarySteps));
}

std::optional<double> LoudnessMeter::shortTermLufs() const noexcept
{
    return gatedLufs (windowEnergy (shortTermSteps));
}

std::optional<double> LoudnessMeter::shortTermEnergy() const noexcept
{
    return windowEnergy (shortTermSteps);
}

LoudnessSnapshot LoudnessMeter::getSnapshot() const noexcept
{
    LoudnessSnapshot s;
    s.momentaryLufs = momentaryLufs();
    s.shortTermLufs = shortTermLufs();
    s.integratedLufs = integratedLufs();
    s.loudnessRangeLu = loudnessRangeLu();
    s.momentaryMaxLufs = momentaryMax;
    s.shortTermMaxLufs = shortTermMax;
    return s;
}

} // namespace crest::analysis
