// Bad input: every way a file can be wrong gets one clear reason, and nothing crashes.

#include "TestSignals.h"
#include "engine/FileAnalysis.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <limits>
#include <tuple>

using namespace crest;

namespace
{
    std::string errorFor (const std::string& path)
    {
        std::string error;
        const auto input = engine::AudioFileInput::open (path, error);
        CHECK (input == nullptr);
        return error;
    }

    void writeBytes (const std::string& path, const std::string& bytes)
    {
        std::ofstream (path, std::ios::binary) << bytes;
    }

    void truncate (const std::string& path, double keepFraction)
    {
        const juce::File f (path);
        juce::MemoryBlock data;
        f.loadFileAsData (data);
        data.setSize ((size_t) ((double) data.getSize() * keepFraction));
        f.replaceWithData (data.getData(), data.getSize());
    }
} // namespace

TEST_CASE ("Reads every supported format and describes it", "[engine][files]")
{
    const auto dir = test::tempDir();
    const auto tone = test::sine (48000.0, 2, 2.0, 1000.0, -20.0);

    std::string error;
    auto wav = engine::AudioFileInput::open (test::writeWav (dir + "/a.wav", tone, 48000.0, 24), error);
    REQUIRE (wav);
    CHECK (wav->info().formatName == "WAV");
    CHECK (wav->info().bitsPerSample == 24);
    CHECK (wav->info().lengthInSamples == 96000);
    CHECK (wav->info().durationSeconds() == Approx (2.0));

    auto flac = engine::AudioFileInput::open (test::writeFlac (dir + "/a.flac", tone, 48000.0, 16), error);
    REQUIRE (flac);
    CHECK (flac->info().formatName == "FLAC");
    CHECK_FALSE (flac->info().isLossy);

    auto floats = engine::AudioFileInput::open (test::writeWav (dir + "/f.wav", tone, 48000.0, 32), error);
    REQUIRE (floats);
    CHECK (floats->info().isFloatingPoint);

    // A 1 kHz sine at -20 dBFS on both channels measures -20 LUFS through the file path.
    const auto analysed = engine::analyseFile (dir + "/a.flac", error);
    REQUIRE (analysed);
    CHECK (*analysed->analysis.integratedLufs == Approx (-20.0).margin (0.1));
}

TEST_CASE ("Missing, directory, empty and non-audio files are refused with the reason", "[engine][files][badinput]")
{
    const auto dir = test::tempDir();
    CHECK (errorFor (dir + "/nothing-here.wav") == "no such file");
    CHECK (errorFor (dir).find ("directory") != std::string::npos);

    writeBytes (dir + "/empty.wav", "");
    CHECK (errorFor (dir + "/empty.wav").find ("empty") != std::string::npos);

    writeBytes (dir + "/notes.wav", "These are the mix notes, not audio.\nLouder vocals please.\n");
    CHECK (errorFor (dir + "/notes.wav").find ("not a readable audio file") != std::string::npos);

    std::string random;
    for (int i = 0; i < 100000; ++i)
        random += (char) ((i * 2654435761u) >> 13);
    writeBytes (dir + "/noise.mp3", random);
    CHECK (errorFor (dir + "/noise.mp3").find ("not a readable audio file") != std::string::npos);
}

TEST_CASE ("Truncated WAV, AIFF and FLAC files are refused", "[engine][files][badinput]")
{
    const auto dir = test::tempDir();
    const auto tone = test::sine (44100.0, 2, 3.0, 1000.0, -20.0);

    truncate (test::writeWav (dir + "/cut.wav", tone, 44100.0, 24), 0.6);
    CHECK (errorFor (dir + "/cut.wav").find ("truncated") != std::string::npos);

    {
        juce::AiffAudioFormat aiff;
        const juce::File f (dir + "/cut.aiff");
        std::unique_ptr<juce::AudioFormatWriter> w (aiff.createWriterFor (f.createOutputStream().release(), 44100.0, 2, 16, {}, 0));
        REQUIRE (w);
        w->writeFromAudioSampleBuffer (tone, 0, tone.getNumSamples());
    }
    truncate (dir + "/cut.aiff", 0.5);
    CHECK (errorFor (dir + "/cut.aiff").find ("truncated") != std::string::npos);

    truncate (test::writeFlac (dir + "/cut.flac", test::whiteNoise (44100.0, 2, 3.0, -20.0), 44100.0, 16), 0.5);
    CHECK (errorFor (dir + "/cut.flac").find ("truncated") != std::string::npos);

    // A header cut inside the format chunk.
    truncate (test::writeWav (dir + "/stub.wav", tone, 44100.0, 24), 0.0005);
    CHECK_FALSE (errorFor (dir + "/stub.wav").empty());
}

