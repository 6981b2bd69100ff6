// crest bench, analysis section: `crest analyze`'s whole-file path against libebur128 and ffmpeg
// on the same WAV file of real music, in the same run, alternating, as ratios of medians.

#include "cli/AnalysisBench.h"

#include "cli/CommandLine.h"
#include "demo/DemoMix.h"
#include "engine/AudioFileInput.h"
#include "engine/FileAnalysis.h"
#include "engine/FileStream.h"
#include "engine/SampleRateConversion.h"

#include <juce_audio_formats/juce_audio_formats.h>

#include <ebur128.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <regex>

namespace crest::cli
{
namespace
{
    using Clock = std::chrono::steady_clock;
    constexpr double benchRate = 48000.0;

    struct Readings
    {
        double integrated = -200.0, range = 0.0, truePeakDb = -200.0;
    };

    double secondsSince (Clock::time_point start)
    {
        return std::chrono::duration<double> (Clock::now() - start).count();
    }

    double median (std::vector<double> values)
    {
        std::sort (values.begin(), values.end());
        const size_t n = values.size();
        return n == 0 ? 0.0 : (n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]));
    }

    double loadAverage()
    {
        double load[1] = { 0.0 };
        return getloadavg (load, 1) == 1 ? load[0] : 0.0;
    }

    /** The Ogg Vorbis tracks of Debian's wesnoth-music, sorted by name; empty when not installed. */
    std::vector<juce::File> wesnothMusic()
    {
        std::vector<juce::File> tracks;
        for (const auto& version : juce::File ("/usr/share/games/wesnoth").findChildFiles (juce::File::findDirectories, false))
        {
            const auto dir = version.getChildFile ("data/core/music");
            for (const auto& file : dir.findChildFiles (juce::File::findFiles, false, "*.ogg"))
                tracks.push_back (file);
            if (! tracks.empty())
                break;
        }
        std::sort (tracks.begin(), tracks.end(), [] (const juce::File& a, const juce::File& b) {
            return a.getFullPathName() < b.getFullPathName();
        });
        return tracks;
    }

    /** Decodes a stereo file with Crest's own reader, converts it to the bench rate and appends
        it to `writer`. Returns the seconds written (0 when the file is not usable stereo). */
    double appendTrack (const juce::File& file, juce::AudioFormatWriter& writer)
    {
        std::string error;
        auto source = engine::FileStream::open (file.getFullPathName().toStdString(), error);
        if (source == nullptr || source->numChannels() != 2)
            return 0.0;

        std::unique_ptr<engine::SampleRateConversion> converted;
        engine::AudioStream* stream = source.get();
        if (source->sampleRate() != benchRate)
        {
            converted = std::make_unique<engine::SampleRateConversion> (*source, benchRate);
            stream = converted.get();
        }

        juce::AudioBuffer<float> block (2, 65536);
        int64_t written = 0;
        for (int n; (n = stream->read (block.getArrayOfWritePointers(), block.getNumSamples())) > 0;)
        {
            writer.writeFromFloatArrays (block.getArrayOfReadPointers(), 2, n);
            written += n;
        }
        return (double) written / benchRate;
    }

    Readings crestOnce (const std::string& path, engine::AnalysisThreads threads, double& seconds)
    {
        std::string error;
        const auto start = Clock::now();
        const auto r = engine::analyseFile (path, error, {}, nullptr, threads);
        seconds = secondsSince (start);
        if (! r)
            throw std::runtime_error (error);
        return { r->analysis.integratedLufs.value_or (-200.0), r->analysis.loudnessRangeLu.value_or (0.0),
                 r->analysis.truePeakDbtp.value_or (-200.0) };
    }

    /** libebur128 over the same file, read by the same reader in the same one-second blocks. */
    Readings libebur128Once (const std::string& path, double& seconds)
    {
        const auto start = Clock::now();
        std::string error;
        const auto input = engine::AudioFileInput::open (path, error);
        if (input == nullptr)
            throw std::runtime_error (error);

        const int channels = input->info().numChannels;
        const int block = (int) std::ceil (input->info().sampleRate);
        juce::AudioBuffer<float> buffer (channels, block);
        std::vector<float> interleaved ((size_t) block * (size_t) channels);
        auto* state = ebur128_init ((unsigned) channels, (unsigned long) input->info().sampleRate,
                                    EBUR128_MODE_I | EBUR128_MODE_LRA | EBUR128_MODE_TRUE_PEAK);
        while (const int n = input->read (buffer, block))
        {
            for (int c = 0; c < channels; ++c)
            {
                const float* x = buffer.getReadPointer (c);
                for (int i = 0; i < n; ++i)
                    interleaved[(size_t) i * (size_t) channels + (size_t) c] = x[i];
            }
            ebur128_add_frames_float (state, interleaved.data(), (size_t) n);
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
        seconds = secondsSince (start);
        return r;
    }

    /** ffmpeg's ebur128 filter with true peak, as a whole process (per-frame lines at the verbose
        level, so the peer is not slowed by printing them). */
    Readings ffmpegOnce (const std::string& path, double& seconds)
    {
        const std::string command = "ffmpeg -hide_banner -nostats -nostdin -i '" + path
                                    + "' -af ebur128=peak=true:framelog=verbose -f null - 2>&1";
        const auto start = Clock::now();
        std::FILE* pipe = popen (command.c_str(), "r");
        if (pipe == nullptr)
            throw std::runtime_error ("cannot run ffmpeg");
        std::string out;
        char chunk[4096];
        for (size_t n; (n = std::fread (chunk, 1, sizeof (chunk), pipe)) > 0;)
            out.append (chunk, n);
        const int status = pclose (pipe);
        seconds = secondsSince (start);

        const auto summary = out.rfind ("Summary:");
        if (status != 0 || summary == std::string::npos)
            throw std::runtime_error ("ffmpeg failed on " + path);
        const auto text = out.substr (summary);
        const auto number = [&text] (const char* pattern) {
            std::smatch m;
            return std::regex_search (text, m, std::regex (pattern)) ? std::stod (m[1]) : -200.0;
        };
        return { number (R"(I:\s+(-?[0-9.]+) LUFS)"), number (R"(LRA:\s+(-?[0-9.]+) LU)"), number (R"(Peak:\s+(-?[0-9.]+) dBFS)") };
    }
} // namespace

