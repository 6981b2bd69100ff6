// Solo-the-change: hearing only what one module adds or removes, aligned and level-matched.

#include "AllocationCounter.h"
#include "TestSignals.h"
#include "engine/ProcessingChain.h"

#include <catch2/catch.hpp>

#include <cmath>

using namespace crest;

namespace
{
engine::ChainDescription utilityThenLimiter (std::vector<std::pair<std::string, float>> utilityParams)
{
    engine::ChainDescription chain;
    chain.modules.push_back ({ "trim", "utility", false, std::move (utilityParams) });
    // A limiter that never acts on a -20 dBFS signal: a pure delay of its look-ahead.
    chain.modules.push_back ({ "safety", "limiter", false, { { "ceiling_dbtp", 0.0f }, { "lookahead_ms", 5.0f } } });
    return chain;
}

/** Runs the chain over the input in blocks, calling `beforeBlock (sampleIndex)` first. */
template <typename Hook>
test::Buffer runChain (engine::ProcessingChain& chain, const test::Buffer& input, int block, Hook&& beforeBlock)
{
    test::Buffer io (input);
    for (int start = 0; start < io.getNumSamples(); start += block)
    {
        const int n = std::min (block, io.getNumSamples() - start);
        beforeBlock (start);
        chain.process (io.getWritePointer (0, start), io.getWritePointer (1, start), n);
    }
    return io;
}
} // namespace

TEST_CASE ("Solo-the-change plays what a module changes, aligned with the chain's latency", "[live][engine][chain][solo]")
{
    const double rate = 48000.0;
    const auto input = test::whiteNoise (rate, 2, 2.0, -20.0);
    std::string error;
    auto chain = engine::ProcessingChain::build (utilityThenLimiter ({ { "invert_left", 1.0f } }), rate, 512, error);
    REQUIRE (chain != nullptr);
    const int latency = chain->latencySamples();
    REQUIRE (latency > 0);

    // Inverting the left polarity changes nothing in level, so the change is exactly -2x on
    // the left and nothing on the right, arriving when the chain's output would.
    chain->setSoloChange (0);
    const auto out = runChain (*chain, input, 512, [] (int) {});
    CHECK (chain->latencySamples() == latency);

    const int settled = (int) rate / 2; // well past the 10 ms switch
    double worstLeft = 0.0, worstRight = 0.0;
    for (int i = settled; i < out.getNumSamples(); ++i)
    {
        worstLeft = std::max (worstLeft, (double) std::abs (out.getSample (0, i) + 2.0f * input.getSample (0, i - latency)));
        worstRight = std::max (worstRight, (double) std::abs (out.getSample (1, i)));
    }
    CHECK (worstLeft < 1e-5);
    CHECK (worstRight < 1e-6);
}

TEST_CASE ("Solo-the-change is level-matched: a pure gain change is silence", "[live][engine][chain][solo]")
{
    const double rate = 44100.0;
    const auto input = test::pinkNoise (rate, 2, 6.0, -20.0);
    std::string error;
    auto chain = engine::ProcessingChain::build (utilityThenLimiter ({ { "gain_db", 6.0f } }), rate, 256, error);
    REQUIRE (chain != nullptr);
    chain->setSoloChange (0);
    const auto out = runChain (*chain, input, 256, [] (int) {});

    // After the level match has settled (a few seconds), the make-up gain is not heard.
    double in = 0.0, residue = 0.0;
    for (int i = (int) (4 * rate); i < out.getNumSamples(); ++i)
    {
        in += (double) input.getSample (0, i) * input.getSample (0, i);
        residue += (double) out.getSample (0, i) * out.getSample (0, i);
    }
    const double residueDb = 10.0 * std::log10 (residue / in);
    INFO ("residue " << residueDb << " dB relative to the input");
    CHECK (residueDb < -40.0);
}

TEST_CASE ("Solo-the-change switches without clicks or allocation and returns to the chain exactly", "[live][engine][chain][solo][realtime]")
{
    const double rate = 48000.0;
    const auto input = test::sine (rate, 2, 3.0, 440.0, -20.0);
    std::string error;
    const auto description = utilityThenLimiter ({ { "invert_left", 1.0f } });
    auto soloed = engine::ProcessingChain::build (description, rate, 480, error);
    auto plain = engine::ProcessingChain::build (description, rate, 480, error);
    REQUIRE (soloed != nullptr);
    REQUIRE (plain != nullptr);

    test::Buffer warm (2, 480);
    warm.clear(); // juce::AudioBuffer leaves new memory uninitialised
    soloed->process (warm.getWritePointer (0), warm.getWritePointer (1), 480);
    plain->process (warm.getWritePointer (0), warm.getWritePointer (1), 480);

    test::AllocationCounter counter;
    const auto out = runChain (*soloed, input, 480,
                               [&] (int start)
                               {
                                   if (start == 480 * 50)
                                       soloed->setSoloChange (0);
                                   if (start == 480 * 150)
                                       soloed->setSoloChange (-1);
                               });
    const auto allocations = counter.count();
    CHECK (allocations == 0);

    const auto reference = runChain (*plain, input, 480, [] (int) {});
    // Off again: identical to a chain that was never soloed.
    double worstAfter = 0.0;
    for (int i = 480 * 200; i < out.getNumSamples(); ++i)
        for (int c = 0; c < 2; ++c)
            worstAfter = std::max (worstAfter, (double) std::abs (out.getSample (c, i) - reference.getSample (c, i)));
    CHECK (worstAfter == 0.0);

    // No step larger than the 440 Hz sine's own (at most -2x amplitude during the solo) plus
    // what a 10 ms ramp can add per sample.
    const double amplitude = test::dbToGain (-20.0);
    const double sineStep = 3.0 * amplitude * 2.0 * M_PI * 440.0 / rate;
    double worstStep = 0.0;
    for (int i = 1; i < out.getNumSamples(); ++i)
        worstStep = std::max (worstStep, (double) std::abs (out.getSample (0, i) - out.getSample (0, i - 1)));
    CHECK (worstStep < sineStep + 3.0 * amplitude / (0.01 * rate));
}
