// crest bench, chain section: every module alone and a full mastering chain, at 48 and
// 96 kHz, in blocks of 64 and 512, as multiples of real time on one core.

#include "cli/ChainBench.h"

#include "engine/ChainFile.h"
#include "engine/FileAnalysis.h"
#include "demo/DemoMix.h"
#include "engine/ModuleRegistry.h"
#include "engine/ProcessingChain.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>

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

        juce::AudioBuffer<float> io (2, block);
        double best = 1.0e30;
        for (int run = 0; run < runs; ++run)
        {
            chain->reset();
            const auto start = std::chrono::steady_clock::now();
            for (int offset = 0; offset + block <= programme.getNumSamples(); offset += block)
            {
                io.copyFrom (0, 0, programme, 0, offset, block);
                io.copyFrom (1, 0, programme, 1, offset, block);
                chain->process (io.getWritePointer (0), io.getWritePointer (1), block);
            }
            best = std::min (best, std::chrono::duration<double> (std::chrono::steady_clock::now() - start).count());
        }
        return (programme.getNumSamples() / rate) / best;
    }
} // namespace

void runChainBench (double seconds, int runs)
{
    std::vector<std::string> all;
    for (const auto& t : engine::moduleTypes())
        all.push_back (t.type);
    std::vector<std::string> master;
    for (const auto* type : { "equaliser", "multiband", "imager", "saturation", "limiter" })
        if (engine::createModule (type) != nullptr)
            master.push_back (type);

    std::printf ("\nMastering chain, %.0f s of the demo mix, best of %d runs, one core (multiples of real time):\n", seconds, runs);
    std::printf ("  %-44s %10s %10s %10s %10s\n", "", "48k/64", "48k/512", "96k/64", "96k/512");

    std::vector<std::pair<std::string, engine::ChainDescription>> rows;
    for (const auto& type : all)
        rows.emplace_back (type, workingChain ({ type }));
    rows.emplace_back ("full chain (EQ 8 bands, multiband 4, imager, saturation, limiter)", workingChain (master));

    const juce::AudioBuffer<float> programme48 = demo::DemoMix::render (48000.0, seconds);
    const juce::AudioBuffer<float> programme96 = demo::DemoMix::render (96000.0, seconds);
    for (const auto& [name, chain] : rows)
    {
        std::printf ("  %-44s", name.size() > 44 ? "full chain (EQ, multiband, imager, sat, lim)" : name.c_str());
        for (const double rate : { 48000.0, 96000.0 })
            for (const int block : { 64, 512 })
                std::printf (" %10.0f", realTimeFactor (chain, rate == 48000.0 ? programme48 : programme96, rate, block, runs));
        std::printf ("\n");
        std::fflush (stdout);
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
            std::printf (" %s %.2f", name.size() > 44 ? "full chain" : name.c_str(), quiet / normal);
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

int runPeerLimiterBench (double minutes, int runs)
{
    constexpr double rate = 48000.0;
    constexpr const char* x42 = "http://gareus.org/oss/lv2/dpl#stereo";
    if (std::system ("command -v lv2file >/dev/null 2>&1") != 0)
    {
        std::fprintf (stderr, "crest bench: lv2file is not installed (Installers/install-deps.sh installs lv2file and x42-plugins)\n");
        return 2;
    }

    const auto dir = juce::File::getSpecialLocation (juce::File::tempDirectory).getNonexistentChildFile ("crest-peer", "", false);
    dir.createDirectory();
    const auto input = dir.getChildFile ("programme.wav");
    const auto chain = dir.getChildFile ("limiter.json");
    chain.replaceWithText (R"({"format": "crest-chain", "version": 1, "modules": [{"id": "limiter", "type": "limiter",
        "params": {"input_gain_db": 6, "ceiling_dbtp": -1.0, "release_ms": 60, "auto_release": false}}]})");
    {
        const auto programme = demo::DemoMix::render (rate, minutes * 60.0);
        juce::WavAudioFormat wav;
        std::unique_ptr<juce::AudioFormatWriter> writer (wav.createWriterFor (input.createOutputStream().release(), rate, 2, 24, {}, 0));
        writer->writeFromAudioSampleBuffer (programme, 0, programme.getNumSamples());
    }

    const auto self = juce::File::getSpecialLocation (juce::File::currentExecutableFile).getFullPathName().toStdString();
    const auto q = [] (const juce::File& f) { return "'" + f.getFullPathName().toStdString() + "'"; };
    const auto crestCommand = "'" + self + "' render " + q (input) + " -o " + q (dir.getChildFile ("crest.wav")) + " --chain "
                              + q (chain) + " >/dev/null 2>&1";
    const auto x42Command = "lv2file -i " + q (input) + " -o " + q (dir.getChildFile ("x42.wav"))
                            + " -p gain:6 -p threshold:-1 -p truepeak:1 -p release:0.06 " + x42 + " >/dev/null 2>&1";

    const auto timed = [] (const std::string& command) {
        const auto start = std::chrono::steady_clock::now();
        const int status = std::system (command.c_str());
        const double t = std::chrono::duration<double> (std::chrono::steady_clock::now() - start).count();
        return status == 0 ? t : -1.0;
    };

    double bestCrest = 1.0e30, bestX42 = 1.0e30;
    for (int run = 0; run < runs; ++run)
    {
        const double c = timed (crestCommand), x = timed (x42Command);
        if (c < 0.0 || x < 0.0)
        {
            std::fprintf (stderr, "crest bench: a render failed (%s)\n", c < 0.0 ? "crest render" : "lv2file");
            dir.deleteRecursively();
            return 2;
        }
        bestCrest = std::min (bestCrest, c);
        bestX42 = std::min (bestX42, x);
    }

    std::string error;
    const auto crestOut = engine::analyseFile (dir.getChildFile ("crest.wav").getFullPathName().toStdString(), error);
    const auto x42Out = engine::analyseFile (dir.getChildFile ("x42.wav").getFullPathName().toStdString(), error);
    dir.deleteRecursively();

    const double seconds = minutes * 60.0;
    std::printf ("\nLimiter, +6 dB into -1 dBTP, %.0f s of 48 kHz stereo, whole programs (read, limit, write), best of %d alternating runs:\n",
                 seconds, runs);
    std::printf ("  crest render (limiter chain)   %8.1fx real time  (%.2f s)   output true peak %+.2f dBTP (Crest's 8x meter)\n",
                 seconds / bestCrest, bestCrest, crestOut ? crestOut->analysis.truePeakDbtp.value_or (-200.0) : 0.0);
    std::printf ("  lv2file + x42 dpl (true peak)  %8.1fx real time  (%.2f s)   output true peak %+.2f dBTP\n", seconds / bestX42, bestX42,
                 x42Out ? x42Out->analysis.truePeakDbtp.value_or (-200.0) : 0.0);
    std::printf ("  ratio (Crest speed / x42 speed) %.2f\n", bestX42 / bestCrest);
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
