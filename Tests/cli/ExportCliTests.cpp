// `crest export` as a user runs it: a whole release, and every way it can fail cleanly.

#include "TestSignals.h"
#include "session/SessionFile.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using namespace crest;
namespace fs = std::filesystem;

namespace
{
std::pair<int, std::string> runCrest (const std::string& arguments)
{
    return test::run (std::string (CREST_CLI_PATH) + " " + arguments + " 2>&1");
}

/** A saved session of `count` sine tracks, `seconds` long, at 44.1 kHz. */
std::string savedSession (const std::string& dir, int count, double seconds)
{
    session::Session s;
    s.album.title = "Cli Album";
    for (int i = 0; i < count; ++i)
    {
        session::Track t;
        t.source = test::writeWav (dir + "/track" + std::to_string (i + 1) + ".wav",
            test::sine (44100.0, 2, seconds, 220.0 * (i + 1), -10.0), 44100.0, 24);
        t.title = "Song " + std::to_string (i + 1);
        s.tracks.push_back (t);
    }
    const auto path = dir + "/album.crest";
    session::SessionFile::save (s, path);
    return path;
}
} // namespace

TEST_CASE ("crest export writes a release and reports progress per target and track", "[export][cli]")
{
    const auto dir = test::tempDir();
    const auto session = savedSession (dir, 2, 5.0);
    const auto out = dir + "/release";
    const auto [status, log] = runCrest ("export " + test::quote (session) + " -o " + test::quote (out) + " --targets cd,mp3");
    INFO (log);
    REQUIRE (status == 0);
    CHECK_THAT (log,
        Catch::Contains ("cd: album.wav") && Catch::Contains ("mp3-320: track 2/2 done") && Catch::Contains ("files written"));
    CHECK (fs::exists (out + "/cd/01 Song 1.wav"));
    CHECK (fs::exists (out + "/cd/album.cue"));
    CHECK (fs::exists (out + "/mp3-320/02 Song 2.mp3"));
    CHECK_FALSE (fs::exists (out + "/mp3-v0")); // V0 only when the session's mp3_modes asks for it
    CHECK (fs::exists (out + "/report.json"));
    CHECK_FALSE (fs::exists (out + "/streaming"));
}

TEST_CASE ("crest export fails cleanly: no targets, unwritable folder, missing source", "[export][cli]")
{
    const auto dir = test::tempDir();
    const auto session = savedSession (dir, 2, 5.0);

    // No targets in the session and none given: a usage error, nothing created.
    auto [status, log] = runCrest ("export " + test::quote (session) + " -o " + test::quote (dir + "/none"));
    CHECK (status == 2);
    CHECK_THAT (log, Catch::Contains ("no targets"));
    CHECK_FALSE (fs::exists (dir + "/none"));

    // Tests run as root, so a folder below a regular file stands in for an unwritable one.
    std::ofstream (dir + "/file.txt") << "not a folder";
    std::tie (status, log)
        = runCrest ("export " + test::quote (session) + " -o " + test::quote (dir + "/file.txt/out") + " --targets streaming");
    INFO (log);
    CHECK (status == 2);
    CHECK_THAT (log, Catch::Contains ("file.txt/out"));
    CHECK (fs::is_regular_file (dir + "/file.txt"));

    // A source that has gone: the track and the path are named.
    fs::remove (dir + "/track2.wav");
    std::tie (status, log) = runCrest ("export " + test::quote (session) + " -o " + test::quote (dir + "/out") + " --targets cd");
    CHECK (status == 2);
    CHECK_THAT (log, Catch::Contains ("track 2") && Catch::Contains ("track2.wav"));
    CHECK_FALSE (fs::exists (dir + "/out"));

    std::tie (status, log)
        = runCrest ("export " + test::quote (session) + " -o " + test::quote (dir + "/out") + " --targets cd,dvd");
    CHECK (status == 2);
    CHECK_THAT (log, Catch::Contains ("dvd"));
}

TEST_CASE ("Ctrl-C during crest export leaves nothing behind", "[export][cli]")
{
    REQUIRE (test::haveProgram ("timeout"));
    const auto dir = test::tempDir();
    const auto session = savedSession (dir, 3, 60.0);
    const auto out = dir + "/release";
    const auto [status, log] = test::run ("timeout -s INT --preserve-status 1.5 " + std::string (CREST_CLI_PATH) + " export "
        + test::quote (session) + " -o " + test::quote (out) + " --targets cd,ddp,streaming,adm,mp3 2>&1");
    INFO (log);
    CHECK (status == 130);
    CHECK_THAT (log, Catch::Contains ("cancelled (nothing was written)"));
    CHECK_FALSE (fs::exists (out));
}
