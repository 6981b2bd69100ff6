// The MP3 deliverable, judged by independent tools: mp3val finds no problems, ffprobe reads the
// ID3v2.4 tags, the first frame carries the LAME info tag with LAME's own delay and padding,
// and ffmpeg (which honours that tag) decodes exactly as many samples as went in.

#include "BufferStream.h"
#include "export/Mp3Writer.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

using namespace crest;

namespace
{
delivery::TrackTags exampleTags()
{
    delivery::TrackTags t;
    t.title = "Übergang (Edit)"; // UTF-8 survives the trip
    t.artist = "The Testers";
    t.album = "Null Results";
    t.albumArtist = "The Testers";
    t.genre = "Ambient";
    t.isrc = "GBAYE2400001";
    t.trackNumber = 3;
    t.trackTotal = 11;
    t.year = 2024;
    return t;
}

std::vector<unsigned char> readBytes (const std::string& path)
{
    std::ifstream in (path, std::ios::binary);
    return { std::istreambuf_iterator<char> (in), std::istreambuf_iterator<char>() };
}

/** Position of `text` in bytes [from, to), or -1. */
long find (const std::vector<unsigned char>& bytes, const std::string& text, size_t from, size_t to)
{
    to = std::min (to, bytes.size());
    for (size_t i = from; i + text.size() <= to; ++i)
        if (std::equal (text.begin(), text.end(), bytes.begin() + (long) i))
            return (long) i;
    return -1;
}
} // namespace

TEST_CASE ("MP3 files pass mp3val, carry ID3v2.4 tags and a LAME tag, and decode gapless", "[export][mp3]")
{
    const auto dir = test::tempDir();
    const double rate = GENERATE (44100.0, 48000.0);
    const auto mode = GENERATE (delivery::Mp3Mode::cbr320, delivery::Mp3Mode::v0);
    const bool cbr = mode == delivery::Mp3Mode::cbr320;
    INFO ((cbr ? "320 kbps CBR" : "V0") << " at " << rate << " Hz");

    // An odd length, so the last frame needs padding.
    auto audio = test::musicLike (rate, 4.0);
    audio.setSize (2, audio.getNumSamples() - 333, true);
    audio.applyGain (0.5f);
    test::BufferStream stream (audio, rate);

    const std::string path = dir + "/track.mp3";
    std::string error;
    const auto result = delivery::writeMp3 (stream, path, mode, exampleTags(), error);
    INFO (error);
    REQUIRE (result);
    CHECK (result->samples == audio.getNumSamples());
    CHECK (juce::File (path).getParentDirectory().getNumberOfChildFiles (juce::File::findFiles) == 1); // no temporary left

    if (test::haveProgram ("mp3val"))
    {
        const auto [status, out] = test::run ("mp3val " + test::quote (path) + " 2>&1");
        INFO (out);
        CHECK (status == 0);
        CHECK (out.find ("WARNING") == std::string::npos);
        CHECK (out.find ("PROBLEM") == std::string::npos);
    }

    if (test::haveProgram ("ffprobe"))
    {
        const auto [status, out]
            = test::run ("ffprobe -v error -show_entries format_tags:stream=sample_rate,channels,codec_name -of default=nw=1 "
                + test::quote (path) + " 2>&1");
        INFO (out);
        CHECK (status == 0);
        CHECK (out.find ("codec_name=mp3") != std::string::npos);
        CHECK (out.find ("sample_rate=" + std::to_string ((int) rate)) != std::string::npos);
        CHECK (out.find ("TAG:title=Übergang (Edit)") != std::string::npos);
        CHECK (out.find ("TAG:artist=The Testers") != std::string::npos);
        CHECK (out.find ("TAG:album=Null Results") != std::string::npos);
        CHECK (out.find ("TAG:track=3/11") != std::string::npos);
        CHECK (out.find ("TAG:date=2024") != std::string::npos);
        CHECK (out.find ("TAG:TSRC=GBAYE2400001") != std::string::npos);
    }

    // The info frame starts right after the ID3 tag: a frame sync, then "Info" (CBR) or "Xing"
    // (VBR), then LAME's extension with the delay and padding as two 12-bit numbers 21 bytes
    // after the "LAME" string.
    const auto bytes = readBytes (path);
    REQUIRE (bytes.size() > result->id3Bytes + result->infoFrameBytes);
    CHECK (std::string (bytes.begin(), bytes.begin() + 3) == "ID3");
    CHECK (bytes[3] == 4);
    const size_t frame = result->id3Bytes;
    CHECK (bytes[frame] == 0xff);
    CHECK ((bytes[frame + 1] & 0xe0) == 0xe0);
    const long tag = find (bytes, cbr ? "Info" : "Xing", frame, frame + 64);
    REQUIRE (tag > 0);
    const long lame = find (bytes, "LAME", (size_t) tag, frame + result->infoFrameBytes);
    REQUIRE (lame > 0);
    CHECK (lame == tag + 120);
    const size_t d = (size_t) lame + 21;
    const int delay = (bytes[d] << 4) | (bytes[d + 1] >> 4);
    const int padding = ((bytes[d + 1] & 0x0f) << 8) | bytes[d + 2];
    CHECK (delay == result->encoderDelay);
    CHECK (padding == result->encoderPadding);
    CHECK (delay >= 576); // LAME 3.100 reports 576 samples of its own; the decoder adds 529 that players know to skip
    // Delay + audio + padding fill whole frames of 1152 samples.
    CHECK ((delay + audio.getNumSamples() + padding) % 1152 == 0);

    if (test::haveProgram ("ffmpeg"))
    {
        const auto [status, out]
            = test::run ("ffmpeg -v error -i " + test::quote (path) + " -f s16le -acodec pcm_s16le - | wc -c");
        REQUIRE (status == 0);
        const long decodedSamples = std::stol (out) / 4;
        CHECK (decodedSamples == audio.getNumSamples());
    }
}

TEST_CASE ("The MP3 writer refuses rates LAME cannot carry and leaves nothing", "[export][mp3]")
{
    const auto dir = test::tempDir();
    const auto audio = test::sine (96000.0, 2, 1.0, 1000.0, -6.0);
    test::BufferStream stream (audio, 96000.0);
    std::string error;
    const auto result = delivery::writeMp3 (stream, dir + "/hires.mp3", delivery::Mp3Mode::cbr320, {}, error);
    CHECK_FALSE (result);
    CHECK (error.find ("hires.mp3") != std::string::npos);
    CHECK (error.find ("44.1") != std::string::npos);
    CHECK (juce::File (dir).getNumberOfChildFiles (juce::File::findFiles) == 0);
}

TEST_CASE ("A cancelled MP3 encode leaves no file behind", "[export][mp3]")
{
    const auto dir = test::tempDir();
    const auto audio = test::sine (44100.0, 2, 2.0, 1000.0, -6.0);
    test::BufferStream stream (audio, 44100.0);
    std::atomic<bool> cancel { true };
    std::string error;
    CHECK_FALSE (delivery::writeMp3 (stream, dir + "/x.mp3", delivery::Mp3Mode::v0, {}, error, &cancel));
    CHECK (juce::File (dir).getNumberOfChildFiles (juce::File::findFiles) == 0);
}
