// The export report: report.json parses and holds the values measured from the files, MD5s
// agree with md5sum, and report.html is one self-contained page with a row per file, the
// loudness chart and a short-term plot per track.

#include "BufferStream.h"
#include "engine/AudioFileOutput.h"
#include "export/ExportReport.h"
#include "export/FlacWriter.h"
#include "export/Mp3Writer.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

using namespace crest;

namespace
{
std::string slurp (const std::string& path)
{
    std::ifstream in (path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

size_t count (const std::string& text, const std::string& what)
{
    size_t n = 0;
    for (auto at = text.find (what); at != std::string::npos; at = text.find (what, at + what.size()))
        ++n;
    return n;
}
} // namespace

TEST_CASE ("The export report lists every file with its MD5 and measurements, as JSON and HTML", "[export][report]")
{
    const auto dir = test::tempDir();
    const double rate = 44100.0;
    auto one = test::musicLike (rate, 8.0);
    one.applyGain (0.5f);
    const auto two = test::pinkNoise (rate, 2, 6.0, -24.0);

    // Three audio files of two tracks, and one text file, as an export would leave them.
    std::string error;
    juce::File (dir + "/mp3").createDirectory();
    juce::File (dir + "/flac").createDirectory();
    {
        test::BufferStream s (one, rate);
        delivery::TrackTags tags;
        tags.title = "One & <Only>";
        REQUIRE (delivery::writeMp3 (s, dir + "/mp3/01 One.mp3", delivery::Mp3Mode::cbr320, tags, error));
    }
    {
        test::BufferStream s (one, rate);
        REQUIRE (delivery::writeFlac (s, dir + "/flac/01 One.flac", 24, {}, error));
    }
    {
        test::BufferStream s (two, rate);
        REQUIRE (delivery::writeFlac (s, dir + "/flac/02 Two.flac", 16, {}, error));
    }
    {
        std::ofstream cue (dir + "/album.cue");
        cue << "FILE \"album.wav\" WAVE\n";
    }

    delivery::ExportReport report;
    report.albumTitle = "Report <Test>";
    report.albumArtist = "Crest";
    report.createdUtc = delivery::nowUtc();
    report.targets = { "mp3", "flac", "cd" };
    const std::tuple<std::string, std::string, int, std::string, bool> written[] = {
        { "mp3/01 One.mp3", "mp3", 1, "One & <Only>", true },
        { "flac/01 One.flac", "flac", 1, "One & <Only>", true },
        { "flac/02 Two.flac", "flac", 2, "Two", true },
        { "album.cue", "cd", 0, "Album", false },
    };
    for (const auto& [path, target, track, title, audio] : written)
    {
        const auto row = delivery::describeWrittenFile (dir, path, target, track, title, audio, error);
        INFO (error);
        REQUIRE (row);
        report.files.push_back (*row);
    }
    report.findings.push_back (
        { "adm", "codec-clipping", delivery::Severity::warning, 1, std::nullopt, "Clips after the round trip." });
    report.findings.push_back ({ "vinyl", "sibilance", delivery::Severity::warning, 1, 12.5, "Sibilant bursts." });

    const auto missing = delivery::describeWrittenFile (dir, "nothing.wav", "cd", 1, "x", true, error);
    CHECK_FALSE (missing);
    CHECK (error.find ("nothing.wav") != std::string::npos);

    REQUIRE (delivery::writeReport (report, dir, error));

    // JSON: parses and holds the values.
    const auto json = nlohmann::json::parse (slurp (dir + "/report.json"));
    CHECK (json["format"] == "crest-export-report");
    CHECK (json["album"]["title"] == "Report <Test>");
    REQUIRE (json["files"].size() == 4);
    for (size_t i = 0; i < 4; ++i)
    {
        const auto& row = json["files"][i];
        const auto& expected = report.files[i];
        INFO (expected.path);
        CHECK (row["path"] == expected.path);
        CHECK (row["bytes"] == (int64_t) juce::File (dir + "/" + expected.path).getSize());
        // md5sum, an independent tool, agrees.
        const auto [status, out] = test::run ("md5sum " + test::quote (dir + "/" + expected.path));
        REQUIRE (status == 0);
        CHECK (row["md5"] == out.substr (0, 32));
        if (expected.target == "cd")
        {
            CHECK (row["integrated_lufs"].is_null());
            continue;
        }
        REQUIRE (expected.integratedLufs);
        CHECK (row["integrated_lufs"].get<double>() == Approx (*expected.integratedLufs).margin (0.005));
        CHECK (row["true_peak_dbtp"].get<double>() == Approx (*expected.truePeakDbtp).margin (0.005));
        CHECK (row["loudness_range_lu"].is_number());
        CHECK (row["plr_db"].get<double>() == Approx (*expected.truePeakDbtp - *expected.integratedLufs).margin (0.02));
    }
    // The measurements are of the files: the FLACs hold the audio of the tracks.
    CHECK (json["files"][1]["duration_s"].get<double>() == Approx (8.0).margin (0.001));
    CHECK (json["files"][2]["duration_s"].get<double>() == Approx (6.0).margin (0.001));
    CHECK (json["files"][2]["integrated_lufs"].get<double>() == Approx (*test::analyse (two, rate).integratedLufs).margin (0.05));
    CHECK (json["files"][1]["format"] == "FLAC 24-bit 44.1 kHz");
    REQUIRE (json["findings"].size() == 2);
    CHECK (json["findings"][1]["time_s"].get<double>() == 12.5);
    CHECK (json["findings"][0]["severity"] == "warning");

    // HTML: a row per file, both kinds of chart, text escaped, nothing fetched from elsewhere.
    const auto html = slurp (dir + "/report.html");
    CHECK (count (html, "<tr class=\"file\">") == 4);
    CHECK (count (html, "<tr class=\"finding\">") == 2);
    CHECK (count (html, "<svg class=\"loudness-chart\"") == 1);
    CHECK (count (html, "<rect class=\"bar\"") == 3);
    CHECK (count (html, "<svg class=\"short-term\"") == 2); // two tracks
    CHECK (html.find ("One &amp; &lt;Only&gt;") != std::string::npos);
    CHECK (html.find ("<Only>") == std::string::npos);
    CHECK (html.find ("src=") == std::string::npos);
    CHECK (html.find ("href=") == std::string::npos);
    CHECK (html.find ("<script") == std::string::npos);
    for (const auto& f : report.files)
        CHECK (html.find (f.md5) != std::string::npos);
    // Every inline SVG is well-formed XML by xmllint (its HTML parser predates HTML5's <svg>).
    if (test::haveProgram ("xmllint"))
    {
        for (auto at = html.find ("<svg"); at != std::string::npos; at = html.find ("<svg", at + 1))
        {
            const auto end = html.find ("</svg>", at);
            REQUIRE (end != std::string::npos);
            const auto svgPath = dir + "/chart.svg";
            std::ofstream (svgPath) << html.substr (at, end + 6 - at);
            const auto [status, out] = test::run ("xmllint --noout " + test::quote (svgPath) + " 2>&1");
            INFO (out);
            CHECK (status == 0);
        }
    }
}
