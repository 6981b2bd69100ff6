// AtomicFile: a file appears whole at commit() or not at all, the old contents survive until
// then, a partial file never outlives its writer, and failures name the path and the reason.
// The system calls (exclusive create, fsync, rename, folder fsync) are checked with strace on
// the CLI, not taken on trust.

#include "TestSignals.h"
#include "engine/AtomicFile.h"

#include <juce_audio_formats/juce_audio_formats.h>

#include <catch2/catch.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace crest;
namespace fs = std::filesystem;

namespace
{
    std::string contentsOf (const std::string& path)
    {
        std::ifstream in (path, std::ios::binary);
        return std::string ((std::istreambuf_iterator<char> (in)), std::istreambuf_iterator<char>());
    }

    std::vector<std::string> namesIn (const std::string& dir)
    {
        std::vector<std::string> names;
        for (const auto& entry : fs::directory_iterator (dir))
            names.push_back (entry.path().filename().string());
        std::sort (names.begin(), names.end());
        return names;
    }

    // Every byte value, CR LF pairs and NULs included: nothing may translate them.
    std::string binaryBytes (size_t n)
    {
        std::string bytes (n, '\0');
        for (size_t i = 0; i < n; ++i)
            bytes[i] = (char) (i * 7 + (i >> 8));
        return bytes + std::string ("\r\n\0\r\0", 5);
    }

    void writeOldFile (const std::string& path, const std::string& text)
    {
        std::ofstream (path, std::ios::binary) << text;
    }
} // namespace

TEST_CASE ("AtomicFile: the target appears with exactly the bytes only at commit", "[engine][atomic]")
{
    const auto dir = test::tempDir();
    const auto path = dir + "/out.bin";
    const auto bytes = binaryBytes (100000);

    engine::AtomicFile file (path);
    REQUIRE (file.isOpen());
    CHECK (file.error().empty());
    CHECK (file.write (bytes.data(), 60000));
    CHECK (file.write (bytes.data() + 60000, bytes.size() - 60000));

    // Before commit: no target, one hidden partial file beside it, named for it.
    CHECK_FALSE (fs::exists (path));
    const auto names = namesIn (dir);
    REQUIRE (names.size() == 1);
    CHECK (names[0].rfind (".out.bin" + std::string (engine::AtomicFile::partialMarker), 0) == 0);

    REQUIRE (file.commit());
    CHECK (contentsOf (path) == bytes);
    CHECK (namesIn (dir) == std::vector<std::string> { "out.bin" });
    CHECK (file.commit()); // a second commit is harmless
}

TEST_CASE ("AtomicFile: seek patches bytes already written, as header writers need", "[engine][atomic]")
{
    const auto dir = test::tempDir();
    const auto path = dir + "/patched.bin";
    engine::AtomicFile file (path);
    REQUIRE (file.write ("HEADER??", 8));
    REQUIRE (file.write ("body", 4));
    CHECK (file.position() == 12);
    REQUIRE (file.seek (6));
    REQUIRE (file.write ("OK", 2));
    CHECK (file.position() == 8);
    REQUIRE (file.commit());
    CHECK (contentsOf (path) == "HEADEROKbody");
}

TEST_CASE ("AtomicFile: destroyed without commit, it leaves nothing in the folder", "[engine][atomic]")
{
    const auto dir = test::tempDir();
    {
        engine::AtomicFile file (dir + "/abandoned.wav");
        REQUIRE (file.write ("some bytes", 10));
        CHECK (namesIn (dir).size() == 1);
    }
    CHECK (fs::is_empty (dir));

    {
        engine::AtomicFile unwritten (dir + "/empty.wav");
        REQUIRE (unwritten.isOpen());
    }
    CHECK (fs::is_empty (dir));
}

