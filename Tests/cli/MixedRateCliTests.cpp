// A session of tracks at 44.1, 96 and 48 kHz, as a user meets one: shown, exported to every
// target, its conversions reported and measured against their sources (issue 10, item 3).

#include "TestSignals.h"
#include "session/SessionFile.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

using namespace crest;
namespace fs = std::filesystem;

namespace
{
    std::pair<int, std::string> runCrest (const std::string& arguments, bool withErrors = true)
    {
        return test::run (std::string (CREST_CLI_PATH) + " " + arguments + (withErrors ? " 2>&1" : " 2>/dev/null"));
    }

    /** ffmpeg's integrated loudness to 0.001 LU: its summary rounds to 0.1, so the value is read
        from the last frame's metadata (lavfi.r128.I, the integrated loudness so far). */
    double ffmpegIntegrated (const std::string& path)
    {
        const auto [status, out] = test::run ("ffmpeg -hide_banner -nostats -i " + test::quote (path)
                                              + " -af ebur128=metadata=1,ametadata=mode=print:key=lavfi.r128.I -f null - 2>&1");
        REQUIRE (status == 0);
        const auto at = out.rfind ("lavfi.r128.I=");
        REQUIRE (at != std::string::npos);
        return std::stod (out.substr (at + 13));
    }

    double crestIntegrated (const std::string& path)
    {
        const auto [status, out] = runCrest ("analyze --json " + test::quote (path), false);
        REQUIRE (status == 0);
        return nlohmann::json::parse (out)["integrated_lufs"].get<double>();
    }

    /** 44.1 kHz/16-bit, 96 kHz/24-bit and 48 kHz/24-bit tracks of synthesised music, the second
        with a crossfade into it; the session rate is the first track's. */
    std::string mixedSession (const std::string& dir)
    {
        session::Session s;
        s.album.title = "Mixed Rates";
        s.album.performer = "Crest";
        s.deliverables.streamingLufs = -14.0;
        const std::tuple<double, int, double> sources[] = { { 44100.0, 16, 9.0 }, { 96000.0, 24, 8.0 }, { 48000.0, 24, 7.0 } };
        int n = 0;
        for (const auto& [rate, bits, seconds] : sources)
        {
            session::Track t;
            // A real mix holds next to nothing above 20 kHz; the synthetic one carries noise up to
            // its Nyquist frequency, which converting to 44.1 kHz rightly removes (K-weighted, that
            // is 0.04 LU at 96 kHz). So the high-rate sources are band-limited as real mixes are.
            auto music = test::musicLike (rate, seconds);
            if (rate > 44100.0)
                music = test::lowPassed (music, rate, 20000.0);
            t.source = test::writeWav (dir + "/mix" + std::to_string (++n) + "-" + std::to_string ((int) rate) + ".wav", music,
                                       rate, bits);
            t.title = "Song " + std::to_string (n);
            t.fadeOut = { 1.0, session::FadeCurve::sCurve };
            if (n == 2)
                t.crossfade = session::Fade { 2.0, session::FadeCurve::equalPower };
            s.tracks.push_back (t);
        }
        const auto path = dir + "/mixed.crest";
        session::SessionFile::save (s, path);
        return path;
    }
} // namespace

