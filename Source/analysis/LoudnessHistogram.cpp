#include "analysis/LoudnessHistogram.h"

#include <algorithm>
#include <cmath>

namespace crest::analysis
{

double energyToLufs (double meanSquare) noexcept
{
    return -0.691 + 10.0 * std::log10 (meanSquare);
}

double lufsToEnergy (double lufs) noexcept
{
    return std::pow (10.0, (lufs + 0.691) / 10.0);
}

LoudnessHistogram::LoudnessHistogram()
{
    const auto bins = (size_t) std::lround ((topLufs - absoluteGateLufs) / binWidth);
    counts.assign (bins, 0);
    energies.assign (bins, 0.0);
}

int LoudnessHistogram::binFor (double lufs) const noexcept
{
    const int bin = (int) std::floor ((lufs - absoluteGateLufs) / binWidth);
    return std::clamp (bin, 0, (int) counts.size() - 1);
}

void LoudnessHistogram::add (double meanSquare) noexcept
{
    if (! (meanSquare > 0.0) || ! std::isfinite (meanSquare))
        return;

    const double lufs = energyToLufs (meanSquare);
    if (lufs <= absoluteGateLufs)
        return;

    const int bin = binFor (lufs);
    ++counts[(size_t) bin];
    energies[(size_t) bin] += meanSquare;
    ++total;
    totalEnergy += meanSquare;
}

void LoudnessHistogram::clear() noexcept
{
    std::fill (counts.begin(), counts.end(), 0u);
    std::fill (energies.begin(), energies.end(), 0.0);
    total = 0;
    totalEnergy = 0.0;
}

int LoudnessHistogram::gateBin (double relativeGateLu) const noexcept
{
    const double gate = energyToLufs (totalEnergy / (double) total) + relativeGateLu;
    // A bin belongs above the gate when its centre does; blocks are gated by "greater than".
    const int bin = binFor (gate);
    return binCentre (bin) > gate ? bin : bin + 1;
}

std::optional<double> LoudnessHistogram::gatedLoudness (double relativeGateLu) const noexcept
{
    if (total == 0)
        return std::nullopt;

    double energy = 0.0;
    uint64_t n = 0;
    for (auto bin = (size_t) std::max (0, gateBin (relativeGateLu)); bin < counts.size(); ++bin)
    {
        energy += energies[bin];
        n += counts[bin];
    }

    if (n == 0)
        return std::nullopt;
    return energyToLufs (energy / (double) n);
}

std::optional<double> LoudnessHistogram::loudnessRange() const noexcept
{
    if (total == 0)
        return std::nullopt;

    const auto first = (size_t) std::max (0, gateBin (-20.0));
    uint64_t n = 0;
    for (auto bin = first; bin < counts.size(); ++bin)
        n += counts[bin];

    if (n == 0)
        return 0.0;

    // Percentiles by rank on the sorted values: rank = round ((n - 1) * p).
    const auto valueAtRank = [&] (uint64_t rank)
    {
        uint64_t seen = 0;
        for (auto bin = first; bin < counts.size(); ++bin)
        {
            seen += counts[bin];
            if (seen > rank)
                return binCentre ((int) bin);
        }
        return binCentre ((int) counts.size() - 1);
    };

    const auto low = (uint64_t) std::llround ((double) (n - 1) * 0.10);
    const auto high = (uint64_t) std::llround ((double) (n - 1) * 0.95);
    return valueAtRank (high) - valueAtRank (low);
}

} // namespace crest::analysis
