// `crest version`, `crest approve`, `crest notes` and `crest proof` as a user runs them: the
// approved versions' parameters heard in the export, the proof's MP3s checked by mp3val and
// ffmpeg, the review data's numbers, and errors that name what does not exist.

#include "TestSignals.h"
#include "engine/AudioFileInput.h"
#include "session/SessionFile.h"

#include <catch2/catch.hpp>
#include <juce_core/juce_core.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

using namespace crest;
namespace fs = std::filesystem;
using Json = nlohmann::json;

namespace
{
std::pair<int, std::string> runCrest (const std::string& arguments)
{
    return test::run (std::string (CREST_CLI_PATH) + " " + arguments + " 2>&1");
}

std::string readText (const std::string& path)
{
    std::ifstream in (path, std::ios::binary);
    return std::string ((std::istreambuf_iterator<char> (in)), std::istreambuf_iterator<char>());
}

std::string writeChain (const std::string& path, double utilityGainDb)
{
    std::ofstream (path)
        << R"({"format": "crest-chain", "version": 1, "modules": [{"id": "level", "type": "utility", "params": {"gain_db": )"
        << utilityGainDb << "}}]}";
    return path;
}

/** Two tracks of the same pink noise (so any level difference comes from the mastering), an
    album chain of one utility module, and versions v1 (0 dB) and v2 (-6 dB); the working state
    is at -12 dB. */
std::string versionedSession (const std::string& dir)
{
    session::Session s;
    s.album.title = "Versions Album";
    s.album.performer = "The Testers";
    const auto noise = test::pinkNoise (44100.0, 2, 6.0, -24.0, 7);
    for (int i = 0; i < 2; ++i)
    {
        session::Track t;
        t.source = test::writeWav (dir + "/mix" + std::to_string (i + 1) + ".wav", noise, 44100.0, 24);
        t.title = "Song " + std::to_string (i + 1);
        s.tracks.push_back (t);
    }
    const auto path = dir + "/album.crest";
    session::SessionFile::save (s, path);
    for (const auto& [gain, version] : { std::pair { 0.0, "v1" }, std::pair { -6.0, "v2" } })
    {
        const auto chain = writeChain (dir + "/chain.json", gain);
        REQUIRE (runCrest ("session set " + test::quote (path) + " --album chain=" + test::quote (chain)).first == 0);
        const auto [status, log] = runCrest (
            "version create " + test::quote (path) + " " + version + " --note " + test::quote ("gain " + std::to_string (gain)));
        INFO (log);
        REQUIRE (status == 0);
    }
    REQUIRE (
        runCrest ("session set " + test::quote (path) + " --album chain=" + test::quote (writeChain (dir + "/chain.json", -12.0)))
            .first
        == 0);
    return path;
}

double integratedLufs (const std::string& path)
{
    std::string error;
    auto input = engine::AudioFileInput::open (path, error);
    INFO (path << ": " << error);
    REQUIRE (input != nullptr);
    test::Buffer audio (input->info().numChannels, (int) input->info().lengthInSamples);
    input->read (audio, audio.getNumSamples());
    const auto analysis = test::analyse (audio, input->info().sampleRate);
    REQUIRE (analysis.integratedLufs.has_value());
    return *analysis.integratedLufs;
}

Json readReviewData (const std::string& path)
{
    auto text = readText (path);
    const std::string prefix = "window.CREST_REVIEW = ";
    REQUIRE (text.rfind (prefix, 0) == 0);
    text = text.substr (prefix.size());
    while (! text.empty() && (text.back() == '\n' || text.back() == ';'))
        text.pop_back();
    return Json::parse (text);
}
} // namespace