TEST_CASE ("AtomicFile: an existing target keeps its old bytes until commit", "[engine][atomic]")
{
    const auto dir = test::tempDir();
    const auto path = dir + "/session.crest";
    writeOldFile (path, "old contents\n");

    {
        engine::AtomicFile abandoned (path);
        REQUIRE (abandoned.write ("new", 3));
    }
    CHECK (contentsOf (path) == "old contents\n"); // an abandoned write changes nothing

    engine::AtomicFile file (path);
    REQUIRE (file.write ("new contents\n", 13));
    CHECK (contentsOf (path) == "old contents\n");
    REQUIRE (file.commit());
    CHECK (contentsOf (path) == "new contents\n");
    CHECK (namesIn (dir) == std::vector<std::string> { "session.crest" });

    std::string error;
    REQUIRE (engine::writeFileAtomically (path, "third\n", error));
    CHECK (contentsOf (path) == "third\n");
    CHECK (error.empty());
}

TEST_CASE ("AtomicFile: two writers of one target never share a partial file, the last commit wins", "[engine][atomic]")
{
    const auto dir = test::tempDir();
    const auto path = dir + "/twice.txt";
    engine::AtomicFile first (path), second (path);
    REQUIRE (first.isOpen());
    REQUIRE (second.isOpen());
    CHECK (namesIn (dir).size() == 2);
    REQUIRE (first.write ("first", 5));
    REQUIRE (second.write ("second", 6));
    REQUIRE (first.commit());
    CHECK (contentsOf (path) == "first");
    REQUIRE (second.commit());
    CHECK (contentsOf (path) == "second");
    CHECK (namesIn (dir) == std::vector<std::string> { "twice.txt" });
}

TEST_CASE ("AtomicFile: a place that cannot hold the file fails with the path and the reason", "[engine][atomic][badinput]")
{
    const auto dir = test::tempDir();
    writeOldFile (dir + "/plain-file", "x");

    // Tests run as root, so a read-only folder would still be writable: a path under a
    // regular file and a missing folder are refused whoever runs them.
    const auto underFile = dir + "/plain-file/x.wav";
    engine::AtomicFile file (underFile);
    CHECK_FALSE (file.isOpen());
    CHECK (file.error() == "cannot write " + underFile + ": Not a directory");
    CHECK (file.reason() == "cannot write: Not a directory");
    CHECK_FALSE (file.write ("x", 1));
    CHECK_FALSE (file.commit());
    CHECK (file.error() == "cannot write " + underFile + ": Not a directory"); // the first failure is kept

    std::string error;
    const auto missing = dir + "/no/such/folder/report.json";
    CHECK_FALSE (engine::writeFileAtomically (missing, "{}", error));
    CHECK (error == "cannot write " + missing + ": No such file or directory");

    CHECK (namesIn (dir) == std::vector<std::string> { "plain-file" });
}

TEST_CASE ("AtomicFile: a rename that fails reports it and leaves the target and no partial file", "[engine][atomic][badinput]")
{
    const auto dir = test::tempDir();
    const auto target = dir + "/a-folder";
    fs::create_directory (target);
    writeOldFile (target + "/inside", "kept");

    engine::AtomicFile file (target);
    REQUIRE (file.isOpen());
    REQUIRE (file.write ("data", 4));
    CHECK_FALSE (file.commit());
    CHECK (file.error() == "cannot put the finished file in place as " + target + ": Is a directory");
    CHECK (file.reason() == "cannot put the finished file in place: Is a directory");
    CHECK (contentsOf (target + "/inside") == "kept");
    CHECK (namesIn (dir) == std::vector<std::string> { "a-folder" });
}

