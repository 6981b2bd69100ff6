#include "TestSignals.h"
#include "analysis/SpectrumAnalyser.h"

#include <catch2/catch.hpp>

#include <cmath>

using namespace crest;

namespace
{
    analysis::SpectrumAnalyser measure (const test::Buffer& b, double rate)
    {
        analysis::SpectrumAnalyser s;
        s.prepare (rate, b.getNumChannels());
        std::vector<const float*> p;
        for (int c = 0; c < b.getNumChannels(); ++c)
            p.push_back (b.getReadPointer (c));
        s.process (p.data(), b.getNumSamples());
        return s;
    }
} // namespace

TEST_CASE ("A sine's level appears in its band", "[analysis][spectrum]")
{
    for (double rate : { 44100.0, 96000.0 })
    {
        INFO ("rate " << rate);
        const auto s = measure (test::sine (rate, 2, 5.0, 1000.0, -20.0), rate);
        CHECK (s.bandLevelDb (900.0, 1100.0) == Approx (-20.0).margin (0.1));
        CHECK (s.bandLevelDb (2000.0, 10000.0) < -100.0);

        bool found = false;
        for (const auto& band : s.thirdOctaveBands())
            if (std::abs (band.centreHz - 1000.0) < 1.0)
            {
                found = true;
                CHECK (band.levelDb == Approx (-20.0).margin (0.1));
            }
        CHECK (found);
    }
}

TEST_CASE ("White noise sums to its level and is flat", "[analysis][spectrum]")
{
    const double rate = 48000.0;
    const auto s = measure (test::whiteNoise (rate, 2, 20.0, -20.0), rate);
    // Full band: RMS -20 dBFS is -17 dB relative to a full-scale sine.
    CHECK (s.bandLevelDb (0.0, rate / 2.0) == Approx (-16.99).margin (0.1));
    // Equal widths carry equal power.
    CHECK (s.bandLevelDb (1000.0, 2000.0) == Approx (s.bandLevelDb (15000.0, 16000.0)).margin (0.3));

    const auto bands = s.thirdOctaveBands();
    CHECK (bands.front().centreHz == Approx (19.95).margin (0.01));
    CHECK (bands.back().highHz <= rate / 2.0);
    // 1/3-octave bands of white noise rise by 1 dB per band.
    CHECK (bands[20].levelDb - bands[10].levelDb == Approx (10.0).margin (0.5));
}

TEST_CASE ("High rates get bands above 20 kHz and fine resolution stays about 6 Hz", "[analysis][spectrum]")
{
    CHECK (analysis::SpectrumAnalyser::fftSizeFor (44100.0) == 8192);
    CHECK (analysis::SpectrumAnalyser::fftSizeFor (48000.0) == 8192);
    CHECK (analysis::SpectrumAnalyser::fftSizeFor (96000.0) == 16384);
    const auto s = measure (test::whiteNoise (96000.0, 1, 2.0, -20.0), 96000.0);
    CHECK (s.thirdOctaveBands().back().centreHz > 30000.0);
    CHECK (s.averageSpectrumDb().size() == 8193);
}
