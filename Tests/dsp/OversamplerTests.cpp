// dsp::Oversampler: exact latency, original samples kept, images and aliases rejected, the
// low-latency mode, block-size independence and no allocation after prepare().

#include "AllocationCounter.h"
#include "dsp/Oversampler.h"

#include <catch2/catch.hpp>
#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

using namespace crest;

namespace
{
constexpr double pi = 3.14159265358979323846;

std::vector<float> tone (int n, double frequency, double rate, double amplitude = 0.5)
{
    std::vector<float> x ((size_t) n);
    for (int i = 0; i < n; ++i)
        x[(size_t) i] = (float) (amplitude * std::sin (2.0 * pi * frequency * i / rate));
    return x;
}

/** Up then down, in blocks of `block`; returns the round trip (and the upsampled stream). */
std::vector<float> roundTrip (
    dsp::Oversampler& os, const std::vector<float>& x, int block, std::vector<float>* upsampled = nullptr)
{
    std::vector<float> y (x.size());
    for (size_t offset = 0; offset < x.size(); offset += (size_t) block)
    {
        const int n = (int) std::min ((size_t) block, x.size() - offset);
        float* up = os.upsample (x.data() + offset, n);
        if (upsampled != nullptr)
            upsampled->insert (upsampled->end(), up, up + n * os.getFactor());
        os.downsample (up, y.data() + offset, n);
    }
    return y;
}

/** Magnitude spectrum in dB relative to a full-scale sine, of exactly `n` samples from `x`
        (rectangular window: callers choose bin-exact frequencies and whole periods). */
std::vector<double> spectrumDb (const float* x, int n)
{
    std::vector<float> in (x, x + n);
    std::vector<fftwf_complex> out ((size_t) n / 2 + 1);
    auto plan = fftwf_plan_dft_r2c_1d (n, in.data(), out.data(), FFTW_ESTIMATE);
    fftwf_execute (plan);
    fftwf_destroy_plan (plan);
    std::vector<double> db (out.size());
    for (size_t k = 0; k < out.size(); ++k)
    {
        const double magnitude = std::hypot ((double) out[k][0], (double) out[k][1]) * 2.0 / n;
        db[k] = 20.0 * std::log10 (std::max (magnitude, 1.0e-20));
    }
    return db;
}

double maxDifferenceDb (const std::vector<float>& a, const std::vector<float>& b, int start, int end, int shift)
{
    double worst = 0.0;
    for (int i = start; i < end; ++i)
        worst = std::max (worst, (double) std::fabs (a[(size_t) i] - b[(size_t) (i - shift)]));
    return worst > 0.0 ? 20.0 * std::log10 (worst) : -300.0;
}
} // namespace

TEST_CASE ("Oversampler: an impulse comes back exactly latencySamples() later", "[dsp][oversampler][limiter][saturation]")
{
    for (int factor : { 2, 4, 8 })
    {
        dsp::Oversampler os;
        os.prepare ({ factor }, 64);
        INFO ("factor " << factor << ", latency " << os.latencySamples());
        CHECK (os.latencySamples() > 0);
        CHECK (os.latencySamples() == os.upsamplingLatency() + os.downsamplingLatency());

        std::vector<float> x (1024, 0.0f);
        x[100] = 1.0f;
        const auto y = roundTrip (os, x, 64);
        const auto peak = std::max_element (y.begin(), y.end(), [] (float a, float b) { return std::fabs (a) < std::fabs (b); });
        CHECK ((int) (peak - y.begin()) == 100 + os.latencySamples());

        // Linear phase: the response is symmetric about that sample.
        const int centre = 100 + os.latencySamples();
        double asymmetry = 0.0;
        for (int k = 1; k < 100; ++k)
            asymmetry = std::max (asymmetry, (double) std::fabs (y[(size_t) (centre + k)] - y[(size_t) (centre - k)]));
        CHECK (asymmetry < 1.0e-6);
    }
}

TEST_CASE ("Oversampler: original samples sit on every factor-th upsampled sample", "[dsp][oversampler][limiter][saturation]")
{
    for (int factor : { 2, 4, 8 })
    {
        dsp::Oversampler os;
        os.prepare ({ factor }, 100);
        std::mt19937 random (7);
        std::uniform_real_distribution<float> uniform (-1.0f, 1.0f);
        std::vector<float> x (1000);
        for (auto& v : x)
            v = uniform (random);
        std::vector<float> up;
        roundTrip (os, x, 100, &up);
        int mismatches = 0;
        for (int k = os.upsamplingLatency(); k < 1000; ++k)
            mismatches += up[(size_t) (k * factor)] != x[(size_t) (k - os.upsamplingLatency())] ? 1 : 0;
        INFO ("factor " << factor);
        CHECK (mismatches == 0);
    }
}

