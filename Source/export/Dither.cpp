#include "export/Dither.h"

#include <algorithm>
#include <cmath>

namespace crest::delivery
{

std::optional<DitherCurve> ditherCurveFromName (const std::string& name)
{
    if (name == "none")
        return DitherCurve::none;
    if (name == "tpdf")
        return DitherCurve::tpdf;
    if (name == "shaped" || name == "lipshitz")
        return DitherCurve::shaped;
    return std::nullopt;
}

Quantiser16::Quantiser16 (DitherCurve c, uint64_t seed)
    : curve (c),
      rng (seed * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull)
{
}

double Quantiser16::nextUniform() noexcept
{
    // splitmix64: tiny, fast, and statistically clean enough for dither.
    uint64_t z = (rng += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return (double) (z >> 11) * (1.0 / 9007199254740992.0) - 0.5;
}

void Quantiser16::process (float* samples, int numSamples) noexcept
{
    constexpr double scale = 32768.0;
    for (int i = 0; i < numSamples; ++i)
    {
        const double x = samples[i];
        if (x == 0.0)
        {
            // Digital silence stays digital silence.
            errors.fill (0.0);
            continue;
        }

        double wanted = x * scale;
        if (curve == DitherCurve::shaped)
            for (size_t k = 0; k < errors.size(); ++k)
                wanted -= lipshitzNoiseShaping[k] * errors[k];

        const double dither = curve == DitherCurve::none ? 0.0 : nextUniform() + nextUniform();
        const double q = std::clamp (std::floor (wanted + dither + 0.5), -32768.0, 32767.0);

        if (curve == DitherCurve::shaped)
        {
            std::copy_backward (errors.begin(), errors.end() - 1, errors.end());
            errors[0] = std::clamp (q - wanted, -4.0, 4.0);
        }
        samples[i] = (float) (q / scale);
    }
}

DitherStage::DitherStage (engine::AudioStream& s, DitherCurve curve, uint64_t seed)
    : source (s)
{
    for (int c = 0; c < s.numChannels(); ++c)
        quantisers.emplace_back (curve, seed + (uint64_t) c * 7919u);
}

int DitherStage::read (float* const* destination, int numSamples)
{
    const int got = source.read (destination, numSamples);
    if (got > 0)
        for (size_t c = 0; c < quantisers.size(); ++c)
            quantisers[c].process (destination[c], got);
    return got;
}

} // namespace crest::delivery
