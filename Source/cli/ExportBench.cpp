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
    /** One synthesised album: `tracks` WAVs of `trackSeconds` at `rate` and its session file. */
    struct BenchAlbum
    {
        std::vector<std::string> sources;
        std::string sessionPath;
    };

    BenchAlbum makeAlbum (const fs::path& dir, const std::string& name, int tracks, double rate, double trackSeconds,
        const std::vector<std::string>& reuse)
    {
        fs::create_directories (dir / name);
        session::Session s;
        s.album.title = "Bench Album";
        BenchAlbum album;
        for (int i = 0; i < tracks; ++i)
        {
            std::string path;
            if ((size_t) i < reuse.size())
                path = reuse[(size_t) i];
            else
            {
                path = (dir / name / ("track" + std::to_string (i + 1) + ".wav")).string();
                const auto error = demo::DemoMix::writeWav (path, rate, trackSeconds);
                if (! error.empty())
                    throw std::runtime_error (path + ": " + error);
            }
            album.sources.push_back (path);
            session::Track t;
            t.source = path;
            t.title = "Track " + std::to_string (i + 1);
            s.tracks.push_back (t);
        }
        album.sessionPath = (dir / name / "bench.crest").string();
        session::SessionFile::save (s, album.sessionPath);
        return album;
    }
} // namespace

