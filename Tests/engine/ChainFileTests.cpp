#include "TestSignals.h"
#include "engine/ChainFile.h"

#include <catch2/catch.hpp>

using namespace crest;
using engine::ChainFile::parse;

namespace
{
    std::string errorOf (const std::string& json)
    {
        try
        {
            parse (json, "test.json");
        }
        catch (const engine::ChainFileError& e)
        {
            return e.what();
        }
        return {};
    }
} // namespace

TEST_CASE ("A chain file is read with defaults for missing parameters", "[engine][chain]")
{
    const auto chain = parse (R"({"format": "crest-chain", "version": 1, "modules": [
        {"id": "trim", "type": "utility", "bypass": true, "params": {"gain_db": -3.5, "mono": true}},
        {"id": "fix", "type": "utility"}]})",
                              "test.json");
    REQUIRE (chain.modules.size() == 2);
    CHECK (chain.modules[0].id == "trim");
    CHECK (chain.modules[0].bypass);
    REQUIRE (chain.modules[0].params.size() == 2);
    CHECK (chain.modules[0].params[0] == std::make_pair (std::string ("gain_db"), -3.5f));
    CHECK (chain.modules[0].params[1].second == 1.0f);
    CHECK (chain.modules[1].params.empty());
}

TEST_CASE ("Chain file errors name the problem", "[engine][chain]")
{
    CHECK (errorOf (R"({"format": "crest-chain", "version": 1, "modules": [{"id": "a", "type": "flanger"}]})")
               .find ("unknown module type 'flanger'")
           != std::string::npos);
    CHECK (errorOf (R"({"format": "crest-chain", "version": 1, "modules": [{"id": "a", "type": "utility", "params": {"gian_db": 1}}]})")
               .find ("unknown parameter 'gian_db'")
           != std::string::npos);
    CHECK (errorOf (R"({"format": "crest-chain", "version": 1, "modules": [{"id": "a", "type": "utility", "params": {"gain_db": 99}}]})")
               .find ("'gain_db': 99 is out of range (-24 to 24 dB)")
           != std::string::npos);
    CHECK (errorOf (R"({"format": "crest-chain", "version": 1, "modules": [{"id": "a", "type": "utility"}, {"id": "a", "type": "utility"}]})")
               .find ("used twice")
           != std::string::npos);
    CHECK (errorOf (R"({"format": "crest-chain", "version": 7, "modules": []})").find ("newer than this Crest") != std::string::npos);
    CHECK (errorOf (R"({"format": "something-else", "version": 1, "modules": []})").find ("not a Crest chain file")
           != std::string::npos);
    CHECK (errorOf (R"({"format": "crest-chain", "version": 1, "modules": [{"id": "a", "type": "utility", "params": {"mono": "maybe"}}]})")
               .find ("'maybe' is not on or off")
           != std::string::npos);

    const auto syntax = errorOf ("{\"format\": \"crest-chain\",\n \"version\": 1,\n \"modules\": [,]}");
    CHECK (syntax.rfind ("test.json: not valid JSON at line 3", 0) == 0);
}

TEST_CASE ("Chain files round-trip and save atomically", "[engine][chain]")
{
    auto chain = parse (R"({"format": "crest-chain", "version": 1, "modules": [
        {"id": "trim", "type": "utility", "params": {"gain_db": -2, "swap_channels": true}}]})",
                        "test.json");
    const auto dir = test::tempDir();
    engine::ChainFile::save (chain, dir + "/chain.json");
    const auto again = engine::ChainFile::load (dir + "/chain.json");
    REQUIRE (again.modules.size() == 1);
    CHECK (again.modules[0].params.size() == 6); // every parameter written out
    CHECK (again.modules[0].params[0] == std::make_pair (std::string ("gain_db"), -2.0f));
    CHECK (again.modules[0].params[3] == std::make_pair (std::string ("swap_channels"), 1.0f));
    CHECK (juce::File (dir).getNumberOfChildFiles (juce::File::findFiles) == 1); // no temporary left

    CHECK_THROWS_AS (engine::ChainFile::load (dir + "/missing.json"), engine::ChainFileError);
}

TEST_CASE ("Command-line overrides (--set) are validated like the file", "[engine][chain]")
{
    auto chain = parse (R"({"format": "crest-chain", "version": 1, "modules": [{"id": "trim", "type": "utility"}]})", "x");
    engine::ChainFile::applyOverride (chain, "trim.gain_db=-6");
    CHECK (chain.modules[0].params.at (0).second == -6.0f);
    engine::ChainFile::applyOverride (chain, "trim.gain_db=-5");
    CHECK (chain.modules[0].params.size() == 1);
    CHECK (chain.modules[0].params.at (0).second == -5.0f);
    engine::ChainFile::applyOverride (chain, "trim.bypass=true");
    CHECK (chain.modules[0].bypass);

    CHECK_THROWS_WITH (engine::ChainFile::applyOverride (chain, "limiter.ceiling_dbtp=-1"), Catch::Contains ("no module with id 'limiter'"));
    CHECK_THROWS_WITH (engine::ChainFile::applyOverride (chain, "trim.gain_db=40"), Catch::Contains ("out of range"));
    CHECK_THROWS_WITH (engine::ChainFile::applyOverride (chain, "trim.nope=1"), Catch::Contains ("unknown parameter 'nope'"));
    CHECK_THROWS_WITH (engine::ChainFile::applyOverride (chain, "nonsense"), Catch::Contains ("expected ID.PARAM=VALUE"));
}
