#include "album/LoudnessConform.h"

#include <cmath>

namespace crest::album
{

std::vector<double> conformToTarget (
    const std::vector<std::optional<double>>& measured, const std::vector<double>& current, double target)
{
    std::vector<double> gains = current;
    for (size_t i = 0; i < gains.size() && i < measured.size(); ++i)
        if (measured[i])
            gains[i] = target - *measured[i];
    return gains;
}

std::optional<double> albumLoudness (const std::vector<std::optional<double>>& measured, const std::vector<double>& current)
{
    double sum = 0.0;
    int count = 0;
    for (size_t i = 0; i < measured.size() && i < current.size(); ++i)
        if (measured[i])
        {
            sum += std::pow (10.0, (*measured[i] + current[i]) / 10.0);
            ++count;
        }
    if (count == 0)
        return std::nullopt;
    return 10.0 * std::log10 (sum / count);
}

std::vector<double> conformToAlbum (
    const std::vector<std::optional<double>>& measured, const std::vector<double>& current, const std::vector<bool>& keep)
{
    std::vector<double> gains = current;
    const auto album = albumLoudness (measured, current);
    if (! album)
        return gains;
    for (size_t i = 0; i < gains.size() && i < measured.size(); ++i)
        if (measured[i] && ! (i < keep.size() && keep[i]))
            gains[i] = *album - *measured[i];
    return gains;
}

} // namespace crest::album
