// The live chain: changes while audio plays, with no allocation on the audio thread, no
// clicks, and a loudness-matched, time-aligned bypass-compare.

#include "ChainReorderRun.h"
#include "ModuleTestHelpers.h"
#include "live/ChainHost.h"
#include "engine/ModuleRegistry.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

using namespace crest;

namespace
{
    /** One module of every registered type, in registry order, rotated by `shift`. */
    engine::ChainDescription everyModule (size_t shift)
    {
        engine::ChainDescription chain;
        const auto& types = engine::moduleTypes();
        for (size_t i = 0; i < types.size(); ++i)
        {
            const auto& t = types[(i + shift) % types.size()];
            chain.modules.push_back ({ t.type + "-1", t.type, false, {} });
        }
        return chain;
    }

    /** Largest sample-to-sample step, as a click detector. */
    float largestStep (const test::Buffer& b, int start, int end)
    {
        float worst = 0.0f;
        for (int c = 0; c < b.getNumChannels(); ++c)
            for (int i = start + 1; i < end; ++i)
                worst = std::max (worst, std::abs (b.getSample (c, i) - b.getSample (c, i - 1)));
        return worst;
    }
} // namespace

TEST_CASE ("The audio thread allocates nothing while the chain is reordered under it", "[live][engine][chain][realtime]")
{
    const double rate = 48000.0;
    const int block = 256;
    live::ChainHost host;
    host.prepare (rate, block);
    std::string error;
    REQUIRE (host.setChain (everyModule (0), error));

    const auto programme = test::musicLike (rate, 6.0);
    const auto run = test::playWhileReordering (host, programme, block, everyModule, 12, 2000);
    CHECK (run.changes == 12);
    CHECK (run.allocations == 0);
}

TEST_CASE ("Swapping chains crossfades without a click", "[live][engine][chain]")
{
    const double rate = 48000.0;
    const int block = 480;
    live::ChainHost host;
    host.prepare (rate, block);
    std::string error;

    engine::ChainDescription quiet, loud;
    quiet.modules.push_back ({ "g", "utility", false, { { "gain_db", -12.0f } } });
    loud.modules.push_back ({ "g", "utility", false, { { "gain_db", 0.0f }, { "invert_left", 1.0f } } });
    REQUIRE (host.setChain (quiet, error));

    // A low sine: any discontinuity would stand out far above its natural step size.
    auto signal = test::sine (rate, 2, 2.0, 100.0, -6.0);
    const float naturalStep = 2.0f * 3.14159f * 100.0f / (float) rate * 0.5f;
    for (int offset = 0; offset < signal.getNumSamples(); offset += block)
    {
        if (offset == block * 50)
            REQUIRE (host.setChain (loud, error));
        host.process (signal.getWritePointer (0, offset), signal.getWritePointer (1, offset), block);
    }
    // A 30 ms crossfade from -12 dB to an inverted 0 dB: steps stay near the sine's own.
    CHECK (largestStep (signal, 0, signal.getNumSamples()) < naturalStep * 4.0f);
    host.collectGarbage();
}

TEST_CASE ("Bypass-compare is loudness-matched and time-aligned", "[live][engine][chain]")
{
    const double rate = 48000.0;
    const int block = 512;
    live::ChainHost host;
    host.prepare (rate, block);
    std::string error;
    engine::ChainDescription louder;
    louder.modules.push_back ({ "g", "utility", false, { { "gain_db", 6.0f } } });
    REQUIRE (host.setChain (louder, error));

    const auto noise = test::pinkNoise (rate, 2, 8.0, -26.0);
    auto out = noise;
    for (int offset = 0; offset < out.getNumSamples(); offset += block)
    {
        if (offset == (int) rate * 5)
            host.setCompareUnprocessed (true);
        host.process (out.getWritePointer (0, offset), out.getWritePointer (1, offset), block);
    }
    CHECK (host.matchGainDb() == Approx (6.0).margin (0.05));
    // After the switch (and the ramps), the unprocessed signal plays at the processed level.
    const int start = (int) rate * 6;
    CHECK (test::rmsDb (out, 0, start, (int) rate) == Approx (test::rmsDb (noise, 0, start, (int) rate) + 6.0).margin (0.1));
    CHECK (test::differenceDb (out, noise, start, (int) rate) > -200.0); // it is the source, scaled, not silence

    host.setLoudnessMatch (false);
    for (int offset = 0; offset < (int) rate; offset += block)
        host.process (out.getWritePointer (0, offset), out.getWritePointer (1, offset), block);
    CHECK (host.matchGainDb() == 0.0f);
}

TEST_CASE ("The unprocessed signal is time-aligned with a chain that has latency", "[live][engine][chain]")
{
    const double rate = 44100.0;
    const int block = 300;
    live::ChainHost host;
    host.prepare (rate, block);
    std::string error;
    engine::ChainDescription limiter;
    limiter.modules.push_back ({ "lim", "limiter", false, {} });
    REQUIRE (host.setChain (limiter, error));
    host.setLoudnessMatch (false);
    host.setCompareUnprocessed (true);

    // Quiet noise: the limiter leaves it alone, so processed and unprocessed are the same
    // signal and a misaligned compare path would show as a difference.
    const auto noise = test::whiteNoise (rate, 2, 2.0, -30.0);
    auto out = noise;
    for (int offset = 0; offset + block <= out.getNumSamples(); offset += block)
        host.process (out.getWritePointer (0, offset), out.getWritePointer (1, offset), block);

    const int latency = host.latencySamples();
    CHECK (latency > 0);
    const int start = (int) rate;
    CHECK (test::differenceDb (noise, out, start, (int) rate / 2, latency) < -120.0);
}
