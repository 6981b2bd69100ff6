#include "AllocationCounter.h"
#include "TestSignals.h"
#include "dsp/Crossover.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <vector>

using crest::dsp::Crossover;

namespace
{
constexpr double pi = 3.14159265358979323846;

bool printFigures()
{
    return std::getenv ("CREST_TEST_FIGURES") != nullptr;
}

/** Bands of one channel: bands[band][sample]. */
using Bands = std::vector<std::vector<float>>;

/** Runs a mono signal through a prepared crossover in blocks and returns its bands. */
Bands split (Crossover& x, const std::vector<float>& input, int blockSize = 512)
{
    Bands bands ((size_t) x.numBands(), std::vector<float> (input.size(), 0.0f));
    for (size_t offset = 0; offset < input.size(); offset += (size_t) blockSize)
    {
        const int n = (int) std::min<size_t> ((size_t) blockSize, input.size() - offset);
        const float* in[1] = { input.data() + offset };
        float* out[Crossover::maxBands][1] = {};
        float* const* outs[Crossover::maxBands] = {};
        for (size_t b = 0; b < bands.size(); ++b)
        {
            out[b][0] = bands[b].data() + offset;
            outs[b] = out[b];
        }
        x.process (in, outs, n);
    }
    return bands;
}

std::vector<float> sum (const Bands& bands)
{
    std::vector<float> s (bands[0].size(), 0.0f);
    for (const auto& b : bands)
        for (size_t i = 0; i < s.size(); ++i)
            s[i] += b[i];
    return s;
}

/** The DFT of a (decayed) impulse response at one frequency, in double precision. */
std::complex<double> responseAt (const std::vector<float>& impulseResponse, double frequency, double rate)
{
    const std::complex<double> step = std::polar (1.0, -2.0 * pi * frequency / rate);
    std::complex<double> rotation = 1.0, acc = 0.0;
    for (size_t n = 0; n < impulseResponse.size(); ++n)
    {
        acc += (double) impulseResponse[n] * rotation;
        rotation *= step;
        if ((n & 1023) == 1023)
            rotation /= std::abs (rotation);
    }
    return acc;
}

std::vector<double> logFrequencies (double from, double to, int count)
{
    std::vector<double> f;
    for (int i = 0; i < count; ++i)
        f.push_back (from * std::pow (to / from, (double) i / (count - 1)));
    return f;
}

std::array<float, 3> frequenciesFor (int bands)
{
    if (bands == 2)
        return { 1000.0f, 1000.0f, 1000.0f };
    if (bands == 3)
        return { 200.0f, 2500.0f, 2500.0f };
    return { 120.0f, 1000.0f, 6000.0f };
}

std::vector<float> impulse (size_t n)
{
    std::vector<float> v (n, 0.0f);
    v[0] = 1.0f;
    return v;
}

std::vector<float> noise (double rate, double seconds)
{
    const auto b = crest::test::whiteNoise (rate, 1, seconds, -12.0);
    return std::vector<float> (b.getReadPointer (0), b.getReadPointer (0) + b.getNumSamples());
}
} // namespace

TEST_CASE ("Linkwitz-Riley bands sum flat in magnitude", "[dsp][dynamics]")
{
    for (double rate : { 44100.0, 48000.0, 96000.0 })
    {
        for (int bands : { 2, 3, 4 })
        {
            Crossover x;
            x.prepare (rate, 1, bands, Crossover::Type::linkwitzRiley, frequenciesFor (bands));
            const auto response = sum (split (x, impulse ((size_t) rate)));

            double worst = 0.0;
            for (double f : logFrequencies (10.0, 0.48 * rate, 200))
                worst = std::max (worst, std::abs (20.0 * std::log10 (std::abs (responseAt (response, f, rate)))));
            INFO (bands << " bands at " << rate << " Hz: " << worst << " dB");
            CHECK (worst < 0.05);
            if (printFigures())
                std::printf ("Linkwitz-Riley %d bands at %.0f Hz: sum flat within %.2e dB\n", bands, rate, worst);
        }
    }
}