TEST_CASE ("Unsupported sample rates are refused", "[engine][files][badinput]")
{
    const auto dir = test::tempDir();
    const auto tone = test::sine (4000.0, 1, 1.0, 100.0, -20.0);
    CHECK (errorFor (test::writeWav (dir + "/4k.wav", tone, 4000.0, 16)).find ("unsupported sample rate 4000 Hz") != std::string::npos);
}

TEST_CASE ("Float files with NaN and Inf are measured with those samples silenced", "[engine][files][badinput]")
{
    const auto dir = test::tempDir();
    auto tone = test::sine (48000.0, 2, 5.0, 1000.0, -20.0);
    tone.setSample (0, 1000, std::numeric_limits<float>::quiet_NaN());
    tone.setSample (1, 96000, std::numeric_limits<float>::infinity());

    std::string error;
    const auto r = engine::analyseFile (test::writeWav (dir + "/nan.wav", tone, 48000.0, 32), error);
    REQUIRE (r);
    CHECK (r->analysis.nonFiniteSamples == 2);
    CHECK (r->analysis.firstNonFiniteSample == 1000);
    REQUIRE (r->analysis.integratedLufs);
    CHECK (std::isfinite (*r->analysis.integratedLufs));
    CHECK (*r->analysis.integratedLufs == Approx (-20.0).margin (0.1));
    // The silenced samples are steps in the sine, whose reconstruction overshoots a little.
    REQUIRE (r->analysis.truePeakDbtp);
    CHECK (*r->analysis.truePeakDbtp < -17.0);
}

TEST_CASE ("Mono, 5.1 and extreme rates are analysed", "[engine][files]")
{
    const auto dir = test::tempDir();
    std::string error;

    const auto mono = engine::analyseFile (test::writeWav (dir + "/mono.wav", test::sine (8000.0, 1, 5.0, 1000.0, -20.0), 8000.0), error);
    REQUIRE (mono);
    CHECK (*mono->analysis.integratedLufs == Approx (-23.0).margin (0.1)); // one channel: 3 dB under stereo
    CHECK_FALSE (mono->analysis.correlation);

    const auto high = engine::analyseFile (test::writeWav (dir + "/384k.wav", test::sine (384000.0, 2, 3.0, 1000.0, -20.0), 384000.0), error);
    REQUIRE (high);
    CHECK (*high->analysis.integratedLufs == Approx (-20.0).margin (0.1));
    CHECK (high->analysis.oversampling == 2);

    test::Buffer surround (6, 48000 * 4);
    surround.clear();
    const auto tone = test::sine (48000.0, 1, 4.0, 1000.0, -20.0);
    for (int c : { 0, 1, 2 })
        surround.copyFrom (c, 0, tone, 0, 0, tone.getNumSamples());
    const auto six = engine::analyseFile (test::writeWav (dir + "/51.wav", surround, 48000.0), error);
    REQUIRE (six);
    CHECK (six->file.numChannels == 6);
    CHECK (*six->analysis.integratedLufs == Approx (-20.0 + 10.0 * std::log10 (1.5)).margin (0.1));
}

TEST_CASE ("Fuzz regression: an AIFF whose damaged chunk list hides a short SSND chunk is refused as truncated", "[engine][files][badinput]")
{
    // Found by crest_fuzz_audioinput (a timeout: over 7 s of CPU for a 293-byte input). Its
    // first COMM chunk declares 13,238,472 stereo 24-bit frames; a second COMM chunk and a junk
    // size send the chunk walk past the end before it reaches SSND, while JUCE's parser finds
    // SSND and pads the missing minutes with silence. Refused now: the header declares more
    // audio bytes than the file holds.
    const auto error = errorFor (std::string (CREST_SOURCE_DIR) + "/Tests/fuzz/findings/aiff-hidden-short-ssnd-declares-13m-frames.aiff");
    CHECK (error.find ("truncated") != std::string::npos);
    CHECK (error.find ("the file holds 293 bytes") != std::string::npos);
}

TEST_CASE ("Fuzz regression: an AIFF whose header JUCE reads as a negative sample size is refused", "[engine][files][badinput]")
{
    // Found by crest_fuzz_audioinput (a timeout, 13 s for a 131-byte input; `crest analyze` ran
    // for over a minute). Two COMM chunks and an SSND size of 2 GB make JUCE's parser read the
    // sample size as -14336 bits, which slipped past the byte-count check (it needs a positive
    // size) into a reader that crawls. Refused now, naming the sample size.
    const auto error = errorFor (std::string (CREST_SOURCE_DIR) + "/Tests/fuzz/findings/aiff-second-comm-misread-negative-bits.aiff");
    CHECK (error.find ("-14336 bits per sample") != std::string::npos);
}

