// crest bench, export section: Crest's whole export against the hand-made chain of peers.

#include "cli/ExportBench.h"

#include "cli/CommandLine.h"
#include "demo/DemoMix.h"
#include "session/SessionFile.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace crest::cli
{
namespace
{
    using Clock = std::chrono::steady_clock;
    namespace fs = std::filesystem;

    std::string shellQuote (const std::string& s)
    {
        std::string q = "'";
        for (const char c : s)
            q += c == '\'' ? std::string ("'\\''") : std::string (1, c);
        return q + "'";
    }

    /** The peak resident memory of a running process in MB (VmHWM), 0 when unreadable. */
    double peakResidentMb (pid_t pid)
    {
        std::ifstream status ("/proc/" + std::to_string (pid) + "/status");
        std::string line;
        while (std::getline (status, line))
            if (line.rfind ("VmHWM:", 0) == 0)
                return std::stod (line.substr (6)) / 1024.0; // kB
        return 0.0;
    }

    /** Runs argv as a child; returns its exit status, wall seconds and peak RSS in MB.
        The peak is the child's VmHWM read while it runs: wait4's ru_maxrss would report this
        (large) parent's peak instead, because Linux carries the spawning process's high-water
        mark across exec. */
    int runChild (const std::vector<std::string>& argv, double& seconds, double& peakMb)
    {
        std::vector<char*> args;
        for (const auto& a : argv)
            args.push_back (const_cast<char*> (a.c_str()));
        args.push_back (nullptr);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init (&actions);
        posix_spawn_file_actions_addopen (&actions, 1, "/dev/null", O_WRONLY, 0); // its summary line
        posix_spawn_file_actions_addopen (&actions, 2, "/dev/null", O_WRONLY, 0); // its progress lines
        const auto start = Clock::now();
        pid_t pid = 0;
        const int spawned = posix_spawn (&pid, args[0], &actions, nullptr, args.data(), environ);
        posix_spawn_file_actions_destroy (&actions);
        if (spawned != 0)
            return -1;
        int status = 0;
        peakMb = 0.0;
        for (;;)
        {
            peakMb = std::max (peakMb, peakResidentMb (pid));
            const pid_t done = ::waitpid (pid, &status, WNOHANG);
            if (done == pid || done < 0)
                break;
            std::this_thread::sleep_for (std::chrono::milliseconds (20));
        }
        seconds = std::chrono::duration<double> (Clock::now() - start).count();
        return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
    }

    double runShell (const std::string& command)
    {
        const auto start = Clock::now();
        if (std::system (command.c_str()) != 0)
            return -1.0;
        return std::chrono::duration<double> (Clock::now() - start).count();
    }
} // namespace

int runExportBench (double minutes)
{
    if (! (minutes > 0.0 && minutes <= 120.0))
        throw std::runtime_error ("--minutes must be between 0 and 120");
    constexpr int numTracks = 5;
    constexpr double rate = 48000.0;
    const double trackSeconds = minutes * 60.0 / numTracks;

    const auto dir = fs::temp_directory_path() / ("crest-bench-export-" + std::to_string (::getpid()));
    fs::create_directories (dir);
    struct Cleanup
    {
        fs::path dir;
        ~Cleanup()
        {
            std::error_code ec;
            fs::remove_all (dir, ec);
        }
    } cleanup { dir };

    std::printf ("Synthesising %d tracks of %.1f minutes at 48 kHz 24-bit...\n", numTracks, trackSeconds / 60.0);
    std::fflush (stdout);
    session::Session s;
    s.album.title = "Bench Album";
    std::vector<std::string> sources;
    for (int i = 0; i < numTracks; ++i)
    {
        const auto path = (dir / ("track" + std::to_string (i + 1) + ".wav")).string();
        const auto error = demo::DemoMix::writeWav (path, rate, trackSeconds);
        if (! error.empty())
            throw std::runtime_error (path + ": " + error);
        sources.push_back (path);
        session::Track t;
        t.source = path;
        t.title = "Track " + std::to_string (i + 1);
        s.tracks.push_back (t);
    }
    const auto sessionPath = (dir / "bench.crest").string();
    session::SessionFile::save (s, sessionPath);
    const double duration = numTracks * trackSeconds;

    // Crest: the whole export in a child process, so its peak memory is its own.
    char self[4096] = {};
    const auto n = ::readlink ("/proc/self/exe", self, sizeof (self) - 1);
    if (n <= 0)
        throw std::runtime_error ("cannot find the crest executable");
    double crestSeconds = 0.0, crestMb = 0.0;
    std::string targets;
    for (const auto t :
        { session::DeliverableTarget::cd, session::DeliverableTarget::streaming, session::DeliverableTarget::mp3 })
        targets += (targets.empty() ? "" : ",") + std::string (session::targetName (t));
    const int status = runChild (
        { std::string (self, (size_t) n), "export", sessionPath, "-o", (dir / "crest-out").string(), "--targets", targets },
        crestSeconds, crestMb);
    if (status != 0)
    {
        std::fprintf (stderr, "crest bench: the export failed (exit %d)\n", status);
        return exitError;
    }

    // The peers, as a user would type them: one sox and one lame per track.
    fs::create_directories (dir / "peers");
    std::vector<std::string> commands;
    for (int i = 0; i < numTracks; ++i)
    {
        const auto base = (dir / "peers" / ("track" + std::to_string (i + 1))).string();
        commands.push_back (
            "sox " + shellQuote (sources[(size_t) i]) + " -b 16 " + shellQuote (base + "-cd.wav") + " rate -v 44100 dither -s");
        commands.push_back ("lame --quiet -b 320 " + shellQuote (sources[(size_t) i]) + " " + shellQuote (base + ".mp3"));
    }
    std::string sequential;
    for (const auto& c : commands)
        sequential += (sequential.empty() ? "" : " && ") + c;
    const double peersSequential = runShell (sequential);

    // The same commands as two parallel jobs (one shell per job, commands shared out in turn).
    std::string jobs[2];
    for (size_t k = 0; k < commands.size(); ++k)
        jobs[k % 2] += (jobs[k % 2].empty() ? "" : " && ") + commands[k];
    const double peersParallel = runShell ("(" + jobs[0] + ") & (" + jobs[1] + ") & wait");
    if (peersSequential < 0.0 || peersParallel < 0.0)
    {
        std::fprintf (stderr, "crest bench: a peer command failed (are sox and lame installed?)\n");
        return exitError;
    }

    std::printf ("\nExport of a %.0f-minute album (%d tracks, 48 kHz 24-bit, empty chain) on %u cores:\n", duration / 60.0,
        numTracks, std::max (1u, (unsigned) ::sysconf (_SC_NPROCESSORS_ONLN)));
    std::printf ("  %-62s %7.1fx real time  (%.2f s, peak RSS %.0f MB)\n", ("crest export --targets " + targets).c_str(),
        duration / crestSeconds, crestSeconds, crestMb);
    std::printf ("  %-62s\n", "  (writes CD album.wav + CUE + per-track CD WAVs, streaming WAVs,");
    std::printf ("  %-62s\n", "   MP3 320, every file measured and MD5-summed, report.json/html)");
    std::printf ("  %-62s %7.1fx real time  (%.2f s)\n", "peers by hand, one after another (sox + lame -b 320 per track)",
        duration / peersSequential, peersSequential);
    std::printf (
        "  %-62s %7.1fx real time  (%.2f s)\n", "peers by hand, two parallel jobs", duration / peersParallel, peersParallel);
    std::printf ("  %-62s %7.2f\n", "ratio (peers sequential time / Crest time)", peersSequential / crestSeconds);
    std::printf ("  %-62s %7.2f\n", "ratio (peers two jobs time / Crest time)", peersParallel / crestSeconds);
    std::printf ("  (the peers make only CD WAVs and MP3 320: no album WAV, CUE, streaming files, measurements or report)\n");
    return exitOk;
}

} // namespace crest::cli
