// `crest play`: the live engine without a window. Plays a file or a session through the
// mastering chain on an audio device (JACK or ALSA, through juce::AudioDeviceManager, exactly as
// the app does) and reports what the meter bridge measured, the device's xruns and the
// player's disk underruns. With `--device none` it runs the same engine as fast as it can,
// with no device, for checks and scripts; `--device none --write OUT.wav` then writes the master
// the player made (before the monitor paths: references, translation, platform preview), as
// 32-bit float at the session's rate, through the player's own block-by-block audio path, not
// the renderer: what the client heard, to null against `crest export`.

#include "album/SourceAudio.h"
#include "cli/CallbackTiming.h"
#include "cli/CommandLine.h"
#include "cli/Progress.h"
#include "engine/AudioFileInput.h"
#include "engine/AudioFileOutput.h"
#include "engine/ChainFile.h"
#include "live/SessionPlayer.h"
#include "session/SessionFile.h"

#include <juce_audio_devices/juce_audio_devices.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <unistd.h>

namespace crest::cli
{
namespace
{
    std::atomic<bool> interrupted { false };
    void onInterrupt (int)
    {
        interrupted.store (true);
    }

    nlohmann::json optionalValue (const std::optional<float>& v)
    {
        if (! v)
            return nullptr;
        return std::round (*v * 100.0) / 100.0;
    }

    nlohmann::json dbValue (float v)
    {
        if (! std::isfinite (v))
            return nullptr;
        return std::round (v * 100.0) / 100.0;
    }

    double milliseconds (double ms)
    {
        return std::round (ms * 1000.0) / 1000.0;
    }

    nlohmann::json callbackJson (const CallbackTiming::Figures& f)
    {
        return { { "cycles", f.cycles }, { "budget_ms", milliseconds (f.budgetMs) },
            { "cpu_mean_ms", milliseconds (f.meanCpuMs) }, { "cpu_p999_ms", milliseconds (f.cpuP999Ms) },
            { "cpu_max_ms", milliseconds (f.maxCpuMs) }, { "wall_max_ms", milliseconds (f.maxWallMs) },
            { "waited_cycles", f.blockedCycles }, { "preempted_cycles", f.preemptedCycles },
            { "late_cycles", f.lateCycles }, { "page_faults", f.pageFaults } };
    }

    nlohmann::json metersJson (const live::MeterSnapshot& s)
    {
        return { { "integrated_lufs", optionalValue (s.integratedLufs) },
            { "loudness_range_lu", optionalValue (s.loudnessRangeLu) }, { "short_term_lufs", optionalValue (s.shortTermLufs) },
            { "momentary_max_lufs", optionalValue (s.momentaryMaxLufs) },
            { "true_peak_dbtp", dbValue (std::max (s.truePeakMaxDb[0], s.truePeakMaxDb[1])) },
            { "plr_db", optionalValue (s.plrDb) },
            { "seconds_metered", s.sampleRate > 0.0 ? s.samplesMetered / s.sampleRate : 0.0 } };
    }

    /** Writes the master of the blocks the transport played, up to `limit` samples. */
    class MasterWriter : public live::MasterTap
    {
    public:
        MasterWriter (std::unique_ptr<engine::AudioFileOutput> out, int64_t limit) : file (std::move (out)), remaining (limit) {}

        void master (const float* left, const float* right, int n, const live::TransportBlock& block) override
        {
            if (! block.sounding || remaining <= 0 || failed)
                return;
            const int take = (int) std::min<int64_t> (n, remaining);
            const float* channels[] = { left, right };
            failed = ! file->write (channels, take);
            remaining -= take;
            written += take;
        }

        bool finish (std::string& error)
        {
            if (failed)
            {
                error = "the disk refused the audio";
                return false;
            }
            return file->finish (error);
        }

        int64_t samplesWritten() const noexcept { return written; }
        int64_t samplesWanted() const noexcept { return written + remaining; }

    private:
        std::unique_ptr<engine::AudioFileOutput> file;
        int64_t remaining, written = 0;
        bool failed = false;
    };

    std::string text (const std::optional<float>& v, const char* unit)
    {
        char t[48];
        if (v)
            std::snprintf (t, sizeof (t), "%.1f %s", *v, unit);
        else
            std::snprintf (t, sizeof (t), "-- %s", unit);
        return t;
    }

