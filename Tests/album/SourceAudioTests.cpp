// Sources at any rate in one session: converted once into the session's cache, reused, keyed on
// the source's content, and bad files refused by name with nothing written (issue 10, item 3).

#include "TestSignals.h"
#include "album/AlbumRenderer.h"
#include "album/SourceAudio.h"
#include "engine/SampleRateConversion.h"
#include "session/SessionFile.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using namespace crest;
namespace fs = std::filesystem;

namespace
{
    int filesIn (const std::string& folder)
    {
        std::error_code ec;
        if (! fs::is_directory (folder, ec))
            return 0;
        int n = 0;
        for ([[maybe_unused]] const auto& entry : fs::directory_iterator (folder))
            ++n;
        return n;
    }

    /** A 16-bit stereo WAV header claiming `rate` and `dataBytes` of audio, followed by `actualBytes` of it. */
    void writeLyingWav (const std::string& path, uint32_t rate, uint32_t dataBytes, uint32_t actualBytes)
    {
        std::ofstream out (path, std::ios::binary);
        auto u32 = [&] (uint32_t v) { out.write (reinterpret_cast<const char*> (&v), 4); };
        auto u16 = [&] (uint16_t v) { out.write (reinterpret_cast<const char*> (&v), 2); };
        out.write ("RIFF", 4);
        u32 (36 + dataBytes);
        out.write ("WAVEfmt ", 8);
        u32 (16);
        u16 (1);
        u16 (2);
        u32 (rate);
        u32 (rate * 4);
        u16 (4);
        u16 (16);
        out.write ("data", 4);
        u32 (dataBytes);
        const std::vector<char> audio (actualBytes, 1);
        out.write (audio.data(), (std::streamsize) audio.size());
    }
} // namespace

TEST_CASE ("A source at another rate is converted once into the cache, then reused", "[album][src]")
{
    const auto dir = test::tempDir() + "/source-audio-cache";
    fs::create_directories (dir);
    const auto cache = dir + "/album.crest-cache";
    const auto source = test::writeWav (dir + "/hires.wav", test::musicLike (96000.0, 3.0), 96000.0, 24);

    std::string error;
    int progressCalls = 0;
    auto input = album::SourceAudio::open (source, 44100.0, cache, error, [&] (const std::string&, double) { ++progressCalls; });
    REQUIRE (input != nullptr);
    CHECK (progressCalls > 0);
    CHECK (input->info().sampleRate == 44100.0);
    CHECK (input->info().lengthInSamples == engine::SampleRateConversion::convertedLength (3 * 96000, 96000.0, 44100.0));
    CHECK (input->info().bitsPerSample == 32);
    CHECK (filesIn (cache) == 1);
    const auto converted = input->info().path;
    const auto firstWrite = fs::last_write_time (converted);
    input.reset();

    // The second open reuses the file: no progress, the same file untouched.
    progressCalls = 0;
    input = album::SourceAudio::open (source, 44100.0, cache, error, [&] (const std::string&, double) { ++progressCalls; });
    REQUIRE (input != nullptr);
    CHECK (progressCalls == 0);
    CHECK (input->info().path == converted);
    CHECK (fs::last_write_time (converted) == firstWrite);

    // The describe() of a source says what it is at the session rate without converting.
    const auto described = album::SourceAudio::describe (source, 44100.0, error);
    REQUIRE (described);
    CHECK (described->lengthInSamples == input->info().lengthInSamples);
    input.reset();

    // A source at the session rate is its own audio: nothing is converted.
    CHECK (album::SourceAudio::resolve (source, 96000.0, cache, error) == source);

    // A changed source (new content, same name) gets a new cache file, never the stale one.
    test::writeWav (source, test::musicLike (96000.0, 2.0), 96000.0, 24);
    const auto changed = album::SourceAudio::resolve (source, 44100.0, cache, error);
    REQUIRE (changed);
    CHECK (*changed != converted);
    CHECK (filesIn (cache) == 2);
}

