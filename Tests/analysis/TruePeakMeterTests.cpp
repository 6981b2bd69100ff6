// EBU Tech 3341 true-peak cases 15-23 (expected +0.2 / -0.4 dB) at 44.1, 48 and 96 kHz,
// and the under-read of Crest's oversampling against the analytic peak of sines.

#include "TestSignals.h"
#include "analysis/TruePeakMeter.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <random>

using namespace crest;

namespace
{
    double truePeakDb (const test::Buffer& b, double rate, int block = 777)
    {
        analysis::TruePeakMeter meter;
        meter.prepare (rate, b.getNumChannels());
        for (int offset = 0; offset < b.getNumSamples(); offset += block)
        {
            const int n = std::min (block, b.getNumSamples() - offset);
            std::vector<const float*> p;
            for (int c = 0; c < b.getNumChannels(); ++c)
                p.push_back (b.getReadPointer (c, offset));
            meter.process (p.data(), n);
        }
        meter.flush();
        float peak = 0.0f;
        for (int c = 0; c < b.getNumChannels(); ++c)
            peak = std::max (peak, meter.getPeak (c));
        return 20.0 * std::log10 (peak);
    }

    double samplePeakDb (const test::Buffer& b)
    {
        return 20.0 * std::log10 (b.getMagnitude (0, b.getNumSamples()));
    }
} // namespace

TEST_CASE ("Tech 3341 true-peak cases 15 to 23", "[analysis][truepeak][tech3341]")
{
    const std::pair<int, double> cases[] = { { 15, -6.0 }, { 16, -6.0 }, { 17, -6.0 }, { 18, -6.0 }, { 19, 3.0 },
                                             { 20, 0.0 },  { 21, 0.0 },  { 22, 0.0 },  { 23, 0.0 } };
    for (double rate : { 44100.0, 48000.0, 96000.0 })
    {
        for (const auto& [number, expected] : cases)
        {
            INFO ("case " << number << " at " << rate << " Hz");
            const double tp = truePeakDb (test::truePeakCase (number, rate), rate);
            CHECK (tp <= expected + 0.2);
            CHECK (tp >= expected - 0.4);
        }
    }
}

TEST_CASE ("True peak reads above the sample peak on inter-sample peaks", "[analysis][truepeak]")
{
    for (double rate : { 44100.0, 48000.0, 96000.0 })
    {
        INFO ("rate " << rate);
        // Case 16: samples at +/-0.354 (-9 dBFS), a waveform peaking at 0.5 (-6 dBFS).
        const auto case16 = test::truePeakCase (16, rate);
        CHECK (samplePeakDb (case16) == Approx (-9.03).margin (0.02));
        CHECK (truePeakDb (case16, rate) - samplePeakDb (case16) > 2.8);

        // Case 19: samples stay below full scale, the waveform reaches +3 dBTP.
        const auto case19 = test::truePeakCase (19, rate);
        CHECK (samplePeakDb (case19) < 0.0);
        CHECK (truePeakDb (case19, rate) > 2.6);
    }
}

TEST_CASE ("8x oversampling under-reads sines by far less than 4x would", "[analysis][truepeak]")
{
    // Sines up to 0.4 of the sample rate (17.6 kHz at 44.1 kHz) at random phases: the worst
    // under-read of ideal 4x interpolation there is about 0.5 dB; Crest must stay within 0.2.
    std::mt19937 random (7);
    std::uniform_real_distribution<double> phase (0.0, 360.0);
    double worst = 0.0;
    for (double rate : { 44100.0, 48000.0 })
    {
        for (double fraction = 0.05; fraction <= 0.4; fraction += 0.0173)
        {
            for (int trial = 0; trial < 4; ++trial)
            {
                auto b = test::sine (rate, 1, 0.2, fraction * rate, -6.0, phase (random));
                const int fade = (int) (0.05 * rate); // no switch-on transient (see truePeakCase)
                b.applyGainRamp (0, fade, 0.0f, 1.0f);
                b.applyGainRamp (b.getNumSamples() - fade, fade, 1.0f, 0.0f);
                const double error = truePeakDb (b, rate) - (-6.0);
                CHECK (error <= 0.1);
                worst = std::min (worst, error);
            }
        }
    }
    CHECK (worst > -0.2);
}

TEST_CASE ("True peak never reads below the sample peak and is the same in any block size", "[analysis][truepeak]")
{
    const double rate = 48000.0;
    const auto noise = test::whiteNoise (rate, 2, 3.0, -12.0);
    const double reference = truePeakDb (noise, rate, 4096);
    CHECK (reference >= samplePeakDb (noise));
    for (int block : { 1, 31, 32, 33, 441, 65536 })
        CHECK (truePeakDb (noise, rate, block) == Approx (reference).margin (1e-6));
}

TEST_CASE ("Skipping quiet stretches never hides a peak", "[analysis][truepeak]")
{
    // A loud burst after a long quiet passage, and a quiet passage after a loud one: the
    // shortcut must compute whatever could hold the maximum.
    const double rate = 44100.0;
    auto b = test::sine (rate, 1, 4.0, 1000.0, -40.0);
    const auto burst = test::truePeakCase (19, rate); // +3 dBTP inter-sample peaks
    b.copyFrom (0, 100000, burst, 0, (int) rate, 500);
    CHECK (truePeakDb (b, rate) > 2.6);
}

TEST_CASE ("At 4x (96 kHz) two samples per vector read exactly what one sample at a time reads", "[analysis][truepeak]")
{
    // Blocks of one sample take the one-sample path; long blocks the paired one (with odd
    // block sizes mixing both). The peaks must agree to the bit, not within a margin.
    for (double rate : { 96000.0, 176400.0 })
    {
        const auto noise = test::whiteNoise (rate, 2, 1.0, -12.0);
        const double single = truePeakDb (noise, rate, 1);
        for (int block : { 2, 3, 31, 33, 4096 })
            CHECK (truePeakDb (noise, rate, block) == single);
    }
}
