// `crest export` as a user runs it: a whole release, and every way it can fail cleanly.

#include "TestSignals.h"
#include "session/SessionFile.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>

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

TEST_CASE ("crest export syncs each delivered file once, just before moving it into place, and never its .work/ files",
    "[export][cli][atomic]")
{
    if (! test::haveProgram ("strace"))
    {
        WARN ("strace is not installed: the syncs are not checked");
        return;
    }
    const auto dir = test::tempDir();
    const auto session = savedSession (dir, 2, 5.0);
    const auto out = dir + "/release";
    const auto trace = dir + "/trace.txt";
    // Relative paths, as a user types them (the writers see absolute ones).
    const auto [status, log] = test::run ("cd " + test::quote (dir)
        + " && ASAN_OPTIONS=\"${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0\" strace -f -e "
          "trace=openat,fsync,rename,renameat,renameat2 -o "
        + test::quote (trace) + " " + std::string (CREST_CLI_PATH) + " export " + test::quote (fs::path (session).filename().string())
        + " -o release --targets cd,flac 2>&1");
    INFO (log);
    REQUIRE (status == 0);

    // Per descriptor, the path it was opened with (strace -f lines start with the thread id).
    std::ifstream in (trace);
    std::string line;
    const std::regex opened (R"re(openat\(AT_FDCWD, "([^"]*)", ([A-Z_|]+)[^)]*\) = ([0-9]+))re");
    const std::regex synced (R"re(fsync\(([0-9]+)\)\s+= 0)re");
    const std::regex renamed (R"re(rename[a-z0-9]*\((?:AT_FDCWD, )?"([^"]*)", (?:AT_FDCWD, )?"([^"]*)")re");
    std::map<std::string, std::string> pathOfFd;
    std::map<std::string, int> syncs; // staged path -> fsyncs
    std::vector<std::string> movedBeforeSync, workSynced;
    int moved = 0;
    std::smatch m;
    while (std::getline (in, line))
    {
        if (std::regex_search (line, m, opened))
            pathOfFd[m[3]] = m[1];
        else if (std::regex_search (line, m, synced) && pathOfFd.count (m[1]) != 0)
        {
            const auto& path = pathOfFd[m[1]];
            ++syncs[path];
            if (path.find ("/.work/") != std::string::npos)
                workSynced.push_back (path);
        }
        else if (std::regex_search (line, m, renamed) && m[1].str().find ("/.crest-export-") != std::string::npos
                 && m[2].str().find ("/.crest-export-") == std::string::npos)
        {
            // A staged file moving into the release: synced once before, and only once.
            ++moved;
            if (syncs[m[1]] != 1)
                movedBeforeSync.push_back (m[1].str() + " (" + std::to_string (syncs[m[1]]) + " fsyncs)");
        }
    }
    CHECK (moved >= 8); // album.wav, CUE, 2 track WAVs, 2 FLACs, the two reports
    CHECK (movedBeforeSync.empty());
    for (const auto& p : movedBeforeSync)
        UNSCOPED_INFO (p);
    CHECK (workSynced.empty());
    CHECK (fs::exists (out + "/flac/02 Song 2.flac"));
}