    /** Opens a device of a type ("jack", "alsa") through an AudioDeviceManager; returns an error or "". */
    std::string openDevice (juce::AudioDeviceManager& manager, const std::string& kind, int bufferSize, double sampleRate)
    {
        manager.getAvailableDeviceTypes(); // creates the types
        const juce::String typeName = kind == "jack" ? "JACK" : "ALSA";
        manager.setCurrentAudioDeviceType (typeName, true);
        auto* type = manager.getCurrentDeviceTypeObject();
        if (type == nullptr || type->getTypeName() != typeName)
            return "this build has no " + typeName.toStdString() + " support";
        type->scanForDevices();
        const auto names = type->getDeviceNames (false);
        if (names.isEmpty())
            return kind == "jack" ? "no JACK server is running (start one, e.g. jackd -d dummy -r 48000 -p 256)"
                                  : "no ALSA output device found";

        juce::AudioDeviceManager::AudioDeviceSetup setup;
        setup.outputDeviceName = names[std::max (0, type->getDefaultDeviceIndex (false))];
        setup.inputDeviceName = {};
        setup.useDefaultInputChannels = false;
        setup.inputChannels.clear();
        setup.useDefaultOutputChannels = false;
        setup.outputChannels.setRange (0, 2, true);
        setup.bufferSize = bufferSize;
        setup.sampleRate = sampleRate;
        const auto error = manager.setAudioDeviceSetup (setup, true);
        if (error.isNotEmpty())
            return error.toStdString();
        if (manager.getCurrentAudioDevice() == nullptr)
            return "the " + typeName.toStdString() + " device could not be opened";
        return {};
    }
} // namespace

int runPlay (const std::vector<std::string>& words)
{
    const Arguments args (
        words, { "--seconds", "--device", "--chain", "--start", "--buffer", "--rate", "--platform", "--translation", "--write" });
    if (const auto unknown = args.unknownFlags ({ "--json" }); ! unknown.empty())
        throw std::runtime_error ("unknown option " + unknown.front());
    if (args.positional.size() != 1)
        throw std::runtime_error (
            "usage: crest play FILE|SESSION.crest [--seconds N] [--device jack|alsa|none] [--chain CHAIN.json] "
            "[--start SECONDS] [--buffer N] [--write OUT.wav (with --device none)] [--json]");
    const auto path = args.positional.front();
    const auto kind = args.value ("--device").value_or ("jack");
    if (kind != "jack" && kind != "alsa" && kind != "none")
        throw std::runtime_error ("--device takes jack, alsa or none");
    const double seconds = std::stod (args.value ("--seconds").value_or ("0"));
    const int buffer = std::stoi (args.value ("--buffer").value_or ("256"));
    const bool json = args.has ("--json");
    const auto writePath = args.value ("--write");
    if (writePath && kind != "none")
        throw std::runtime_error ("--write needs --device none (it writes what the player makes, block by block, as fast as it can)");

    std::optional<session::Session> sessionToPlay;
    std::optional<engine::ChainDescription> chain;
    try
    {
        if (juce::File (path).hasFileExtension (session::SessionFile::extension))
            sessionToPlay = session::SessionFile::load (path);
        if (const auto chainPath = args.value ("--chain"))
            chain = engine::ChainFile::load (*chainPath);
    }
    catch (const std::exception& e)
    {
        std::cerr << "crest: " << e.what() << std::endl;
        return exitError;
    }
    if (sessionToPlay)
    {
        // Sources at another rate are converted before playing, here, with progress (never
        // on the audio thread); the player then opens the same converted files as `crest export`.
        std::unique_ptr<Progress> progress;
        std::string progressSource, error;
        const auto converted = album::SourceAudio::prepare (*sessionToPlay, error,
            [&] (const std::string& source, double fraction)
            {
                if (source != progressSource)
                {
                    progress = std::make_unique<Progress> ("converting " + juce::File (source).getFileName().toStdString(), true);
                    progressSource = source;
                }
                progress->update (fraction);
            });
        progress.reset();
        if (! converted)
        {
            std::cerr << "crest: " << error << std::endl;
            return exitError;
        }
    }

    juce::MessageManager::getInstance(); // the device manager's change messages need one (never dispatched here)
    auto player = std::make_unique<live::SessionPlayer>();
    std::unique_ptr<CallbackTiming> timing; // wraps the player's callback on a real device
    juce::AudioDeviceManager manager;
    std::string error;

    // The device decides the rate; the programme must run at it. Without a device, the file's.
    double deviceRate = 0.0;
    if (kind == "none")
    {
        std::string why;
        double rate = 0.0;
        if (sessionToPlay)
            rate = sessionToPlay->sampleRate;
        if (rate <= 0.0)
        {
            const auto& first = sessionToPlay && ! sessionToPlay->tracks.empty() ? sessionToPlay->tracks.front().source : path;
            auto input = engine::AudioFileInput::open (first, why);
            if (input == nullptr)
            {
                reportFileError (first, why);
                return exitError;
            }
            rate = input->info().sampleRate;
        }
        player->prepare (rate, buffer);
        deviceRate = rate;
    }
    else
    {
        const auto problem = openDevice (manager, kind, buffer, std::stod (args.value ("--rate").value_or ("0")));
        if (! problem.empty())
        {
            std::cerr << "crest play: " << kind << ": " << problem << std::endl;
            return exitError;
        }
        timing = std::make_unique<CallbackTiming> (*player);
        manager.addAudioCallback (timing.get()); // prepares the player at the device's rate and block size
        deviceRate = manager.getCurrentAudioDevice()->getCurrentSampleRate();
    }

    const bool loadedOk = sessionToPlay ? player->loadSession (*sessionToPlay, "", error) : player->loadFile (path, error);
    if (! loadedOk)
    {
        manager.closeAudioDevice();
        std::cerr << "crest: " << error << std::endl;
        return exitError;
    }
    if (chain && ! player->setChain (*chain, error))
    {
        manager.closeAudioDevice();
        std::cerr << "crest: chain: " << error << std::endl;
        return exitError;
    }
    if (const auto p = args.value ("--platform"))
    {
        const auto platform = live::platformFromKey (*p);
        if (! platform)
            throw std::runtime_error ("--platform takes spotify, spotify-loud, apple, youtube, tidal, amazon, deezer or none");
        player->setPlatformPreview (*platform);
    }
    if (const auto t = args.value ("--translation"))
    {
        bool found = *t == "off";
        for (auto translation : live::allTranslations)
            if (live::translationKey (translation) == *t)
            {
                player->setTranslation (translation);
                found = true;
            }
        if (! found)
            throw std::runtime_error ("--translation takes mono, phone, earbuds, laptop, car, club or off");
    }
    // Positions count at the engine's rate (the programme's), which may differ from the device's.
    const double engineRate = player->sampleRate();
    if (const auto start = args.value ("--start"))
        player->seek ((int64_t) (std::stod (*start) * engineRate));

    std::signal (SIGINT, onInterrupt);
    std::signal (SIGTERM, onInterrupt);

    const double programmeSeconds = player->lengthSamples() / engineRate;
    const double toPlay = seconds > 0.0 ? std::min (seconds, programmeSeconds) : programmeSeconds;
    int64_t playedSamples = 0;
    const auto started = juce::Time::getMillisecondCounterHiRes();

    std::unique_ptr<MasterWriter> writer;
    if (writePath)
    {
        std::string why;
        auto out = engine::AudioFileOutput::create (*writePath, engineRate, 2, 32, why);
        if (out == nullptr)
        {
            std::cerr << "crest play: " << *writePath << ": " << why << std::endl;
            return exitError;
        }
        const int64_t startAt = (int64_t) (std::stod (args.value ("--start").value_or ("0")) * engineRate);
        const int64_t limit = std::min<int64_t> ((int64_t) std::llround (toPlay * engineRate), player->lengthSamples() - startAt);
        writer = std::make_unique<MasterWriter> (std::move (out), std::max<int64_t> (0, limit));
        player->setMasterTap (writer.get());
    }

    if (kind == "none")
    {
        std::vector<float> l ((size_t) buffer), r ((size_t) buffer);
        player->processBlock (l.data(), r.data(), buffer); // posts a --start seek
        player->waitUntilBuffered (5000);
        player->play();
        const auto wanted = (int64_t) (toPlay * engineRate);
        while (! interrupted.load() && player->isPlaying()
               && (writer != nullptr ? writer->samplesWritten() < writer->samplesWanted() : playedSamples < wanted))
        {
            player->waitUntilBuffered (5000);
            player->processBlock (l.data(), r.data(), buffer);
            playedSamples += buffer;
        }
        if (writer != nullptr)
            playedSamples = writer->samplesWritten();
        for (int i = 0; i < 8; ++i) // let the meters publish their last frame
            player->processBlock (l.data(), r.data(), buffer);
        player->setMasterTap (nullptr);
        if (writer != nullptr)
        {
            std::string why;
            if (! writer->finish (why))
            {
                std::cerr << "crest play: " << *writePath << ": " << why << std::endl;
                return exitError;
            }
        }
    }
    else
    {
        juce::Thread::sleep (50);
        player->waitUntilBuffered (5000);
        player->play();
        const bool tty = isatty (fileno (stderr)) != 0;
        while (
            ! interrupted.load() && player->isPlaying() && (juce::Time::getMillisecondCounterHiRes() - started) / 1000.0 < toPlay)
        {
            juce::Thread::sleep (100);
            player->collectGarbage();
            if (tty && ! json)
            {
                const auto& s = player->outputMeters();
                std::fprintf (stderr, "\r  %6.1f s  M %s  S %s  I %s   ", player->positionSeconds(),
                    text (s.momentaryLufs, "LUFS").c_str(), text (s.shortTermLufs, "LUFS").c_str(),
                    text (s.integratedLufs, "LUFS").c_str());
            }
        }
        if (tty && ! json)
            std::fprintf (stderr, "\n");
        playedSamples = player->position();
        player->stop();
        juce::Thread::sleep (50);
    }

    auto* device = manager.getCurrentAudioDevice();
    const int xruns = device != nullptr ? device->getXRunCount() : 0;
    const auto deviceName
        = device != nullptr ? device->getTypeName().toStdString() + ": " + device->getName().toStdString() : std::string ("none");
    const int deviceBuffer = device != nullptr ? device->getCurrentBufferSizeSamples() : buffer;
    if (kind != "none")
    {
        manager.removeAudioCallback (timing.get());
        manager.closeAudioDevice();
    }
    const auto output = player->outputMeters(), input = player->inputMeters();
    const double wallSeconds = (juce::Time::getMillisecondCounterHiRes() - started) / 1000.0;

    if (json)
    {
        nlohmann::json j { { "file", path }, { "device", deviceName }, { "sample_rate", deviceRate },
            { "buffer_size", deviceBuffer }, { "engine_rate", engineRate }, { "seconds_played", playedSamples / engineRate },
            { "wall_seconds", std::round (wallSeconds * 100.0) / 100.0 }, { "xruns", xruns },
            { "underruns", player->underruns() }, { "input", metersJson (input) }, { "output", metersJson (output) } };
        if (timing != nullptr)
            j["callback"] = callbackJson (timing->figures());
        if (const auto g = player->platformGain())
            j["platform_gain_db"] = std::round (g->gainDb * 100.0) / 100.0;
        std::cout << j.dump() << std::endl;
    }
    else
    {
        std::printf ("Played %.1f s of %s (%.0f Hz) on %s (%.0f Hz, %d samples)\n", playedSamples / engineRate, path.c_str(),
            engineRate, deviceName.c_str(), deviceRate, deviceBuffer);
        std::printf ("  output: integrated %s, LRA %s, true peak %.1f dBTP\n", text (output.integratedLufs, "LUFS").c_str(),
            text (output.loudnessRangeLu, "LU").c_str(), std::max (output.truePeakMaxDb[0], output.truePeakMaxDb[1]));
        std::printf ("  input:  integrated %s\n", text (input.integratedLufs, "LUFS").c_str());
        std::printf ("  xruns %d, disk underruns %lld\n", xruns, (long long) player->underruns());
        if (timing != nullptr)
        {
            const auto f = timing->figures();
            std::printf ("  callback: %lld cycles of %.2f ms, CPU mean %.3f ms, 99.9 %% under %.2f ms, max %.3f ms; "
                         "%lld waited, %lld preempted, %lld late\n",
                (long long) f.cycles, f.budgetMs, f.meanCpuMs, f.cpuP999Ms, f.maxCpuMs, (long long) f.blockedCycles,
                (long long) f.preemptedCycles, (long long) f.lateCycles);
        }
    }
    return interrupted.load() ? exitError : exitOk;
}

} // namespace crest::cli
