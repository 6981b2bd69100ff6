// analyseFile on one thread and on two: the same analysis, bit for bit.

#include "TestSignals.h"
#include "engine/FileAnalysis.h"

#include <catch2/catch.hpp>

#include <cstring>

using namespace crest;

TEST_CASE ("analyseFile gives the same figures on one thread and on two", "[engine][analysis][threads]")
{
    const auto dir = test::tempDir();
    const auto path = test::writeWav (dir + "/music.wav", test::musicLike (48000.0, 12.5), 48000.0, 32);

    std::string error;
    const auto one = engine::analyseFile (path, error, {}, nullptr, engine::AnalysisThreads::one);
    const auto two = engine::analyseFile (path, error, {}, nullptr, engine::AnalysisThreads::automatic);
    REQUIRE (one.has_value());
    REQUIRE (two.has_value());

    const auto& a = one->analysis;
    const auto& b = two->analysis;
    CHECK (a.integratedLufs == b.integratedLufs);
    CHECK (a.loudnessRangeLu == b.loudnessRangeLu);
    CHECK (a.truePeakPerChannel == b.truePeakPerChannel);
    CHECK (a.rmsPerChannel == b.rmsPerChannel);
    CHECK (a.correlation == b.correlation);
    REQUIRE (a.truePeakSeries.size() == 125);
    REQUIRE (b.truePeakSeries.size() == 125);
    CHECK (std::memcmp (a.truePeakSeries.data(), b.truePeakSeries.data(), 125 * sizeof (float)) == 0);
    CHECK (a.spectrum.averageSpectrumDb() == b.spectrum.averageSpectrumDb());
    CHECK (engine::usableCores() >= 1);
}
