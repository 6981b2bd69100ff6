#include "TestSignals.h"
#include "analysis/SampleStatistics.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

using namespace crest;
using analysis::SampleStatistics;

namespace
{
    SampleStatistics measure (const test::Buffer& b, double rate, int block = 1000)
    {
        SampleStatistics s;
        s.prepare (rate, b.getNumChannels());
        for (int offset = 0; offset < b.getNumSamples(); offset += block)
        {
            std::vector<const float*> p;
            for (int c = 0; c < b.getNumChannels(); ++c)
                p.push_back (b.getReadPointer (c, offset));
            s.process (p.data(), std::min (block, b.getNumSamples() - offset));
        }
        return s;
    }
} // namespace

TEST_CASE ("Clipping counts runs of three or more full-scale samples, across blocks", "[analysis][levels]")
{
    test::Buffer b (1, 5000);
    b.clear();
    b.setSample (0, 100, 1.0f);                      // one full-scale sample: a peak, not a clip
    for (int i = 998; i < 1003; ++i) b.setSample (0, i, -1.0f); // a run of 5 straddling a block edge
    for (int i = 3000; i < 3003; ++i) b.setSample (0, i, 1.0f); // a run of exactly 3
    const auto s = measure (b, 48000.0);
    const auto& c = s.channels()[0];
    CHECK (c.clipRuns == 2);
    CHECK (c.clippedSamples == 8);
    CHECK (c.firstClipSample == 998);
    CHECK (c.peak == 1.0f);
}

TEST_CASE ("DC offset, RMS and effective bits", "[analysis][levels]")
{
    auto b = test::sine (48000.0, 1, 1.0, 1000.0, -6.0206);
    for (int i = 0; i < b.getNumSamples(); ++i)
        b.setSample (0, i, std::round ((b.getSample (0, i) + 0.01f) * 32768.0f) / 32768.0f); // 16-bit values
    const auto s = measure (b, 48000.0);
    const auto& c = s.channels()[0];
    CHECK (c.sum / s.length() == Approx (0.01).margin (1e-4));
    CHECK (std::sqrt (c.sumOfSquares / s.length()) == Approx (std::sqrt (0.125 + 0.0001)).margin (1e-4));
    CHECK (s.effectiveBits() == 16);

    const auto fine = measure (test::sine (48000.0, 1, 1.0, 1000.0, -6.0), 48000.0);
    CHECK (fine.effectiveBits() == 25); // float data finer than 24 bits
}

TEST_CASE ("Edges: where the music starts and ends, and how abruptly", "[analysis][levels]")
{
    const double rate = 48000.0;
    test::Buffer b (2, (int) rate * 4);
    b.clear();
    const auto tone = test::sine (rate, 2, 2.0, 440.0, -6.0);
    b.copyFrom (0, (int) rate, tone, 0, 0, tone.getNumSamples());
    b.copyFrom (1, (int) rate, tone, 1, 0, tone.getNumSamples());
    const auto s = measure (b, rate);
    CHECK (s.firstAudibleSample() == Approx (rate).margin (2));
    CHECK (s.lastAudibleSample() == Approx (3 * rate).margin (2));
    CHECK (s.headPeak() == 0.0f);
    CHECK (s.tailPeak() == 0.0f);

    const auto abrupt = measure (tone, rate);
    CHECK (abrupt.headPeak() > 0.4f);
    CHECK (abrupt.tailPeak() > 0.4f);
}

TEST_CASE ("Non-finite samples are counted, located and silenced", "[analysis][levels]")
{
    std::vector<float> x (100, 0.25f);
    x[10] = std::numeric_limits<float>::quiet_NaN();
    x[20] = std::numeric_limits<float>::infinity();
    x[30] = -std::numeric_limits<float>::infinity();
    int first = -1;
    CHECK (SampleStatistics::replaceNonFinite (x.data(), 100, &first) == 3);
    CHECK (first == 10);
    CHECK (x[10] == 0.0f);
    CHECK (x[30] == 0.0f);
    CHECK (x[11] == 0.25f);
}