int runExportBench (double minutes)
{
    if (! (minutes > 0.0 && minutes <= 120.0))
        throw std::runtime_error ("--minutes must be between 0 and 120");
    constexpr int numTracks = 20;
    constexpr int fewTracks = 5;
    constexpr double rate = 96000.0;
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

    std::printf ("Synthesising %d tracks of %.2f minutes at 96 kHz 24-bit...\n", numTracks, trackSeconds / 60.0);
    std::fflush (stdout);
    const auto album = makeAlbum (dir, "album", numTracks, rate, trackSeconds, {});
    const auto few = makeAlbum (dir, "few", fewTracks, rate, trackSeconds,
        std::vector<std::string> (album.sources.begin(), album.sources.begin() + fewTracks));
    const auto longer = makeAlbum (dir, "longer", fewTracks, rate, 2.0 * trackSeconds, {});
    const double duration = numTracks * trackSeconds;

    char self[4096] = {};
    const auto n = ::readlink ("/proc/self/exe", self, sizeof (self) - 1);
    if (n <= 0)
        throw std::runtime_error ("cannot find the crest executable");
    std::string targets;
    for (const auto t : { session::DeliverableTarget::cd, session::DeliverableTarget::ddp,
             session::DeliverableTarget::streaming, session::DeliverableTarget::mp3, session::DeliverableTarget::flac })
        targets += (targets.empty() ? "" : ",") + std::string (session::targetName (t));

    // Crest: the whole export in a child process, so its peak memory is its own.
    const auto crestExport = [&] (const BenchAlbum& a, const std::string& out, double& seconds, double& mb)
    {
        const int status = runChild (
            { std::string (self, (size_t) n), "export", a.sessionPath, "-o", (dir / out).string(), "--targets", targets },
            seconds, mb);
        if (status != 0)
            throw std::runtime_error ("the export of " + a.sessionPath + " failed (exit " + std::to_string (status) + ")");
    };

    // The peers, as a user would type them, per track: sox to the CD's 16/44.1 with dither, sox
    // to the streaming 24-bit WAV, lame 320 at 44.1, flac at the session's rate; then the CD
    // tracks joined into one raw 16-bit image (what a DDP's audio is) by sox.
    fs::create_directories (dir / "peers");
    std::vector<std::string> commands;
    std::string image = "sox";
    for (int i = 0; i < numTracks; ++i)
    {
        const auto& src = album.sources[(size_t) i];
        const auto base = (dir / "peers" / ("track" + std::to_string (i + 1))).string();
        commands.push_back (
            "sox " + shellQuote (src) + " -b 16 " + shellQuote (base + "-cd.wav") + " rate -v 44100 dither -s");
        commands.push_back ("sox " + shellQuote (src) + " -b 24 " + shellQuote (base + "-streaming.wav"));
        commands.push_back ("lame --quiet -b 320 --resample 44.1 " + shellQuote (src) + " " + shellQuote (base + ".mp3"));
        commands.push_back ("flac --silent -5 -o " + shellQuote (base + ".flac") + " " + shellQuote (src));
        image += " " + shellQuote (base + "-cd.wav");
    }
    image += " -t raw " + shellQuote ((dir / "peers" / "IMAGE.DAT").string());

    // Two parallel jobs, one shell each, then the image; split two ways. In turn: the commands
    // shared out alternately, which gives one job every sox rate + lame and the other the sox
    // copy + flac, about a third of the work, so the peers run on one core most of the time.
    // By halves: the first half of the tracks in one job, the second in the other (equal work,
    // as a person would split an album). The ratio is against the faster.
    const auto peersTwoJobs = [&] (bool byHalves)
    {
        std::error_code ec;
        fs::remove_all (dir / "peers", ec);
        fs::create_directories (dir / "peers");
        std::string jobs[2];
        const size_t perTrack = commands.size() / numTracks;
        for (size_t k = 0; k < commands.size(); ++k)
        {
            auto& job = jobs[byHalves ? (k / perTrack) * 2 / numTracks : k % 2];
            job += (job.empty() ? "" : " && ") + commands[k] + " 2>/dev/null";
        }
        const double seconds = runShell ("(" + jobs[0] + ") & (" + jobs[1] + ") & wait && " + image);
        if (seconds < 0.0)
            throw std::runtime_error ("a peer command failed (are sox, lame and flac installed?)");
        return seconds;
    };

    // Alternating, twice each, best of two: the machine is shared.
    double crestSeconds = 1.0e9, turnSeconds = 1.0e9, halvesSeconds = 1.0e9, crestMb = 0.0;
    for (int round = 0; round < 2; ++round)
    {
        double s = 0.0, mb = 0.0;
        crestExport (album, "crest-out-" + std::to_string (round), s, mb);
        crestSeconds = std::min (crestSeconds, s);
        crestMb = std::max (crestMb, mb);
        std::error_code ec;
        fs::remove_all (dir / ("crest-out-" + std::to_string (round)), ec);
        turnSeconds = std::min (turnSeconds, peersTwoJobs (false));
        halvesSeconds = std::min (halvesSeconds, peersTwoJobs (true));
    }
    double fewSeconds = 0.0, fewMb = 0.0, longerSeconds = 0.0, longerMb = 0.0;
    crestExport (few, "crest-few", fewSeconds, fewMb);
    crestExport (longer, "crest-longer", longerSeconds, longerMb);

    std::printf ("\nExport of a %.0f-minute album (%d tracks of %.1f min, 96 kHz 24-bit, empty chain) on %u cores:\n",
        duration / 60.0, numTracks, trackSeconds / 60.0, std::max (1u, (unsigned) ::sysconf (_SC_NPROCESSORS_ONLN)));
    std::printf ("  %-62s %7.1fx real time  (%.2f s, peak RSS %.0f MB)\n",
        ("crest export --targets " + targets).c_str(), duration / crestSeconds, crestSeconds, crestMb);
    std::printf ("  %-62s\n", "  (CD album.wav + CUE + track WAVs, DDP 2.0 image, streaming WAVs,");
    std::printf ("  %-62s\n", "   MP3 320, FLAC, every file measured and MD5-summed, report)");
    std::printf ("  %-62s %7.1fx real time  (%.2f s)\n", "peers by hand, two parallel jobs (sox, sox, lame, flac per track)",
        duration / turnSeconds, turnSeconds);
    std::printf ("  %-62s\n", "  commands shared out in turn (unequal jobs: sox rate+lame | sox+flac)");
    std::printf ("  %-62s %7.1fx real time  (%.2f s)\n", "  the same split by halves of the album (equal jobs)",
        duration / halvesSeconds, halvesSeconds);
    std::printf ("  %-62s\n", "  each then sox joining the CD tracks into a raw image");
    std::printf ("  %-62s %7.2f\n", "ratio (peers two jobs time / Crest time), in turn", turnSeconds / crestSeconds);
    std::printf ("  %-62s %7.2f\n", "ratio (peers two jobs time / Crest time), by halves", halvesSeconds / crestSeconds);
    std::printf ("  %-62s %7.0f MB / %.0f MB = %.2f\n", "Crest peak RSS, 20 tracks / 5 tracks (same length)", crestMb,
        fewMb, crestMb / std::max (1.0, fewMb));
    std::printf ("  %-62s %7.0f MB / %.0f MB = %.2f\n", "Crest peak RSS, 5 tracks twice as long / 5 tracks", longerMb,
        fewMb, longerMb / std::max (1.0, fewMb));
    std::printf ("  (best of two alternating runs; the peers make no album WAV, CUE, PQ/DDP descriptors,\n"
                 "   measurements, MD5s or report; neither FLAC encoder verifies as it encodes (flac's\n"
                 "   default; Crest's tests decode its FLACs with flac -t and flac -d instead);\n"
                 "   the CD's rate conversion is very high quality in both (libsoxr VHQ, sox rate -v); Crest\n"
                 "   converts the MP3s' rate the same way, lame with its own cheaper filter; with no chain\n"
                 "   Crest limits each track to the ceiling as it renders it, writing no float master first)\n");
    return exitOk;
}

} // namespace crest::cli