TEST_CASE ("Linkwitz-Riley bands are in phase and fall at 24 dB per octave", "[dsp][dynamics]")
{
    const double rate = 48000.0;
    Crossover x;
    x.prepare (rate, 1, 4, Crossover::Type::linkwitzRiley, { 120.0f, 1000.0f, 6000.0f });
    const auto bands = split (x, impulse ((size_t) rate));

    for (double f : logFrequencies (20.0, 20000.0, 60))
    {
        // In phase: magnitudes add up to the magnitude of the sum (so per-band gains can
        // never produce more than the largest of them).
        double magnitudes = 0.0;
        std::complex<double> total = 0.0;
        for (const auto& b : bands)
        {
            const auto h = responseAt (b, f, rate);
            magnitudes += std::abs (h);
            total += h;
        }
        INFO ("at " << f << " Hz");
        CHECK (magnitudes == Approx (std::abs (total)).epsilon (1e-4));
    }

    // -6 dB at each crossover, and 4th order slopes: an octave away from 1 kHz a band of a
    // lone split is 20 log10 (1 + 2^4) ~ 24.6 dB down (bilinear warping aside).
    Crossover two;
    two.prepare (rate, 1, 2, Crossover::Type::linkwitzRiley, { 1000.0f, 1000.0f, 1000.0f });
    const auto lr = split (two, impulse ((size_t) rate));
    CHECK (20.0 * std::log10 (std::abs (responseAt (lr[0], 1000.0, rate))) == Approx (-6.02).margin (0.01));
    CHECK (20.0 * std::log10 (std::abs (responseAt (lr[1], 1000.0, rate))) == Approx (-6.02).margin (0.01));
    CHECK (20.0 * std::log10 (std::abs (responseAt (lr[0], 2000.0, rate))) == Approx (-24.6).margin (0.3));
    CHECK (20.0 * std::log10 (std::abs (responseAt (lr[1], 500.0, rate))) == Approx (-24.6).margin (0.3));
    CHECK (20.0 * std::log10 (std::abs (responseAt (lr[0], 8000.0, rate))) < -70.0);
}

TEST_CASE ("Linear-phase bands sum to a pure delay of the reported latency", "[dsp][dynamics]")
{
    for (double rate : { 44100.0, 48000.0, 96000.0 })
    {
        for (int bands : { 2, 3, 4 })
        {
            Crossover x;
            x.prepare (rate, 1, bands, Crossover::Type::linearPhase, frequenciesFor (bands));
            const int latency = x.latencySamples();
            CHECK (latency == (Crossover::linearPhaseFilterLength (rate) - 1) / 2 + Crossover::linearPhasePartitionSize (rate));

            const auto input = noise (rate, 0.5);
            const auto total = sum (split (x, input, 441));
            double worst = 0.0;
            for (size_t i = 0; i < input.size(); ++i)
            {
                const float expected = i >= (size_t) latency ? input[i - (size_t) latency] : 0.0f;
                worst = std::max (worst, (double) std::abs (total[i] - expected));
            }
            const double worstDb = 20.0 * std::log10 (std::max (worst, 1e-15));
            INFO (bands << " bands at " << rate << " Hz, latency " << latency);
            CHECK (worstDb < -120.0);
            if (printFigures())
                std::printf ("linear phase %d bands at %.0f Hz: latency %d samples (%.1f ms), sum - delayed input %.1f dBFS\n",
                    bands, rate, latency, 1000.0 * latency / rate, worstDb);
        }
    }
}

TEST_CASE ("Linear-phase bands separate", "[dsp][dynamics]")
{
    const double rate = 48000.0;
    Crossover x;
    x.prepare (rate, 1, 3, Crossover::Type::linearPhase, { 500.0f, 4000.0f, 4000.0f });
    const auto bands = split (x, impulse ((size_t) rate / 2));
    const auto db
        = [&] (int band, double f) { return 20.0 * std::log10 (std::abs (responseAt (bands[(size_t) band], f, rate))); };
    CHECK (db (0, 100.0) == Approx (0.0).margin (0.01));
    CHECK (db (0, 1500.0) < -50.0);
    CHECK (db (1, 150.0) < -50.0);
    CHECK (db (1, 1500.0) == Approx (0.0).margin (0.01));
    CHECK (db (1, 12000.0) < -50.0);
    CHECK (db (2, 12000.0) == Approx (0.0).margin (0.01));
    CHECK (db (0, 500.0) == Approx (-6.02).margin (0.05)); // half amplitude at the crossover
}

