// The `crest` program as a user runs it: output formats, exit statuses, bad input.

#include "TestSignals.h"
#include "engine/FileAnalysis.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <limits>
#include <sstream>

using namespace crest;

namespace
{
    const std::string crestCli = CREST_CLI_PATH;

    std::vector<nlohmann::json> jsonLines (const std::string& text)
    {
        std::vector<nlohmann::json> lines;
        std::istringstream in (text);
        for (std::string line; std::getline (in, line);)
            if (! line.empty())
                lines.push_back (nlohmann::json::parse (line));
        return lines;
    }
} // namespace

TEST_CASE ("crest analyze --json prints one object per file, in order, with the documented keys", "[cli][analyze]")
{
    const auto dir = test::tempDir();
    const auto a = test::writeWav (dir + "/a.wav", test::sine (48000.0, 2, 5.0, 1000.0, -23.0), 48000.0);
    const auto b = test::writeWav (dir + "/b.wav", test::sine (44100.0, 1, 5.0, 1000.0, -20.0), 44100.0, 16);

    const auto [status, out] = test::run (crestCli + " analyze --json " + test::quote (a) + " " + test::quote (b));
    CHECK (status == 0);
    const auto lines = jsonLines (out);
    REQUIRE (lines.size() == 2);
    CHECK (lines[0]["file"] == a);
    CHECK (lines[1]["file"] == b);

    for (const char* key : { "file", "sample_rate", "channels", "duration_s", "integrated_lufs", "loudness_range_lu",
                             "momentary_max_lufs", "short_term_max_lufs", "true_peak_dbtp", "sample_peak_dbfs", "plr_db",
                             "clipped_samples", "dc_offset_dbfs", "correlation", "correlation_min" })
        CHECK (lines[0].contains (key));

    CHECK (lines[0]["integrated_lufs"].get<double>() == Approx (-23.0).margin (0.1));
    CHECK (lines[0]["sample_rate"] == 48000.0);
    CHECK (lines[0]["channels"] == 2);
    CHECK (lines[0]["duration_s"].get<double>() == Approx (5.0));
    CHECK (lines[0]["correlation"].get<double>() == Approx (1.0));
    CHECK (lines[1]["channels"] == 1);
    CHECK (lines[1]["correlation"].is_null());
}

TEST_CASE ("crest analyze: silence is null loudness, never -inf or nan", "[cli][analyze]")
{
    const auto dir = test::tempDir();
    test::Buffer silence (2, 48000 * 4);
    silence.clear();
    const auto path = test::writeWav (dir + "/silence.wav", silence, 48000.0);

    const auto [status, out] = test::run (crestCli + " analyze --json " + test::quote (path));
    CHECK (status == 0);
    CHECK (out.find ("inf") == std::string::npos);
    CHECK (out.find ("nan") == std::string::npos);
    const auto j = jsonLines (out).at (0);
    CHECK (j["integrated_lufs"].is_null());
    CHECK (j["true_peak_dbtp"].is_null());
    CHECK (j["plr_db"].is_null());

    const auto [tableStatus, table] = test::run (crestCli + " analyze " + test::quote (path));
    CHECK (tableStatus == 0);
    CHECK (table.find ("Integrated") != std::string::npos);
    CHECK (table.find ("inf") == std::string::npos);
}

TEST_CASE ("crest analyze: bad files get one line each, the rest are analysed, exit non-zero", "[cli][analyze][badinput]")
{
    const auto dir = test::tempDir();
    const auto good = test::writeWav (dir + "/good.wav", test::sine (48000.0, 2, 3.0, 1000.0, -20.0), 48000.0);
    const auto text = dir + "/readme.wav";
    juce::File (text).replaceWithText ("not audio");

    const auto command = crestCli + " analyze --json " + test::quote (dir + "/missing.flac") + " " + test::quote (good) + " "
                         + test::quote (text) + " " + test::quote (good) + " 2>" + test::quote (dir + "/err.txt");
    const auto [status, out] = test::run (command);
    CHECK (status == 2);
    CHECK (jsonLines (out).size() == 2);

    const auto errors = juce::StringArray::fromLines (juce::File (dir + "/err.txt").loadFileAsString().trim());
    REQUIRE (errors.size() == 2);
    CHECK (errors[0].toStdString() == "crest: " + dir + "/missing.flac: no such file");
    CHECK (errors[1].startsWith ("crest: " + text + ": not a readable audio file"));
}

