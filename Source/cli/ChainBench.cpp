// crest bench, chain section: every module alone and the full chain, at 48 and 96 kHz, in
// blocks of 64 and 512, as multiples of real time on one core (this thread's CPU time, so that
// other processes on a loaded machine do not count) and as ratios against a fixed reference
// workload measured in the same run (a plain biquad cascade), on the synthesised demo mix and
// on real music when wesnoth-music is installed.

#include "cli/ChainBench.h"

#include "cli/AnalysisBench.h"

#include "engine/ChainFile.h"
#include "engine/FileAnalysis.h"
#include "demo/DemoMix.h"
#include "engine/ModuleRegistry.h"
#include "engine/ProcessingChain.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include <sys/resource.h>

#include <juce_audio_formats/juce_audio_formats.h>

namespace crest::cli
{
namespace
{
    /** Settings that make each module work (defaults are neutral and would measure the
        shortcuts): type, parameter, value as in `--set`. */
    const std::vector<std::tuple<std::string, std::string, std::string>>& workingSettings()
    {
        static const std::vector<std::tuple<std::string, std::string, std::string>> settings = {
            { "equaliser", "band1_type", "low_cut" },    { "equaliser", "band1_freq_hz", "25" },
            { "equaliser", "band2_type", "low_shelf" },  { "equaliser", "band2_freq_hz", "90" },  { "equaliser", "band2_gain_db", "1.5" },
            { "equaliser", "band3_type", "bell" },       { "equaliser", "band3_freq_hz", "250" }, { "equaliser", "band3_gain_db", "-2" },
            { "equaliser", "band4_type", "bell" },       { "equaliser", "band4_freq_hz", "800" }, { "equaliser", "band4_gain_db", "-1" },
            { "equaliser", "band5_type", "bell" },       { "equaliser", "band5_freq_hz", "3000" }, { "equaliser", "band5_gain_db", "1" },
            { "equaliser", "band6_type", "bell" },       { "equaliser", "band6_freq_hz", "6500" }, { "equaliser", "band6_gain_db", "-3" },
            { "equaliser", "band6_dynamic", "on" },      { "equaliser", "band6_threshold_db", "-30" },
            { "equaliser", "band7_type", "high_shelf" }, { "equaliser", "band7_freq_hz", "12000" }, { "equaliser", "band7_gain_db", "1.5" },
            { "equaliser", "band8_type", "high_cut" },   { "equaliser", "band8_freq_hz", "21000" },
            { "compressor", "threshold_db", "-20" },     { "compressor", "ratio", "2" },
            { "multiband", "bands", "4" },               { "multiband", "band1_threshold_db", "-20" }, { "multiband", "band2_threshold_db", "-20" },
            { "multiband", "band3_threshold_db", "-20" }, { "multiband", "band4_threshold_db", "-20" },
            { "multiband", "band1_ratio", "2" },         { "multiband", "band2_ratio", "2" },      { "multiband", "band3_ratio", "2" },
            { "multiband", "band4_ratio", "2" },
            { "imager", "bands", "4" },                  { "imager", "band4_width_pct", "120" },   { "imager", "mono_below", "on" },
            { "saturation", "drive_db", "6" },           { "saturation", "mix_pct", "50" },
            { "limiter", "input_gain_db", "6" },         { "limiter", "ceiling_dbtp", "-1" },
            { "utility", "gain_db", "-1" },              { "utility", "dc_filter", "on" },
        };
        return settings;
    }

    engine::ChainDescription workingChain (const std::vector<std::string>& types)
    {
        engine::ChainDescription chain;
        for (const auto& type : types)
            chain.modules.push_back ({ type, type, false, {} });
        for (const auto& [type, param, value] : workingSettings())
        {
            if (chain.find (type) == nullptr)
                continue;
            try
            {
                engine::ChainFile::applyOverride (chain, type + "." + param + "=" + value);
            }
            catch (const engine::ChainFileError& e)
            {
                std::fprintf (stderr, "  (bench setting skipped: %s)\n", e.what());
            }
        }
        return chain;
    }