TEST_CASE ("Crossover frequency changes keep the sum intact and allocate nothing", "[dsp][dynamics]")
{
    const double rate = 48000.0;
    for (auto type : { Crossover::Type::linkwitzRiley, Crossover::Type::linearPhase })
    {
        Crossover x;
        x.prepare (rate, 1, 4, type, { 120.0f, 1000.0f, 6000.0f });
        const auto input = noise (rate, 1.0);
        Bands bands (4, std::vector<float> (input.size(), 0.0f));
        crest::test::AllocationCounter allocations;
        for (size_t offset = 0; offset < input.size(); offset += 256)
        {
            if (offset % 4096 == 0)
            {
                const auto k = (float) (offset / 4096);
                x.setFrequencies ({ 100.0f + 10.0f * k, 900.0f + 50.0f * k, 5000.0f + 100.0f * k });
            }
            const float* in[1] = { input.data() + offset };
            float* out[4][1] = { { bands[0].data() + offset }, { bands[1].data() + offset }, { bands[2].data() + offset },
                { bands[3].data() + offset } };
            float* const* outs[4] = { out[0], out[1], out[2], out[3] };
            x.process (in, outs, (int) std::min<size_t> (256, input.size() - offset));
        }
        CHECK (allocations.count() == 0);

        if (type == Crossover::Type::linearPhase)
        {
            // Every design sums to the same delay, and so does a crossfade between two.
            const auto total = sum (bands);
            const int latency = x.latencySamples();
            double worst = 0.0;
            for (size_t i = (size_t) latency; i < input.size(); ++i)
                worst = std::max (worst, (double) std::abs (total[i] - input[i - (size_t) latency]));
            CHECK (20.0 * std::log10 (worst) < -120.0);
        }
    }
}

TEST_CASE ("Crossover output does not depend on block sizes", "[dsp][dynamics]")
{
    const double rate = 44100.0;
    const auto input = noise (rate, 1.0);
    for (auto type : { Crossover::Type::linkwitzRiley, Crossover::Type::linearPhase })
    {
        std::vector<Bands> results;
        for (int blockSize : { 32, 441, 4096 })
        {
            Crossover x;
            x.prepare (rate, 1, 4, type, { 150.0f, 1500.0f, 7000.0f });
            results.push_back (split (x, input, blockSize));
        }
        for (size_t r = 1; r < results.size(); ++r)
            for (size_t b = 0; b < 4; ++b)
                CHECK (results[r][b] == results[0][b]);
    }
}

TEST_CASE ("A NaN does not poison a crossover", "[dsp][dynamics]")
{
    const double rate = 48000.0;
    for (auto type : { Crossover::Type::linkwitzRiley, Crossover::Type::linearPhase })
    {
        Crossover x;
        x.prepare (rate, 1, 4, type, { 120.0f, 1000.0f, 6000.0f });
        auto input = noise (rate, 1.0);
        input[1000] = std::numeric_limits<float>::quiet_NaN();
        input[2000] = -std::numeric_limits<float>::infinity();
        const auto bands = split (x, input);
        for (const auto& b : bands)
            for (float v : b)
                REQUIRE (std::isfinite (v));
    }
}

namespace
{
/** The Linkwitz-Riley tree written plainly, sample by sample with StateVariableSection::process(),
    as the crossover computed it before it was vectorised: a model to check the vector kernels,
    their direct-form sections and the state conversions around glides against. */
class PlainLinkwitzRiley
{
public:
    PlainLinkwitzRiley (double sampleRate, int numBands, const std::array<float, 3>& frequencies)
        : rate (sampleRate), splits (numBands - 1)
    {
        for (int k = 0; k < splits; ++k)
        {
            log2Frequency[k].prepare (rate, Crossover::glideSeconds, (float) std::log2 (frequencies[(size_t) k]));
            update (k, frequencies[(size_t) k]);
        }
    }