TEST_CASE ("crest analyze: NaN samples are reported, measured as silence, exit non-zero", "[cli][analyze][badinput]")
{
    const auto dir = test::tempDir();
    auto tone = test::sine (48000.0, 2, 3.0, 1000.0, -20.0);
    for (int i = 0; i < 100; ++i)
        tone.setSample (0, 48000 + i, std::numeric_limits<float>::quiet_NaN());
    const auto path = test::writeWav (dir + "/broken.wav", tone, 48000.0, 32);

    const auto [status, out] = test::run (crestCli + " analyze --json " + test::quote (path) + " 2>" + test::quote (dir + "/err.txt"));
    CHECK (status == 2);
    CHECK (out.find ("nan") == std::string::npos);
    const auto j = jsonLines (out).at (0);
    CHECK (j["nonfinite_samples"] == 100);
    CHECK (j["integrated_lufs"].get<double>() == Approx (-20.0).margin (0.1));
    CHECK (juce::File (dir + "/err.txt").loadFileAsString().contains ("100 samples are NaN or infinite (first at 0:01.0)"));
}

TEST_CASE ("crest check: exit 0 for a healthy mix, 1 for serious findings, 2 for errors", "[cli][check]")
{
    const auto dir = test::tempDir();
    auto mix = test::musicLike (44100.0, 20.0);
    mix.applyGain (test::dbToGain (-3.0));
    const auto healthy = test::writeWav (dir + "/healthy.wav", mix, 44100.0);

    auto clipped = mix;
    clipped.applyGain (test::dbToGain (12.0));
    for (int c = 0; c < 2; ++c)
        for (int i = 0; i < clipped.getNumSamples(); ++i)
            clipped.setSample (c, i, std::clamp (clipped.getSample (c, i), -1.0f, 1.0f));
    const auto bad = test::writeWav (dir + "/clipped.wav", clipped, 44100.0);

    auto [status, out] = test::run (crestCli + " check " + test::quote (healthy));
    CHECK (status == 0);

    std::tie (status, out) = test::run (crestCli + " check " + test::quote (bad));
    CHECK (status == 1);
    CHECK (out.find ("serious") != std::string::npos);
    CHECK (out.find ("clipped") != std::string::npos);

    std::tie (status, out) = test::run (crestCli + " check --json " + test::quote (bad) + " " + test::quote (healthy));
    CHECK (status == 1);
    const auto lines = jsonLines (out);
    REQUIRE (lines.size() == 2);
    CHECK (lines[0]["worst"] == "serious");
    const auto& first = lines[0]["findings"][0];
    CHECK (first["severity"] == "serious");
    CHECK (first["code"] == "clipping");
    CHECK (first["time_s"].is_number());
    CHECK_FALSE (first["message"].get<std::string>().empty());

    std::tie (status, out) = test::run (crestCli + " check " + test::quote (dir + "/none.wav") + " 2>/dev/null");
    CHECK (status == 2);
}

TEST_CASE ("crest: usage errors", "[cli]")
{
    CHECK (test::run (crestCli + " 2>/dev/null >/dev/null").first == 2);
    CHECK (test::run (crestCli + " frobnicate 2>/dev/null >/dev/null").first == 2);
    CHECK (test::run (crestCli + " analyze 2>/dev/null").first == 2);
    CHECK (test::run (crestCli + " analyze --bogus x.wav 2>/dev/null").first == 2);
    CHECK (test::run (crestCli + " --version").second.find ("crest ") == 0);
}

TEST_CASE ("crest demo writes the demo mix atomically and never leaves a partial file", "[cli][demo]")
{
    const auto dir = test::tempDir();
    CHECK (test::run (crestCli + " demo " + test::quote (dir + "/demo.wav")).first == 0);
    std::string error;
    const auto r = engine::analyseFile (dir + "/demo.wav", error);
    REQUIRE (r);
    CHECK (r->file.bitsPerSample == 24);
    CHECK (*r->analysis.truePeakDbtp < 0.0);

    // An unwritable place fails cleanly.
    CHECK (test::run (crestCli + " demo /proc/crest-demo.wav 2>/dev/null").first == 2);
    CHECK_FALSE (juce::File ("/proc/crest-demo.wav").exists());
}
