// The export's staging folder: names only inside the destination, and the staging folders a
// killed export left behind swept by the next export.

#include "TestSignals.h"
#include "engine/AtomicFile.h"
#include "export/ExportFolder.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sys/wait.h>
#include <unistd.h>

using namespace crest;
namespace fs = std::filesystem;

TEST_CASE ("Paths: the export folder stages only names inside the destination", "[export][paths]")
{
    const auto root = test::tempDir();
    std::string error;
    auto folder = delivery::ExportFolder::open (root + "/release", error);
    REQUIRE (folder != nullptr);
    CHECK_FALSE (folder->stage ("cd/01 Dawn.wav", error).empty());
    for (const auto& name : { std::string ("../escape.wav"), std::string ("/tmp/escape.wav"), std::string ("cd/a\\..\\b.wav"),
                              "streaming/" + std::string (400, 'n') + ".wav" })
    {
        INFO (name);
        CHECK (folder->stage (name, error).empty());
        CHECK_THAT (error, Catch::StartsWith ("export: ") && Catch::Contains ("refused as a file inside " + root + "/release"));
    }
    CHECK (folder->stagedFiles() == std::vector<std::string> { "cd/01 Dawn.wav" });
}

TEST_CASE ("The next export removes the staging folders of killed exports, not of running ones", "[export][faults]")
{
    const auto root = test::tempDir();
    const pid_t child = ::fork();
    if (child == 0)
        ::_exit (0);
    ::waitpid (child, nullptr, 0); // `child` has ended: its id names an abandoned staging folder

    const auto abandoned = root + "/.crest-export-" + std::to_string (child);
    const auto running = root + "/.crest-export-1";
    for (const auto& d : { abandoned, running })
    {
        fs::create_directories (d + "/cd");
        std::ofstream (d + "/cd/01 Half.wav") << "half";
    }
    std::ofstream (root + "/notes.txt") << "mine";

    std::string error;
    {
        auto folder = delivery::ExportFolder::open (root, error);
        REQUIRE (folder != nullptr);
        CHECK_FALSE (fs::exists (abandoned));
        CHECK (fs::exists (running));
    }
    CHECK (fs::exists (root + "/notes.txt"));
}
