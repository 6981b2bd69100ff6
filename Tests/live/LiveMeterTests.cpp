// The meter bridge's numbers: a live meter point against EBU Tech 3341 levels, true-peak hold
// and clip latch, PPM ballistics, the spectrum's calibration and slope, and the lock-free
// snapshot hand-over under concurrent writing and reading.

#include "TestSignals.h"
#include "live/LiveMeter.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <cmath>
#include <memory>
#include <thread>

using namespace crest;

namespace
{
constexpr double rate = 48000.0;
constexpr int block = 256;

/** Meters a buffer block by block; calls `each` with every published snapshot. */
template <typename Each>
void meter (live::LiveMeter& m, live::MeterSnapshotBuffer& out, const test::Buffer& b, Each&& each)
{
    live::MeterSnapshot s;
    for (int i = 0; i + block <= b.getNumSamples(); i += block)
    {
        m.process (b.getReadPointer (0, i), b.getReadPointer (1, i), block, out);
        if (out.read (s))
            each (s);
    }
}

int nearestFinePoint (float hz)
{
    int best = 0;
    for (int p = 0; p < live::MeterSnapshot::fineSpectrumSize; ++p)
        if (std::abs (std::log (live::MeterSnapshot::fineSpectrumFrequency (p) / hz))
            < std::abs (std::log (live::MeterSnapshot::fineSpectrumFrequency (best) / hz)))
            best = p;
    return best;
}
} // namespace

TEST_CASE ("A live meter point reads a -20 dBFS 1 kHz sine as every meter should", "[live][meters]")
{
    live::LiveMeter m;
    m.prepare (rate, block);
    auto out = std::make_unique<live::MeterSnapshotBuffer>();
    live::MeterSnapshot last;
    int snapshots = 0;
    meter (m, *out, test::sine (rate, 2, 6.0, 1000.0, -20.0),
        [&] (const live::MeterSnapshot& s)
        {
            last = s;
            ++snapshots;
        });

    CHECK (snapshots > 6 * 45); // about 60 a second (every 1/60 s rounded up to whole blocks)
    REQUIRE (last.momentaryLufs);
    REQUIRE (last.shortTermLufs);
    REQUIRE (last.integratedLufs);
    // EBU Tech 3341 case 1 scaled: a stereo 1 kHz sine's loudness equals its peak level in dBFS.
    CHECK (*last.momentaryLufs == Approx (-20.0).margin (0.1));
    CHECK (*last.shortTermLufs == Approx (-20.0).margin (0.1));
    CHECK (*last.integratedLufs == Approx (-20.0).margin (0.1));
    REQUIRE (last.loudnessRangeLu);
    CHECK (*last.loudnessRangeLu < 0.1);
    for (int c = 0; c < 2; ++c)
    {
        CHECK (last.samplePeakDb[(size_t) c] == Approx (-20.0).margin (0.05));
        CHECK (last.truePeakDb[(size_t) c] == Approx (-20.0).margin (0.1));
        CHECK (last.truePeakHoldDb[(size_t) c] == Approx (-20.0).margin (0.1));
        CHECK (last.truePeakMaxDb[(size_t) c] == Approx (-20.0).margin (0.1));
        CHECK (last.ppmDb[(size_t) c] == Approx (-20.0).margin (0.6));
        CHECK (! last.clipped[(size_t) c]);
    }
    REQUIRE (last.plrDb);
    CHECK (*last.plrDb == Approx (0.0).margin (0.2));
    REQUIRE (last.correlation);
    CHECK (*last.correlation == Approx (1.0).margin (1.0e-4));
    for (const auto& point : last.goniometer)
        REQUIRE (point.left == point.right);

    // Spectrum: full-scale-sine calibration, in the fine points and in the 1 kHz band (ISO index 17).
    CHECK (last.fineSpectrumDb[(size_t) nearestFinePoint (1000.0f)] == Approx (-20.0).margin (1.0));
    CHECK (last.fineSpectrumDb[(size_t) nearestFinePoint (100.0f)] < -90.0f);
    CHECK (last.thirdOctaveDb[17] == Approx (-20.0).margin (0.5));
    CHECK (last.thirdOctaveDb[7] < -90.0f);
    CHECK (last.thirdOctavePeakDb[17] >= last.thirdOctaveDb[17]);

    // History: 10 entries a second, the newest last; before the start, no reading.
    const auto h = live::MeterSnapshot::historySize;
    CHECK (last.shortTermHistory[(size_t) h - 1] == Approx (-20.0).margin (0.1));
    CHECK (last.momentaryHistory[(size_t) h - 1] == Approx (-20.0).margin (0.1));
    CHECK (last.momentaryHistory[(size_t) h - 100] == live::MeterSnapshot::noReading);
}

