// The FLAC deliverable, judged by the reference tools: `flac -t` passes, `metaflac` lists the
// Vorbis comments, and `flac -d` gives back exactly the integers of the input quantised to the
// same depth.

#include "BufferStream.h"
#include "export/FlacWriter.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

using namespace crest;

TEST_CASE ("FLAC files pass flac -t, carry Vorbis comments and decode bit-exactly", "[export][flac]")
{
    REQUIRE (test::haveProgram ("flac"));
    REQUIRE (test::haveProgram ("metaflac"));

    const auto dir = test::tempDir();
    const auto [rate, bits]
        = GENERATE (std::make_pair (44100.0, 16), std::make_pair (96000.0, 24), std::make_pair (192000.0, 24));
    INFO (bits << "-bit at " << rate << " Hz");

    auto audio = test::musicLike (rate, 2.0);
    audio.setSample (0, 100, 1.5f); // beyond full scale: clipped to the largest integer
    audio.setSample (1, 100, -1.5f);
    test::BufferStream stream (audio, rate);

    delivery::TrackTags tags;
    tags.title = "Zwölf";
    tags.artist = "Crest";
    tags.album = "Bits";
    tags.trackNumber = 2;
    tags.trackTotal = 9;
    tags.year = 2025;
    tags.isrc = "USRC17607839";

    const std::string path = dir + "/track.flac";
    std::string error;
    REQUIRE (delivery::writeFlac (stream, path, bits, tags, error));
    CHECK (juce::File (dir).getNumberOfChildFiles (juce::File::findFiles) == 1);

    CHECK (test::run ("flac -s -t " + test::quote (path) + " 2>&1").first == 0);

    const auto [status, listing] = test::run ("metaflac --list --block-type=VORBIS_COMMENT,STREAMINFO " + test::quote (path));
    INFO (listing);
    CHECK (status == 0);
    for (const auto* line :
        { "TITLE=Zwölf", "ARTIST=Crest", "ALBUM=Bits", "TRACKNUMBER=2", "TRACKTOTAL=9", "DATE=2025", "ISRC=USRC17607839" })
        CHECK (listing.find (line) != std::string::npos);
    CHECK (listing.find ("sample_rate: " + std::to_string ((int) rate)) != std::string::npos);
    CHECK (listing.find ("bits-per-sample: " + std::to_string (bits)) != std::string::npos);
    CHECK (listing.find ("total samples: " + std::to_string (audio.getNumSamples())) != std::string::npos);

    const std::string raw = dir + "/decoded.raw";
    REQUIRE (test::run (
                 "flac -s -d --force-raw-format --endian=little --sign=signed -o " + test::quote (raw) + " " + test::quote (path))
                 .first
        == 0);
    std::ifstream in (raw, std::ios::binary);
    const std::vector<unsigned char> bytes { std::istreambuf_iterator<char> (in), std::istreambuf_iterator<char>() };
    const int width = bits / 8;
    REQUIRE (bytes.size() == (size_t) audio.getNumSamples() * 2 * (size_t) width);
    int64_t mismatches = 0;
    for (int i = 0; i < audio.getNumSamples(); ++i)
        for (int c = 0; c < 2; ++c)
        {
            const unsigned char* p = bytes.data() + ((size_t) i * 2 + (size_t) c) * (size_t) width;
            int32_t v = width == 2 ? (int16_t) (p[0] | (p[1] << 8))
                                   : ((int32_t) ((uint32_t) p[0] << 8 | (uint32_t) p[1] << 16 | (uint32_t) p[2] << 24) >> 8);
            mismatches += v != delivery::quantiseSample (audio.getSample (c, i), bits);
        }
    CHECK (mismatches == 0);
    CHECK (delivery::quantiseSample (1.5f, bits) == (1 << (bits - 1)) - 1);
    CHECK (delivery::quantiseSample (-1.5f, bits) == -(1 << (bits - 1)));
}

TEST_CASE ("The FLAC writer refuses bad depths and rates with a sentence naming the file", "[export][flac]")
{
    const auto dir = test::tempDir();
    const auto audio = test::sine (32000.0, 2, 0.5, 1000.0, -6.0);
    test::BufferStream stream (audio, 32000.0);
    std::string error;
    CHECK_FALSE (delivery::writeFlac (stream, dir + "/low.flac", 24, {}, error));
    CHECK (error.find ("low.flac") != std::string::npos);
    CHECK_FALSE (delivery::writeFlac (stream, dir + "/deep.flac", 20, {}, error));
    CHECK (error.find ("16 or 24") != std::string::npos);
    CHECK_FALSE (delivery::writeFlac (stream, dir + "/missing/x.flac", 24, {}, error));
    CHECK (juce::File (dir).getNumberOfChildFiles (juce::File::findFiles) == 0);
}
