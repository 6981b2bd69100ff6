#include "TestSignals.h"
#include "analysis/StereoFieldMeter.h"

#include <catch2/catch.hpp>

using namespace crest;

namespace
{
    analysis::StereoFieldMeter measure (const test::Buffer& b, double rate)
    {
        analysis::StereoFieldMeter m;
        m.prepare (rate);
        m.process (b.getReadPointer (0), b.getReadPointer (1), b.getNumSamples());
        return m;
    }
} // namespace

TEST_CASE ("Correlation is exactly +1 for identical channels", "[analysis][stereo]")
{
    const auto b = test::whiteNoise (48000.0, 1, 2.0, -20.0);
    test::Buffer stereo (2, b.getNumSamples());
    stereo.copyFrom (0, 0, b, 0, 0, b.getNumSamples());
    stereo.copyFrom (1, 0, b, 0, 0, b.getNumSamples());
    const auto m = measure (stereo, 48000.0);
    CHECK (*m.correlation() == 1.0);
    CHECK (*m.minimumCorrelation() == Approx (1.0).margin (1e-12));
    CHECK (*m.monoFoldDownDb() == Approx (0.0).margin (1e-9));
    CHECK (*m.sideToMidDb() < -200.0);
    CHECK (*m.balanceDb() == Approx (0.0).margin (1e-9));
}

TEST_CASE ("Correlation is exactly -1 for inverted channels", "[analysis][stereo]")
{
    auto b = test::whiteNoise (48000.0, 2, 2.0, -20.0);
    b.copyFrom (1, 0, b, 0, 0, b.getNumSamples());
    b.applyGain (1, 0, b.getNumSamples(), -1.0f);
    const auto m = measure (b, 48000.0);
    CHECK (*m.correlation() == -1.0);
    CHECK (*m.minimumCorrelation() == Approx (-1.0).margin (1e-12));
    CHECK (*m.monoFoldDownDb() < -100.0);
    CHECK (*m.lowBandMonoFoldDownDb() < -60.0);
}

TEST_CASE ("Correlation is about 0 for independent channels", "[analysis][stereo]")
{
    const auto m = measure (test::whiteNoise (48000.0, 2, 10.0, -20.0), 48000.0);
    CHECK (*m.correlation() == Approx (0.0).margin (0.01));
    CHECK (*m.monoFoldDownDb() == Approx (-3.01).margin (0.05));
    CHECK (*m.sideToMidDb() == Approx (0.0).margin (0.1));
}

TEST_CASE ("The worst window is found and located", "[analysis][stereo]")
{
    const double rate = 48000.0;
    auto b = test::whiteNoise (rate, 1, 10.0, -20.0);
    test::Buffer stereo (2, b.getNumSamples());
    stereo.copyFrom (0, 0, b, 0, 0, b.getNumSamples());
    stereo.copyFrom (1, 0, b, 0, 0, b.getNumSamples());
    // One inverted second at 6 s.
    stereo.applyGain (1, (int) (6.0 * rate), (int) rate, -1.0f);
    const auto m = measure (stereo, rate);
    CHECK (*m.minimumCorrelation() == Approx (-1.0).margin (1e-9));
    CHECK ((double) m.minimumCorrelationSample() / rate == Approx (6.0).margin (0.11));
    CHECK (*m.correlation() == Approx (0.8).margin (0.02));
}

TEST_CASE ("Silent channels have no correlation", "[analysis][stereo]")
{
    test::Buffer silence (2, 48000);
    silence.clear();
    const auto m = measure (silence, 48000.0);
    CHECK_FALSE (m.correlation());
    CHECK_FALSE (m.minimumCorrelation());
    CHECK_FALSE (m.balanceDb());
}
