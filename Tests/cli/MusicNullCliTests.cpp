// Issue 10's acceptance check on real music: a session of three wesnoth-music excerpts at 44.1
// kHz/16-bit, 96 kHz/24-bit and 48 kHz/24-bit, one track on its own chain (compressor and
// limiter), fades on limited tracks, a crossfade into the last, and an album chain of a
// linear-phase EQ, a multiband and a limiter at the delivery ceiling. What `crest play --device
// none --write` produces must be what `crest export --targets streaming` delivers (normalisation
// off, 24-bit), and after a seek, once the pre-roll is done, it must converge to it.
//
// Hidden ([.]): the CTest live.music-null runs it and skips (77) without wesnoth-music, which CI
// installs (Installers/install-deps.sh). Run by tag here without the music, it warns and passes.

#include "TestSignals.h"
#include "album/Timeline.h"
#include "engine/AudioFileInput.h"
#include "engine/SampleRateConversion.h"
#include "export/BufferStream.h"
#include "session/SessionFile.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>

using namespace crest;
namespace fs = std::filesystem;

namespace
{
std::pair<int, std::string> runCrest (const std::string& arguments)
{
    return test::run (std::string (CREST_CLI_PATH) + " " + arguments + " 2>&1");
}

/** wesnoth-music's folder (any version), or empty. */
std::string musicFolder()
{
    const fs::path games ("/usr/share/games/wesnoth");
    std::error_code e;
    if (! fs::is_directory (games, e))
        return {};
    for (const auto& version : fs::directory_iterator (games, e))
        if (fs::is_directory (version.path() / "data/core/music", e))
            return (version.path() / "data/core/music").string();
    return {};
}

/** `seconds` of a file from `from` seconds in, stereo, at the file's rate. */
test::Buffer excerpt (const std::string& path, double from, double seconds, double& rate)
{
    std::string error;
    auto in = engine::AudioFileInput::open (path, error);
    INFO (error);
    REQUIRE (in != nullptr);
    rate = in->info().sampleRate;
    const auto start = (int64_t) (from * rate);
    const auto length = (int) (seconds * rate);
    REQUIRE (in->info().lengthInSamples >= start + length);
    juce::AudioBuffer<float> all (std::max (2, in->info().numChannels), (int) (start + length));
    REQUIRE (in->read (all, all.getNumSamples()) == all.getNumSamples());
    test::Buffer out (2, length);
    for (int c = 0; c < 2; ++c)
        out.copyFrom (c, 0, all, std::min (c, in->info().numChannels - 1), (int) start, length);
    return out;
}

/** The same audio at another rate (libsoxr, as a studio would bounce it there). */
test::Buffer atRate (const test::Buffer& audio, double from, double to)
{
    test::BufferStream source (audio, from);
    engine::SampleRateConversion converted (source, to);
    return test::readStream (converted);
}

test::Buffer readAll (const std::string& path)
{
    std::string error;
    auto in = engine::AudioFileInput::open (path, error);
    INFO (path << ": " << error);
    REQUIRE (in != nullptr);
    test::Buffer b (2, (int) in->info().lengthInSamples);
    REQUIRE (in->read (b, b.getNumSamples()) == b.getNumSamples());
    return b;
}

/** The streaming files laid at their tracks' album positions ([audioStart, ownAudioEnd) each). */
test::Buffer deliveredAlbum (const std::string& folder, const album::Timeline& timeline)
{
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator (folder))
        if (entry.path().extension() == ".wav")
            files.push_back (entry.path().string());
    std::sort (files.begin(), files.end());
    REQUIRE (files.size() == timeline.tracks().size());
    test::Buffer album (2, (int) timeline.lengthInSamples());
    album.clear();
    for (size_t t = 0; t < files.size(); ++t)
    {
        const auto file = readAll (files[t]);
        const auto& p = timeline.tracks()[t];
        REQUIRE (file.getNumSamples() == (int) (p.ownAudioEnd - p.audioStart));
        for (int c = 0; c < 2; ++c)
            album.copyFrom (c, (int) p.audioStart, file, c, 0, file.getNumSamples());
    }
    return album;
}

/** Largest |played[i] - album[at + i]| over [from, to) of `played`, in dBFS (-999: none). */
double residualDb (const test::Buffer& played, const test::Buffer& album, int64_t at, int from, int to)
{
    double peak = 0.0;
    for (int c = 0; c < 2; ++c)
        for (int i = from; i < to; ++i)
            peak = std::max (peak, (double) std::abs (played.getSample (c, i) - album.getSample (c, (int) (at + i))));
    return peak > 0.0 ? 20.0 * std::log10 (peak) : -999.0;
}
} // namespace

