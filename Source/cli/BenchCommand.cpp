// crest bench: each part of Crest against a peer measured in the same run (analysis against
// libebur128 and ffmpeg, see AnalysisBench). Printed as multiples of real time and as ratios,
// never as a pass/fail timing.

#include "cli/AnalysisBench.h"
#include "cli/ChainBench.h"
#include "cli/LiveBench.h"
#include "cli/ExportBench.h"
#include "cli/CommandLine.h"
#include "demo/DemoMix.h"
#include "engine/FileAnalysis.h"

#include <juce_audio_formats/juce_audio_formats.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace crest::cli
{
namespace
{
    using Clock = std::chrono::steady_clock;
} // namespace

namespace
{
/** Peak resident memory of this process so far, in MB (VmHWM from /proc). */
double peakMemoryMb()
{
    std::FILE* f = std::fopen ("/proc/self/status", "r");
    if (f == nullptr)
        return 0.0;
    char line[256];
    double kb = 0.0;
    while (std::fgets (line, sizeof (line), f) != nullptr)
        if (std::sscanf (line, "VmHWM: %lf kB", &kb) == 1)
            break;
    std::fclose (f);
    return kb / 1024.0;
}

/** Writes a long 96 kHz / 24-bit stereo file (the demo mix repeated) and analyses it from
    disk, reporting the speed and the process's peak memory before and after. */
int runMemoryBench (double hours)
{
    constexpr double rate = 96000.0;
    const auto dir = juce::File::getSpecialLocation (juce::File::tempDirectory).getNonexistentChildFile ("crest-bench", "", false);
    dir.createDirectory();
    const auto path = dir.getChildFile ("long-96k.wav");

    std::printf ("Writing %.1f hours of 96 kHz / 24-bit stereo to %s...\n", hours, path.getFullPathName().toRawUTF8());
    std::fflush (stdout);
    {
        const auto piece = demo::DemoMix::render (rate, 60.0);
        juce::WavAudioFormat wav;
        std::unique_ptr<juce::AudioFormatWriter> writer (
            wav.createWriterFor (path.createOutputStream().release(), rate, 2, 24, {}, 0));
        if (writer == nullptr)
            throw std::runtime_error ("cannot write " + path.getFullPathName().toStdString());
        for (int minute = 0; minute < (int) std::ceil (hours * 60.0); ++minute)
            writer->writeFromAudioSampleBuffer (piece, 0, piece.getNumSamples());
    }

    // Reset the high-water mark (Linux: "5" to clear_refs) so that it measures the analysis.
    if (std::FILE* f = std::fopen ("/proc/self/clear_refs", "w"))
    {
        std::fputs ("5", f);
        std::fclose (f);
    }
    const double before = peakMemoryMb();
    std::string error;
    const auto start = Clock::now();
    const auto result = engine::analyseFile (path.getFullPathName().toStdString(), error);
    const double seconds = std::chrono::duration<double> (Clock::now() - start).count();
    const double after = peakMemoryMb();
    dir.deleteRecursively();
    if (! result)
        throw std::runtime_error (error);

    const double duration = result->file.durationSeconds();
    std::printf ("\nAnalysed %.0f s (%.2f h) of 96 kHz stereo from disk in %.1f s: %.0fx real time\n", duration, duration / 3600.0,
                 seconds, duration / seconds);
    std::printf ("  peak resident memory of the process: %.1f MB at the start of the analysis, %.1f MB at its peak\n", before, after);
    std::printf ("  integrated %.2f LUFS, true peak %.2f dBTP\n", result->analysis.integratedLufs.value_or (-200.0),
                 result->analysis.truePeakDbtp.value_or (-200.0));
    return exitOk;
}
} // namespace

int runBench (const std::vector<std::string>& words)
{
    const Arguments args (words, { "--minutes", "--runs", "--memory-hours", "--only" });
    if (const auto hours = args.value ("--memory-hours"))
        return runMemoryBench (std::stod (*hours));
    const auto only = args.value ("--only").value_or ("");
    if (only == "chain")
    {
        runChainBench (20.0, std::max (1, std::stoi (args.value ("--runs").value_or ("2"))));
        return exitOk;
    }
    if (only == "export")
        return runExportBench (std::stod (args.value ("--minutes").value_or ("20")));
    if (only == "live")
    {
        runLiveBench (std::stod (args.value ("--minutes").value_or ("0.5")) * 60.0);
        return exitOk;
    }
    if (only == "limiter-peer")
        return runPeerLimiterBench (std::stod (args.value ("--minutes").value_or ("10")),
                                    std::max (1, std::stoi (args.value ("--runs").value_or ("3"))));
    if (only == "plugins")
        return runHostedPluginBench (std::stod (args.value ("--minutes").value_or ("5")),
                                     std::max (1, std::stoi (args.value ("--runs").value_or ("3"))));
    if (! only.empty() && only != "analysis")
        throw std::runtime_error ("--only takes analysis, chain, live, limiter-peer, plugins or export");

    const double minutes = std::stod (args.value ("--minutes").value_or ("30"));
    const int runs = std::max (1, std::stoi (args.value ("--runs").value_or ("3")));
    if (! (minutes > 0.0 && minutes <= 240.0))
        throw std::runtime_error ("--minutes must be between 0 and 240");
    if (const int status = runAnalysisBench (minutes, runs); status != exitOk)
        return status;

    if (only.empty())
    {
        runChainBench (20.0, 2);
        runLiveBench (30.0);
        runHostedPluginBench (2.0, 2); // the hosted-LV2 line; it says so and goes on when lv2file is missing
    }
    return exitOk;
}

} // namespace crest::cli
