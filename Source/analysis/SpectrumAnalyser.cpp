#include "analysis/SpectrumAnalyser.h"

#include "dsp/FftwPlanner.h"

#include <fftw3.h>

#include <algorithm>
#include <cmath>

namespace crest::analysis
{
struct SpectrumAnalyser::Plan : dsp::RealFftPlan
{
    using RealFftPlan::RealFftPlan;
};

SpectrumAnalyser::SpectrumAnalyser() = default;
SpectrumAnalyser::~SpectrumAnalyser() = default;
SpectrumAnalyser::SpectrumAnalyser (SpectrumAnalyser&&) noexcept = default;
SpectrumAnalyser& SpectrumAnalyser::operator= (SpectrumAnalyser&&) noexcept = default;

int SpectrumAnalyser::fftSizeFor (double sampleRate) noexcept
{
    int size = 1024;
    while (size < sampleRate / 6.0) // bins no wider than about 6 Hz
        size *= 2;
    return size;
}

void SpectrumAnalyser::prepare (double rate, int channels)
{
    constexpr double pi = 3.14159265358979323846;
    sampleRate = rate;
    numChannels = channels;
    fftSize = fftSizeFor (rate);
    hop = fftSize / 2;
    plan = std::make_unique<Plan> (fftSize);

    window.resize ((size_t) fftSize);
    double sumSquares = 0.0;
    for (int i = 0; i < fftSize; ++i)
    {
        window[(size_t) i] = (float) (0.5 - 0.5 * std::cos (2.0 * pi * i / fftSize));
        sumSquares += (double) window[(size_t) i] * window[(size_t) i];
    }
    // By Parseval, a sine of amplitude A puts (A^2 / 4) * N * sum(w^2) into its positive-
    // frequency bins; scaling by 4 / (N * sum(w^2)) makes band sums read A^2, i.e. dB
    // relative to a full-scale sine (and white noise of variance s^2 sums to 2 s^2).
    windowPowerNorm = 4.0 / ((double) fftSize * sumSquares);

    pending.assign ((size_t) channels, std::vector<float> ((size_t) fftSize, 0.0f));
    powerSum.assign ((size_t) fftSize / 2 + 1, 0.0);
    reset();
}

void SpectrumAnalyser::reset() noexcept
{
    fill = 0;
    frames = 0;
    std::fill (powerSum.begin(), powerSum.end(), 0.0);
}

void SpectrumAnalyser::process (const float* const* channels, int numSamples) noexcept
{
    int offset = 0;
    while (offset < numSamples)
    {
        const int n = std::min (numSamples - offset, fftSize - fill);
        for (int c = 0; c < numChannels; ++c)
            std::copy (channels[c] + offset, channels[c] + offset + n, pending[(size_t) c].begin() + fill);
        fill += n;
        offset += n;

        if (fill == fftSize)
        {
            transformFrame();
            for (auto& p : pending)
                std::copy (p.begin() + hop, p.end(), p.begin());
            fill = fftSize - hop;
        }
    }
}

void SpectrumAnalyser::transformFrame() noexcept
{
    for (int c = 0; c < numChannels; ++c)
    {
        const auto& frame = pending[(size_t) c];
        for (int i = 0; i < fftSize; ++i)
            plan->input[i] = frame[(size_t) i] * window[(size_t) i];

        fftwf_execute (plan->plan);

        for (size_t k = 0; k < powerSum.size(); ++k)
        {
            const double re = plan->output[k][0], im = plan->output[k][1];
            powerSum[k] += re * re + im * im;
        }
    }
    ++frames;
}

std::vector<double> SpectrumAnalyser::averageSpectrumDb() const
{
    std::vector<double> db (powerSum.size(), -200.0);
    if (frames == 0 || numChannels == 0)
        return db;

    const double scale = windowPowerNorm / ((double) frames * numChannels);
    for (size_t k = 0; k < powerSum.size(); ++k)
        if (powerSum[k] > 0.0)
            db[k] = std::max (-200.0, 10.0 * std::log10 (powerSum[k] * scale));
    return db;
}

double SpectrumAnalyser::bandLevelDb (double lowHz, double highHz) const
{
    if (frames == 0 || numChannels == 0)
        return -200.0;

    const double binWidth = sampleRate / fftSize;
    const auto first = (size_t) std::clamp ((int) std::ceil (lowHz / binWidth), 0, (int) powerSum.size() - 1);
    const auto last = (size_t) std::clamp ((int) std::floor (highHz / binWidth), 0, (int) powerSum.size() - 1);
    double power = 0.0;
    for (size_t k = first; k <= last; ++k)
        power += powerSum[k];

    const double scale = windowPowerNorm / ((double) frames * numChannels);
    return power > 0.0 ? std::max (-200.0, 10.0 * std::log10 (power * scale)) : -200.0;
}

std::vector<SpectrumAnalyser::Band> SpectrumAnalyser::thirdOctaveBands() const
{
    std::vector<Band> bands;
    // Base-ten 1/3-octave series: centre = 1000 * 10^(n/10); n = -17 gives 20 Hz.
    for (int n = -17;; ++n)
    {
        const double centre = 1000.0 * std::pow (10.0, n / 10.0);
        const double low = centre * std::pow (10.0, -0.05), high = centre * std::pow (10.0, 0.05);
        if (high > sampleRate / 2.0)
            break;
        bands.push_back ({ centre, low, high, bandLevelDb (low, high) });
    }
    return bands;
}

} // namespace crest::analysis