TEST_CASE ("True-peak hold holds for two seconds, and the clip flag latches on inter-sample overs", "[live][meters]")
{
    live::LiveMeter m;
    m.prepare (rate, block);
    auto out = std::make_unique<live::MeterSnapshotBuffer>();

    // EBU Tech 3341 case 19: fs/4 at 1.41 FS, 45 degrees: samples under full scale, true peak +3 dBTP.
    auto over = test::truePeakCase (19, rate);
    over.setSize (2, (int) (0.5 * rate), true);
    test::Buffer quiet (2, (int) (3.0 * rate));
    quiet.clear();

    live::MeterSnapshot s;
    meter (m, *out, over, [&] (const live::MeterSnapshot& x) { s = x; });
    CHECK (s.samplePeakDb[0] < 0.0f);
    CHECK (s.truePeakDb[0] == Approx (3.0).margin (0.2));
    CHECK (s.clipped[0]);

    std::vector<float> holdAt;
    meter (m, *out, quiet,
        [&] (const live::MeterSnapshot& x)
        {
            holdAt.push_back (x.truePeakHoldDb[0]);
            s = x;
        });
    const size_t perSecond = holdAt.size() / 3;
    CHECK (holdAt[perSecond] == Approx (3.0).margin (0.2)); // 1 s later: still held
    CHECK (holdAt[perSecond * 5 / 2] == live::MeterSnapshot::noReading); // 2.5 s later: fallen to silence
    CHECK (s.clipped[0]); // the latch stays
    CHECK (s.truePeakMaxDb[0] == Approx (3.0).margin (0.2));

    m.requestReset();
    meter (m, *out, quiet, [&] (const live::MeterSnapshot& x) { s = x; });
    CHECK (! s.clipped[0]);
    CHECK (s.truePeakMaxDb[0] == live::MeterSnapshot::noReading);

    // A -1 dBTP clip threshold (a streaming ceiling) flags a -0.5 dBFS sine.
    m.setClipThreshold (-1.0f);
    meter (m, *out, test::sine (rate, 2, 0.5, 997.0, -0.5), [&] (const live::MeterSnapshot& x) { s = x; });
    CHECK (s.clipped[0]);
    CHECK (s.clipThresholdDbtp == -1.0f);
}

TEST_CASE ("The PPM has Type I ballistics: a 10 ms burst reads -1 dB, then it falls 20 dB in 1.5 s", "[live][meters]")
{
    live::LiveMeter m;
    m.prepare (rate, block);
    auto out = std::make_unique<live::MeterSnapshotBuffer>();
    auto burst = test::sine (rate, 2, 0.01, 5000.0, 0.0);
    test::Buffer programme (2, (int) (2.0 * rate));
    programme.clear();
    programme.copyFrom (0, 0, burst, 0, 0, burst.getNumSamples());
    programme.copyFrom (1, 0, burst, 1, 0, burst.getNumSamples());

    float highest = -200.0f, atOneAndAHalf = 0.0f;
    int64_t highestAt = 0;
    meter (m, *out, programme,
        [&] (const live::MeterSnapshot& s)
        {
            if (s.ppmDb[0] > highest)
            {
                highest = s.ppmDb[0];
                highestAt = s.samplesMetered;
            }
            if (atOneAndAHalf == 0.0f && s.samplesMetered >= highestAt + (int64_t) (1.5 * rate) && highestAt > 0)
                atOneAndAHalf = s.ppmDb[0];
        });
    CHECK (highest == Approx (-1.0).margin (0.5));
    CHECK (atOneAndAHalf - highest == Approx (-20.0).margin (0.6));
}

TEST_CASE ("The spectrum's slope tilts about 1 kHz, and averaging smooths", "[live][meters]")
{
    live::LiveMeter m;
    m.prepare (rate, block);
    m.setSpectrumOptions (0.0f, 3.0f, 12.0f);
    auto out = std::make_unique<live::MeterSnapshotBuffer>();
    auto tone = test::sine (rate, 2, 1.0, 4000.0, -20.0);
    live::MeterSnapshot s;
    meter (m, *out, tone, [&] (const live::MeterSnapshot& x) { s = x; });
    // 4 kHz is two octaves above 1 kHz: +6 dB at 3 dB/octave. Band index 23 is 3981 Hz.
    CHECK (s.thirdOctaveDb[23] == Approx (-14.0).margin (0.5));
}

TEST_CASE ("Meter snapshots hand over whole, never torn, while written and read at once", "[live][meters]")
{
    auto buffer = std::make_unique<live::MeterSnapshotBuffer>();
    std::atomic<bool> running { true };
    std::thread writer (
        [&]
        {
            uint64_t n = 0;
            while (running.load())
            {
                auto& s = buffer->writeSlot();
                ++n;
                s.sequence = n;
                s.samplesMetered = (int64_t) n;
                s.fineSpectrumDb.fill ((float) n);
                s.shortTermHistory.fill ((float) n);
                s.goniometer.fill ({ (float) n, -(float) n });
                buffer->publish();
            }
        });

    live::MeterSnapshot s;
    int reads = 0, torn = 0;
    uint64_t previous = 0;
    bool ordered = true;
    // Enough reads to matter, however busy the machine (two shared cores).
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds (5);
    while (reads < 500 && std::chrono::steady_clock::now() < until)
    {
        if (! buffer->read (s))
            continue;
        ++reads;
        const auto v = (float) s.sequence;
        if (s.samplesMetered != (int64_t) s.sequence || s.fineSpectrumDb.front() != v || s.fineSpectrumDb.back() != v
            || s.shortTermHistory[900] != v || s.goniometer.back().right != -v)
            ++torn;
        ordered = ordered && s.sequence > previous;
        previous = s.sequence;
    }
    running.store (false);
    writer.join();
    CHECK (reads > 100);
    CHECK (torn == 0);
    CHECK (ordered);
}
