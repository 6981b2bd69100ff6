#include "TestSignals.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace crest;

TEST_CASE ("crest modules --json lists every module with its parameters", "[cli][chain]")
{
    const auto [status, out] = test::run (std::string (CREST_CLI_PATH) + " modules --json");
    REQUIRE (status == 0);
    const auto list = nlohmann::json::parse (out);
    REQUIRE (list.is_array());
    REQUIRE (! list.empty());
    for (const auto& m : list)
    {
        CHECK (m.contains ("type"));
        CHECK (m.contains ("name"));
        for (const auto& p : m["params"])
            for (const char* key : { "id", "name", "unit", "min", "max", "default" })
                CHECK (p.contains (key));
    }
}

TEST_CASE ("crest render: chain file, --set overrides, summary, and clear errors", "[cli][render]")
{
    const auto dir = test::tempDir();
    const std::string crest = CREST_CLI_PATH;
    const auto source = test::writeWav (dir + "/mix.wav", test::sine (48000.0, 2, 3.0, 1000.0, -20.0), 48000.0);
    juce::File (dir + "/chain.json")
        .replaceWithText (R"({"format": "crest-chain", "version": 1, "modules": [{"id": "trim", "type": "utility", "params": {"gain_db": -3}}]})");

    auto [status, out] = test::run (crest + " render " + test::quote (source) + " -o " + test::quote (dir + "/out.flac") + " --chain "
                                    + test::quote (dir + "/chain.json") + " --set trim.gain_db=-6 2>&1");
    CHECK (status == 0);
    CHECK (out.find ("integrated -26.0 LUFS") != std::string::npos);

    const auto [analyseStatus, json] = test::run (crest + " analyze --json " + test::quote (dir + "/out.flac"));
    REQUIRE (analyseStatus == 0);
    CHECK (nlohmann::json::parse (json)["integrated_lufs"].get<double>() == Approx (-26.0).margin (0.05));

    std::tie (status, out) = test::run (crest + " render " + test::quote (source) + " -o " + test::quote (dir + "/x.wav") + " --chain "
                                        + test::quote (dir + "/chain.json") + " --set trim.gain_db=99 2>&1");
    CHECK (status == 2);
    CHECK (out.find ("out of range") != std::string::npos);
    CHECK_FALSE (juce::File (dir + "/x.wav").exists());

    std::tie (status, out) = test::run (crest + " render " + test::quote (source) + " -o " + test::quote (source) + " 2>&1");
    CHECK (status == 2);
    CHECK (out.find ("overwrite the source") != std::string::npos);

    std::tie (status, out) = test::run (crest + " render " + test::quote (dir + "/none.wav") + " -o " + test::quote (dir + "/y.wav") + " 2>&1");
    CHECK (status == 2);
    CHECK (out.find ("none.wav: no such file") != std::string::npos);
}