TEST_CASE ("Oversampler: round trip is a pure delay in the pass band", "[dsp][oversampler][limiter][saturation]")
{
    for (double rate : { 44100.0, 48000.0 })
        for (int factor : { 2, 4, 8 })
        {
            dsp::Oversampler os;
            os.prepare ({ factor }, 256);
            for (double frequency : { 100.0, 1000.0, 10000.0, 19000.0 })
            {
                os.reset();
                const auto x = tone (8192, frequency, rate);
                const auto y = roundTrip (os, x, 256);
                INFO ("rate " << rate << ", factor " << factor << ", " << frequency << " Hz");
                CHECK (maxDifferenceDb (y, x, 2000, 8192, os.latencySamples()) < -100.0);
            }
        }
}

TEST_CASE ("Oversampler: images above the base band are rejected by 110 dB", "[dsp][oversampler][limiter][saturation]")
{
    // 15 kHz at 48 kHz: 25 Hz bins at the top rate, so every image lands on a bin.
    const double rate = 48000.0;
    for (int factor : { 2, 4, 8 })
    {
        dsp::Oversampler os;
        os.prepare ({ factor }, 480);
        const int n = 4800 * 4;
        const auto x = tone (n, 15000.0, rate);
        std::vector<float> up;
        roundTrip (os, x, 480, &up);
        const int topN = 480 * factor * 4; // 25 Hz bins at the top rate
        const auto spectrum = spectrumDb (up.data() + up.size() - (size_t) topN, topN);
        const size_t bin = 15000 / 25;
        const double signal = spectrum[bin];
        double worstImage = -300.0;
        for (size_t k = 1; k < spectrum.size(); ++k)
            if (k != bin)
                worstImage = std::max (worstImage, spectrum[k] - signal);
        INFO ("factor " << factor << ": worst image " << worstImage << " dB");
        CHECK (std::fabs (signal - 20.0 * std::log10 (0.5)) < 0.001);
        CHECK (worstImage < -110.0);
    }
}

TEST_CASE ("Oversampler: content above the base Nyquist frequency does not alias down", "[dsp][oversampler][limiter][saturation]")
{
    // A 30 kHz tone written at the top rate would alias to 18 kHz at 48 kHz.
    const double rate = 48000.0;
    for (int factor : { 2, 4, 8 })
    {
        dsp::Oversampler os;
        os.prepare ({ factor }, 480);
        const int n = 4800 * 4;
        std::vector<float> y ((size_t) n);
        for (int offset = 0; offset < n; offset += 480)
        {
            std::vector<float> top ((size_t) (480 * factor));
            for (int i = 0; i < 480 * factor; ++i)
                top[(size_t) i]
                    = (float) (0.5 * std::sin (2.0 * pi * 30000.0 * ((double) offset * factor + i) / (rate * factor)));
            os.downsample (top.data(), y.data() + offset, 480);
        }
        double worst = 0.0;
        for (int i = 4800; i < n; ++i)
            worst = std::max (worst, (double) std::fabs (y[(size_t) i]));
        INFO ("factor " << factor << ": alias " << 20.0 * std::log10 (worst / 0.5) << " dB");
        CHECK (20.0 * std::log10 (worst / 0.5) < -110.0);
    }
}

TEST_CASE ("Oversampler: low-latency mode", "[dsp][oversampler][limiter][saturation]")
{
    const double rate = 48000.0;
    for (int factor : { 2, 4, 8 })
    {
        dsp::Oversampler linear, fast;
        linear.prepare ({ factor }, 480);
        fast.prepare ({ factor, dsp::Oversampler::Phase::lowLatency }, 480);
        INFO ("factor " << factor << ": latency " << fast.latencySamples() << " (linear " << linear.latencySamples() << ")");
        CHECK (fast.latencySamples() * 4 < linear.latencySamples());

        // Same magnitude: a 1 kHz tone keeps its level, and images stay far down.
        const int n = 4800 * 4;
        const auto x = tone (n, 1000.0, rate);
        std::vector<float> up;
        const auto y = roundTrip (fast, x, 480, &up);
        const auto base = spectrumDb (y.data() + n - 4800, 4800);
        CHECK (std::fabs (base[100] - 20.0 * std::log10 (0.5)) < 0.01);
        const int topN = 480 * factor * 4; // 25 Hz bins
        const auto spectrum = spectrumDb (up.data() + up.size() - (size_t) topN, topN);
        double worstImage = -300.0;
        for (size_t k = 1; k < spectrum.size(); ++k)
            if (k != 40)
                worstImage = std::max (worstImage, spectrum[k] - spectrum[40]);
        CHECK (worstImage < -100.0);

        // The reported delay is the low-frequency delay: a 200 Hz tone lines up within a sample.
        fast.reset();
        const auto low = tone (n, 200.0, rate);
        const auto back = roundTrip (fast, low, 480);
        CHECK (maxDifferenceDb (back, low, 4800, n, fast.latencySamples()) < 20.0 * std::log10 (0.5 * 2.0 * pi * 200.0 / rate));
    }
}

