// crest bench, live section: what the player costs the audio thread per block.

#include "cli/LiveBench.h"

#include "engine/ChainFile.h"
#include "demo/DemoMix.h"
#include "live/SessionPlayer.h"

#include <juce_audio_formats/juce_audio_formats.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

namespace crest::cli
{
namespace
{
    constexpr double rate = 48000.0;
    constexpr int block = 256;

    bool writeWav (const juce::File& file, const juce::AudioBuffer<float>& audio)
    {
        file.deleteFile();
        std::unique_ptr<juce::OutputStream> stream (file.createOutputStream().release());
        if (stream == nullptr)
            return false;
        juce::WavAudioFormat wav;
        std::unique_ptr<juce::AudioFormatWriter> writer (wav.createWriterFor (stream.get(), rate, 2, 24, {}, 0));
        if (writer == nullptr)
            return false;
        stream.release(); // the writer owns it now
        return writer->writeFromAudioSampleBuffer (audio, 0, audio.getNumSamples());
    }

    /** A mastering chain that works (defaults are neutral and would measure shortcuts). */
    engine::ChainDescription fullChain()
    {
        engine::ChainDescription chain;
        for (const auto* type : { "equaliser", "multiband", "imager", "saturation", "limiter" })
            chain.modules.push_back ({ type, type, false, {} });
        for (const auto* setting : { "equaliser.band1_type=low_cut", "equaliser.band1_freq_hz=25",
                 "equaliser.band2_type=low_shelf", "equaliser.band2_gain_db=1.5", "equaliser.band3_type=bell",
                 "equaliser.band3_gain_db=-2", "equaliser.band6_type=bell", "equaliser.band6_dynamic=on",
                 "equaliser.band6_threshold_db=-30", "multiband.bands=4", "multiband.band1_threshold_db=-20",
                 "multiband.band2_threshold_db=-20", "multiband.band3_threshold_db=-20", "multiband.band4_threshold_db=-20",
                 "imager.bands=4", "imager.band4_width_pct=120", "saturation.drive_db=6", "saturation.mix_pct=50",
                 "limiter.input_gain_db=6", "limiter.ceiling_dbtp=-1" })
        {
            try
            {
                engine::ChainFile::applyOverride (chain, setting);
            }
            catch (const std::exception& e)
            {
                std::fprintf (stderr, "  (bench setting skipped: %s)\n", e.what());
            }
        }
        return chain;
    }

    struct Cost
    {
        double meanUs = 0.0, p99Us = 0.0, worstUs = 0.0;
    };