    void setFrequencies (const std::array<float, 3>& frequencies)
    {
        for (int k = 0; k < splits; ++k)
            log2Frequency[k].setTarget ((float) std::log2 (frequencies[(size_t) k]));
    }

    /** One sample of one channel in, the bands out. */
    void process (const float* input, std::vector<std::vector<float>>& bands, size_t i)
    {
        for (int k = 0; k < splits; ++k)
            if (log2Frequency[k].isSmoothing())
                update (k, std::exp2 ((double) log2Frequency[k].next()));

        double out[Crossover::maxBands] = {};
        double rest = input[i];
        for (int k = 0; k < splits; ++k)
        {
            auto& s = sections[k];
            for (int j = 0; j < k; ++j)
            {
                s.allPass[j].process (out[j]);
                out[j] = s.allPass[j].allPass();
            }
            s.first.process (rest);
            s.low.process (s.first.low());
            s.high.process (s.first.high());
            out[k] = s.low.low();
            rest = s.high.high();
        }
        out[splits] = rest;
        for (int b = 0; b <= splits; ++b)
            bands[(size_t) b][i] = (float) out[b];
    }

private:
    void update (int k, double frequency)
    {
        const auto c = crest::dsp::StateVariableSection::design (rate, frequency, 0.70710678118654752);
        auto& s = sections[k];
        for (auto* section : { &s.first, &s.low, &s.high, &s.allPass[0], &s.allPass[1], &s.allPass[2] })
            section->setCoefficients (c);
    }

    struct Split
    {
        crest::dsp::StateVariableSection first, low, high, allPass[3];
    };

    double rate;
    int splits;
    Split sections[3];
    crest::dsp::LinearSmoother log2Frequency[3];
};
} // namespace

TEST_CASE ("Linkwitz-Riley bands match a plain state-variable model, also through frequency glides", "[dsp][dynamics]")
{
    const double rate = 44100.0;
    const auto input = noise (rate, 1.5);
    const std::array<float, 3> start { 150.0f, 1500.0f, 7000.0f }, moved { 90.0f, 2500.0f, 5000.0f };
    for (int numBands : { 2, 3, 4 })
    {
        Crossover x;
        x.prepare (rate, 1, numBands, Crossover::Type::linkwitzRiley, start);
        PlainLinkwitzRiley model (rate, numBands, start);

        Bands bands ((size_t) numBands, std::vector<float> (input.size(), 0.0f));
        Bands expected = bands;
        const size_t block = 256;
        for (size_t offset = 0; offset < input.size(); offset += block)
        {
            // Glides start at block boundaries; one starts while another is still running.
            if (offset == block * 40)
            {
                x.setFrequencies (moved);
                model.setFrequencies (moved);
            }
            if (offset == block * 42)
            {
                x.setFrequencies (start);
                model.setFrequencies (start);
            }
            const int n = (int) std::min (block, input.size() - offset);
            const float* in[1] = { input.data() + offset };
            float* out[Crossover::maxBands][1] = {};
            float* const* outs[Crossover::maxBands] = {};
            for (int b = 0; b < numBands; ++b)
            {
                out[b][0] = bands[(size_t) b].data() + offset;
                outs[b] = out[b];
            }
            x.process (in, outs, n);
            for (size_t i = offset; i < offset + (size_t) n; ++i)
                model.process (input.data(), expected, i);
        }

        double worst = 0.0;
        for (int b = 0; b < numBands; ++b)
            for (size_t i = 0; i < input.size(); ++i)
                worst = std::max (worst, (double) std::abs (bands[(size_t) b][i] - expected[(size_t) b][i]));
        INFO (numBands << " bands: largest difference " << worst);
        CHECK (worst < 1.0e-6); // -120 dBFS: the same filters, rounded differently
        if (printFigures())
            std::printf ("Linkwitz-Riley %d bands against the plain model: %.1f dBFS\n", numBands,
                20.0 * std::log10 (std::max (worst, 1e-15)));
    }
}