TEST_CASE ("Oversampler: output does not depend on block sizes, and process allocates nothing",
    "[dsp][oversampler][limiter][saturation]")
{
    std::mt19937 random (3);
    std::uniform_real_distribution<float> uniform (-1.0f, 1.0f);
    std::vector<float> x (6000);
    for (auto& v : x)
        v = uniform (random);

    for (auto phase : { dsp::Oversampler::Phase::linear, dsp::Oversampler::Phase::lowLatency })
        for (int factor : { 1, 2, 4, 8 })
        {
            dsp::Oversampler a, b;
            a.prepare ({ factor, phase }, 4096);
            b.prepare ({ factor, phase }, 4096);
            const auto reference = roundTrip (a, x, 4096);

            std::vector<float> y (x.size());
            std::uniform_int_distribution<int> blockSize (1, 700);
            test::AllocationCounter allocations;
            for (size_t offset = 0; offset < x.size();)
            {
                const int n = (int) std::min ((size_t) blockSize (random), x.size() - offset);
                float* up = b.upsample (x.data() + offset, n);
                b.downsample (up, y.data() + offset, n);
                offset += (size_t) n;
            }
            const auto allocated = allocations.count(); // before INFO, which allocates itself
            INFO ("factor " << factor);
            CHECK (allocated == 0);
            CHECK (y == reference);
        }
}

TEST_CASE ("Oversampler: upsampleReaching() defers only what cannot reach the level, and catches up exactly",
    "[dsp][oversampler][limiter]")
{
    // Loud bursts between long quiet stretches, cut into blocks of random sizes: the quiet
    // blocks are deferred, the others must come out exactly as upsample() gives them, with the
    // samples before them (the lookback) too, and the streams must not drift apart.
    std::mt19937 random (11);
    std::uniform_real_distribution<float> uniform (-1.0f, 1.0f);
    std::vector<float> x (30000);
    for (size_t i = 0; i < x.size(); ++i)
        x[i] = uniform (random) * ((i / 2000) % 3 == 1 ? 0.9f : 0.02f);

    for (const double passband : { 0.4535, 0.485 })
        for (int factor : { 2, 4, 8 })
        {
            dsp::Oversampler::Options options;
            options.factor = factor;
            options.passband = passband;
            options.stopbandDb = passband > 0.48 ? 90.0 : 120.0;
            dsp::Oversampler reference, lazy;
            reference.prepare (options, 512);
            lazy.prepare (options, 512);
            const float level = 0.5f;
            constexpr int back = dsp::Oversampler::lookback;

            std::uniform_int_distribution<int> blockSize (1, 512);
            int complete = 0, partial = 0, wrong = 0, wrongLookback = 0, missedLevel = 0;
            std::vector<float> upsampled ((size_t) back, 0.0f); // everything upsample() gave, after silence
            upsampled.reserve ((size_t) back + x.size() * (size_t) factor);
            test::AllocationCounter allocations;
            for (size_t offset = 0; offset < x.size();)
            {
                const int n = (int) std::min ((size_t) blockSize (random), x.size() - offset);
                float* expected = reference.upsample (x.data() + offset, n);
                const int total = n * factor;
                // The lookback is the previous samples as returned, even when the caller then
                // works on the block in place.
                wrongLookback += std::equal (expected - back, expected, upsampled.end() - back) ? 0 : 1;
                upsampled.insert (upsampled.end(), expected, expected + total);
                std::fill (expected, expected + total, 7.0f);
                const float* wanted = upsampled.data() + upsampled.size() - (size_t) total;

                bool whole = false;
                const float* got = lazy.upsampleReaching (x.data() + offset, n, level, whole);
                if (whole)
                {
                    ++complete;
                    wrong += std::equal (wanted - back, wanted + total, got - back) ? 0 : 1;
                }
                else
                {
                    ++partial;
                    for (int k = 0; k < total; ++k)
                        missedLevel += std::fabs (wanted[k]) >= level ? 1 : 0;
                }
                offset += (size_t) n;
            }
            const auto allocated = allocations.count();
            INFO ("factor " << factor << ", passband " << passband << ": " << complete << " blocks complete, " << partial
                            << " deferred");
            CHECK (allocated == 0);
            CHECK (complete > 10);
            if (factor > 2)
                CHECK (partial > 10);
            CHECK (wrong == 0);
            CHECK (wrongLookback == 0);
            CHECK (missedLevel == 0);
        }
}
