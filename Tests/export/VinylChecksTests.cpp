// Vinyl pre-master checks on crafted signals: each fault raises its own finding and only
// that one; a clean side raises none; the side's WAV is 24-bit (checked with sox).

#include "AllocationCounter.h"
#include "BufferStream.h"
#include "export/VinylChecks.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <set>

using namespace crest;

namespace
{
constexpr double rate = 44100.0;
constexpr double pi = 3.14159265358979323846;

/** Stereo tones: each entry is (Hz, peak dBFS, phase of the right channel in degrees). */
test::Buffer tones (double seconds, const std::vector<std::tuple<double, double, double>>& parts)
{
    const int n = (int) (seconds * rate);
    test::Buffer b (2, n);
    b.clear();
    for (const auto& [hz, db, rightPhase] : parts)
    {
        const double a = test::dbToGain (db);
        for (int i = 0; i < n; ++i)
        {
            const double w = 2.0 * pi * hz * i / rate;
            b.addSample (0, i, (float) (a * std::sin (w)));
            b.addSample (1, i, (float) (a * std::sin (w + rightPhase * pi / 180.0)));
        }
    }
    // 100 ms fades, as programme has: an abrupt start is a step, with content at every frequency.
    const int fade = (int) (0.1 * rate);
    for (int c = 0; c < 2; ++c)
    {
        b.applyGainRamp (c, 0, fade, 0.0f, 1.0f);
        b.applyGainRamp (c, n - fade, fade, 1.0f, 0.0f);
    }
    return b;
}

std::set<std::string> checksOf (const test::Buffer& b, const session::VinylPlan& plan = {})
{
    delivery::VinylSideMeter meter;
    meter.prepare (rate, b.getNumChannels());
    for (int at = 0; at < b.getNumSamples(); at += 1000)
    {
        const int n = std::min (1000, b.getNumSamples() - at);
        const float* p[2] = { b.getReadPointer (0, at), b.getReadPointer (std::min (1, b.getNumChannels() - 1), at) };
        meter.process (p, n);
    }
    std::set<std::string> checks;
    for (const auto& f : delivery::vinylFindings (1, meter.finish(), plan))
    {
        INFO (f.message);
        CHECK (f.target == "vinyl");
        checks.insert (f.check);
    }
    return checks;
}

/** A clean side: mono bass, mids, a little air. */
test::Buffer cleanSide (double seconds)
{
    return tones (seconds, { { 80.0, -10.0, 0.0 }, { 1000.0, -14.0, 30.0 }, { 3000.0, -24.0, 90.0 } });
}
} // namespace

TEST_CASE ("Vinyl: a clean side raises no finding", "[export][vinyl]")
{
    CHECK (checksOf (cleanSide (5.0)).empty());
}

TEST_CASE ("Vinyl: out-of-phase bass raises negative correlation and not-mono", "[export][vinyl]")
{
    const auto checks = checksOf (tones (5.0, { { 80.0, -10.0, 180.0 }, { 1000.0, -14.0, 0.0 } }));
    CHECK (checks == std::set<std::string> { "low-correlation", "bass-not-mono" });
}

TEST_CASE ("Vinyl: wide but not inverted bass is not mono, without negative correlation", "[export][vinyl]")
{
    const auto checks = checksOf (tones (5.0, { { 60.0, -10.0, 90.0 }, { 1000.0, -14.0, 0.0 } }));
    CHECK (checks == std::set<std::string> { "bass-not-mono" });
}

TEST_CASE ("Vinyl: bursts of 7 kHz are sibilance", "[export][vinyl]")
{
    auto b = tones (4.0, { { 200.0, -20.0, 0.0 } });
    // Five 80 ms "s" sounds of band-limited noise around 7 kHz.
    const auto hiss = test::sine (rate, 2, 0.08, 7000.0, -8.0);
    for (int k = 0; k < 5; ++k)
        for (int c = 0; c < 2; ++c)
            b.addFrom (c, (int) ((0.5 + 0.7 * k) * rate), hiss, c, 0, hiss.getNumSamples());

    delivery::VinylSideMeter meter;
    meter.prepare (rate, 2);
    {
        const test::AllocationCounter allocations; // fixed memory, however long the side
        meter.process (b.getArrayOfReadPointers(), b.getNumSamples());
        CHECK (allocations.count() == 0);
    }
    const auto measured = meter.finish();
    CHECK (measured.sibilanceBursts == 5);
    CHECK (measured.firstSibilanceSeconds == Approx (0.5).margin (0.011));
    CHECK (checksOf (b) == std::set<std::string> { "sibilance" });
    CHECK (checksOf (tones (4.0, { { 200.0, -20.0, 0.0 } })).empty());
}

