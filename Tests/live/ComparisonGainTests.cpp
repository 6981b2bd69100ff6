// The version comparison's monitor gain: it lands where asked, ramps without a step (no click),
// and adds to the platform preview's gain.

#include "live/MonitorPath.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

using namespace crest;

TEST_CASE ("The comparison gain ramps to its level on the monitor without a step", "[live][compare]")
{
    constexpr double rate = 48000.0;
    constexpr int block = 256;
    live::MonitorPath monitor;
    monitor.prepare (rate, block);
    live::MasterReading master;

    std::vector<float> gains;
    auto run = [&] (int blocks)
    {
        std::vector<float> l (block), r (block);
        for (int b = 0; b < blocks; ++b)
        {
            std::fill (l.begin(), l.end(), 0.5f);
            std::fill (r.begin(), r.end(), 0.5f);
            monitor.process (l.data(), r.data(), block, master);
            for (float v : l)
                gains.push_back (v / 0.5f);
        }
    };
    run (4);
    CHECK (gains.back() == Approx (1.0f));
    monitor.setComparisonGain (-1.5f);
    run (20); // 50 ms is under 10 blocks
    CHECK (20.0 * std::log10 (gains.back()) == Approx (-1.5).margin (1e-3));

    // No step larger than a 50 ms linear ramp's: the switch does not click.
    float largest = 0.0f;
    for (size_t i = 1; i < gains.size(); ++i)
        largest = std::max (largest, std::abs (gains[i] - gains[i - 1]));
    CHECK (largest < 1.0f / (0.05f * (float) rate)); // 1.5 dB over 2400 samples

    // With a platform preview the two add.
    master.integratedLufs = -20.0f;
    master.truePeakDb = -10.0f;
    monitor.setPlatformPreview (live::Platform::spotify, -14.0, -1.0);
    run (20);
    CHECK (20.0 * std::log10 (gains.back()) == Approx (6.0 - 1.5).margin (1e-3));
    monitor.setComparisonGain (0.0f);
    run (20);
    CHECK (20.0 * std::log10 (gains.back()) == Approx (6.0).margin (1e-3));
}
