#pragma once

// Double-precision measurements for the delivery-stage tests: an FFT with a low-sidelobe
// window, a least-squares sine fit and averaged noise spectra. Written for the tests alone
// (no FFTW plans, no float rounding in the way of -150 dB claims).

#include <cmath>
#include <complex>
#include <vector>

namespace crest::test
{

/** In-place radix-2 FFT (size a power of two). */
inline void fft (std::vector<std::complex<double>>& x)
{
    const size_t n = x.size();
    for (size_t i = 1, j = 0; i < n; ++i)
    {
        size_t bit = n >> 1;
        for (; j & bit; bit >>= 1)
            j ^= bit;
        j ^= bit;
        if (i < j)
            std::swap (x[i], x[j]);
    }
    for (size_t len = 2; len <= n; len <<= 1)
    {
        const double angle = -2.0 * M_PI / (double) len;
        const std::complex<double> step (std::cos (angle), std::sin (angle));
        for (size_t i = 0; i < n; i += len)
        {
            std::complex<double> w (1.0, 0.0);
            for (size_t k = 0; k < len / 2; ++k)
            {
                const auto u = x[i + k], v = x[i + k + len / 2] * w;
                x[i + k] = u + v;
                x[i + k + len / 2] = u - v;
                w *= step;
            }
        }
    }
}

/** Spectrum of `count` samples from `start` (a power of two) with a 7-term Blackman-Harris
    window (sidelobes below -180 dB), as sine-peak levels in dBFS per bin (0 .. count/2). */
inline std::vector<double> spectrumDbfs (const float* samples, size_t count)
{
    static const double a[] = { 0.27105140069342, 0.43329793923448, 0.21812299954311, 0.06592544638803,
                                0.01081174209837, 0.00077658482522, 0.00001388721735 };
    std::vector<std::complex<double>> x (count);
    double sum = 0.0;
    for (size_t i = 0; i < count; ++i)
    {
        double w = 0.0;
        for (int k = 0; k < 7; ++k)
            w += (k % 2 == 0 ? 1.0 : -1.0) * a[k] * std::cos (2.0 * M_PI * k * (double) i / (double) count);
        sum += w;
        x[i] = w * (double) samples[i];
    }
    fft (x);
    std::vector<double> db (count / 2 + 1);
    for (size_t i = 0; i < db.size(); ++i)
        db[i] = 20.0 * std::log10 (2.0 * std::abs (x[i]) / sum + 1e-300);
    return db;
}

/** Amplitude of a sine of known frequency in a stretch of samples, by least squares. */
inline double sineAmplitude (const float* samples, size_t count, double rate, double frequency)
{
    double ss = 0, sc = 0, cc = 0, ys = 0, yc = 0;
    for (size_t i = 0; i < count; ++i)
    {
        const double s = std::sin (2.0 * M_PI * frequency * (double) i / rate), c = std::cos (2.0 * M_PI * frequency * (double) i / rate);
        ss += s * s;
        sc += s * c;
        cc += c * c;
        ys += samples[i] * s;
        yc += samples[i] * c;
    }
    const double det = ss * cc - sc * sc;
    const double a = (ys * cc - yc * sc) / det, b = (yc * ss - ys * sc) / det;
    return std::sqrt (a * a + b * b);
}

/** Averaged power spectrum (Hann, 50 % overlap) of a signal, linear power per bin. */
inline std::vector<double> averagedPower (const std::vector<double>& signal, size_t segment)
{
    std::vector<double> power (segment / 2 + 1, 0.0);
    int segments = 0;
    for (size_t start = 0; start + segment <= signal.size(); start += segment / 2, ++segments)
    {
        std::vector<std::complex<double>> x (segment);
        for (size_t i = 0; i < segment; ++i)
            x[i] = signal[start + i] * (0.5 - 0.5 * std::cos (2.0 * M_PI * (double) i / (double) segment));
        fft (x);
        for (size_t i = 0; i < power.size(); ++i)
            power[i] += std::norm (x[i]);
    }
    for (auto& p : power)
        p /= segments;
    return power;
}

} // namespace crest::test
