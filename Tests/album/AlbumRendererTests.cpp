#include "TestSignals.h"
#include "album/AlbumRenderer.h"
#include "album/Fades.h"
#include "engine/ChainFile.h"
#include "engine/OfflineRenderer.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using namespace crest;

namespace
{
/** A constant (DC) stereo signal: every sample's value is known exactly. */
test::Buffer constant (int samples, float value)
{
    test::Buffer b (2, samples);
    for (int c = 0; c < 2; ++c)
        juce::FloatVectorOperations::fill (b.getWritePointer (c), value, samples);
    return b;
}

test::Buffer readAll (engine::AudioStream& stream, int readSize = 1000)
{
    test::Buffer out (2, (int) stream.lengthInSamples());
    int at = 0;
    for (;;)
    {
        float* p[2] = { out.getWritePointer (0, at), out.getWritePointer (1, at) };
        const int n = stream.read (p, std::min (readSize, out.getNumSamples() - at));
        REQUIRE (n >= 0);
        if (n == 0)
            break;
        at += n;
    }
    REQUIRE (at == out.getNumSamples());
    return out;
}

album::Timeline timelineOf (const session::Session& s, album::Alignment alignment = album::Alignment::samples)
{
    std::string error;
    auto t = album::Timeline::fromSources (s, alignment, error);
    INFO (error);
    REQUIRE (t.has_value());
    return *t;
}

long residentKilobytes()
{
    std::ifstream status ("/proc/self/status");
    std::string line;
    while (std::getline (status, line))
        if (line.rfind ("VmRSS:", 0) == 0)
            return std::stol (line.substr (6));
    return 0;
}

/** Reads a stream to its end in 8192-sample blocks, sampling resident memory every
    `everyBlocks` blocks: the samples read and the peak (starting from the memory before). */
struct Drained
{
    int64_t samples = 0;
    long peakKilobytes = 0;
};

Drained drainWatchingMemory (engine::AudioStream& stream, int everyBlocks)
{
    Drained d;
    d.peakKilobytes = residentKilobytes();
    std::vector<float> l (8192), r (8192);
    float* p[2] = { l.data(), r.data() };
    for (int n; (n = stream.read (p, 8192)) > 0;)
    {
        d.samples += n;
        if ((d.samples / 8192) % everyBlocks == 0)
            d.peakKilobytes = std::max (d.peakKilobytes, residentKilobytes());
    }
    return d;
}
} // namespace

TEST_CASE ("Album stream: gaps are digital silence, fades and crossfades hit their curves", "[album][render]")
{
    const auto dir = test::tempDir();
    const double rate = 44100;
    session::Session s;
    s.tracks.resize (2);
    s.tracks[0].source = test::writeWav (dir + "/one.wav", constant (44100, 0.25f), rate, 32);
    s.tracks[1].source = test::writeWav (dir + "/two.wav", constant (30000, 0.5f), rate, 32);
    s.tracks[0].gapSeconds = 0.1;                               // 4410 samples
    s.tracks[0].fadeIn = { 0.01, session::FadeCurve::sCurve }; // 441 samples
    s.tracks[1].crossfade = session::Fade { 0.1, session::FadeCurve::linear };
    s.tracks[1].fadeOut = { 0.05, session::FadeCurve::equalPower }; // 2205 samples
    s.tracks[1].gainDb = -6.0;

    const auto timeline = timelineOf (s);
    std::string error;
    auto stream = album::AlbumStream::album (s, timeline, error, 512);
    INFO (error);
    REQUIRE (stream != nullptr);
    CHECK (stream->lengthInSamples() == 4410 + 44100 + 30000 - 4410);
    const auto out = readAll (*stream, 777);

    for (int i = 0; i < 4410; ++i)
        REQUIRE (out.getSample (0, i) == 0.0f); // exact silence
    for (int i : { 0, 1, 100, 220, 440 })
        CHECK (out.getSample (0, 4410 + i) == Approx (0.25 * album::fadeInGain (session::FadeCurve::sCurve, i, 441)).margin (1e-7));
    CHECK (out.getSample (1, 4410 + 1000) == 0.25f);

    const double g2 = std::pow (10.0, -6.0 / 20.0);
    const int overlapStart = 4410 + 44100 - 4410;
    for (int i : { 0, 1, 2000, 4409 })
    {
        const double expected = 0.25 * album::fadeOutGain (session::FadeCurve::linear, i, 4410)
                                + 0.5 * g2 * album::fadeInGain (session::FadeCurve::linear, i, 4410);
        CHECK (out.getSample (0, overlapStart + i) == Approx (expected).margin (1e-6));
    }
    const int fadeOutStart = overlapStart + 30000 - 2205;
    for (int i : { 0, 1000, 2204 })
        CHECK (out.getSample (1, fadeOutStart + i)
               == Approx (0.5 * g2 * album::fadeOutGain (session::FadeCurve::equalPower, i, 2205)).margin (1e-6));

    SECTION ("a per-track stream is the album's samples from the track's start to its own end")
    {
        for (int index : { 0, 1 })
        {
            auto track = album::AlbumStream::track (s, timeline, index, error);
            REQUIRE (track != nullptr);
            const auto& p = timeline.tracks()[(size_t) index];
            CHECK (track->lengthInSamples() == p.ownAudioEnd - p.audioStart);
            const auto alone = readAll (*track);
            for (int c = 0; c < 2; ++c)
                for (int i = 0; i < alone.getNumSamples(); ++i)
                    REQUIRE (alone.getSample (c, i) == out.getSample (c, (int) p.audioStart + i));
        }
    }
}