TEST_CASE ("A mixed-rate session renders every track at the session rate", "[album][src]")
{
    const auto dir = test::tempDir() + "/mixed-render";
    fs::create_directories (dir);
    session::Session s;
    s.sourceCache = dir + "/cache";
    const std::pair<double, int> sources[] = { { 44100.0, 16 }, { 96000.0, 24 }, { 48000.0, 32 } };
    for (const auto& [rate, bits] : sources)
    {
        session::Track t;
        t.source = test::writeWav (dir + "/t" + std::to_string ((int) rate) + ".wav", test::sine (rate, 2, 2.0, 1000.0, -12.0), rate,
                                   bits);
        t.gapSeconds = 0.5;
        s.tracks.push_back (t);
    }
    std::string error;
    const auto timeline = album::Timeline::fromSources (s, album::Alignment::samples, error);
    REQUIRE (timeline);
    CHECK (timeline->sampleRate() == 44100.0);
    for (const auto& p : timeline->tracks())
        CHECK (p.length() == 88200);

    const auto conversions = album::SourceAudio::prepare (s, error);
    REQUIRE (conversions);
    REQUIRE (conversions->size() == 2);
    CHECK ((*conversions)[0].role == "track 2");
    CHECK ((*conversions)[0].fromRate == 96000.0);
    CHECK ((*conversions)[0].fromBits == 24);
    CHECK ((*conversions)[1].fromRate == 48000.0);

    // Each track is a 1 kHz sine at -12 dBFS after conversion: the same level as at its own rate.
    for (int i = 0; i < 3; ++i)
    {
        auto track = album::AlbumStream::track (s, *timeline, i, error);
        REQUIRE (track != nullptr);
        juce::AudioBuffer<float> audio (2, (int) track->lengthInSamples());
        REQUIRE (track->read (audio.getArrayOfWritePointers(), audio.getNumSamples()) == audio.getNumSamples());
        const float peak = audio.getMagnitude (0, 4410, 88200 - 8820);
        CHECK (juce::Decibels::gainToDecibels (peak) == Approx (-12.0).margin (0.01));
    }
}

TEST_CASE ("Sources with an absurd rate or a lying header are refused by name, nothing written", "[album][src]")
{
    const auto dir = test::tempDir() + "/bad-sources";
    fs::create_directories (dir);
    const auto good = test::writeWav (dir + "/good.wav", test::sine (96000.0, 2, 1.0, 440.0, -6.0), 96000.0, 24);
    struct Bad
    {
        const char* name;
        uint32_t rate, claimed, actual;
        const char* says;
    };
    const Bad bads[] = {
        { "one-hertz.wav", 1, 40000, 40000, "sample rate" },
        { "ten-megahertz.wav", 10000000, 40000, 40000, "sample rate" },
        { "truncated.wav", 48000, 4000000, 4000, "truncated" },
    };
    for (const auto& bad : bads)
    {
        DYNAMIC_SECTION (bad.name)
        {
            const auto path = dir + "/" + bad.name;
            writeLyingWav (path, bad.rate, bad.claimed, bad.actual);
            session::Session s;
            s.sampleRate = 44100.0;
            s.sourceCache = dir + "/cache-" + bad.name;
            for (const auto& source : { good, path })
            {
                session::Track t;
                t.source = source;
                s.tracks.push_back (t);
            }
            std::string error;
            CHECK_FALSE (album::SourceAudio::prepare (s, error));
            CHECK_THAT (error, Catch::Contains (bad.name) && Catch::Contains ("track 2") && Catch::Contains (bad.says));
            CHECK (filesIn (s.sourceCache) == 0); // not even the good track's conversion
            CHECK_FALSE (album::Timeline::fromSources (s, album::Alignment::samples, error));
            CHECK_THAT (error, Catch::Contains (bad.name));
        }
    }
}

