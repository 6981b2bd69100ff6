#include "analysis/LoudnessMeter.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace crest::analysis
{
namespace
{
    using Pair = double __attribute__ ((vector_size (16)));

    /** K-weights two channels through their (identical) filters at once and returns the
        sums of squares. State goes in and out of the scalar filters around each block. */
    std::array<double, 2> filterPair (dsp::KWeightingFilter& f0, dsp::KWeightingFilter& f1,
                                      const float* x0, const float* x1, int n) noexcept
    {
        const auto& s = f0.getShelf().getCoefficients();
        const auto& h = f0.getHighPass().getCoefficients();
        const auto [p0, q0] = f0.getShelf().getState();
        const auto [p1, q1] = f1.getShelf().getState();
        const auto [r0, t0] = f0.getHighPass().getState();
        const auto [r1, t1] = f1.getHighPass().getState();
        Pair shelf1 { p0, p1 }, shelf2 { q0, q1 }, high1 { r0, r1 }, high2 { t0, t1 }, sum {};

        for (int i = 0; i < n; ++i)
        {
            const Pair x { (double) x0[i], (double) x1[i] };
            const Pair y = s.b0 * x + shelf1;
            shelf1 = s.b1 * x - s.a1 * y + shelf2;
            shelf2 = s.b2 * x - s.a2 * y;
            const Pair z = h.b0 * y + high1;
            high1 = h.b1 * y - h.a1 * z + high2;
            high2 = h.b2 * y - h.a2 * z;
            sum += z * z;
        }

        f0.getShelf().setState (shelf1[0], shelf2[0]);
        f1.getShelf().setState (shelf1[1], shelf2[1]);
        f0.getHighPass().setState (high1[0], high2[0]);
        f1.getHighPass().setState (high1[1], high2[1]);
        f0.flushDenormals();
        f1.flushDenormals();
        return { sum[0], sum[1] };
    }
} // namespace

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

        // Channels are filtered two at a time, as the two lanes of one vector: each filter is
        // a serial chain bound by latency, so a second independent chain comes for free.
        size_t c = 0;
        for (; c + 1 < filters.size(); c += 2)
        {
            const auto sums = filterPair (filters[c], filters[c + 1], channels[c] + offset, channels[c + 1] + offset, n);
            stepEnergy += weights[c] * sums[0] + weights[c + 1] * sums[1];
        }
        for (; c < filters.size(); ++c)
        {
            auto& f = filters[c];
            const float* x = channels[c] + offset;
            double sum = 0.0;
            for (int i = 0; i < n; ++i)
            {
                const double y = f.process ((double) x[i]);
                sum += y * y;
            }
            f.flushDenormals();
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
