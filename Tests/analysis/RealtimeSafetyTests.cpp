// The meters will run on the audio thread: after prepare() they must not allocate.
// (Locks and I/O are absent by construction: the meters hold no mutex and no file.)

#include "AllocationCounter.h"
#include "TestSignals.h"
#include "analysis/LoudnessMeter.h"
#include "analysis/SampleStatistics.h"
#include "analysis/SpectrumAnalyser.h"
#include "analysis/StereoFieldMeter.h"
#include "analysis/TruePeakMeter.h"

#include <catch2/catch.hpp>

using namespace crest;

TEST_CASE ("Meters allocate nothing after prepare", "[analysis][realtime]")
{
    const double rate = 48000.0;
    const auto programme = test::musicLike (rate, 8.0);

    analysis::LoudnessMeter loudness;
    analysis::TruePeakMeter truePeak;
    analysis::SampleStatistics statistics;
    analysis::StereoFieldMeter stereo;
    analysis::SpectrumAnalyser spectrum;
    loudness.prepare (rate, 2);
    truePeak.prepare (rate, 2);
    statistics.prepare (rate, 2);
    stereo.prepare (rate);
    spectrum.prepare (rate, 2);

    test::AllocationCounter allocations;
    for (int block : { 64, 256, 480, 1024 })
    {
        for (int offset = 0; offset + block <= programme.getNumSamples(); offset += block)
        {
            const float* p[] = { programme.getReadPointer (0, offset), programme.getReadPointer (1, offset) };
            loudness.process (p, block);
            truePeak.process (p, block);
            statistics.process (p, block);
            stereo.process (p[0], p[1], block);
            spectrum.process (p, block);
            const auto snapshot = loudness.getSnapshot();
            (void) snapshot;
            (void) truePeak.takeRecentPeak (0);
        }
    }
    CHECK (allocations.count() == 0);
    CHECK (loudness.integratedLufs().has_value());
}

TEST_CASE ("The allocation counter sees allocations", "[analysis][realtime]")
{
    test::AllocationCounter allocations;
    auto* leak = new std::vector<int> (100);
    delete leak;
    CHECK (allocations.count() == 2);
}
