// EBU Tech 3342 (loudness range), cases 1-4, at 44.1, 48 and 96 kHz: +/-1 LU.

#include "TestSignals.h"
#include "analysis/LoudnessMeter.h"

#include <catch2/catch.hpp>

using namespace crest;

namespace
{
    double rangeOf (const std::vector<std::pair<double, double>>& segments, double rate)
    {
        const auto b = test::toneSequence (rate, segments);
        analysis::LoudnessMeter meter;
        meter.prepare (rate, 2);
        const float* pointers[] = { b.getReadPointer (0), b.getReadPointer (1) };
        meter.process (pointers, b.getNumSamples());
        return meter.loudnessRangeLu().value_or (-1.0);
    }
} // namespace

TEST_CASE ("Tech 3342 cases 1 to 4", "[analysis][loudness][tech3342]")
{
    for (double rate : { 44100.0, 48000.0, 96000.0 })
    {
        INFO ("rate " << rate);
        CHECK (rangeOf ({ { 20.0, -20.0 }, { 20.0, -30.0 } }, rate) == Approx (10.0).margin (1.0));
        CHECK (rangeOf ({ { 20.0, -20.0 }, { 20.0, -15.0 } }, rate) == Approx (5.0).margin (1.0));
        CHECK (rangeOf ({ { 20.0, -40.0 }, { 20.0, -20.0 } }, rate) == Approx (20.0).margin (1.0));
        CHECK (rangeOf ({ { 20.0, -50.0 }, { 20.0, -35.0 }, { 20.0, -20.0 }, { 20.0, -35.0 }, { 20.0, -50.0 } }, rate)
               == Approx (15.0).margin (1.0));
    }
}

TEST_CASE ("A steady tone has no loudness range", "[analysis][loudness][tech3342]")
{
    CHECK (rangeOf ({ { 30.0, -20.0 } }, 48000.0) == Approx (0.0).margin (0.02));
}

TEST_CASE ("The gating histogram's percentiles follow the rank rule", "[analysis][loudness]")
{
    analysis::LoudnessHistogram h;
    // 100 blocks at -30 .. -20.1 LUFS in 0.1 LU steps: the 10th percentile by rank
    // round(99 * 0.1) = 10 is -29.0 and the 95th, rank round(99 * 0.95) = 94, is -20.6.
    for (int i = 0; i < 100; ++i)
        h.add (analysis::lufsToEnergy (-30.0 + 0.1 * i));
    CHECK (*h.loudnessRange() == Approx (8.4).margin (0.011));
    CHECK (h.size() == 100);

    h.add (analysis::lufsToEnergy (-75.0)); // under the absolute gate
    CHECK (h.size() == 100);
}
