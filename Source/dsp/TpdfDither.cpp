#include "dsp/TpdfDither.h"

#include <algorithm>

namespace crest::dsp
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

TpdfDither::TpdfDither (DitherCurve c, uint64_t seed, DitherNoise n)
    : curve (c), noise (n), state (seed * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull), twister ((uint32_t) seed)
{
}

double TpdfDither::nextUniform() noexcept
{
    // splitmix64: tiny, fast, and statistically clean enough for dither.
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return (double) (z >> 11) * (1.0 / 9007199254740992.0) - 0.5;
}

double TpdfDither::nextTriangular() noexcept
{
    if (noise == DitherNoise::mersenneTwister)
        return (double) (twisterUniform (twister) + twisterUniform (twister));
    return nextUniform() + nextUniform();
}

void TpdfDither::quantise (float* samples, int numSamples) noexcept
{
    constexpr PcmQuantiser grid (16, TieRounding::up);
    const double scale = grid.fullScale();
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

        const double dither = curve == DitherCurve::none ? 0.0 : nextTriangular();
        const double q = grid.roundSteps (wanted + dither);

        if (curve == DitherCurve::shaped)
        {
            std::copy_backward (errors.begin(), errors.end() - 1, errors.end());
            errors[0] = std::clamp (q - wanted, -4.0, 4.0);
        }
        samples[i] = (float) (q / scale);
    }
}

void TpdfDither::addNoise (float* samples, int numSamples) noexcept
{
    constexpr float lsb = 1.0f / 32768.0f;
    for (int i = 0; i < numSamples; ++i)
        if (samples[i] != 0.0f) // digital silence stays silent
            samples[i] += lsb * (float) nextTriangular();
}

} // namespace crest::dsp