    /** CPU time of the calling thread, in seconds: time slices given to other processes on a
        busy machine do not count, cache and memory contention still do. */
    double threadSeconds()
    {
        timespec t {};
        clock_gettime (CLOCK_THREAD_CPUTIME_ID, &t);
        return (double) t.tv_sec + 1.0e-9 * (double) t.tv_nsec;
    }

    /** Feeds a programme through `process (left, right, n)` in blocks; best CPU time of `runs`. */
    template <typename Process, typename Reset>
    double bestSeconds (const juce::AudioBuffer<float>& programme, int block, int runs, Process&& process, Reset&& reset)
    {
        juce::AudioBuffer<float> io (2, block);
        double best = 1.0e30;
        for (int run = 0; run < runs; ++run)
        {
            reset();
            const double start = threadSeconds();
            for (int offset = 0; offset + block <= programme.getNumSamples(); offset += block)
            {
                io.copyFrom (0, 0, programme, 0, offset, block);
                io.copyFrom (1, 0, programme, 1, offset, block);
                process (io.getWritePointer (0), io.getWritePointer (1), block);
            }
            best = std::min (best, threadSeconds() - start);
        }
        return best;
    }

    /** Multiples of real time for a chain over a programme, best of `runs`. */
    double realTimeFactor (const engine::ChainDescription& description, const juce::AudioBuffer<float>& programme, double rate,
                           int block, int runs)
    {
        std::string error;
        auto chain = engine::ProcessingChain::build (description, rate, block, error);
        if (chain == nullptr)
        {
            std::fprintf (stderr, "  cannot build: %s\n", error.c_str());
            return 0.0;
        }
        const double seconds = bestSeconds (
            programme, block, runs, [&] (float* l, float* r, int n) { chain->process (l, r, n); }, [&] { chain->reset(); });
        return (programme.getNumSamples() / rate) / seconds;
    }

    /** The reference workload: a fixed cascade of eight double-precision biquads (transposed
        direct form II, written out here so that it never changes with Crest's own filters) on
        both channels, in blocks. Its speed moves with the machine's load and clock, not with
        Crest, so a module's speed divided by it cancels most of the noise between runs. */
    double referenceFactor (const juce::AudioBuffer<float>& programme, double rate, int block, int runs)
    {
        constexpr int sections = 8;
        // A gentle low-pass section (stable, unity gain at DC), the same for all eight.
        constexpr double b0 = 0.2, b1 = 0.4, b2 = 0.2, a1 = -0.3, a2 = 0.1;
        std::array<std::array<double, 2>, sections> left {}, right {};
        const auto run = [&] (float* x, std::array<std::array<double, 2>, sections>& state, int n) {
            for (int i = 0; i < n; ++i)
            {
                double v = x[i];
                for (auto& s : state)
                {
                    const double y = b0 * v + s[0];
                    s[0] = b1 * v - a1 * y + s[1];
                    s[1] = b2 * v - a2 * y;
                    v = y;
                }
                x[i] = (float) v;
            }
        };
        const double seconds = bestSeconds (
            programme, block, runs,
            [&] (float* l, float* r, int n) {
                run (l, left, n);
                run (r, right, n);
            },
            [&] { left = right = {}; });
        return (programme.getNumSamples() / rate) / seconds;
    }

