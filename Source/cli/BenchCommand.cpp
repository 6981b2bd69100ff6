// crest bench: Crest's analysis against libebur128 on the same buffer, in the same run, on
// one core. Printed as multiples of real time and as a ratio, never as a pass/fail timing.

#include "analysis/TrackAnalyser.h"
#include "cli/ChainBench.h"
#include "cli/LiveBench.h"
#include "cli/ExportBench.h"
#include "cli/CommandLine.h"
#include "demo/DemoMix.h"
#include "engine/FileAnalysis.h"

#include <juce_audio_formats/juce_audio_formats.h>

#include <ebur128.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace crest::cli
{
namespace
{
    using Clock = std::chrono::steady_clock;

    struct Readings
    {
        double integrated = 0.0, range = 0.0, truePeakDb = -200.0;
    };

    Readings runCrest (const juce::AudioBuffer<float>& programme, double rate, double& seconds)
    {
        constexpr int block = 4096;
        juce::AudioBuffer<float> scratch (programme.getNumChannels(), block);
        const auto start = Clock::now();

        analysis::TrackAnalyser analyser;
        analyser.prepare (rate, programme.getNumChannels());
        for (int offset = 0; offset < programme.getNumSamples(); offset += block)
        {
            const int n = std::min (block, programme.getNumSamples() - offset);
            for (int c = 0; c < programme.getNumChannels(); ++c)
                scratch.copyFrom (c, 0, programme, c, offset, n); // as a file reader would deliver it
            analyser.process (scratch.getArrayOfWritePointers(), n);
        }
        const auto result = analyser.finish();

        seconds = std::chrono::duration<double> (Clock::now() - start).count();
        return { result.integratedLufs.value_or (-200.0), result.loudnessRangeLu.value_or (0.0),
                 result.truePeakDbtp.value_or (-200.0) };
    }

    Readings runLibebur128 (const std::vector<float>& interleaved, int channels, double rate, double& seconds)
    {
        constexpr int block = 4096;
        const auto frames = interleaved.size() / (size_t) channels;
        const auto start = Clock::now();

        auto* state = ebur128_init ((unsigned) channels, (unsigned long) rate,
                                    EBUR128_MODE_M | EBUR128_MODE_S | EBUR128_MODE_I | EBUR128_MODE_LRA
                                        | EBUR128_MODE_SAMPLE_PEAK | EBUR128_MODE_TRUE_PEAK);
        for (size_t offset = 0; offset < frames; offset += block)
        {
            const auto n = std::min<size_t> (block, frames - offset);
            ebur128_add_frames_float (state, interleaved.data() + offset * (size_t) channels, n);
        }

        Readings r;
        ebur128_loudness_global (state, &r.integrated);
        ebur128_loudness_range (state, &r.range);
        double peak = 0.0;
        for (int c = 0; c < channels; ++c)
        {
            double p = 0.0;
            ebur128_true_peak (state, (unsigned) c, &p);
            peak = std::max (peak, p);
        }
        r.truePeakDb = 20.0 * std::log10 (peak);
        ebur128_destroy (&state);

        seconds = std::chrono::duration<double> (Clock::now() - start).count();
        return r;
    }
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
    if (! only.empty() && only != "analysis")
        throw std::runtime_error ("--only takes analysis, chain, live, limiter-peer or export");

    const double minutes = std::stod (args.value ("--minutes").value_or ("10"));
    const int runs = std::max (1, std::stoi (args.value ("--runs").value_or ("3")));
    if (! (minutes > 0.0 && minutes <= 240.0))
        throw std::runtime_error ("--minutes must be between 0 and 240");

    constexpr double rate = 48000.0;
    std::printf ("Synthesising %.1f minutes of the demo mix at 48 kHz stereo...\n", minutes);
    std::fflush (stdout);
    const auto programme = demo::DemoMix::render (rate, minutes * 60.0);
    const double duration = programme.getNumSamples() / rate;

    std::vector<float> interleaved ((size_t) programme.getNumSamples() * 2);
    for (int i = 0; i < programme.getNumSamples(); ++i)
        for (int c = 0; c < 2; ++c)
            interleaved[(size_t) i * 2 + (size_t) c] = programme.getSample (c, i);

    // Alternate the two so that machine noise hits both alike; keep each one's best run.
    double bestCrest = 1.0e30, bestPeer = 1.0e30;
    Readings crest {}, peer {};
    for (int run = 0; run < runs; ++run)
    {
        double t = 0.0;
        crest = runCrest (programme, rate, t);
        bestCrest = std::min (bestCrest, t);
        peer = runLibebur128 (interleaved, 2, rate, t);
        bestPeer = std::min (bestPeer, t);
    }

    std::printf ("\nAnalysis of %.0f s of stereo audio at 48 kHz, best of %d runs, one core:\n", duration, runs);
    std::printf ("  %-58s %8.1fx real time  (%.3f s)\n", "Crest full analysis (M/S/I/LRA, 8x true peak, levels,",
                 duration / bestCrest, bestCrest);
    std::printf ("  %-58s\n", "  clipping, DC, stereo field, FFTW spectrum)");
    std::printf ("  %-58s %8.1fx real time  (%.3f s)\n", "libebur128 1.2 (M/S/I/LRA, sample peak, 4x true peak)",
                 duration / bestPeer, bestPeer);
    std::printf ("  %-58s %8.2f\n", "ratio (Crest speed / libebur128 speed)", bestPeer / bestCrest);
    std::printf ("\nReadings:            Crest      libebur128   difference\n");
    std::printf ("  integrated LUFS  %9.3f    %9.3f    %+.3f\n", crest.integrated, peer.integrated, crest.integrated - peer.integrated);
    std::printf ("  LRA LU           %9.3f    %9.3f    %+.3f   (Crest steps 3 s windows at 10 Hz per Tech 3342; libebur128 at 1 Hz)\n",
                 crest.range, peer.range, crest.range - peer.range);
    std::printf ("  true peak dBTP   %9.3f    %9.3f    %+.3f   (8x vs 4x oversampling)\n", crest.truePeakDb, peer.truePeakDb,
                 crest.truePeakDb - peer.truePeakDb);

    if (only.empty())
    {
        runChainBench (20.0, 2);
        runLiveBench (30.0);
    }
    return exitOk;
}

} // namespace crest::cli
