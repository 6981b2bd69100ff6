#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace crest::analysis
{

/** Converts a mean-square (K-weighted, channel-weighted) energy to LUFS. */
double energyToLufs (double meanSquare) noexcept;

/** Converts LUFS back to mean-square energy. */
double lufsToEnergy (double lufs) noexcept;

/** The absolute gate of BS.1770 and Tech 3342, in LUFS. */
constexpr double absoluteGateLufs = -70.0;

/** A fixed-size histogram of block loudness for gating, so that integrated loudness and
    loudness range need no memory that grows with the programme (and no allocation after
    construction, which lets the realtime meter keep them running).

    Bins are 0.01 LU wide from -70 to +30 LUFS and hold both a count and the exact sum of
    the blocks' energies, so the gated mean is exact except for blocks within 0.01 LU of the
    relative gate, and percentiles are within 0.005 LU.
*/
class LoudnessHistogram
{
public:
    LoudnessHistogram();

    /** Adds one block by its mean-square energy. Blocks at or under the absolute gate are ignored. */
    void add (double meanSquare) noexcept;

    /** Forgets every block. */
    void clear() noexcept;

    /** Blocks counted (above the absolute gate). */
    uint64_t size() const noexcept { return total; }

    /** Integrated loudness: the mean energy of blocks above a gate `relativeGateLu` below the
        mean of all blocks above the absolute gate. Empty when nothing passes the absolute gate. */
    std::optional<double> gatedLoudness (double relativeGateLu = -10.0) const noexcept;

    /** Loudness range per EBU Tech 3342: the 10th to 95th percentile of blocks above a
        -20 LU relative gate. Empty when nothing passes the absolute gate. */
    std::optional<double> loudnessRange() const noexcept;

    static constexpr double binWidth = 0.01;
    static constexpr double topLufs = 30.0;

private:
    int binFor (double lufs) const noexcept;
    double binCentre (int bin) const noexcept { return absoluteGateLufs + (bin + 0.5) * binWidth; }
    int gateBin (double relativeGateLu) const noexcept;

    std::vector<uint32_t> counts;
    std::vector<double> energies;
    uint64_t total = 0;
    double totalEnergy = 0.0;
};

} // namespace crest::analysis