    /** One table: the reference, then each row, at the given rates and blocks, as multiples of
        real time with the ratio to the reference (measured just before each row) in brackets. */
    void printTable (const std::vector<std::pair<std::string, engine::ChainDescription>>& rows,
                     const std::vector<std::pair<double, const juce::AudioBuffer<float>*>>& programmes, int runs)
    {
        std::printf ("  %-34s", "");
        for (const auto& [rate, programme] : programmes)
            for (const int block : { 64, 512 })
                std::printf (" %16s", (juce::String (rate / 1000.0, 0) + "k/" + juce::String (block)).toRawUTF8());
        std::printf ("\n  %-34s", "reference (8 biquads x 2 channels)");
        for (const auto& [rate, programme] : programmes)
            for (const int block : { 64, 512 })
                std::printf (" %16.0f", referenceFactor (*programme, rate, block, runs));
        std::printf ("\n");
        std::fflush (stdout);
        for (const auto& [name, chain] : rows)
        {
            std::printf ("  %-34s", name.c_str());
            for (const auto& [rate, programme] : programmes)
                for (const int block : { 64, 512 })
                {
                    const double reference = referenceFactor (*programme, rate, block, runs);
                    const double factor = realTimeFactor (chain, *programme, rate, block, runs);
                    std::printf (" %8.0f (%5.2f)", factor, factor / reference);
                }
            std::printf ("\n");
            std::fflush (stdout);
        }
    }
} // namespace

void runChainBench (double seconds, int runs)
{
    std::vector<std::string> all;
    for (const auto& t : engine::moduleTypes())
        all.push_back (t.type);

    std::vector<std::pair<std::string, engine::ChainDescription>> rows;
    for (const auto& type : all)
        rows.emplace_back (type, workingChain ({ type }));
    const std::string fullName = "full chain (all " + std::to_string (all.size()) + " modules)";
    rows.emplace_back (fullName, workingChain (all));

    std::printf ("\nMastering chain, one core (this thread's CPU time), best of %d runs: multiples of real time, and in\n"
                 "brackets the ratio to the reference workload measured just before (noise on the machine cancels):\n",
                 runs);
    std::printf ("full chain = %s\n", [&] {
        std::string names;
        for (const auto& type : all)
            names += (names.empty() ? "" : ", ") + type;
        return names;
    }().c_str());

    const juce::AudioBuffer<float> programme48 = demo::DemoMix::render (48000.0, seconds);
    const juce::AudioBuffer<float> programme96 = demo::DemoMix::render (96000.0, seconds);
    std::printf ("\nSynthesised demo mix, %.0f s:\n", seconds);
    printTable (rows, { { 48000.0, &programme48 }, { 96000.0, &programme96 } }, runs);

    if (wesnothMusicInstalled())
    {
        const auto file = juce::File::getSpecialLocation (juce::File::tempDirectory).getNonexistentChildFile ("crest-chain-music", ".wav", false);
        double musicSeconds = 0.0;
        const auto description = writeBenchProgramme (file.getFullPathName().toStdString(), 2.0, musicSeconds);
        juce::AudioBuffer<float> music;
        {
            juce::WavAudioFormat wav;
            std::unique_ptr<juce::AudioFormatReader> reader (wav.createReaderFor (file.createInputStream().release(), true));
            if (reader != nullptr)
            {
                music.setSize (2, (int) reader->lengthInSamples);
                reader->read (&music, 0, music.getNumSamples(), 0, true, true);
            }
        }
        file.deleteFile();
        std::printf ("\nReal music: %.0f s of %s at 48 kHz:\n", musicSeconds, description.c_str());
        printTable ({ rows.back() }, { { 48000.0, &music } }, runs);
    }
    else
    {
        std::printf ("\n(Real music: install wesnoth-music to measure the chain on it as well.)\n");
    }

    // Very quiet tails (denormal range inside the filters) must not cost more than music.
    {
        juce::AudioBuffer<float> tiny (programme48);
        tiny.applyGain (1.0e-35f);
        std::printf ("\nOn denormal-level input (the music at -700 dB), 48k/512, speed relative to the music:\n ");
        for (const auto& [name, chain] : rows)
        {
            const double normal = realTimeFactor (chain, programme48, 48000.0, 512, runs);
            const double quiet = realTimeFactor (chain, tiny, 48000.0, 512, runs);
            std::printf (" %s %.2f", name == fullName ? "full chain" : name.c_str(), quiet / normal);
            std::fflush (stdout);
        }
        std::printf ("\n");
    }

    if (engine::createModule ("equaliser") != nullptr)
    {
        std::printf ("\nLinear-phase equaliser latency:");
        for (const double rate : { 44100.0, 48000.0, 96000.0 })
        {
            auto chain = workingChain ({ "equaliser" });
            engine::ChainFile::applyOverride (chain, "equaliser.linear_phase=on");
            std::string error;
            if (const auto built = engine::ProcessingChain::build (chain, rate, 512, error))
                std::printf ("  %.1f kHz: %d samples (%.1f ms)", rate / 1000.0, built->latencySamples(),
                             1000.0 * built->latencySamples() / rate);
        }
        std::printf ("\n");
    }
}

namespace
{
    /** The first line of a shell command's output (stdout and stderr) matching nothing in
        particular: the command is expected to print one value. Empty on failure. */
    std::string firstLineOf (const std::string& command)
    {
        std::FILE* pipe = popen (command.c_str(), "r");
        if (pipe == nullptr)
            return {};
        char line[256] = {};
        const bool got = std::fgets (line, sizeof (line), pipe) != nullptr;
        pclose (pipe);
        std::string text = got ? line : "";
        while (! text.empty() && (text.back() == '\n' || text.back() == '\r'))
            text.pop_back();
        return text;
    }