TEST_CASE ("AtomicFile: a write the system refuses fails, and commit never puts the file in place", "[engine][atomic][badinput]")
{
    // A file-size limit makes the kernel refuse writes past 64 KiB (EFBIG) the way a full disk
    // refuses them (ENOSPC), without needing a full disk. SIGXFSZ would kill the process, so it
    // is ignored while the limit holds; both are restored afterwards.
    struct SizeLimit
    {
        SizeLimit()
        {
            getrlimit (RLIMIT_FSIZE, &saved);
            previous = std::signal (SIGXFSZ, SIG_IGN);
            rlimit limited = saved;
            limited.rlim_cur = 64 * 1024;
            setrlimit (RLIMIT_FSIZE, &limited);
        }
        ~SizeLimit()
        {
            setrlimit (RLIMIT_FSIZE, &saved);
            std::signal (SIGXFSZ, previous);
        }
        rlimit saved {};
        void (*previous) (int) = nullptr;
    };

    const auto dir = test::tempDir();
    const auto path = dir + "/too-big.wav";
    const auto bytes = binaryBytes (1 << 20);
    bool wrote = true, committed = true;
    std::string error, reason;
    {
        SizeLimit limit;
        engine::AtomicFile file (path);
        REQUIRE (file.isOpen());
        wrote = file.write (bytes.data(), bytes.size());
        committed = file.commit();
        error = file.error();
        reason = file.reason();
    }
    CHECK_FALSE (wrote);
    CHECK_FALSE (committed);
    CHECK (error == "cannot write " + path + ": File too large");
    CHECK (reason == "cannot write: File too large");
    CHECK (fs::is_empty (dir));

    // A small file under the same limit still goes through (the limit is what failed, not the writer).
    {
        SizeLimit limit;
        std::string smallError;
        CHECK (engine::writeFileAtomically (dir + "/small.txt", "fits\n", smallError));
    }
    CHECK (contentsOf (dir + "/small.txt") == "fits\n");
}

TEST_CASE ("AtomicFile: JUCE's WAV writer works through its stream, header patched at the end", "[engine][atomic]")
{
    const auto dir = test::tempDir();
    const auto path = dir + "/tone.wav";
    const auto tone = test::sine (48000.0, 2, 0.5, 997.0, -6.0);
    {
        engine::AtomicFile file (path);
        REQUIRE (file.isOpen());
        auto stream = file.createOutputStream();
        juce::WavAudioFormat wav;
        std::unique_ptr<juce::AudioFormatWriter> writer (wav.createWriterFor (stream.get(), 48000.0, 2, 24, {}, 0));
        REQUIRE (writer != nullptr);
        stream.release();
        REQUIRE (writer->writeFromAudioSampleBuffer (tone, 0, tone.getNumSamples()));
        writer.reset(); // rewrites the RIFF and data sizes
        REQUIRE (file.commit());
    }
    CHECK (namesIn (dir) == std::vector<std::string> { "tone.wav" });
    CHECK (fs::file_size (path) > 24000u * 2u * 3u);

    // An independent reader sees the sizes the header was patched with.
    if (test::haveProgram ("soxi"))
    {
        CHECK (test::run ("soxi -s " + test::quote (path)).second == "24000\n");
        CHECK (test::run ("soxi -r " + test::quote (path)).second == "48000\n");
        CHECK (test::run ("soxi -b " + test::quote (path)).second == "24\n");
    }
}