TEST_CASE ("The session rate is one of the six mastering rates, set and saved", "[session][src]")
{
    session::Session s;
    for (const double rate : session::SessionFile::sessionRates)
    {
        session::SessionFile::setAlbumField (s, "sample_rate", std::to_string ((int) rate));
        CHECK (s.sampleRate == rate);
    }
    for (const char* bad : { "1", "22050", "32000", "10000000", "44100.5" })
        CHECK_THROWS_WITH (session::SessionFile::setAlbumField (s, "sample_rate", bad),
                           Catch::Contains ("sample_rate") && Catch::Contains ("44100, 48000, 88200, 96000, 176400 or 192000"));
    session::SessionFile::setAlbumField (s, "sample_rate", "0");
    CHECK (s.sampleRate == 0.0);

    const auto folder = test::tempDir();
    const auto path = folder + "/rate.crest";
    session::SessionFile::setAlbumField (s, "sample_rate", "88200");
    session::SessionFile::save (s, path);
    const auto loaded = session::SessionFile::load (path);
    CHECK (loaded.sampleRate == 88200.0);
    CHECK (loaded.sourceCache == folder + "/rate.crest-cache");
}

TEST_CASE ("Converted files no source plays any more are pruned from the cache, and nothing else", "[album][src]")
{
    const auto dir = test::tempDir() + "/source-audio-prune";
    fs::remove_all (dir);
    fs::create_directories (dir);
    session::Session s;
    s.sourceCache = dir + "/album.crest-cache";
    session::Track first, second;
    first.source = test::writeWav (dir + "/first.wav", test::sine (44100.0, 2, 1.0, 440.0, -12.0), 44100.0, 16);
    second.source = test::writeWav (dir + "/second.wav", test::musicLike (48000.0, 1.0), 48000.0, 24);
    s.tracks = { first, second };
    session::Reference reference;
    reference.source = test::writeWav (dir + "/client.wav", test::musicLike (96000.0, 1.0), 96000.0, 24);
    s.references = { reference };

    std::string error;
    REQUIRE (album::SourceAudio::prepare (s, error));
    REQUIRE (filesIn (s.sourceCache) == 2);
    const auto before = album::SourceAudio::conversions (s);

    // What Crest did not write there stays: a user's file, a partial file being written, a WAV
    // whose name is not a cache name.
    for (const char* name : { "notes.txt", ".second-0123456789abcdef-44100.wav.crest-partial-1-1", "second-take.wav",
             "second-0123456789ABCDEF-44100.wav" })
        std::ofstream (s.sourceCache + "/" + name) << "x";

    // Nothing changed: nothing pruned.
    auto removed = album::SourceAudio::pruneCache (s, error);
    CHECK (removed.empty());
    CHECK (filesIn (s.sourceCache) == 6);

    // Track 2 re-bounced (new content, same name): its old conversion goes, its new one stays,
    // the reference's stays.
    test::writeWav (second.source, test::musicLike (48000.0, 1.5), 48000.0, 24);
    REQUIRE (album::SourceAudio::prepare (s, error));
    CHECK (filesIn (s.sourceCache) == 7);
    removed = album::SourceAudio::pruneCache (s, error);
    REQUIRE (removed.size() == 1);
    CHECK (removed.front() == before[0].cachePath);
    CHECK_FALSE (fs::exists (before[0].cachePath));
    CHECK (fs::exists (before[1].cachePath));
    CHECK (filesIn (s.sourceCache) == 6);

    // A source that cannot be read: its conversion cannot be told from a stale one, so nothing
    // is removed at all (not even the reference's, dropped below).
    fs::rename (reference.source, dir + "/away.wav");
    removed = album::SourceAudio::pruneCache (s, error);
    CHECK (removed.empty());
    CHECK (filesIn (s.sourceCache) == 6);

    // The reference removed from the session: its conversion goes; the user's files stay.
    s.references.clear();
    removed = album::SourceAudio::pruneCache (s, error);
    CHECK (removed.size() == 1);
    CHECK (filesIn (s.sourceCache) == 5);
    for (const char* name : { "notes.txt", ".second-0123456789abcdef-44100.wav.crest-partial-1-1", "second-take.wav",
             "second-0123456789ABCDEF-44100.wav" })
        CHECK (fs::exists (s.sourceCache + "/" + name));

    // A session without a cache folder of its own never prunes (the temporary folder is shared).
    session::Session loose = s;
    loose.sourceCache.clear();
    CHECK (album::SourceAudio::pruneCache (loose, error).empty());
}
