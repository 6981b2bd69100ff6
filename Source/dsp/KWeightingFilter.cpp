#include "dsp/KWeightingFilter.h"

#include <cmath>
#include <complex>

namespace crest::dsp
{
namespace
{
    // Analog prototype parameters of the two BS.1770 stages, given to more digits than the
    // standard prints so that the 48 kHz derivation lands on its published coefficients.
    constexpr double shelfFrequency = 1681.974450955533;
    constexpr double shelfGainDb = 3.999843853973347;
    constexpr double shelfQ = 0.7071752369554196;
    constexpr double highPassFrequency = 38.13547087602444;
    constexpr double highPassQ = 0.5003270373238773;
    constexpr double pi = 3.14159265358979323846;

    std::complex<double> responseAt (const BiquadCoefficients& c, double omega)
    {
        const auto z1 = std::polar (1.0, -omega);
        const auto z2 = z1 * z1;
        return (c.b0 + c.b1 * z1 + c.b2 * z2) / (1.0 + c.a1 * z1 + c.a2 * z2);
    }
} // namespace

BiquadCoefficients KWeightingFilter::shelfCoefficients (double sampleRate)
{
    const double k = std::tan (pi * shelfFrequency / sampleRate);
    const double vh = std::pow (10.0, shelfGainDb / 20.0);
    const double vb = std::pow (vh, 0.4996667741545416);
    const double a0 = 1.0 + k / shelfQ + k * k;

    BiquadCoefficients c;
    c.b0 = (vh + vb * k / shelfQ + k * k) / a0;
    c.b1 = 2.0 * (k * k - vh) / a0;
    c.b2 = (vh - vb * k / shelfQ + k * k) / a0;
    c.a1 = 2.0 * (k * k - 1.0) / a0;
    c.a2 = (1.0 - k / shelfQ + k * k) / a0;
    return c;
}

BiquadCoefficients KWeightingFilter::highPassCoefficients (double sampleRate)
{
    const double k = std::tan (pi * highPassFrequency / sampleRate);
    const double a0 = 1.0 + k / highPassQ + k * k;

    // BS.1770 leaves the numerator un-normalised (1, -2, 1): its passband gain is then the
    // ratio the standard's -0.691 dB offset was calibrated against.
    BiquadCoefficients c;
    c.b0 = 1.0;
    c.b1 = -2.0;
    c.b2 = 1.0;
    c.a1 = 2.0 * (k * k - 1.0) / a0;
    c.a2 = (1.0 - k / highPassQ + k * k) / a0;
    return c;
}

double KWeightingFilter::magnitudeDb (double sampleRate, double frequencyHz)
{
    const double omega = 2.0 * pi * frequencyHz / sampleRate;
    const auto h = responseAt (shelfCoefficients (sampleRate), omega)
                   * responseAt (highPassCoefficients (sampleRate), omega);
    return 20.0 * std::log10 (std::abs (h));
}

void KWeightingFilter::prepare (double sampleRate)
{
    shelf.setCoefficients (shelfCoefficients (sampleRate));
    highPass.setCoefficients (highPassCoefficients (sampleRate));
    reset();
}

void KWeightingFilter::reset() noexcept
{
    shelf.reset();
    highPass.reset();
}

} // namespace crest::dsp