TEST_CASE ("AtomicFile: the kernel sees exclusive create, fsync, rename, then a folder fsync", "[engine][atomic][cli]")
{
    if (! test::haveProgram ("strace"))
    {
        WARN ("strace is not installed: the system-call order is not checked");
        return;
    }
    const auto dir = test::tempDir();
    const auto target = dir + "/demo.wav";
    const auto trace = dir + "/trace.txt";
    // LeakSanitizer cannot run under ptrace: in a sanitizer build the traced program keeps
    // ASan's other checks and drops the leak check (a no-op for a normal build).
    const auto [status, out] = test::run ("ASAN_OPTIONS=\"${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0\" strace -f -e trace=openat,fsync,close,rename,renameat,renameat2 -o "
                                          + test::quote (trace) + " " + std::string (CREST_CLI_PATH) + " demo " + test::quote (target) + " 2>&1");
    INFO (out);
    REQUIRE (status == 0);

    // Follow the partial file's descriptor through the trace.
    std::ifstream in (trace);
    std::vector<std::string> events;
    std::string line, partialFd, dirFd, partialName;
    const std::regex created (R"re(openat\(AT_FDCWD, "([^"]*/\.demo\.wav\.crest-partial-[0-9]+-[0-9]+)", ([A-Z_|]+), 0666\) = ([0-9]+))re");
    const std::regex folderOpened (R"re(openat\(AT_FDCWD, "([^"]*)", [A-Z_|]*O_DIRECTORY[A-Z_|]*\) = ([0-9]+))re");
    std::smatch m;
    for (; std::getline (in, line);)
    {
        if (std::regex_search (line, m, created))
        {
            partialName = m[1];
            partialFd = m[3];
            CHECK (m[2].str().find ("O_EXCL") != std::string::npos);
            CHECK (m[2].str().find ("O_CREAT") != std::string::npos);
            events.push_back ("create");
        }
        else if (! partialFd.empty() && line.find ("fsync(" + partialFd + ")") != std::string::npos && events.back() == "create")
            events.push_back ("fsync file");
        else if (! partialFd.empty() && line.find ("close(" + partialFd + ")") != std::string::npos && events.back() == "fsync file")
            events.push_back ("close file");
        else if (! partialName.empty() && line.find ("rename") != std::string::npos && line.find (partialName) != std::string::npos
                 && line.find (target) != std::string::npos && line.find ("= 0") != std::string::npos)
            events.push_back ("rename");
        else if (! events.empty() && events.back() == "rename" && std::regex_search (line, m, folderOpened) && m[1] == dir)
        {
            dirFd = m[2];
            events.push_back ("open folder");
        }
        else if (! dirFd.empty() && line.find ("fsync(" + dirFd + ")") != std::string::npos && line.find ("= 0") != std::string::npos
                 && events.back() == "open folder")
            events.push_back ("fsync folder");
    }
    CHECK (events == std::vector<std::string> { "create", "fsync file", "close file", "rename", "open folder", "fsync folder" });
    CHECK_FALSE (fs::exists (partialName));
    CHECK (fs::file_size (target) > 1000000u);
}

namespace
{
    /** The id of a process that has certainly ended (a child that exited and was reaped). */
    int endedProcessId()
    {
        const pid_t child = ::fork();
        if (child == 0)
            ::_exit (0);
        int status = 0;
        ::waitpid (child, &status, 0);
        return (int) child;
    }
} // namespace

TEST_CASE ("AtomicFile: the next writer removes partial files left by a killed writer, not a running one's", "[engine][atomic][faults]")
{
    const auto dir = test::tempDir();
    const auto dead = endedProcessId();
    CHECK (engine::processHasEnded (dead));
    CHECK_FALSE (engine::processHasEnded ((int) ::getpid()));
    CHECK_FALSE (engine::processHasEnded (1)); // init runs (or cannot be signalled): never swept

    const auto abandoned = dir + "/.master.wav" + engine::AtomicFile::partialMarker + std::to_string (dead) + "-7";
    const auto running = dir + "/.master.wav" + engine::AtomicFile::partialMarker + "1-3";
    const auto otherTarget = dir + "/.other.wav" + engine::AtomicFile::partialMarker + std::to_string (dead) + "-1";
    for (const auto& p : { abandoned, running, otherTarget })
        std::ofstream (p) << "half a file";

    engine::AtomicFile file (dir + "/master.wav");
    REQUIRE (file.write ("whole", 5));
    REQUIRE (file.commit());
    CHECK_FALSE (fs::exists (abandoned));
    CHECK (fs::exists (running));     // its writer may still finish
    CHECK (fs::exists (otherTarget)); // another target's, swept by that target's next writer
    CHECK (contentsOf (dir + "/master.wav") == "whole");
}

TEST_CASE ("AtomicFile: a target name of the longest length a file system takes is written (its partial name is cut)", "[engine][atomic][paths]")
{
    // Found by the path tests: "01 <a 250-byte title>.wav" is a legal name, but its partial
    // file's name (".<name>.crest-partial-<pid>-<n>") was not, so the export failed.
    const auto dir = test::tempDir();
    const auto target = dir + "/" + std::string (251, 'x') + ".wav";
    engine::AtomicFile file (target);
    INFO (file.error());
    REQUIRE (file.write ("whole", 5));
    REQUIRE (file.commit());
    CHECK (contentsOf (target) == "whole");
    CHECK (namesIn (dir).size() == 1);
}