    /** CPU time (user + system) of the children this process has waited for, in seconds. */
    double childrenSeconds()
    {
        rusage usage {};
        getrusage (RUSAGE_CHILDREN, &usage);
        return (double) usage.ru_utime.tv_sec + 1.0e-6 * (double) usage.ru_utime.tv_usec + (double) usage.ru_stime.tv_sec
               + 1.0e-6 * (double) usage.ru_stime.tv_usec;
    }
} // namespace

int runPeerLimiterBench (double minutes, int runs)
{
    constexpr const char* x42 = "http://gareus.org/oss/lv2/dpl#stereo";
    if (std::system ("command -v lv2file >/dev/null 2>&1") != 0)
    {
        std::fprintf (stderr, "crest bench: lv2file is not installed (Installers/install-deps.sh installs lv2file and x42-plugins)\n");
        return 2;
    }

    // The same file for both: real music when wesnoth-music is installed (48 kHz float WAV).
    const auto dir = juce::File::getSpecialLocation (juce::File::tempDirectory).getNonexistentChildFile ("crest-peer", "", false);
    dir.createDirectory();
    const auto input = dir.getChildFile ("programme.wav");
    const auto chain = dir.getChildFile ("limiter.json");
    chain.replaceWithText (R"({"format": "crest-chain", "version": 1, "modules": [{"id": "limiter", "type": "limiter",
        "params": {"input_gain_db": 6, "ceiling_dbtp": -1.0, "release_ms": 60, "auto_release": false}}]})");
    double seconds = 0.0;
    const auto description = writeBenchProgramme (input.getFullPathName().toStdString(), minutes, seconds);

    // Both write 32-bit float, so that no quantisation stands between the limiter and the
    // peak readings. Crest's whole program also analyses its output (the summary it prints).
    const auto self = juce::File::getSpecialLocation (juce::File::currentExecutableFile).getFullPathName().toStdString();
    const auto q = [] (const juce::File& f) { return "'" + f.getFullPathName().toStdString() + "'"; };
    const auto crestOut = dir.getChildFile ("crest.wav"), x42Out = dir.getChildFile ("x42.wav");
    const auto crestCommand = "'" + self + "' render " + q (input) + " -o " + q (crestOut) + " --bits 32 --chain " + q (chain)
                              + " >/dev/null 2>&1";
    const auto x42Command = "lv2file -i " + q (input) + " -o " + q (x42Out) + " -p gain:6 -p threshold:-1 -p truepeak:1 -p release:0.06 "
                            + x42 + " >/dev/null 2>&1";

    struct Timing
    {
        double wall = 0.0, cpu = 0.0;
    };
    const auto timed = [] (const std::string& command) {
        const double cpuBefore = childrenSeconds();
        const auto start = std::chrono::steady_clock::now();
        const int status = std::system (command.c_str());
        Timing t { std::chrono::duration<double> (std::chrono::steady_clock::now() - start).count(), childrenSeconds() - cpuBefore };
        return status == 0 ? t : Timing { -1.0, -1.0 };
    };

    std::vector<double> crestWall, x42Wall, crestCpu, x42Cpu;
    for (int run = 0; run < runs; ++run)
    {
        // Alternate which goes first, so that a trend in the machine's load hits both alike.
        Timing c, x;
        if (run % 2 == 0)
            c = timed (crestCommand), x = timed (x42Command);
        else
            x = timed (x42Command), c = timed (crestCommand);
        if (c.wall < 0.0 || x.wall < 0.0)
        {
            std::fprintf (stderr, "crest bench: a render failed (%s)\n", c.wall < 0.0 ? "crest render" : "lv2file");
            dir.deleteRecursively();
            return 2;
        }
        crestWall.push_back (c.wall), crestCpu.push_back (c.cpu);
        x42Wall.push_back (x.wall), x42Cpu.push_back (x.cpu);
    }
    const auto median = [] (std::vector<double> v) {
        std::sort (v.begin(), v.end());
        return v.size() % 2 == 1 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
    };

    // The ceiling, read three ways: Crest's own meter, ffmpeg's ebur128 (4x, one decimal) and
    // sox resampling to 16x with its very-high-quality filter (a near-ideal reconstruction).
    const auto crestMeter = [] (const juce::File& f) {
        std::string error;
        const auto r = engine::analyseFile (f.getFullPathName().toStdString(), error);
        return r ? r->analysis.truePeakDbtp.value_or (-200.0) : -200.0;
    };
    const auto ffmpegPeak = [&q] (const juce::File& f) {
        return firstLineOf ("ffmpeg -hide_banner -nostats -nostdin -i " + q (f)
                            + " -af ebur128=peak=true -f null - 2>&1 | awk '/Peak:/ {p = $2} END {print p}'");
    };
    const auto sox16 = [&q] (const juce::File& f) {
        return firstLineOf ("sox " + q (f) + " -n rate -v 768k stats 2>&1 | awk '/Pk lev dB/ {print $4}'");
    };
    const double crestTp = crestMeter (crestOut), x42Tp = crestMeter (x42Out);
    const auto crestFfmpeg = ffmpegPeak (crestOut), x42Ffmpeg = ffmpegPeak (x42Out);
    const auto crestSox = sox16 (crestOut), x42Sox = sox16 (x42Out);
    dir.deleteRecursively();

    std::printf ("\nLimiter, +6 dB into -1 dBTP (release 60 ms), %.0f s of %s,\n"
                 "whole programs (read, limit, write 32-bit float; Crest's render also analyses its output),\n"
                 "%d alternating runs, medians (wall time, and the programs' own CPU time):\n",
                 seconds, description.c_str(), runs);
    std::printf ("  crest render (limiter chain)   %7.1fx real time wall (%.2f s), %7.1fx CPU (%.2f s)\n", seconds / median (crestWall),
                 median (crestWall), seconds / median (crestCpu), median (crestCpu));
    std::printf ("  lv2file + x42 dpl (true peak)  %7.1fx real time wall (%.2f s), %7.1fx CPU (%.2f s)\n", seconds / median (x42Wall),
                 median (x42Wall), seconds / median (x42Cpu), median (x42Cpu));
    std::printf ("  ratio (Crest speed / x42 speed): %.2f wall, %.2f CPU\n", median (x42Wall) / median (crestWall),
                 median (x42Cpu) / median (crestCpu));
    std::printf ("  output true peak, Crest:  %+.3f dBTP (Crest's meter), %s dBFS (ffmpeg ebur128 peak=true), %s dBFS (sox 16x)\n", crestTp,
                 crestFfmpeg.c_str(), crestSox.c_str());
    std::printf ("  output true peak, x42:    %+.3f dBTP (Crest's meter), %s dBFS (ffmpeg ebur128 peak=true), %s dBFS (sox 16x)\n", x42Tp,
                 x42Ffmpeg.c_str(), x42Sox.c_str());
    return 0;
}

