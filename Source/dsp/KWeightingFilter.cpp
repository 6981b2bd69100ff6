#include "dsp/KWeightingFilter.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>
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

    /** The shelf by the bilinear transform from (possibly adjusted) prototype parameters. */
    BiquadCoefficients bilinearShelf (double sampleRate, double frequency, double gainDb, double q)
    {
        const double k = std::tan (pi * frequency / sampleRate);
        const double vh = std::pow (10.0, gainDb / 20.0);
        const double vb = std::pow (vh, 0.4996667741545416);
        const double a0 = 1.0 + k / q + k * k;

        BiquadCoefficients c;
        c.b0 = (vh + vb * k / q + k * k) / a0;
        c.b1 = 2.0 * (k * k - vh) / a0;
        c.b2 = (vh - vb * k / q + k * k) / a0;
        c.a1 = 2.0 * (k * k - 1.0) / a0;
        c.a2 = (1.0 - k / q + k * k) / a0;
        return c;
    }

    double magnitudeDbOf (const BiquadCoefficients& c, double sampleRate, double frequency)
    {
        return 20.0 * std::log10 (std::abs (responseAt (c, 2.0 * pi * frequency / sampleRate)));
    }

    /** Below 44.1 kHz the bilinear transform cramps the 1.7 kHz shelf towards Nyquist
        (-0.2 dB at 1 kHz at 8 kHz). There, the prototype's frequency, gain and Q are tuned
        (Nelder-Mead, deterministic) so that the digital shelf matches the standard's 48 kHz
        shelf from 20 Hz to 0.45 of the rate. */
    BiquadCoefficients fittedShelf (double sampleRate)
    {
        const auto reference = bilinearShelf (48000.0, shelfFrequency, shelfGainDb, shelfQ);
        std::vector<double> frequencies, targets;
        for (double f = 20.0; f < std::min (0.45 * sampleRate, 20000.0); f *= 1.08)
        {
            frequencies.push_back (f);
            targets.push_back (magnitudeDbOf (reference, 48000.0, f));
        }

        const auto cost = [&] (const std::array<double, 3>& p) {
            if (p[0] <= 10.0 || p[0] >= 0.49 * sampleRate || p[2] <= 0.05)
                return 1.0e30;
            const auto c = bilinearShelf (sampleRate, p[0], p[1], p[2]);
            double sum = 0.0;
            for (size_t i = 0; i < frequencies.size(); ++i)
            {
                const double e = magnitudeDbOf (c, sampleRate, frequencies[i]) - targets[i];
                sum += e * e;
            }
            return sum;
        };

        std::array<std::array<double, 3>, 4> simplex {};
        simplex[0] = { shelfFrequency, shelfGainDb, shelfQ };
        for (int i = 1; i < 4; ++i)
        {
            simplex[(size_t) i] = simplex[0];
            simplex[(size_t) i][(size_t) i - 1] *= 1.1;
        }
        std::array<double, 4> costs {};
        for (size_t i = 0; i < 4; ++i)
            costs[i] = cost (simplex[i]);

        for (int iteration = 0; iteration < 600; ++iteration)
        {
            std::array<size_t, 4> order { 0, 1, 2, 3 };
            std::sort (order.begin(), order.end(), [&] (size_t a, size_t b) { return costs[a] < costs[b]; });
            const size_t worst = order[3];
            std::array<double, 3> centroid {};
            for (size_t i = 0; i < 3; ++i)
                for (size_t d = 0; d < 3; ++d)
                    centroid[d] += simplex[order[i]][d] / 3.0;

            const auto along = [&] (double t) {
                std::array<double, 3> p {};
                for (size_t d = 0; d < 3; ++d)
                    p[d] = centroid[d] + t * (simplex[worst][d] - centroid[d]);
                return p;
            };

            const auto reflected = along (-1.0);
            const double reflectedCost = cost (reflected);
            if (reflectedCost < costs[order[0]])
            {
                const auto expanded = along (-2.0);
                const double expandedCost = cost (expanded);
                simplex[worst] = expandedCost < reflectedCost ? expanded : reflected;
                costs[worst] = std::min (expandedCost, reflectedCost);
            }
            else if (reflectedCost < costs[order[2]])
            {
                simplex[worst] = reflected;
                costs[worst] = reflectedCost;
            }
            else
            {
                const auto contracted = along (0.5);
                const double contractedCost = cost (contracted);
                if (contractedCost < costs[worst])
                {
                    simplex[worst] = contracted;
                    costs[worst] = contractedCost;
                }
                else
                {
                    for (size_t i = 1; i < 4; ++i)
                    {
                        for (size_t d = 0; d < 3; ++d)
                            simplex[order[i]][d] = 0.5 * (simplex[order[i]][d] + simplex[order[0]][d]);
                        costs[order[i]] = cost (simplex[order[i]]);
                    }
                }
            }
        }

        const auto best = (size_t) (std::min_element (costs.begin(), costs.end()) - costs.begin());
        return bilinearShelf (sampleRate, simplex[best][0], simplex[best][1], simplex[best][2]);
    }
} // namespace

BiquadCoefficients KWeightingFilter::shelfCoefficients (double sampleRate)
{
    if (sampleRate < 44100.0)
        return fittedShelf (sampleRate);
    return bilinearShelf (sampleRate, shelfFrequency, shelfGainDb, shelfQ);
}

BiquadCoefficients KWeightingFilter::highPassCoefficients (double sampleRate)
{
    const auto denominatorGain = [] (double rate) {
        const double k = std::tan (pi * highPassFrequency / rate);
        return 1.0 + k / highPassQ + k * k;
    };
    const double k = std::tan (pi * highPassFrequency / sampleRate);
    const double a0 = denominatorGain (sampleRate);

    // BS.1770 prints the numerator un-normalised (1, -2, 1), which leaves a passband gain of
    // a0 (+0.043 dB at 48 kHz) that its -0.691 dB offset was calibrated with. Copying that
    // numerator to other rates would change the gain with the rate (+0.26 dB at 8 kHz), so
    // the numerator is scaled to keep the 48 kHz passband gain at every rate.
    const double gain = denominatorGain (48000.0) / a0;
    BiquadCoefficients c;
    c.b0 = gain;
    c.b1 = -2.0 * gain;
    c.b2 = gain;
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
