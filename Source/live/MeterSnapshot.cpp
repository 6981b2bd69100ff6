#include "live/MeterSnapshot.h"

#include <cmath>

namespace crest::live
{

float MeterSnapshot::fineSpectrumFrequency (int index) noexcept
{
    const double octaves = std::log2 ((double) spectrumHighHz / spectrumLowHz);
    return (float) (spectrumLowHz * std::pow (2.0, octaves * index / (fineSpectrumSize - 1)));
}

float MeterSnapshot::thirdOctaveFrequency (int index) noexcept
{
    // ISO 266 base-ten series: band n has centre 1000 * 10^(n/10); 20 Hz is n = -17.
    return (float) (1000.0 * std::pow (10.0, (index - 17) / 10.0));
}

} // namespace crest::live