TEST_CASE ("A mixed-rate session shows its conversions, exports every target and keeps each source's loudness",
           "[cli][export][src]")
{
    const auto dir = test::tempDir() + "/mixed-rates";
    fs::create_directories (dir);
    const auto session = mixedSession (dir);

    // Before anything is converted, `session show` says what will be.
    auto [status, shown] = runCrest ("session show " + test::quote (session));
    INFO (shown);
    REQUIRE (status == 0);
    CHECK_THAT (shown, Catch::Contains ("converted: track 2") && Catch::Contains ("96 kHz 24-bit -> 44.1 kHz")
                           && Catch::Contains ("converted: track 3") && Catch::Contains ("at 44100 Hz"));

    const auto out = dir + "/release";
    std::string log;
    std::tie (status, log) = runCrest ("export " + test::quote (session) + " -o " + test::quote (out)
                                    + " --targets cd,ddp,streaming,adm,hires,mp3,flac,vinyl");
    INFO (log);
    REQUIRE (status == 0);
    CHECK_THAT (log, Catch::Contains ("converting mix2-96000.wav to the session rate"));

    std::ifstream reportFile (out + "/report.json");
    const auto report = nlohmann::json::parse (reportFile);
    REQUIRE (report["sources_converted"].size() == 2);
    CHECK (report["sources_converted"][0]["role"] == "track 2");
    CHECK (report["sources_converted"][0]["from_hz"] == 96000.0);
    CHECK (report["sources_converted"][0]["from_bits"] == 24);
    CHECK (report["sources_converted"][1]["from_hz"] == 48000.0);
    CHECK (report["sources_converted"][1]["to_hz"] == 44100.0);
    for (const char* folder : { "cd", "ddp", "streaming", "adm", "hires", "mp3-320", "flac", "vinyl" })
        CHECK (fs::is_directory (out + "/" + folder));

    // Converted once, kept beside the session, and the show now lists them as cached.
    std::tie (status, shown) = runCrest ("session show --json " + test::quote (session), false);
    REQUIRE (status == 0);
    const auto doc = nlohmann::json::parse (shown);
    REQUIRE (doc["sources_converted"].size() == 2);
    CHECK (doc["sources_converted"][0]["cached"] == true);
    const std::string converted[] = { doc["sources_converted"][0]["source"], doc["sources_converted"][1]["source"] };

    // The converted audio measures as its source does: Crest's meter and ffmpeg's ebur128.
    const bool ffmpeg = test::haveProgram ("ffmpeg");
    if (! ffmpeg)
        WARN ("ffmpeg is not installed: the second opinion on the converted loudness is skipped");
    int checked = 0;
    for (const auto& entry : fs::directory_iterator (dir + "/mixed.crest-cache"))
    {
        const auto cached = entry.path().string();
        const auto& source = cached.find ("mix2") != std::string::npos ? converted[0] : converted[1];
        const double ours = crestIntegrated (cached) - crestIntegrated (source);
        INFO (cached << ": Crest " << ours << " LU");
        CHECK (std::abs (ours) < 0.05);
        if (ffmpeg)
        {
            const double theirs = ffmpegIntegrated (cached) - ffmpegIntegrated (source);
            INFO ("ffmpeg " << theirs << " LU");
            CHECK (std::abs (theirs) < 0.05);
        }
        ++checked;
    }
    CHECK (checked == 2);

    // A second export reuses the cache: nothing is converted again.
    std::tie (status, log)
        = runCrest ("export " + test::quote (session) + " -o " + test::quote (dir + "/again") + " --targets streaming");
    REQUIRE (status == 0);
    CHECK_THAT (log, ! Catch::Contains ("converting"));
}

TEST_CASE ("The session rate is set from the command line, and only to a mastering rate", "[cli][session][src]")
{
    const auto dir = test::tempDir() + "/rate-set";
    fs::create_directories (dir);
    const auto session = mixedSession (dir);
    auto [status, log] = runCrest ("session set " + test::quote (session) + " --album sample_rate=96000");
    INFO (log);
    REQUIRE (status == 0);
    CHECK (session::SessionFile::load (session).sampleRate == 96000.0);
    std::tie (status, log) = runCrest ("session show " + test::quote (session));
    CHECK_THAT (log, Catch::Contains ("converted: track 1") && Catch::Contains ("44.1 kHz 16-bit -> 96 kHz")
                         && ! Catch::Contains ("converted: track 2"));

    const auto before = fs::last_write_time (session);
    std::tie (status, log) = runCrest ("session set " + test::quote (session) + " --album sample_rate=1");
    CHECK (status != 0);
    CHECK_THAT (log, Catch::Contains ("sample_rate") && Catch::Contains ("nothing was written"));
    CHECK (fs::last_write_time (session) == before);
}

TEST_CASE ("Export refuses a source with an absurd rate by name and writes nothing", "[cli][export][src]")
{
    const auto dir = test::tempDir() + "/bad-rate-export";
    fs::create_directories (dir);
    const auto session = mixedSession (dir);
    // Track 3 is replaced by a WAV whose header claims 10 MHz.
    auto s = session::SessionFile::load (session);
    const auto victim = s.tracks[2].source;
    {
        std::ofstream f (victim, std::ios::binary | std::ios::trunc);
        auto u32 = [&] (uint32_t v) { f.write (reinterpret_cast<const char*> (&v), 4); };
        auto u16 = [&] (uint16_t v) { f.write (reinterpret_cast<const char*> (&v), 2); };
        f.write ("RIFF", 4);
        u32 (36 + 4000);
        f.write ("WAVEfmt ", 8);
        u32 (16);
        u16 (1);
        u16 (2);
        u32 (10000000);
        u32 (40000000);
        u16 (4);
        u16 (16);
        f.write ("data", 4);
        u32 (4000);
        const std::vector<char> audio (4000, 1);
        f.write (audio.data(), (std::streamsize) audio.size());
    }
    const auto out = dir + "/release";
    const auto [status, log] = runCrest ("export " + test::quote (session) + " -o " + test::quote (out) + " --targets cd,streaming");
    INFO (log);
    CHECK (status != 0);
    CHECK_THAT (log, Catch::Contains (fs::path (victim).filename().string()) && Catch::Contains ("track 3"));
    CHECK_FALSE (fs::exists (out));
    CHECK_FALSE (fs::exists (dir + "/mixed.crest-cache"));
}