TEST_CASE ("Album stream runs each track through its chain like renderFile, latency removed", "[album][render]")
{
    const auto dir = test::tempDir();
    const double rate = 44100;
    const auto chain = engine::ChainFile::load (std::string (CREST_SOURCE_DIR) + "/Resources/presets/gentle-master.json");
    session::Session s;
    s.chain = chain;
    s.tracks.resize (3);
    s.tracks[0].source = test::writeWav (dir + "/a.wav", test::musicLike (rate, 6.0), rate, 32);
    s.tracks[1].source = test::writeWav (dir + "/b.wav", test::pinkNoise (rate, 2, 5.0, -20.0), rate, 32);
    s.tracks[2].source = test::writeWav (dir + "/c.wav", test::sine (rate, 1, 4.0, 440.0, -12.0), rate, 32); // mono
    s.tracks[1].crossfade = session::Fade { 1.0, session::FadeCurve::equalPower };
    s.tracks[2].chain = engine::ChainDescription {}; // its own (empty) chain

    const auto timeline = timelineOf (s, album::Alignment::cdFrames);
    std::string error;
    auto stream = album::AlbumStream::album (s, timeline, error);
    REQUIRE (stream != nullptr);
    const auto albumOut = readAll (*stream, 4096);
    CHECK (albumOut.getNumSamples() % 588 == 0);

    // Track 1 alone through the chain by the offline renderer: the album holds the same samples.
    const auto rendered = dir + "/a-rendered.wav";
    engine::RenderOptions options;
    options.bitsPerSample = 32;
    REQUIRE (engine::renderFile (s.tracks[0].source, rendered, chain, options, error).has_value());
    std::string why;
    auto reference = engine::AudioFileInput::open (rendered, why);
    REQUIRE (reference != nullptr);
    juce::AudioBuffer<float> ref (2, (int) reference->info().lengthInSamples);
    REQUIRE (reference->read (ref, ref.getNumSamples()) == ref.getNumSamples());
    const auto& p0 = timeline.tracks()[0];
    double worst = 0.0;
    for (int c = 0; c < 2; ++c)
        for (int i = 0; i < (int) p0.ownAudioEnd - (int) p0.audioStart; ++i)
            worst = std::max (worst, (double) std::abs (ref.getSample (c, i) - albumOut.getSample (c, (int) p0.audioStart + i)));
    CHECK (worst < 1.0e-6);

    // The mono track with an empty chain is the sine itself, on both sides.
    const auto& p2 = timeline.tracks()[2];
    const auto sine = test::sine (rate, 1, 4.0, 440.0, -12.0);
    for (int i : { 0, 1000, 100000, 176399 })
    {
        CHECK (albumOut.getSample (0, (int) p2.audioStart + i) == Approx (sine.getSample (0, i)).margin (1e-7));
        CHECK (albumOut.getSample (1, (int) p2.audioStart + i) == Approx (sine.getSample (0, i)).margin (1e-7));
    }
    // After the last track's audio, the CD padding is silence.
    for (int i = (int) p2.audioEnd; i < albumOut.getNumSamples(); ++i)
        REQUIRE (albumOut.getSample (0, i) == 0.0f);

    // The crossfaded track alone nulls against the album, chain state and all.
    auto second = album::AlbumStream::track (s, timeline, 1, error);
    REQUIRE (second != nullptr);
    const auto alone = readAll (*second, 3000);
    const auto& p1 = timeline.tracks()[1];
    for (int c = 0; c < 2; ++c)
        for (int i = 0; i < alone.getNumSamples(); ++i)
            REQUIRE (alone.getSample (c, i) == albumOut.getSample (c, (int) p1.audioStart + i));
}

