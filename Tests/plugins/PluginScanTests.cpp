// `crest plugins scan` survives plugins that crash or hang when loaded: each is probed in a child
// process, killed on a time-out, and blacklisted with the reason; the good ones are listed and
// remembered (issue 13, item 2). The broken plugins are built here from Tests/plugins/bundles.

#include "TestSignals.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

using namespace crest;

namespace
{
    std::string readText (const std::string& path)
    {
        std::ifstream in (path);
        std::stringstream s;
        s << in.rdbuf();
        return s.str();
    }

    std::string replaced (std::string text, const std::string& uri, const std::string& name)
    {
        for (const auto& [key, value] : { std::pair<std::string, std::string> { "@URI@", uri }, { "@NAME@", name } })
            for (size_t at = text.find (key); at != std::string::npos; at = text.find (key, at + value.size()))
                text.replace (at, key.size(), value);
        return text;
    }

    /** Builds one bundle NAME.lv2 under `folder` from the test's C file with `define`. */
    void buildBundle (const std::string& folder, const std::string& name, const std::string& define)
    {
        const std::string sources = std::string (CREST_SOURCE_DIR) + "/Tests/plugins/bundles/";
        const std::string bundle = folder + "/" + name + ".lv2";
        const std::string uri = "urn:crest:test:" + name;
        REQUIRE (test::run ("mkdir -p " + test::quote (bundle)).first == 0);
        std::ofstream (bundle + "/manifest.ttl") << replaced (readText (sources + "manifest.ttl.in"), uri, name);
        std::ofstream (bundle + "/" + name + ".ttl") << replaced (readText (sources + "plugin.ttl.in"), uri, name);
        const auto built = test::run ("cc -shared -fPIC -O1 -o " + test::quote (bundle + "/" + name + ".so") + " -DCREST_PLUGIN_URI='\"" + uri
                                      + "\"' " + define + " " + test::quote (sources + "broken.c") + " -lm 2>&1");
        INFO (built.second);
        REQUIRE (built.first == 0);
    }
} // namespace

// Under ASan or TSan a crashing probe does not die of its signal: the sanitizer reports it and
// exits with its own status (1 or 66).
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool underSanitizer = true;
#elif defined(__has_feature)
constexpr bool underSanitizer = __has_feature (address_sanitizer) || __has_feature (thread_sanitizer);
#else
constexpr bool underSanitizer = false;
#endif

TEST_CASE ("The plugin scan blacklists a plugin that crashes and one that hangs, and lists the good one", "[plugins][scan]")
{
    if (! test::haveProgram ("cc"))
        FAIL ("no C compiler (cc) to build the test plugins");
    const std::string folder = test::tempDir() + "/scan-bundles";
    buildBundle (folder, "crash", "-DCREST_BROKEN_CRASH");
    buildBundle (folder, "hang", "-DCREST_BROKEN_HANG");
    buildBundle (folder, "good", "");

    const std::string crest = test::quote (CREST_CLI_PATH);
    const auto scan = test::run (crest + " plugins scan --only-folders --folder " + test::quote (folder) + " --timeout 3 2>&1");
    INFO (scan.second);
    REQUIRE (scan.first == 0);
    CHECK (scan.second.find ("1 plugins usable, 2 blacklisted") != std::string::npos);

    // Remembered between runs: `list` reads what the scan saved.
    const auto listed = test::run (crest + " plugins list --json");
    REQUIRE (listed.first == 0);
    const auto doc = nlohmann::json::parse (listed.second);
    REQUIRE (doc["plugins"].size() == 1);
    CHECK (doc["plugins"][0]["id"] == "urn:crest:test:good");
    CHECK (doc["plugins"][0]["name"] == "Crest test plugin good");
    CHECK (doc["plugins"][0]["params"][0]["id"] == "gain");
    CHECK (doc["folders"][0] == folder);

    std::map<std::string, std::string> reasons;
    for (const auto& b : doc["blacklisted"])
        reasons[b["id"].get<std::string>()] = b["reason"].get<std::string>();
    REQUIRE (reasons.size() == 2);
    CHECK (reasons["urn:crest:test:crash"].find ("crashed") != std::string::npos);
    // Under ASan the probe's SIGSEGV is caught by the sanitizer, which reports it and exits with 1.
    CHECK ((reasons["urn:crest:test:crash"].find ("signal 11") != std::string::npos || underSanitizer));
    CHECK (reasons["urn:crest:test:hang"].find ("hangs") != std::string::npos);

    // A chain naming the crasher does not crash a render: the slot is a placeholder that says why.
    const std::string chainPath = folder + "/crash-chain.json";
    std::ofstream (chainPath) << R"({"format": "crest-chain", "version": 1, "modules": [
        {"id": "bad", "type": "plugin", "plugin": {"format": "lv2", "id": "urn:crest:test:crash"}, "params": {"gain": 3.0}}]})";
    const auto input = test::writeWav (folder + "/in.wav", test::sine (48000.0, 2, 0.5, 1000.0, -20.0), 48000.0);
    const auto render = test::run (crest + " render " + test::quote (input) + " -o " + test::quote (folder + "/out.wav") + " --chain "
                                   + test::quote (chainPath) + " 2>&1");
    INFO (render.second);
    CHECK (render.first == 0);
}