TEST_CASE ("Fuzz regression: an RF64 header whose channel layout runs past JUCE's channel names is refused without undefined behaviour", "[engine][files][badinput]")
{
    // Found by crest_fuzz_audioinput (UBSan, 2 minutes into a 15-minute run): a 111-byte RF64
    // file whose header claims more channels than its channel mask names, so JUCE's WAV reader
    // numbers the rest as discrete channels up to 256, past the last value of its ChannelType
    // enum (UBSan's enum check, inside JUCE; that check is off for that JUCE module, see the
    // top-level CMakeLists.txt). Under the sanitizer build this proves the open is clean; in
    // any build the file is refused by name.
    const auto error = errorFor (std::string (CREST_SOURCE_DIR) + "/Tests/fuzz/findings/rf64-channel-mask-layout-past-channel-enum.wav");
    CHECK (error.find ("not a readable audio file") != std::string::npos);
}

TEST_CASE ("Fuzz regression: an AIFF whose comment chunk declares more comments than it holds is refused before JUCE parses it", "[engine][files][badinput]")
{
    // Found by crest_fuzz_audioinput (a timeout, over 10 s under ASan, in a 10-minute run on an
    // idle machine): a 584-byte AIFF whose 18-byte COMT chunk declares 59,136 comments; JUCE's
    // reader loops over every one, reading zeros past the chunk (0.9 s to refuse it in a release
    // build, longer for a larger count). Refused now from the count alone, naming the chunk.
    const auto error = errorFor (std::string (CREST_SOURCE_DIR) + "/Tests/fuzz/findings/aiff-comt-declares-59136-comments.aiff");
    CHECK (error.find ("comment (COMT) chunk declares 59136 comments but holds only 18 bytes") != std::string::npos);
}

TEST_CASE ("Fuzz regression: a WAV whose smpl chunk declares gigabytes is refused before JUCE allocates them", "[engine][files][badinput]")
{
    // Found by crest_fuzz_audioinput on CI (7.5 s into its 60 s run): a WAV whose smpl chunk
    // declared 3,031,542,458 bytes, for which JUCE's reader asked calloc for 3 GB (libFuzzer's
    // out-of-memory). The kept input is a 344-byte WAV made the same way: 64 good frames, then
    // that smpl chunk. Refused now from the chunk's size alone, naming the chunk.
    const auto error = errorFor (std::string (CREST_SOURCE_DIR) + "/Tests/fuzz/findings/wav-smpl-chunk-declares-3-gb.wav");
    CHECK (error.find ("smpl chunk declares 3031542458 bytes but the file holds only 36 after its header") != std::string::npos);
}

TEST_CASE ("Fuzz regression: an AIFF whose cate chunk ends inside a tag is opened without JUCE reading past it", "[engine][files][badinput]")
{
    // Found by crest_fuzz_audioinput (ASan heap-buffer-overflow, 106,000 executions into a 2-minute
    // run from the seeds): a 659-byte AIFF whose cate (Apple Loops category) chunk declares far
    // more than the file holds; JUCE's AIFF reader steps through the tags it holds 50 bytes at a
    // time and reads a tag's first three letters past the end of its buffer. Crest never reads
    // tags, so the metadata chunks of a WAV or AIFF are hidden from JUCE's parsers
    // (AudioChunksOnlyStream); under the sanitizer build this proves the open is clean, in any
    // build the file is refused by name for what it is.
    const auto error = errorFor (std::string (CREST_SOURCE_DIR) + "/Tests/fuzz/findings/aiff-cate-chunk-read-past-its-end.aiff");
    INFO (error);
    CHECK (! error.empty());
}

TEST_CASE ("Fuzz regression: an AIFF with an empty cate chunk is opened without JUCE reading past the file", "[engine][files][badinput]")
{
    // Found by crest_fuzz_audioinput (ASan heap-buffer-overflow, 343,000 executions into a
    // 5-minute run): a 107-byte AIFF whose cate chunk declares 0 bytes. JUCE's reader asks for
    // the declared size less 4, which at 0 is -1: "read to the end of the file", whose bytes it
    // then steps through 50 at a time as tags, past the end of its buffer. Empty chunks were not
    // hidden from JUCE (only chunks with a body were); now every named non-audio chunk is.
    const auto error
        = errorFor (std::string (CREST_SOURCE_DIR) + "/Tests/fuzz/findings/aiff-empty-cate-chunk-reads-to-the-end.aiff");
    INFO (error);
    CHECK (! error.empty());
}