TEST_CASE ("Album stream errors name the track and the file", "[album][render]")
{
    const auto dir = test::tempDir();
    session::Session s;
    s.tracks.resize (2);
    s.tracks[0].source = test::writeWav (dir + "/one.wav", constant (4410, 0.1f), 44100, 24);
    s.tracks[1].source = test::writeWav (dir + "/two.wav", constant (4410, 0.1f), 44100, 24);
    const auto timeline = timelineOf (s);
    std::filesystem::remove (s.tracks[1].source);
    std::string error;
    CHECK (album::AlbumStream::album (s, timeline, error) == nullptr);
    CHECK_THAT (error, Catch::Contains ("track 2") && Catch::Contains ("two.wav"));

    test::Buffer fourChannels (4, 4410);
    fourChannels.clear(); // juce::AudioBuffer leaves new memory uninitialised
    s.tracks[1].source = test::writeWav (dir + "/four.wav", fourChannels, 44100, 24);
    CHECK (album::AlbumStream::album (s, timeline, error) == nullptr);
    CHECK_THAT (error, Catch::Contains ("track 2") && Catch::Contains ("4 channels"));
}

TEST_CASE ("Album stream memory does not grow with the album's length", "[album][render][memory]")
{
    // 20 tracks of one 30 s, 96 kHz file: a 10-minute album, rendered while watching the
    // process's resident memory. (The full 90-minute check runs with [.bench] below.)
    const auto dir = test::tempDir();
    const double rate = 96000;
    const auto file = test::writeWav (dir + "/long.wav", test::pinkNoise (rate, 2, 30.0, -18.0), rate, 24);
    session::Session s;
    for (int i = 0; i < 20; ++i)
    {
        session::Track t;
        t.source = file;
        t.gapSeconds = 1.0;
        if (i > 0 && i % 4 == 0)
            t.crossfade = session::Fade { 3.0, session::FadeCurve::equalPower };
        s.tracks.push_back (t);
    }
    const auto timeline = timelineOf (s);
    std::string error;
    auto stream = album::AlbumStream::album (s, timeline, error);
    REQUIRE (stream != nullptr);
    const long before = residentKilobytes();
    const auto drained = drainWatchingMemory (*stream, 64);
    CHECK (drained.samples == timeline.lengthInSamples());
    INFO ("resident memory grew by " << (drained.peakKilobytes - before) / 1024 << " MB");
    CHECK (drained.peakKilobytes - before < 64 * 1024);
}

TEST_CASE ("Album stream: a 20-track, 90-minute album at 96 kHz stays well under 500 MB", "[.][album][bench]")
{
    // Hidden (run with "[bench]"): writes a 155 MB source and renders 90 minutes from it.
    const auto dir = test::tempDir();
    const double rate = 96000;
    const auto file = test::writeWav (dir + "/long.wav", test::pinkNoise (rate, 2, 270.0, -18.0), rate, 24);
    session::Session s;
    for (int i = 0; i < 20; ++i)
    {
        session::Track t;
        t.source = file;
        t.gapSeconds = 0.0;
        s.tracks.push_back (t);
    }
    const auto timeline = timelineOf (s);
    std::string error;
    auto stream = album::AlbumStream::album (s, timeline, error);
    REQUIRE (stream != nullptr);
    const auto started = juce::Time::getMillisecondCounterHiRes();
    const auto drained = drainWatchingMemory (*stream, 256);
    const double seconds = (juce::Time::getMillisecondCounterHiRes() - started) / 1000.0;
    CHECK (drained.samples == (int64_t) (90 * 60 * rate));
    WARN ("90-minute 96 kHz album: " << seconds << " s (" << (90 * 60) / seconds << "x real time), peak resident "
                                      << drained.peakKilobytes / 1024 << " MB");
    CHECK (drained.peakKilobytes < 500 * 1024);
}
