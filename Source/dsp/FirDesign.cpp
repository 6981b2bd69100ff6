#include "dsp/FirDesign.h"

#include <algorithm>
#include <cmath>
#include <mutex>

namespace crest::dsp
{

double besselI0 (double x)
{
    static std::mutex signgamWriters;
    const std::lock_guard<std::mutex> lock (signgamWriters);
    return std::cyl_bessel_i (0.0, x);
}

double kaiserBetaForAttenuation (double a)
{
    if (a > 50.0)
        return 0.1102 * (a - 8.7);
    if (a >= 21.0)
        return 0.5842 * std::pow (a - 21.0, 0.4) + 0.07886 * (a - 21.0);
    return 0.0;
}

std::vector<double> designKaiserLowPass (int numTaps, double cutoff, double beta)
{
    constexpr double pi = 3.14159265358979323846;
    std::vector<double> taps ((size_t) numTaps);
    const double centre = 0.5 * (numTaps - 1);
    const double i0Beta = besselI0 (beta);
    double sum = 0.0;

    for (int n = 0; n < numTaps; ++n)
    {
        const double t = n - centre;
        const double sinc = t == 0.0 ? 2.0 * cutoff : std::sin (2.0 * pi * cutoff * t) / (pi * t);
        const double r = t / (centre > 0.0 ? centre : 1.0);
        const double window = besselI0 (beta * std::sqrt (std::max (0.0, 1.0 - r * r))) / i0Beta;
        taps[(size_t) n] = sinc * window;
        sum += taps[(size_t) n];
    }

    for (auto& tap : taps)
        tap /= sum;

    return taps;
}

} // namespace crest::dsp