TEST_CASE ("crest version create, list, diff and restore", "[versions][cli]")
{
    const auto dir = test::tempDir();
    const auto path = versionedSession (dir);
    const auto q = test::quote (path);

    auto [status, log] = runCrest ("version list " + q + " --json");
    INFO (log);
    REQUIRE (status == 0);
    const auto list = Json::parse (log);
    REQUIRE (list["versions"].size() == 2);
    CHECK (list["versions"][1]["name"] == "v2");
    CHECK (list["versions"][1]["difference"][0] == "Utility gain 0.0 -> -6.0 dB");

    std::tie (status, log) = runCrest ("version diff " + q + " v2");
    CHECK (status == 0);
    CHECK_THAT (log, Catch::Contains ("Utility gain -6.0 -> -12.0 dB"));

    std::tie (status, log) = runCrest ("version restore " + q + " v1");
    CHECK (status == 0);
    std::tie (status, log) = runCrest ("version diff " + q + " v1 --json");
    CHECK (status == 0);
    CHECK (Json::parse (log)["difference"].empty()); // restore then diff: nothing

    // Errors name what does not exist, and nothing is written.
    const auto before = readText (path);
    std::tie (status, log) = runCrest ("version restore " + q + " v9");
    CHECK (status == 2);
    CHECK_THAT (log, Catch::Contains ("no version 'v9'"));
    std::tie (status, log) = runCrest ("version create " + q + " v1");
    CHECK (status == 2);
    CHECK_THAT (log, Catch::Contains ("already a version 'v1'"));
    std::tie (status, log) = runCrest ("version diff " + q + " v1 nope");
    CHECK (status == 2);
    CHECK_THAT (log, Catch::Contains ("no version 'nope'"));
    CHECK (readText (path) == before);
}

TEST_CASE ("crest export delivers each track from its approved version", "[approval][cli]")
{
    const auto dir = test::tempDir();
    const auto path = versionedSession (dir);
    const auto q = test::quote (path);

    const auto before = readText (path);
    auto [status, log] = runCrest ("approve " + q + " --track 1 --version v9");
    CHECK (status == 2);
    CHECK_THAT (log, Catch::Contains ("no version 'v9'"));
    std::tie (status, log) = runCrest ("approve " + q + " --track 3 --version v1");
    CHECK (status == 2);
    CHECK_THAT (log, Catch::Contains ("no track 3"));
    CHECK (readText (path) == before);

    REQUIRE (runCrest ("approve " + q + " --track 1 --version v1").first == 0);
    REQUIRE (runCrest ("approve " + q + " --track 2 --version v2").first == 0);
    const auto out = dir + "/release";
    std::tie (status, log) = runCrest ("export " + q + " -o " + test::quote (out) + " --targets flac");
    INFO (log);
    REQUIRE (status == 0);
    CHECK_THAT (log,
        Catch::Contains ("track 1: info: approval: delivered from approved version 'v1'")
            && Catch::Contains ("track 2: info: approval: delivered from approved version 'v2'"));

    // The audible effect: track 1 at v1's 0 dB, track 2 at v2's -6 dB, neither at the working -12 dB.
    const double source = integratedLufs (dir + "/mix1.wav");
    const double one = integratedLufs (out + "/flac/01 Song 1.flac");
    const double two = integratedLufs (out + "/flac/02 Song 2.flac");
    CHECK (one == Approx (source).margin (0.1));
    CHECK (two == Approx (source - 6.0).margin (0.1));

    const auto report = Json::parse (readText (out + "/report.json"));
    CHECK (report["track_versions"][0]["version"] == "v1");
    CHECK (report["track_versions"][1]["version"] == "v2");
    for (const auto& file : report["files"])
        CHECK (file["version"] == (file["track"] == 1 ? "v1" : "v2"));
    CHECK_THAT (readText (out + "/report.html"), Catch::Contains ("version <strong>v2</strong> (approved)"));

    // Withdrawn: the working state, with a warning in the preflight and the report.
    REQUIRE (runCrest ("approve " + q + " --track 2 --withdraw").first == 0);
    const auto again = dir + "/again";
    std::tie (status, log) = runCrest ("export " + q + " -o " + test::quote (again) + " --targets flac");
    REQUIRE (status == 0);
    CHECK_THAT (
        log, Catch::Contains ("track 2: warning: approval: not approved at any version; delivered from the working state"));
    CHECK (integratedLufs (again + "/flac/02 Song 2.flac") == Approx (source - 12.0).margin (0.1));
    const auto report2 = Json::parse (readText (again + "/report.json"));
    CHECK (report2["track_versions"][1]["version"].is_null());
    bool warned = false;
    for (const auto& f : report2["findings"])
        warned = warned || (f["check"] == "approval" && f["track"] == 2 && f["severity"] == "warning");
    CHECK (warned);
}

