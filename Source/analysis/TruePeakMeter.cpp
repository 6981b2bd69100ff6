#include "dsp/ReproducibleFloat.h" // first: see there

#include "analysis/TruePeakMeter.h"

#include "dsp/FirDesign.h"
#include "dsp/VectorDispatch.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace crest::analysis
{
namespace
{
    using dsp::vec::F8;
    using dsp::vec::I8;

    inline void keepLargerMagnitude (F8& peaks, const F8& v) noexcept
    {
        peaks = dsp::vec::largerOf (peaks, dsp::vec::magnitudeOf (v));
    }

    /** Interpolates `count` samples whose newest-last window starts at `window` and returns
        the largest magnitude over all phases. A vector holds the eight phases of one output
        sample, so each tap is one vector multiply-add; eight output samples are computed side
        by side because one sample's 32 taps form a serial chain bound by the multiply-add's
        latency, while eight chains keep both FMA units busy. Each sample still sums its taps
        in the same order, so the peaks are those of the plain loop, bit for bit. */
    CREST_VECTOR_CLONES
    float interpolatedPeak (const float* window, int count,
                            const std::array<std::array<float, TruePeakMeter::lanes>, TruePeakMeter::tapsPerPhase>& c) noexcept
    {
        constexpr int taps = TruePeakMeter::tapsPerPhase;
        static_assert (TruePeakMeter::lanes == 8 && sizeof (c[0]) == sizeof (F8), "one row of phases is one vector");
        constexpr int group = 8;

        const auto row = [&c] (int k) {
            F8 r;
            std::memcpy (&r, c[(size_t) k].data(), sizeof (r));
            return r;
        };

        F8 peaks {};
        int i = 0;
        for (; i + group <= count; i += group)
        {
            const float* newest = window + (taps - 1) + i;
            F8 acc[group] {};
            for (int k = 0; k < taps; ++k)
            {
                const F8 r = row (k);
                for (int s = 0; s < group; ++s)
                    acc[s] += r * newest[s - k];
            }
            for (int s = 0; s < group; ++s)
                keepLargerMagnitude (peaks, acc[s]);
        }

        for (; i < count; ++i)
        {
            const float* newest = window + (taps - 1) + i;
            F8 acc {};
            for (int k = 0; k < taps; ++k)
                acc += row (k) * newest[-k];
            keepLargerMagnitude (peaks, acc);
        }

        float peak = 0.0f;
        for (int p = 0; p < TruePeakMeter::lanes; ++p)
            peak = std::max (peak, peaks[p]);
        return peak;
    }

    /** interpolatedPeak() for 4x oversampling, where half of each vector would hold zeros:
        lanes 0-3 hold the four phases of sample s and lanes 4-7 those of sample s+1, one
        broadcast input sample per tap row (see pairCoefficients), so a pair of output samples
        costs 33 multiply-adds instead of 64. Each phase still sums the same taps in the same
        order (the extra row adds an exact zero), so the peaks are bit for bit those of
        interpolatedPeak(). `count` must be even. */
    CREST_VECTOR_CLONES
    float interpolatedPeakPairs (const float* window, int count,
        const std::array<std::array<float, TruePeakMeter::lanes>, TruePeakMeter::tapsPerPhase + 1>& c) noexcept
    {
        constexpr int rows = TruePeakMeter::tapsPerPhase + 1;
        constexpr int group = 8; // pairs side by side
        const auto row = [&c] (int j) {
            F8 r;
            std::memcpy (&r, c[(size_t) j].data(), sizeof (r));
            return r;
        };

        F8 peaks {};
        int i = 0;
        for (; i + 2 * group <= count; i += 2 * group)
        {
            const float* newest = window + TruePeakMeter::tapsPerPhase + i; // x[s+1] of the first pair
            F8 acc[group] {};
            for (int j = 0; j < rows; ++j)
            {
                const F8 r = row (j);
                for (int q = 0; q < group; ++q)
                    acc[q] += r * newest[2 * q - j];
            }
            for (int q = 0; q < group; ++q)
                keepLargerMagnitude (peaks, acc[q]);
        }

        for (; i + 2 <= count; i += 2)
        {
            const float* newest = window + TruePeakMeter::tapsPerPhase + i;
            F8 acc {};
            for (int j = 0; j < rows; ++j)
                acc += row (j) * newest[-j];
            keepLargerMagnitude (peaks, acc);
        }

        float peak = 0.0f;
        for (int p = 0; p < TruePeakMeter::lanes; ++p)
            peak = std::max (peak, peaks[p]);
        return peak;
    }

    /** Largest magnitude of a short run, in two four-float vectors (the maximum is exact in any
        order, and SSE2 does this as well as AVX, so no clones). */
    float magnitudeMax (const float* x, int n) noexcept
    {
        using namespace dsp::vec;
        F4 a {}, b {};
        int i = 0;
        for (; i + 8 <= n; i += 8)
        {
            a = largerOf (a, magnitudeOf (loadFloats4 (x + i)));
            b = largerOf (b, magnitudeOf (loadFloats4 (x + i + 4)));
        }
        a = largerOf (a, b);

        float m = std::max (std::max (a[0], a[1]), std::max (a[2], a[3]));
        for (; i < n; ++i)
            m = std::max (m, std::fabs (x[i]));
        return m;
    }
} // namespace

int TruePeakMeter::oversamplingFor (double sampleRate) noexcept
{
    if (sampleRate < 96000.0)
        return 8;
    if (sampleRate < 192000.0)
        return 4;
    return 2;
}

void TruePeakMeter::prepare (double sampleRate, int numChannels)
{
    oversampling = oversamplingFor (sampleRate);

    // Odd prototype length so that its centre tap falls on one phase: that phase is then an
    // exact delta (the sinc is zero at every other multiple of the factor).
    const int length = oversampling * tapsPerPhase - 1;
    const auto prototype = dsp::designKaiserLowPass (length, 0.5 / oversampling, dsp::kaiserBetaForAttenuation (90.0));

    for (auto& row : coefficients)
        row.fill (0.0f);

    gainBound = 0.0f;
    for (int p = 0; p < oversampling; ++p)
    {
        double sum = 0.0;
        for (int k = 0; k < tapsPerPhase; ++k)
        {
            const int index = k * oversampling + p;
            if (index < length)
                sum += prototype[(size_t) index];
        }

        // Every phase gets unity gain at DC, so a constant reads as itself at every phase.
        float absSum = 0.0f;
        for (int k = 0; k < tapsPerPhase; ++k)
        {
            const int index = k * oversampling + p;
            const float c = index < length ? (float) (prototype[(size_t) index] / sum) : 0.0f;
            coefficients[(size_t) k][(size_t) p] = c;
            absSum += std::fabs (c);
        }
        gainBound = std::max (gainBound, absSum);
    }
    gainBound *= 1.0001f; // float rounding in the accumulation

    for (auto& row : pairCoefficients)
        row.fill (0.0f);
    if (oversampling * 2 == lanes)
        for (int j = 0; j <= tapsPerPhase; ++j)
            for (int p = 0; p < oversampling; ++p)
            {
                if (j >= 1)
                    pairCoefficients[(size_t) j][(size_t) p] = coefficients[(size_t) j - 1][(size_t) p];
                if (j < tapsPerPhase)
                    pairCoefficients[(size_t) j][(size_t) (p + oversampling)] = coefficients[(size_t) j][(size_t) p];
            }

    channelPeaks.assign ((size_t) numChannels, 0.0f);
    recentPeaks.assign ((size_t) numChannels, 0.0f);
    windows.assign ((size_t) numChannels, {});
    previousStretchMax.assign ((size_t) numChannels, 0.0f);
    currentStretchMax.assign ((size_t) numChannels, 0.0f);
    filled.assign ((size_t) numChannels, 0);
    reset();
}

void TruePeakMeter::reset() noexcept
{
    std::fill (channelPeaks.begin(), channelPeaks.end(), 0.0f);
    std::fill (recentPeaks.begin(), recentPeaks.end(), 0.0f);
    std::fill (previousStretchMax.begin(), previousStretchMax.end(), 0.0f);
    std::fill (currentStretchMax.begin(), currentStretchMax.end(), 0.0f);
    std::fill (filled.begin(), filled.end(), 0);
    for (auto& w : windows)
        w.fill (0.0f);
}

float TruePeakMeter::takeRecentPeak (int channel) noexcept
{
    const float p = recentPeaks[(size_t) channel];
    recentPeaks[(size_t) channel] = 0.0f;
    return p;
}

void TruePeakMeter::process (const float* const* channels, int numSamples) noexcept
{
    for (int ch = 0; ch < getNumChannels(); ++ch)
        processChannel (ch, channels[ch], numSamples);
}

void TruePeakMeter::processChannel (int ch, const float* input, int numSamples) noexcept
{
    auto& window = windows[(size_t) ch];
    int& count = filled[(size_t) ch];
    float& peak = channelPeaks[(size_t) ch];
    float& recent = recentPeaks[(size_t) ch];

    while (numSamples > 0)
    {
        const int n = std::min (numSamples, stretch - count);
        std::copy (input, input + n, window.begin() + history + count);
        const float newMax = magnitudeMax (input, n);
        input += n;
        numSamples -= n;

        // Outputs for these samples depend on them and on the 31 before: all within this
        // stretch and the previous one.
        float& stretchMax = currentStretchMax[(size_t) ch];
        stretchMax = std::max (stretchMax, newMax);
        const float bound = std::max (stretchMax, previousStretchMax[(size_t) ch]) * gainBound;
        recent = std::max (recent, newMax);

        if (bound >= std::min (peak, 1.0f))
        {
            float p = 0.0f;
            if (oversampling * 2 == lanes)
            {
                const int even = n & ~1;
                p = interpolatedPeakPairs (window.data() + count, even, pairCoefficients);
                if (even < n)
                    p = std::max (p, interpolatedPeak (window.data() + count + even, n - even, coefficients));
            }
            else
            {
                p = interpolatedPeak (window.data() + count, n, coefficients);
            }
            peak = std::max (peak, p);
            recent = std::max (recent, p);
        }
        else
        {
            peak = std::max (peak, newMax);
        }

        count += n;
        if (count == stretch)
        {
            std::copy (window.end() - history, window.end(), window.begin());
            previousStretchMax[(size_t) ch] = magnitudeMax (window.data(), history);
            stretchMax = 0.0f;
            count = 0;
        }
    }
}

void TruePeakMeter::flush() noexcept
{
    const std::array<float, tapsPerPhase> silence {};
    std::array<const float*, 64> pointers {};
    const int n = std::min (getNumChannels(), (int) pointers.size());
    for (int ch = 0; ch < n; ++ch)
        pointers[(size_t) ch] = silence.data();
    process (pointers.data(), tapsPerPhase);
}

} // namespace crest::analysis