std::string writeBenchProgramme (const std::string& file, double minutes, double& seconds)
{
    const juce::File path (file);
    juce::WavAudioFormat wav;
    std::unique_ptr<juce::AudioFormatWriter> writer (
        wav.createWriterFor (path.createOutputStream().release(), benchRate, 2, 32, {}, 0));
    if (writer == nullptr)
        throw std::runtime_error ("cannot write " + path.getFullPathName().toStdString());

    seconds = 0.0;
    int tracks = 0;
    for (const auto& track : wesnothMusic())
    {
        if (seconds >= minutes * 60.0)
            break;
        const double s = appendTrack (track, *writer);
        seconds += s;
        tracks += s > 0.0 ? 1 : 0;
    }
    if (tracks > 0)
        return std::to_string (tracks) + " tracks of wesnoth-music (Ogg Vorbis decoded and resampled by Crest)";

    const auto mix = demo::DemoMix::render (benchRate, minutes * 60.0);
    writer->writeFromAudioSampleBuffer (mix, 0, mix.getNumSamples());
    seconds = mix.getNumSamples() / benchRate;
    return "the synthesised demo mix (install wesnoth-music to measure real music)";
}

bool wesnothMusicInstalled()
{
    return ! wesnothMusic().empty();
}

int runAnalysisBench (double minutes, int runs)
{
    const auto dir = juce::File::getSpecialLocation (juce::File::tempDirectory).getNonexistentChildFile ("crest-bench-analysis", "", false);
    dir.createDirectory();
    const auto file = dir.getChildFile ("programme.wav");
    const auto path = file.getFullPathName().toStdString();

    std::printf ("Preparing about %.0f minutes of music as a 48 kHz stereo float WAV...\n", minutes);
    std::fflush (stdout);
    double duration = 0.0;
    const auto description = writeBenchProgramme (file.getFullPathName().toStdString(), minutes, duration);
    const bool haveFfmpeg = std::system ("command -v ffmpeg >/dev/null 2>&1") == 0;

    // Alternate the programs so that machine noise hits them alike; report medians.
    const double loadBefore = loadAverage();
    std::vector<double> two, one, ebur, ffmpeg;
    Readings crest {}, peer {}, ffmpegReadings {};
    for (int run = 0; run < runs; ++run)
    {
        double t = 0.0;
        crest = crestOnce (path, engine::AnalysisThreads::automatic, t);
        two.push_back (t);
        peer = libebur128Once (path, t);
        ebur.push_back (t);
        crestOnce (path, engine::AnalysisThreads::one, t);
        one.push_back (t);
        if (haveFfmpeg)
        {
            ffmpegReadings = ffmpegOnce (path, t);
            ffmpeg.push_back (t);
        }
    }
    const double loadAfter = loadAverage();
    dir.deleteRecursively();

    int major = 0, minor = 0, patch = 0;
    ebur128_get_version (&major, &minor, &patch);
    const char* versionFormat = "libebur128 %d.%d.%d (I/LRA, 4x true peak; Crest's file reader)";
    char libebur128Label[96];
    std::snprintf (libebur128Label, sizeof (libebur128Label), versionFormat, major, minor, patch);

    const double tTwo = median (two), tOne = median (one), tEbur = median (ebur), tFfmpeg = median (ffmpeg);
    std::printf ("\nWhole-file analysis of %.0f s of 48 kHz stereo: %s.\n", duration, description.c_str());
    std::printf ("Medians of %d alternating runs from the same WAV file; load average %.1f before, %.1f after; %d usable cores.\n",
                 runs, loadBefore, loadAfter, engine::usableCores());
    const auto line = [duration] (const char* label, double seconds) {
        std::printf ("  %-66s %8.1fx real time  (%.3f s)\n", label, duration / seconds, seconds);
    };
    line ("Crest analyze, two threads (M/S/I/LRA, 8x true peak, levels, clips,", tTwo);
    std::printf ("  %-66s\n", "  DC, stereo field, FFTW spectrum)");
    line ("Crest analyze, one thread", tOne);
    line (libebur128Label, tEbur);
    if (haveFfmpeg)
        line ("ffmpeg ebur128=peak=true (the whole process)", tFfmpeg);
    std::printf ("  %-66s two threads %5.2f   one thread %5.2f\n", "ratio Crest speed / libebur128 speed", tEbur / tTwo, tEbur / tOne);
    if (haveFfmpeg)
        std::printf ("  %-66s two threads %5.2f   one thread %5.2f\n", "ratio Crest speed / ffmpeg speed", tFfmpeg / tTwo, tFfmpeg / tOne);
    else
        std::printf ("  (ffmpeg is not installed: no ffmpeg ratio)\n");

    std::printf ("\nReadings:            Crest   libebur128       ffmpeg\n");
    std::printf ("  integrated LUFS  %9.2f    %9.2f    %9.1f\n", crest.integrated, peer.integrated, ffmpegReadings.integrated);
    std::printf ("  LRA LU           %9.2f    %9.2f    %9.1f   (Crest steps 3 s windows at 10 Hz per Tech 3342; the others at 1 Hz)\n",
                 crest.range, peer.range, ffmpegReadings.range);
    std::printf ("  true peak dBTP   %9.2f    %9.2f    %9.1f   (8x vs 4x oversampling)\n", crest.truePeakDb, peer.truePeakDb,
                 ffmpegReadings.truePeakDb);
    return exitOk;
}

} // namespace crest::cli
