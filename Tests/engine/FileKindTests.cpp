// Sources that only look like files: a FIFO, a device, a directory, a link to a device. Every
// reader of outside data refuses them with a sentence instead of hanging or filling memory.

#include "TestSignals.h"
#include "engine/AudioFileInput.h"
#include "engine/ChainFile.h"
#include "engine/FileKind.h"
#include "export/DdpReader.h"
#include "export/Md5.h"
#include "session/SessionFile.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <sys/stat.h>
#include <unistd.h>

using namespace crest;

namespace
{
    /** Runs `read` on another thread and fails (instead of hanging the suite) when it has not
        returned within five seconds; a reader stuck on the FIFO is released by opening its
        write end. Returns what `read` returned. */
    std::string withinSeconds (const std::string& fifo, std::function<std::string()> read)
    {
        auto result = std::async (std::launch::async, std::move (read));
        if (result.wait_for (std::chrono::seconds (5)) != std::future_status::ready)
        {
            FAIL_CHECK ("the reader hung on " << fifo);
            const int fd = ::open (fifo.c_str(), O_WRONLY | O_NONBLOCK);
            if (fd >= 0)
                ::close (fd);
        }
        return result.get();
    }

    struct OddFiles
    {
        std::string dir = test::tempDir();
        std::string fifo = dir + "/pipe.wav";
        std::string link = dir + "/zero.wav";
        OddFiles()
        {
            REQUIRE (::mkfifo (fifo.c_str(), 0600) == 0);
            std::filesystem::create_symlink ("/dev/zero", link);
        }
    };
} // namespace

TEST_CASE ("fileKindProblem names what a path is when it is not a file", "[engine][files][badinput]")
{
    OddFiles odd;
    std::ofstream (odd.dir + "/plain.txt") << "x";
    CHECK (engine::fileKindProblem (odd.dir + "/plain.txt").empty());
    CHECK (engine::fileKindProblem (odd.fifo) == "it is a FIFO (named pipe), not a file");
    CHECK (engine::fileKindProblem ("/dev/zero") == "it is a device, not a file");
    CHECK (engine::fileKindProblem (odd.link) == "it is a device, not a file");
    CHECK (engine::fileKindProblem (odd.dir) == "it is a directory, not a file");
    CHECK (engine::fileKindProblem (odd.dir + "/none") == "no such file");
}

TEST_CASE ("Audio input refuses a FIFO, a device and a link to a device without hanging", "[engine][files][badinput]")
{
    OddFiles odd;
    for (const auto& path : { odd.fifo, std::string ("/dev/zero"), odd.link })
    {
        INFO (path);
        const auto error = withinSeconds (odd.fifo, [path] {
            std::string why;
            CHECK (engine::AudioFileInput::open (path, why) == nullptr);
            return why;
        });
        CHECK_THAT (error, Catch::Contains ("not a file"));
    }
}

TEST_CASE ("Sessions and chain files that are FIFOs or devices are refused without hanging", "[engine][session][files][badinput]")
{
    OddFiles odd;
    const auto chainFifo = odd.dir + "/chain.json", sessionFifo = odd.dir + "/s.crest";
    REQUIRE (::mkfifo (chainFifo.c_str(), 0600) == 0);
    REQUIRE (::mkfifo (sessionFifo.c_str(), 0600) == 0);
    const auto chainError = [] (const std::string& path) -> std::string {
        try
        {
            engine::ChainFile::load (path);
        }
        catch (const std::exception& e)
        {
            return e.what();
        }
        return "loaded";
    };
    const auto sessionError = [] (const std::string& path) -> std::string {
        try
        {
            session::SessionFile::load (path);
        }
        catch (const std::exception& e)
        {
            return e.what();
        }
        return "loaded";
    };
    CHECK_THAT (withinSeconds (chainFifo, [&] { return chainError (chainFifo); }), Catch::Contains ("FIFO"));
    CHECK_THAT (withinSeconds (chainFifo, [&] { return chainError ("/dev/zero"); }), Catch::Contains ("device"));
    CHECK_THAT (withinSeconds (sessionFifo, [&] { return sessionError (sessionFifo); }), Catch::Contains ("FIFO"));
    CHECK_THAT (withinSeconds (sessionFifo, [&] { return sessionError (odd.link); }), Catch::Contains ("device"));
}

TEST_CASE ("A DDP image whose files are FIFOs or devices is refused without hanging", "[export][ddp][files][badinput]")
{
    OddFiles odd;
    const auto image = odd.dir + "/image";
    std::filesystem::create_directory (image);
    REQUIRE (::mkfifo ((image + "/DDPID").c_str(), 0600) == 0);
    std::string error;
    const auto read = withinSeconds (image + "/DDPID", [&] {
        std::string why;
        CHECK_FALSE (delivery::readDdpImage (image, why));
        return why;
    });
    CHECK_THAT (read, Catch::Contains ("DDPID") && Catch::Contains ("FIFO"));
    CHECK (delivery::Md5::ofFile ("/dev/zero", error).empty());
    CHECK_THAT (error, Catch::Contains ("device"));
}
