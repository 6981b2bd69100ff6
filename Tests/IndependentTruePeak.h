#pragma once

// A true-peak measurement for tests, written separately from Crest's analysis::TruePeakMeter
// so that the limiter is judged by code that shares nothing with it: plain band-limited
// (sinc) interpolation at `factor` points per sample, with a long Kaiser-windowed kernel whose
// cut-off is the Nyquist frequency itself. Slow and simple on purpose: every point of every
// sample is computed, nothing is skipped, and the signal is taken as silent before its start
// and after its end (so the ringing after the last sample counts too).

#include <juce_audio_basics/juce_audio_basics.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace crest::test
{

class IndependentTruePeak
{
public:
    /** Interpolation points per sample (at most `maxFactor`), kernel half-length in samples, and
        the Kaiser window's beta (10 is about 100 dB of side-lobe rejection). */
    explicit IndependentTruePeak (int factor = 8, int halfLength = 96, double beta = 10.0)
        : points (std::clamp (factor, 1, maxFactor)), half (halfLength), stride (points <= 8 ? 8 : 16)
    {
        const double pi = 3.14159265358979323846;
        const double i0Beta = std::cyl_bessel_i (0.0, beta);
        kernel.assign ((size_t) (2 * half * stride), 0.0f);
        for (int k = 0; k < 2 * half; ++k)
        {
            const int j = k - half + 1; // sample offset from the point's left neighbour
            for (int p = 0; p < points; ++p)
            {
                const double t = (double) p / points - j; // distance from sample j
                const double sinc = t == 0.0 ? 1.0 : std::sin (pi * t) / (pi * t);
                const double r = t / (double) half;
                const double window
                    = std::fabs (r) >= 1.0 ? 0.0 : std::cyl_bessel_i (0.0, beta * std::sqrt (1.0 - r * r)) / i0Beta;
                kernel[(size_t) (k * stride + p)] = (float) (sinc * window);
            }
        }
    }

    /** Largest magnitude of the reconstructed waveform of one channel, linear. */
    double peak (const float* x, int n) const { return peakBetween (x, n, -half, n + half); }

    /** Largest magnitude of the reconstructed waveform between samples `from` and `to` of a
        channel of n samples (the whole channel is the context), linear. */
    double peakBetween (const float* x, int n, int from, int to) const
    {
        std::vector<float> padded ((size_t) (n + 4 * half), 0.0f);
        std::copy (x, x + n, padded.begin() + 2 * half);
        from = std::max (from, -half);
        to = std::min (to, n + half);
        return stride == 8 ? scan<8> (padded, from + 2 * half, to + 2 * half) : scan<16> (padded, from + 2 * half, to + 2 * half);
    }

    /** Largest true peak over all channels, in dBTP. */
    double peakDb (const juce::AudioBuffer<float>& b, int start = 0, int length = -1) const
    {
        if (length < 0)
            length = b.getNumSamples() - start;
        double p = 0.0;
        for (int c = 0; c < b.getNumChannels(); ++c)
            p = std::max (p, peak (b.getReadPointer (c, start), length));
        return p > 0.0 ? 20.0 * std::log10 (p) : -300.0;
    }

    /** The most points per sample supported. */
    static constexpr int maxFactor = 16;

private:
    template <int lanes>
    double scan (const std::vector<float>& padded, int begin, int end) const
    {
        float best[lanes] = {};
        // Points between padded sample m and m + 1. The lanes (points) are independent, so
        // this loop vectorises as written.
        for (int m = begin; m < end; ++m)
        {
            float acc[lanes] = {};
            const float* window = padded.data() + m - half + 1;
            for (int k = 0; k < 2 * half; ++k)
            {
                const float v = window[k];
                const float* c = kernel.data() + k * lanes;
                for (int p = 0; p < lanes; ++p)
                    acc[p] += c[p] * v;
            }
            for (int p = 0; p < lanes; ++p)
                best[p] = std::max (best[p], std::fabs (acc[p]));
        }
        return (double) *std::max_element (best, best + lanes);
    }

    int points, half, stride;
    std::vector<float> kernel; // [tap][point], unused points zero
};

} // namespace crest::test