TEST_CASE ("Real music at mixed rates: crest play --write nulls against the streaming export, and converges after a seek",
    "[.][music][live][render-equality][cli]")
{
    const auto music = musicFolder();
    if (music.empty())
    {
        WARN ("wesnoth-music is not installed: the real-music null is skipped");
        return;
    }
    const auto dir = test::tempDir() + "/music-null";
    fs::remove_all (dir);
    fs::create_directories (dir);

    // Three excerpts (24 s each keeps the test to seconds), bounced to the three rates.
    struct Source
    {
        const char* file;
        double from, rate;
        int bits;
    };
    const Source sources[] = { { "northerners.ogg", 40.0, 44100.0, 16 }, { "elvish-theme.ogg", 60.0, 96000.0, 24 },
        { "the_city_falls.ogg", 30.0, 48000.0, 24 } };
    session::Session s;
    int n = 0;
    for (const auto& source : sources)
    {
        double rate = 0.0;
        auto audio = excerpt (music + "/" + source.file, source.from, 24.0, rate);
        if (source.rate != rate)
            audio = atRate (audio, rate, source.rate);
        session::Track t;
        t.source = test::writeWav (dir + "/track" + std::to_string (++n) + ".wav", audio, source.rate, source.bits);
        t.title = source.file;
        s.tracks.push_back (t);
    }
    // Fades into a limiter (the render applies them after the chain, so must the player): track
    // 1 fades in; track 2, on its own chain, fades out; track 3 crossfades in over 3 s and fades
    // out.
    s.tracks[0].fadeIn = { 0.5, session::FadeCurve::linear };
    s.tracks[0].gapSeconds = 2.0;
    s.tracks[1].gapSeconds = 1.0;
    s.tracks[1].fadeOut = { 2.0, session::FadeCurve::linear };
    s.tracks[1].chain = engine::ChainDescription {};
    s.tracks[1].chain->modules = {
        { "glue", "compressor", false,
            { { "threshold_db", -24.0f }, { "ratio", 2.5f }, { "attack_ms", 10.0f }, { "release_ms", 150.0f } } },
        { "t2-limiter", "limiter", false, { { "input_gain_db", 4.0f }, { "ceiling_dbtp", -1.0f } } },
    };
    s.tracks[2].crossfade = session::Fade { 3.0, session::FadeCurve::equalPower };
    s.tracks[2].fadeOut = { 4.0, session::FadeCurve::linear };
    s.chain.modules = {
        { "tone", "equaliser", false,
            { { "linear_phase", 1.0f }, { "band1_type", 4.0f }, { "band1_freq_hz", 30.0f }, { "band1_slope_db_oct", 3.0f },
                { "band2_type", 1.0f }, { "band2_freq_hz", 250.0f }, { "band2_gain_db", -1.5f }, { "band2_q", 0.9f },
                { "band3_type", 3.0f }, { "band3_freq_hz", 9000.0f }, { "band3_gain_db", 1.5f } } },
        { "bands", "multiband", false, { { "band1_ratio", 2.0f }, { "band2_ratio", 1.5f }, { "band4_ratio", 2.0f } } },
        // At the delivery ceiling (-1 dBTP): the master measures just under it, where the
        // delivery stage once ran a second limiter at 0 dB.
        { "master-limiter", "limiter", false, { { "input_gain_db", 3.0f }, { "ceiling_dbtp", -1.0f }, { "release_ms", 80.0f } } },
    };
    s.deliverables.streamingLufs.reset(); // normalisation off: the streaming file is the master
    const auto sessionPath = dir + "/album.crest";
    session::SessionFile::save (s, sessionPath);

    std::string error;
    auto loaded = session::SessionFile::load (sessionPath);
    auto [status, log]
        = runCrest ("export " + test::quote (sessionPath) + " -o " + test::quote (dir + "/out") + " --targets streaming");
    INFO (log);
    REQUIRE (status == 0);
    const auto timeline = album::Timeline::fromSources (loaded, album::Alignment::samples, error);
    INFO (error);
    REQUIRE (timeline);
    REQUIRE (timeline->sampleRate() == 44100.0);
    const double rate = timeline->sampleRate();
    const auto album = deliveredAlbum (dir + "/out/streaming", *timeline);

    SECTION ("from the start: every track, the crossfade and the fades")
    {
        const auto live = dir + "/live.wav";
        std::tie (status, log) = runCrest ("play " + test::quote (sessionPath) + " --device none --write " + test::quote (live));
        INFO (log);
        REQUIRE (status == 0);
        const auto played = readAll (live);
        REQUIRE (played.getNumSamples() == album.getNumSamples());
        for (const auto& p : timeline->tracks())
        {
            const double residual = residualDb (played, album, 0, (int) p.audioStart, (int) p.ownAudioEnd);
            WARN ("real music, track " << p.number << ": crest play --write vs the 24-bit streaming file: residual peak "
                                       << residual << " dBFS");
            CHECK (residual < -120.0);
            // In fact exact: the 24-bit file is the player's float output rounded (half an LSB).
            // (With the delivery stage's limiter running at 0 dB, as it did, track 1 came out at
            // -130.5 dBFS: this is the check that sees it.)
            CHECK (residual <= -144.49);
        }
    }

    SECTION ("after a seek: once the pre-roll is done, the output converges to the delivery")
    {
        // Deep into a track (the pre-roll starts inside it), into track 2 (own chain) and
        // track 3 after its crossfade. The transport's 3 ms de-click fade-in is skipped.
        const int declick = (int) (0.003 * rate) + 1;
        const struct
        {
            int track;
            double into;
        } seeks[] = { { 1, 12.0 }, { 2, 16.0 } };
        for (const auto& seek : seeks)
        {
            // A whole second of the programme, so --start names the sample exactly.
            const auto& p = timeline->tracks()[(size_t) seek.track];
            const auto second = (int64_t) std::floor ((double) p.audioStart / rate + seek.into);
            const int64_t at = second * (int64_t) rate;
            const auto live = dir + "/seek" + std::to_string (seek.track + 1) + ".wav";
            std::tie (status, log) = runCrest ("play " + test::quote (sessionPath) + " --device none --start "
                + std::to_string (second) + " --seconds 6 --write " + test::quote (live));
            INFO (log);
            REQUIRE (status == 0);
            const auto played = readAll (live);
            REQUIRE (played.getNumSamples() == (int) (6.0 * rate));
            const double residual = residualDb (played, album, at, declick, played.getNumSamples());
            WARN ("real music, seek " << seek.into << " s into track " << seek.track + 1
                                      << ": after the pre-roll, residual peak against the streaming file " << residual
                                      << " dBFS");
            CHECK (residual < -100.0);
        }
    }
}