TEST_CASE ("crest notes add, import and list, a bad notes file changes nothing", "[notes][cli]")
{
    const auto dir = test::tempDir();
    const auto path = versionedSession (dir);
    const auto q = test::quote (path);

    REQUIRE (runCrest ("notes add " + q + " --track 1 --at 2.5 --version v1 check the hiss").first == 0);
    std::ofstream (dir + "/notes.json") << R"({"format": "crest-notes", "formatVersion": 1, "album": "Versions Album", "notes": [
        {"track": 2, "version": "v2", "timeSeconds": 3.5, "endSeconds": 4.25, "author": "client", "text": "snare too loud"}]})";
    auto [status, log] = runCrest ("notes import " + q + " " + test::quote (dir + "/notes.json"));
    INFO (log);
    REQUIRE (status == 0);

    std::tie (status, log) = runCrest ("notes list " + q + " --json");
    REQUIRE (status == 0);
    const auto notes = Json::parse (log)["notes"];
    REQUIRE (notes.size() == 2);
    CHECK (notes[0]["track"] == 1);
    CHECK (notes[0]["author"] == "engineer");
    CHECK (notes[0]["text"] == "check the hiss");
    CHECK (notes[1]["track"] == 2);
    CHECK (notes[1]["version"] == "v2");
    CHECK (notes[1]["time_s"] == 3.5);
    CHECK (notes[1]["end_s"] == 4.25);
    CHECK (notes[1]["author"] == "client");

    const auto before = readText (path);
    std::ofstream (dir + "/bad.json") << R"({"format": "crest-notes", "formatVersion": 1, "notes": [
        {"track": 2, "version": "v2", "timeSeconds": 1, "text": "fine"}, {"track": 7, "version": "v2", "timeSeconds": 1, "text": "x"}]})";
    std::tie (status, log) = runCrest ("notes import " + q + " " + test::quote (dir + "/bad.json"));
    CHECK (status == 2);
    CHECK_THAT (log, Catch::Contains ("bad.json: note 2: \"track\" is 7"));
    std::tie (status, log) = runCrest ("notes add " + q + " --track 1 --at 1 --version v5 words");
    CHECK (status == 2);
    CHECK_THAT (log, Catch::Contains ("no version 'v5'"));
    CHECK (readText (path) == before);
}