TEST_CASE ("Fuzz regression: an RF64 file whose ds64 data size hides an inst chunk from the check is refused before JUCE allocates", "[engine][files][badinput]")
{
    // Found by crest_fuzz_audioinput (out-of-memory, malloc of 3,761,105,634 bytes, 69,000
    // executions into a 5-minute run): an RF64 file whose data chunk says 0xfffff7ff bytes while
    // its ds64 chunk says 1,144. JUCE steps over the data by the ds64 size, as RF64 asks, and met
    // an inst chunk declaring 3.7 GB, which it allocates before reading; Crest's check stepped by
    // the chunk's own size, past the end of the file, and never saw the inst chunk. The check
    // now steps as JUCE does, and names the chunk.
    const auto error
        = errorFor (std::string (CREST_SOURCE_DIR) + "/Tests/fuzz/findings/rf64-data-size-from-ds64-hides-an-inst-chunk.wav");
    INFO (error);
    CHECK (error.find ("inst chunk declares 3761105633 bytes") != std::string::npos);
}

TEST_CASE ("A WAV's and an AIFF's tags are hidden from JUCE's parsers, the audio read as it is", "[engine][files]")
{
    // Well-formed metadata chunks before and after the audio (bext and smpl before, LIST after
    // in a WAV; MARK and an odd-length NAME before, ANNO after in an AIFF) change nothing in
    // what is read.
    const auto dir = test::tempDir();
    const auto tone = test::sine (44100.0, 2, 0.1, 1000.0, -6.0);
    const auto chunk = [] (const char* id, const std::string& body, bool littleEndian)
    {
        std::string c (id, 4);
        const auto n = (uint32_t) body.size();
        for (int i = 0; i < 4; ++i)
            c += (char) (littleEndian ? n >> (8 * i) : n >> (8 * (3 - i)));
        return c + body + (body.size() % 2 ? std::string (1, '\0') : std::string());
    };
    const auto tagged = [&] (const std::string& plain, const std::string& path, bool riff)
    {
        juce::MemoryBlock data;
        juce::File (plain).loadFileAsData (data);
        std::string bytes ((const char*) data.getData(), data.getSize());
        const std::string before = riff ? chunk ("bext", std::string (602, 'b'), true) + chunk ("smpl", std::string (36, '\0'), true)
                                        : chunk ("MARK", std::string (2, '\0'), false) + chunk ("NAME", "Crest", false);
        const std::string after = riff ? chunk ("LIST", std::string ("INFO") + chunk ("INAM", "Tone", true), true)
                                       : chunk ("ANNO", "mastered", false);
        bytes = bytes.substr (0, 12) + before + bytes.substr (12) + after;
        const auto size = (uint32_t) bytes.size() - 8;
        for (int i = 0; i < 4; ++i)
            bytes[(size_t) (4 + i)] = (char) (riff ? size >> (8 * i) : size >> (8 * (3 - i)));
        writeBytes (path, bytes);
        return path;
    };

    const auto wav = test::writeWav (dir + "/plain.wav", tone, 44100.0, 16);
    const auto aiff = dir + "/plain.aiff";
    {
        juce::AiffAudioFormat format;
        std::unique_ptr<juce::AudioFormatWriter> w (
            format.createWriterFor (juce::File (aiff).createOutputStream().release(), 44100.0, 2, 16, {}, 0));
        REQUIRE (w);
        w->writeFromAudioSampleBuffer (tone, 0, tone.getNumSamples());
    }
    for (const auto& [plain, copy, riff] : { std::tuple (wav, dir + "/tagged.wav", true), std::tuple (aiff, dir + "/tagged.aiff", false) })
    {
        tagged (plain, copy, riff);
        std::string error;
        auto a = engine::AudioFileInput::open (plain, error);
        REQUIRE (a != nullptr);
        auto b = engine::AudioFileInput::open (copy, error);
        INFO (copy << ": " << error);
        REQUIRE (b != nullptr);
        REQUIRE (b->info().lengthInSamples == a->info().lengthInSamples);
        juce::AudioBuffer<float> x (2, 4410), y (2, 4410);
        REQUIRE (a->read (x, 4410) == 4410);
        REQUIRE (b->read (y, 4410) == 4410);
        int different = 0;
        for (int c = 0; c < 2; ++c)
            for (int i = 0; i < 4410; ++i)
                different += x.getSample (c, i) == y.getSample (c, i) ? 0 : 1;
        CHECK (different == 0);
        CHECK (x.getMagnitude (0, 4410) > 0.4f);
    }
}