int runHostedPluginBench (double minutes, int runs)
{
    constexpr double rate = 48000.0;
    constexpr const char* eq = "http://gareus.org/oss/lv2/fil4#stereo";
    constexpr const char* dpl = "http://gareus.org/oss/lv2/dpl#stereo";
    if (std::system ("command -v lv2file >/dev/null 2>&1") != 0)
    {
        std::fprintf (stderr, "crest bench: lv2file is not installed (Installers/install-deps.sh installs lv2file and x42-plugins)\n");
        return 2;
    }

    const auto dir = juce::File::getSpecialLocation (juce::File::tempDirectory).getNonexistentChildFile ("crest-hosted", "", false);
    dir.createDirectory();
    const auto input = dir.getChildFile ("programme.wav");
    const auto chain = dir.getChildFile ("plugins.json");
    chain.replaceWithText (std::string (R"({"format": "crest-chain", "version": 1, "modules": [
        {"id": "eq", "type": "plugin", "plugin": {"format": "lv2", "id": ")") + eq + R"("}, "params": {"gain1": 3.0, "freq1": 120.0}},
        {"id": "lim", "type": "plugin", "plugin": {"format": "lv2", "id": ")" + dpl + R"("},
         "params": {"gain": 6.0, "threshold": -1.0, "truepeak": 1.0, "release": 0.06}}]})");
    {
        const auto programme = demo::DemoMix::render (rate, minutes * 60.0);
        juce::WavAudioFormat wav;
        std::unique_ptr<juce::AudioFormatWriter> writer (wav.createWriterFor (input.createOutputStream().release(), rate, 2, 24, {}, 0));
        writer->writeFromAudioSampleBuffer (programme, 0, programme.getNumSamples());
    }

    const auto self = juce::File::getSpecialLocation (juce::File::currentExecutableFile).getFullPathName().toStdString();
    const auto q = [] (const juce::File& f) { return "'" + f.getFullPathName().toStdString() + "'"; };
    const auto crestCommand = "'" + self + "' render " + q (input) + " -o " + q (dir.getChildFile ("crest.wav")) + " --chain " + q (chain)
                              + " >/dev/null 2>&1";
    const auto middle = dir.getChildFile ("eq.wav");
    const auto lv2fileCommand = "rm -f " + q (middle) + " " + q (dir.getChildFile ("lv2file.wav")) + " && lv2file -i " + q (input) + " -o "
                                + q (middle) + " -p gain1:3 -p freq1:120 " + eq + " >/dev/null 2>&1 && lv2file -i " + q (middle) + " -o "
                                + q (dir.getChildFile ("lv2file.wav")) + " -p gain:6 -p threshold:-1 -p truepeak:1 -p release:0.06 " + dpl
                                + " >/dev/null 2>&1";

    const auto timed = [] (const std::string& command) {
        const auto start = std::chrono::steady_clock::now();
        const int status = std::system (command.c_str());
        const double t = std::chrono::duration<double> (std::chrono::steady_clock::now() - start).count();
        return status == 0 ? t : -1.0;
    };

    double bestCrest = 1.0e30, bestLv2file = 1.0e30;
    for (int run = 0; run < runs; ++run)
    {
        const double c = timed (crestCommand), l = timed (lv2fileCommand);
        if (c < 0.0 || l < 0.0)
        {
            std::fprintf (stderr, "crest bench: a render failed (%s)\n", c < 0.0 ? "crest render" : "lv2file");
            dir.deleteRecursively();
            return 2;
        }
        bestCrest = std::min (bestCrest, c);
        bestLv2file = std::min (bestLv2file, l);
    }

    std::string error;
    const auto crestOut = engine::analyseFile (dir.getChildFile ("crest.wav").getFullPathName().toStdString(), error);
    const auto lv2fileOut = engine::analyseFile (dir.getChildFile ("lv2file.wav").getFullPathName().toStdString(), error);
    dir.deleteRecursively();

    const double seconds = minutes * 60.0;
    std::printf ("\nHosted LV2 chain (x42 fil4 EQ -> x42 dpl limiter, +6 dB into -1 dBTP), %.0f s of 48 kHz stereo, whole programs, "
                 "best of %d alternating runs:\n",
                 seconds, runs);
    std::printf ("  crest render (LV2 plugins in the chain)  %8.1fx real time  (%.2f s)   output true peak %+.2f dBTP\n", seconds / bestCrest,
                 bestCrest, crestOut ? crestOut->analysis.truePeakDbtp.value_or (-200.0) : 0.0);
    std::printf ("  lv2file, EQ then limiter (two runs)      %8.1fx real time  (%.2f s)   output true peak %+.2f dBTP\n", seconds / bestLv2file,
                 bestLv2file, lv2fileOut ? lv2fileOut->analysis.truePeakDbtp.value_or (-200.0) : 0.0);
    std::printf ("  ratio (Crest speed / lv2file speed) %.2f\n", bestLv2file / bestCrest);
    return 0;
}

} // namespace crest::cli
