#include "album/Fades.h"

#include <algorithm>
#include <cmath>

namespace crest::album
{

double curveGain (session::FadeCurve curve, double x) noexcept
{
    constexpr double pi = 3.14159265358979323846;
    x = std::clamp (x, 0.0, 1.0);
    switch (curve)
    {
        case session::FadeCurve::linear:
            return x;
        case session::FadeCurve::equalPower:
            return std::sin (x * pi / 2.0);
        case session::FadeCurve::logarithmic:
            return x <= 0.0 ? 0.0 : std::pow (10.0, -logarithmicFadeRangeDb * (1.0 - x) / 20.0);
        case session::FadeCurve::sCurve:
            return 0.5 * (1.0 - std::cos (x * pi));
    }
    return x;
}

double fadeInGain (session::FadeCurve curve, int64_t i, int64_t length) noexcept
{
    if (length <= 0 || i >= length)
        return 1.0;
    return curveGain (curve, (double) std::max<int64_t> (i, 0) / (double) length);
}

double fadeOutGain (session::FadeCurve curve, int64_t i, int64_t length) noexcept
{
    if (i >= length)
        return 0.0;
    if (length <= 0 || i < 0)
        return 1.0;
    return curveGain (curve, (double) (length - i) / (double) length);
}

void applyFade (float* samples, int numSamples, int64_t first, int64_t length, session::FadeCurve curve, bool fadeIn) noexcept
{
    for (int k = 0; k < numSamples; ++k)
    {
        const int64_t i = first + k;
        const double gain = fadeIn ? fadeInGain (curve, i, length) : fadeOutGain (curve, i, length);
        samples[k] = (float) (samples[k] * gain);
    }
}

double trackFadeGain (const TrackPlacement& p, int64_t i) noexcept
{
    const int64_t length = p.length();
    double g = 1.0;
    if (i < p.fadeInLength)
        g *= fadeInGain (p.fadeInCurve, i, p.fadeInLength);
    if (i < p.crossfadeInLength)
        g *= fadeInGain (p.crossfadeInCurve, i, p.crossfadeInLength);
    if (i >= length - p.fadeOutLength)
        g *= fadeOutGain (p.fadeOutCurve, i - (length - p.fadeOutLength), p.fadeOutLength);
    if (i >= length - p.crossfadeOutLength)
        g *= fadeOutGain (p.crossfadeOutCurve, i - (length - p.crossfadeOutLength), p.crossfadeOutLength);
    return g;
}

} // namespace crest::album