TEST_CASE ("Vinyl: sustained energy above 10 kHz is flagged", "[export][vinyl]")
{
    CHECK (checksOf (tones (3.0, { { 200.0, -12.0, 0.0 }, { 14000.0, -12.0, 0.0 } }))
        == std::set<std::string> { "high-frequency-energy" });
}

TEST_CASE ("Vinyl: content below 20 Hz is flagged", "[export][vinyl]")
{
    CHECK (checksOf (tones (5.0, { { 1000.0, -12.0, 0.0 }, { 12.0, -20.0, 0.0 } })) == std::set<std::string> { "subsonic" });
}

TEST_CASE ("Vinyl: side length against diameter and speed", "[export][vinyl]")
{
    session::VinylPlan lp; // 12-inch, 33 rpm
    session::VinylPlan single;
    single.diameterInches = 7;
    single.rpm = 45;
    const auto severityFor = [] (double minutes, const session::VinylPlan& plan) -> std::optional<delivery::Severity>
    {
        delivery::VinylMeasurements m;
        m.durationSeconds = minutes * 60.0;
        for (const auto& f : delivery::vinylFindings (1, m, plan))
            if (f.check == "side-length")
                return f.severity;
        return std::nullopt;
    };
    CHECK_FALSE (severityFor (17.0, lp));
    CHECK (severityFor (20.0, lp) == delivery::Severity::info);
    CHECK (severityFor (23.0, lp) == delivery::Severity::warning);
    CHECK (severityFor (25.0, lp) == delivery::Severity::error);
    CHECK_FALSE (severityFor (4.0, single));
    CHECK (severityFor (7.0, single) == delivery::Severity::error);
    session::VinylPlan odd;
    odd.diameterInches = 11;
    CHECK (severityFor (1.0, odd) == delivery::Severity::error);
}

TEST_CASE ("Vinyl sides come from the plan's side starts", "[export][vinyl]")
{
    session::VinylPlan plan;
    plan.sideStarts = { 0, 3, 5 };
    std::string error;
    const auto sides = delivery::vinylSides (plan, 8, error);
    REQUIRE (sides.size() == 3);
    CHECK (sides[0].letter == 'A');
    CHECK (sides[0].lastTrack == 2);
    CHECK (sides[1].firstTrack == 3);
    CHECK (sides[1].lastTrack == 4);
    CHECK (sides[2].letter == 'C');
    CHECK (sides[2].lastTrack == 7);

    plan.sideStarts = { 0, 4, 4 };
    CHECK (delivery::vinylSides (plan, 8, error).empty());
    CHECK (error.find ("side C") != std::string::npos);
    plan.sideStarts = { 0, 9 };
    CHECK (delivery::vinylSides (plan, 8, error).empty());
}

TEST_CASE ("A vinyl side is written as a 24-bit WAV and measured in the same pass", "[export][vinyl]")
{
    const auto dir = test::tempDir();
    const auto side = cleanSide (3.0);
    test::BufferStream stream (side, rate);
    std::string error;
    const auto measured = delivery::writeVinylSide (stream, dir + "/side-A.wav", error);
    INFO (error);
    REQUIRE (measured);
    CHECK (measured->durationSeconds == Approx (3.0));
    if (test::haveProgram ("sox"))
    {
        const auto [status, out] = test::run ("sox --i " + test::quote (dir + "/side-A.wav"));
        INFO (out);
        CHECK (out.find ("24-bit") != std::string::npos);
        CHECK (out.find ("44100") != std::string::npos);
    }
    CHECK (juce::File (dir).getNumberOfChildFiles (juce::File::findFiles) == 1);
}