    /** The audio thread's cost per block playing `file` (or `album` when given) from its start;
        with a `window`, only the blocks whose play position lies in it count. */
    Cost measure (const std::string& file, const engine::ChainDescription* chain, bool extras, double seconds,
        const std::string& reference, const session::Session* album = nullptr, std::pair<int64_t, int64_t> window = { 0, 0 })
    {
        live::SessionPlayer player;
        player.prepare (rate, block);
        std::string error;
        const bool loaded = album != nullptr ? player.loadSession (*album, "", error) : player.loadFile (file, error);
        if (! loaded || (chain != nullptr && ! player.setChain (*chain, error)))
        {
            std::fprintf (stderr, "  live bench: %s\n", error.c_str());
            return {};
        }
        if (extras)
        {
            if (player.addReference ({ reference, "reference", 0.0 }, "", error) < 0)
                std::fprintf (stderr, "  live bench: %s\n", error.c_str());
            player.setTranslation (live::Translation::car);
            player.setPlatformPreview (live::Platform::spotify);
        }
        std::vector<float> l ((size_t) block), r ((size_t) block);
        player.waitUntilBuffered (5000);
        player.play();
        const int blocks = (int) (seconds * rate / block);
        std::vector<double> times;
        times.reserve ((size_t) blocks);
        for (int i = 0; i < blocks; ++i)
        {
            player.waitUntilBuffered (5000);
            if (extras && i == blocks / 2)
                player.listenTo (0);
            const auto at = player.position();
            const auto start = std::chrono::steady_clock::now();
            player.processBlock (l.data(), r.data(), block);
            const auto us = std::chrono::duration<double, std::micro> (std::chrono::steady_clock::now() - start).count();
            if (window.second <= window.first || (at >= window.first && at < window.second))
                times.push_back (us);
        }
        player.stop();
        if (times.empty())
            return {};
        Cost cost;
        for (double t : times)
            cost.meanUs += t;
        cost.meanUs /= (double) times.size();
        std::sort (times.begin(), times.end());
        cost.p99Us = times[(size_t) ((double) times.size() * 0.99)];
        cost.worstUs = times.back();
        return cost;
    }
} // namespace

void runLiveBench (double seconds)
{
    std::printf (
        "\nLive engine, audio thread only, 48 kHz, blocks of %d samples (%.0f us of audio each), %.0f s of the demo mix:\n",
        block, block / rate * 1.0e6, seconds);
    std::fflush (stdout);
    const auto folder = juce::File::getSpecialLocation (juce::File::tempDirectory)
                            .getChildFile ("crest-live-bench-" + juce::String (juce::Time::currentTimeMillis()));
    folder.createDirectory();
    const auto master = folder.getChildFile ("master.wav"), reference = folder.getChildFile ("reference.wav");
    auto mix = demo::DemoMix::render (rate, seconds + 2.0);
    if (! writeWav (master, mix))
    {
        std::fprintf (stderr, "  live bench: cannot write %s\n", master.getFullPathName().toRawUTF8());
        return;
    }
    mix.applyGain (0.5f);
    writeWav (reference, mix);

    const auto chain = fullChain();
    struct Row
    {
        const char* name;
        const engine::ChainDescription* chain;
        bool extras;
    };
    const Row rows[] = {
        { "meters (input and output), empty chain", nullptr, false },
        { "meters + full chain (EQ, multiband 4, imager, sat, limiter)", &chain, false },
        { "  + synced reference, car check, Spotify preview", &chain, true },
    };
    std::printf ("  %-60s %9s %9s %9s %12s\n", "", "mean us", "p99 us", "worst us", "x real time");
    for (const auto& row : rows)
    {
        const auto cost = measure (
            master.getFullPathName().toStdString(), row.chain, row.extras, seconds, reference.getFullPathName().toStdString());
        std::printf ("  %-60s %9.1f %9.1f %9.1f %11.0fx\n", row.name, cost.meanUs, cost.p99Us, cost.worstUs,
            cost.meanUs > 0.0 ? block / rate * 1.0e6 / cost.meanUs : 0.0);
        std::fflush (stdout);
    }

    // The album as `crest export` renders it: the mix cut in two, track 2 on its own chain (the
    // same modules, another instance), crossfading over 2 s from track 1 on the album chain, so
    // two chains run at once there.
    session::Session album;
    album.chain = chain;
    session::Track one, two;
    one.source = two.source = master.getFullPathName().toStdString();
    one.gapSeconds = 0.0;
    one.trimOutSeconds = seconds / 2.0 + 1.0;
    two.trimInSeconds = seconds / 2.0 - 1.0;
    two.trimOutSeconds = seconds;
    two.crossfade = session::Fade { 2.0, session::FadeCurve::equalPower };
    two.chain = chain;
    album.tracks = { one, two };
    const auto crossfadeFrom = (int64_t) ((seconds / 2.0 - 1.0) * rate), crossfadeTo = crossfadeFrom + (int64_t) (2.0 * rate);
    struct AlbumRow
    {
        const char* name;
        std::pair<int64_t, int64_t> window;
    };
    const AlbumRow albumRows[] = {
        { "album: per-track chains (full), 2 tracks, a 2 s crossfade", { 0, 0 } },
        { "  the crossfade alone (two full chains running)", { crossfadeFrom, crossfadeTo } },
    };
    for (const auto& row : albumRows)
    {
        const auto cost = measure ({}, nullptr, false, seconds, {}, &album, row.window);
        std::printf ("  %-60s %9.1f %9.1f %9.1f %11.0fx\n", row.name, cost.meanUs, cost.p99Us, cost.worstUs,
            cost.meanUs > 0.0 ? block / rate * 1.0e6 / cost.meanUs : 0.0);
        std::fflush (stdout);
    }
    folder.deleteRecursively();
}

} // namespace crest::cli
