// Structural chain edits during playback, with latent modules in the chain: no gap, no click,
// an honest latency, and nothing allocated or locked on the audio thread (issue 10, item 4).

#include "AllocationCounter.h"
#include "LockCounter.h"
#include "ModuleTestHelpers.h"
#include "engine/ModuleIds.h"
#include "engine/ProcessingChain.h"
#include "live/ChainHost.h"

#include <catch2/catch.hpp>

#include <cmath>

using namespace crest;

namespace
{
    constexpr double rate = 48000.0;
    constexpr int block = 256;

    engine::ModuleDescription equaliser (bool linearPhase, bool bypass = false)
    {
        namespace eq = engine::ids::equaliser;
        return { "eq", engine::ids::types::equaliser, bypass,
                 { { eq::linearPhase, linearPhase ? 1.0f : 0.0f }, { engine::ids::band (1, eq::gain), 3.0f } } };
    }
    engine::ModuleDescription multiband() { return { "mb", engine::ids::types::multiband, false, {} }; }
    engine::ModuleDescription limiter() { return { "lim", engine::ids::types::limiter, false, {} }; }
    engine::ModuleDescription saturation() { return { "sat", engine::ids::types::saturation, false, {} }; }

    engine::ChainDescription chainOf (std::vector<engine::ModuleDescription> modules)
    {
        engine::ChainDescription chain;
        chain.modules = std::move (modules);
        return chain;
    }

    /** The base chain every edit starts from: linear-phase EQ, multiband, limiter. */
    engine::ChainDescription base() { return chainOf ({ equaliser (true), multiband(), limiter() }); }

    /** A chain run over the whole programme from its start, never interrupted. */
    test::Buffer uninterrupted (const engine::ChainDescription& description, const test::Buffer& input)
    {
        std::string error;
        auto chain = engine::ProcessingChain::build (description, rate, block, error);
        REQUIRE (chain != nullptr);
        auto out = input;
        for (int at = 0; at + block <= out.getNumSamples(); at += block)
            chain->process (out.getWritePointer (0, at), out.getWritePointer (1, at), block);
        return out;
    }

    double windowDb (const test::Buffer& b, int start, int length)
    {
        double sum = 0.0;
        for (int c = 0; c < 2; ++c)
            for (int i = start; i < start + length; ++i)
                sum += (double) b.getSample (c, i) * b.getSample (c, i);
        return 10.0 * std::log10 (sum / (2.0 * length) + 1e-30);
    }

    float largestStep (const test::Buffer& b, int start, int end)
    {
        float worst = 0.0f;
        for (int c = 0; c < 2; ++c)
            for (int i = start + 1; i < end; ++i)
                worst = std::max (worst, std::abs (b.getSample (c, i) - b.getSample (c, i - 1)));
        return worst;
    }
} // namespace

TEST_CASE ("Structural edits with latent modules crossfade without a gap or a click", "[live][chain][realtime]")
{
    struct Edit
    {
        const char* name;
        engine::ChainDescription after;
    };
    const std::vector<Edit> edits {
        { "add", chainOf ({ equaliser (true), multiband(), saturation(), limiter() }) },
        { "remove", chainOf ({ multiband(), limiter() }) },
        { "reorder", chainOf ({ multiband(), equaliser (true), limiter() }) },
        { "bypass", chainOf ({ equaliser (true, true), multiband(), limiter() }) },
        { "latency change", chainOf ({ equaliser (false), multiband(), limiter() }) },
    };

    const auto programme = test::musicLike (rate, 5.0);
    const auto before = uninterrupted (base(), programme);
    const int editAt = block * 300; // 1.6 s in: every envelope has settled
    const int window = (int) (0.005 * rate);

    for (const auto& edit : edits)
    {
        DYNAMIC_SECTION (edit.name)
        {
            const auto after = uninterrupted (edit.after, programme);

            live::ChainHost host;
            host.prepare (rate, block);
            std::string error;
            REQUIRE (host.setChain (base(), error));
            auto out = programme;
            int64_t allocations = 0, locks = 0;
            int heardFromNewAt = -1;
            for (int at = 0; at + block <= out.getNumSamples(); at += block)
            {
                if (at == editAt)
                    REQUIRE (host.setChain (edit.after, error));
                if (at >= block) // the first block touches the meters' memory once
                {
                    test::AllocationCounter counter;
                    test::LockCounter lockCounter;
                    host.process (out.getWritePointer (0, at), out.getWritePointer (1, at), block);
                    allocations += counter.count();
                    locks += lockCounter.count();
                }
                else
                    host.process (out.getWritePointer (0, at), out.getWritePointer (1, at), block);
                if (heardFromNewAt < 0 && at >= editAt && ! host.isChanging())
                    heardFromNewAt = at + block;
            }
            host.collectGarbage();
            CHECK (allocations == 0);
            CHECK (locks == 0);

            // The change completed (primed, then crossfaded) within half a second of the edit,
            // and the latency reported afterwards is the new chain's.
            REQUIRE (heardFromNewAt > 0);
            CHECK (heardFromNewAt - editAt < (int) (0.5 * rate));
            std::string e;
            CHECK (host.latencySamples() == engine::ProcessingChain::build (edit.after, rate, block, e)->latencySamples());

            // Before the edit the host plays the old chain; long after, the new chain exactly.
            CHECK (test::differenceDb (out, before, block * 200, block * 50) < -120.0);
            const int settled = heardFromNewAt + (int) (0.5 * rate);
            CHECK (test::differenceDb (out, after, settled, (int) (0.5 * rate)) < -60.0);

            // Through the change: no 5 ms window more than 3 dB below either uninterrupted render.
            double worstDip = -100.0;
            for (int w = editAt - window * 10; w + window <= heardFromNewAt + window * 20; w += window)
            {
                const double reference = std::min (windowDb (before, w, window), windowDb (after, w, window));
                if (reference > -70.0)
                    worstDip = std::max (worstDip, reference - windowDb (out, w, window));
            }
            CHECK (worstDip < 3.0);

            // ... and no step larger than the signal's own.
            const int from = editAt - block, to = heardFromNewAt + block * 10;
            const float ownStep = std::max (largestStep (before, from, to), largestStep (after, from, to));
            CHECK (largestStep (out, from, to) <= ownStep);
        }
    }
}

TEST_CASE ("A priming chain is heard only once it has caught up with its latency", "[live][chain]")
{
    // The linear-phase EQ alone: before the fix, a chain that gained this latency started with
    // 180 ms of silence. Primed from the history, its first heard block already carries audio.
    live::ChainHost host;
    host.prepare (rate, block);
    std::string error;
    REQUIRE (host.setChain (chainOf ({ equaliser (false) }), error));
    CHECK (host.latencySamples() == 0);
    const auto programme = test::musicLike (rate, 3.0);
    auto out = programme;
    const int editAt = block * 100;
    for (int at = 0; at + block <= out.getNumSamples(); at += block)
    {
        if (at == editAt)
            REQUIRE (host.setChain (chainOf ({ equaliser (true) }), error));
        host.process (out.getWritePointer (0, at), out.getWritePointer (1, at), block);
    }
    CHECK (host.latencySamples() > 8000);
    double quietest = 0.0;
    for (int w = editAt; w + block <= editAt + (int) (0.5 * rate); w += block)
        quietest = std::min (quietest, windowDb (out, w, block) - windowDb (programme, w, block));
    CHECK (quietest > -3.0);
}