TEST_CASE ("crest proof renders versions as MP3s with the review data", "[proof][cli]")
{
    const auto dir = test::tempDir();
    const auto path = versionedSession (dir);
    const auto q = test::quote (path);
    const auto out = dir + "/proof";

    auto [status, log] = runCrest ("proof " + q + " --version v1 --version nope -o " + test::quote (out));
    CHECK (status == 2);
    CHECK_THAT (log, Catch::Contains ("no version 'nope'"));
    CHECK_FALSE (fs::exists (out));

    std::tie (status, log) = runCrest ("proof " + q + " --version v1 --version v2 -o " + test::quote (out));
    INFO (log);
    REQUIRE (status == 0);

    const auto data = readReviewData (out + "/review-data.js");
    CHECK (data["format"] == "crest-review");
    CHECK (data["formatVersion"] == 1);
    CHECK (data["album"]["title"] == "Versions Album");
    CHECK (data["album"]["performer"] == "The Testers");
    REQUIRE (data["versions"].size() == 2);
    CHECK (data["versions"][0]["name"] == "v1");
    CHECK (data["versions"][1]["difference"][0] == "Utility gain 0.0 -> -6.0 dB");
    REQUIRE (data["tracks"].size() == 2);

    for (const auto& track : data["tracks"])
    {
        CHECK (track["durationSeconds"].get<double>() == Approx (6.0).margin (0.01));
        const auto& v1 = track["versions"]["v1"];
        const auto& v2 = track["versions"]["v2"];
        // v2 is 6 dB down: it is the quietest, so v1 is turned down to meet it.
        CHECK (v1["integratedLufs"].get<double>() - v2["integratedLufs"].get<double>() == Approx (6.0).margin (0.1));
        CHECK (v2["matchGainDb"].get<double>() == 0.0);
        CHECK (v1["matchGainDb"].get<double>()
            == Approx (v2["integratedLufs"].get<double>() - v1["integratedLufs"].get<double>()).margin (0.01));
        for (const auto* name : { "v1", "v2" })
        {
            const auto& v = track["versions"][name];
            CHECK (v["peaks"].size() == 800);
            for (const auto& p : v["peaks"])
            {
                CHECK (p[0].get<double>() >= -1.0);
                CHECK (p[1].get<double>() <= 1.0);
                CHECK (p[0].get<double>() <= p[1].get<double>());
            }
            CHECK (v["truePeakDbtp"].is_number());
            CHECK (v["lraLu"].is_number());
            CHECK (v["plrDb"].is_number());

            // The MP3: named for its version, valid to mp3val, decoded whole by ffmpeg.
            const auto mp3 = out + "/" + v["mp3"].get<std::string>();
            CHECK_THAT (mp3, Catch::Contains ("(" + std::string (name) + ").mp3"));
            REQUIRE (fs::exists (mp3));
            if (test::haveProgram ("mp3val"))
            {
                const auto [code, text] = test::run ("mp3val " + test::quote (mp3) + " 2>&1");
                CHECK (code == 0);
                CHECK_THAT (text, ! Catch::Contains ("WARNING") && ! Catch::Contains ("PROBLEM"));
            }
            if (test::haveProgram ("ffprobe"))
            {
                const auto [code, text]
                    = test::run ("ffprobe -v error -show_entries format_tags=title,comment -of json " + test::quote (mp3));
                REQUIRE (code == 0);
                const auto probe = Json::parse (text);
                CHECK_THAT (
                    probe["format"]["tags"]["title"].get<std::string>(), Catch::Contains ("(" + std::string (name) + ")"));
                CHECK_THAT (probe["format"]["tags"]["comment"].get<std::string>(),
                    Catch::Contains ("version '" + std::string (name) + "'"));
                // ffmpeg decodes it whole, without a complaint, and (reading the LAME tag's delay
                // and padding) to the source's length within a frame's rounding.
                const auto wav = dir + "/decoded.wav";
                const auto [decodeCode, decodeText]
                    = test::run ("ffmpeg -v error -y -i " + test::quote (mp3) + " " + test::quote (wav) + " 2>&1");
                CHECK (decodeCode == 0);
                CHECK (decodeText.empty());
                std::string error;
                const auto decoded = engine::AudioFileInput::open (wav, error);
                REQUIRE (decoded != nullptr);
                CHECK (std::abs (decoded->info().lengthInSamples - (int64_t) (6.0 * 44100)) <= 2);
            }

            // The audio script holds exactly the MP3's bytes.
            const auto script = readText (out + "/" + v["audioScript"].get<std::string>());
            const auto key = fs::path (v["audioScript"].get<std::string>()).stem().string();
            const auto head = "window.CREST_AUDIO = window.CREST_AUDIO || {}; window.CREST_AUDIO[\"" + key + "\"] = \"";
            REQUIRE (script.rfind (head, 0) == 0);
            const auto base64 = script.substr (head.size(), script.find ('"', head.size()) - head.size());
            juce::MemoryOutputStream decoded;
            REQUIRE (juce::Base64::convertFromBase64 (decoded, juce::String (base64)));
            CHECK (std::string ((const char*) decoded.getData(), decoded.getDataSize()) == readText (mp3));
        }
    }
    CHECK (fs::exists (out + "/audio/01-v1.js"));
    CHECK (fs::exists (out + "/audio/02-v2.js"));
    for (const auto& entry : fs::directory_iterator (out))
        CHECK (entry.path().filename().string().rfind (".crest-export", 0) != 0); // no staging left

    // The figures taken while rendering are kept with the versions.
    std::tie (status, log) = runCrest ("version list " + q + " --json");
    REQUIRE (status == 0);
    const auto list = Json::parse (log);
    CHECK (list["versions"][0]["tracks"][0]["measured"]["integrated_lufs"].is_number());
    CHECK (list["versions"][1]["tracks"][1]["measured"]["plr_db"].is_number());
}