TEST_CASE ("Crossover records hold the bands of process(), unrounded", "[dsp][dynamics]")
{
    const double rate = 48000.0;
    const auto noiseBuffer = crest::test::whiteNoise (rate, 2, 0.5, -12.0);
    const int n = noiseBuffer.getNumSamples();
    for (auto type : { Crossover::Type::linkwitzRiley, Crossover::Type::linearPhase })
        for (int channels : { 1, 2 })
            for (int numBands : { 2, 3, 4 })
            {
                Crossover planar, records;
                planar.prepare (rate, channels, numBands, type, frequenciesFor (numBands));
                records.prepare (rate, channels, numBands, type, frequenciesFor (numBands));

                std::vector<std::vector<float>> bands ((size_t) (numBands * 2), std::vector<float> ((size_t) n, 0.0f));
                std::vector<double> record ((size_t) n * Crossover::recordSize, -1.0);
                for (int offset = 0; offset < n; offset += 300)
                {
                    const int count = std::min (300, n - offset);
                    const float* in[2] = { noiseBuffer.getReadPointer (0, offset), noiseBuffer.getReadPointer (1, offset) };
                    float* out[Crossover::maxBands][2] = {};
                    float* const* outs[Crossover::maxBands] = {};
                    for (int b = 0; b < numBands; ++b)
                    {
                        out[b][0] = bands[(size_t) (2 * b)].data() + offset;
                        out[b][1] = bands[(size_t) (2 * b + 1)].data() + offset;
                        outs[b] = out[b];
                    }
                    planar.process (in, outs, count);
                    records.processRecords (in, record.data() + (size_t) offset * Crossover::recordSize, count);
                }

                bool same = true, restZero = true;
                for (int i = 0; i < n; ++i)
                    for (int b = 0; b < Crossover::maxBands; ++b)
                        for (int c = 0; c < 2; ++c)
                        {
                            const double v = record[(size_t) i * Crossover::recordSize + (size_t) Crossover::recordIndex (b, c)];
                            if (b < numBands && c < channels)
                                same = same && (float) v == bands[(size_t) (2 * b + c)][(size_t) i];
                            else
                                restZero = restZero && v == 0.0;
                        }
                INFO ((type == Crossover::Type::linearPhase ? "linear phase, " : "Linkwitz-Riley, ")
                    << channels << " channels, " << numBands << " bands");
                CHECK (same);
                CHECK (restZero);
            }
}

TEST_CASE ("Linkwitz-Riley output does not depend on block sizes through frequency glides", "[dsp][dynamics]")
{
    const double rate = 48000.0;
    const auto input = noise (rate, 1.0);
    std::vector<Bands> results;
    for (int blockSize : { 32, 64, 256 })
    {
        Crossover x;
        x.prepare (rate, 1, 4, Crossover::Type::linkwitzRiley, { 150.0f, 1500.0f, 7000.0f });
        Bands bands (4, std::vector<float> (input.size(), 0.0f));
        for (size_t offset = 0; offset < input.size(); offset += (size_t) blockSize)
        {
            // Changes at sample positions every block size shares.
            if (offset == 8192)
                x.setFrequencies ({ 100.0f, 2000.0f, 9000.0f });
            if (offset == 8192 + 512)
                x.setFrequencies ({ 300.0f, 900.0f, 4000.0f });
            const int n = (int) std::min<size_t> ((size_t) blockSize, input.size() - offset);
            const float* in[1] = { input.data() + offset };
            float* out[4][1] = { { bands[0].data() + offset }, { bands[1].data() + offset }, { bands[2].data() + offset },
                { bands[3].data() + offset } };
            float* const* outs[4] = { out[0], out[1], out[2], out[3] };
            x.process (in, outs, n);
        }
        results.push_back (bands);
    }
    for (size_t r = 1; r < results.size(); ++r)
        for (size_t b = 0; b < 4; ++b)
            CHECK (results[r][b] == results[0][b]);
}
