#include "AllocationCounter.h"
#include "engine/ModuleIds.h"
#include "engine/ModuleRegistry.h"
#include "engine/ProcessingChain.h"

#include <catch2/catch.hpp>

#include <vector>

using namespace crest::engine;

namespace
{
ChainDescription threeModules()
{
    ChainDescription d;
    d.modules.push_back ({ "tone", ids::types::equaliser, false, {} });
    d.modules.push_back ({ "glue", ids::types::compressor, false, {} });
    d.modules.push_back ({ "ceiling", ids::types::limiter, false, {} });
    return d;
}

/** Every parameter value of every module, in order. */
std::vector<float> allValues (const ProcessingChain& chain)
{
    std::vector<float> values;
    for (size_t m = 0; m < chain.size(); ++m)
        for (const auto& p : chain.module (m).parameters())
            values.push_back (p->get());
    return values;
}

/** Moves every parameter away from its default (to its other end of the range), so that a
    rescan that rewrote parameters from a description would show. */
void moveEveryParameter (ProcessingChain& chain)
{
    for (size_t m = 0; m < chain.size(); ++m)
        for (const auto& p : chain.module (m).parameters())
            p->set (p->get() == p->spec().maximum ? p->spec().minimum : p->spec().maximum);
}
} // namespace

TEST_CASE ("A parameter change on a running chain sets exactly that parameter and no other", "[engine][chain][parameter]")
{
    std::string error;
    auto chain = ProcessingChain::build (threeModules(), 48000.0, 256, error);
    REQUIRE (chain != nullptr);
    moveEveryParameter (*chain);
    const auto before = allValues (*chain);

    const auto& table = findModuleType (ids::types::equaliser)->parameters;
    const auto index = (size_t) table.indexOf (ids::band (2, ids::equaliser::gain));
    ParameterChange change { "tone", 0, index, -4.5f };

    crest::test::AllocationCounter allocations;
    REQUIRE (chain->apply (change));
    CHECK (allocations.count() == 0);

    const auto after = allValues (*chain);
    REQUIRE (after.size() == before.size());
    int differing = 0;
    for (size_t i = 0; i < after.size(); ++i)
        if (after[i] != before[i])
            ++differing;
    CHECK (differing == 1);
    CHECK (chain->module (0).parameters()[index]->get() == -4.5f);
    CHECK (after[index] == -4.5f); // the EQ is first, so its indices are the flat indices

    // A value outside the range is constrained as the spec says.
    REQUIRE (chain->apply ({ "tone", 0, index, 99.0f }));
    CHECK (chain->module (0).parameters()[index]->get() == 24.0f);
}

TEST_CASE ("A parameter change that does not match the running chain changes nothing", "[engine][chain][parameter]")
{
    std::string error;
    auto chain = ProcessingChain::build (threeModules(), 48000.0, 256, error);
    REQUIRE (chain != nullptr);
    const auto before = allValues (*chain);

    // Another module at that position (the chain was reordered and not yet rebuilt).
    CHECK_FALSE (chain->apply ({ "glue", 0, 0, 1.0f }));
    // Out of range.
    CHECK_FALSE (chain->apply ({ "tone", 3, 0, 1.0f }));
    CHECK_FALSE (chain->apply ({ "tone", 0, 90, 1.0f }));
    // A latency-changing parameter needs a rebuild, not an atomic.
    const auto lookahead = (size_t) findModuleType (ids::types::limiter)->parameters.indexOf (ids::limiter::lookahead);
    CHECK_FALSE (chain->apply ({ "ceiling", 2, lookahead, 5.0f }));
    CHECK (allValues (*chain) == before);
}

TEST_CASE ("A running chain follows a description's values and bypasses, and refuses a structural difference",
    "[engine][chain][parameter]")
{
    std::string error;
    auto description = threeModules();
    auto chain = ProcessingChain::build (description, 48000.0, 256, error);
    REQUIRE (chain != nullptr);
    moveEveryParameter (*chain);

    // Values and bypass follow; parameters the description does not set return to defaults.
    description.modules[1].params.emplace_back (ids::compressor::ratio, 3.0f);
    description.modules[1].bypass = true;
    // The latency-changing parameters must match what the chain was built with.
    for (size_t m = 0; m < chain->size(); ++m)
        for (const auto& p : chain->module (m).parameters())
            if (p->spec().changesLatency)
                p->setToDefault();
    REQUIRE (chain->follow (description));
    CHECK (chain->module (1).findParameter (ids::compressor::ratio)->get() == 3.0f);
    CHECK (chain->module (1).findParameter (ids::compressor::threshold)->get()
        == chain->module (1).findParameter (ids::compressor::threshold)->spec().defaultValue);

    auto reordered = description;
    std::swap (reordered.modules[0], reordered.modules[1]);
    const auto before = allValues (*chain);
    CHECK_FALSE (chain->follow (reordered));
    auto relatched = description;
    relatched.modules[2].params.emplace_back (ids::limiter::lookahead, 6.0f);
    CHECK_FALSE (chain->follow (relatched));
    CHECK (allValues (*chain) == before);
}
