// MP3 through libmpg123 (engine/Mp3Format): gapless lengths and samples as independent decoders
// give them, sample-exact seeking, and the fuzz findings (the one that retired JUCE's MP3
// decoder, and one that made libmpg123 write past its buffer when decoding on after an error).

#include "TestSignals.h"
#include "engine/AudioFileInput.h"
#include "engine/FileAnalysis.h"
#include "engine/FileStream.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <iterator>
#include <vector>

using namespace crest;

namespace
{
    /** Every sample of a file, through Crest's reading layer. */
    test::Buffer readAll (const std::string& path)
    {
        std::string error;
        auto input = engine::AudioFileInput::open (path, error);
        INFO (error);
        REQUIRE (input);
        test::Buffer all (input->info().numChannels, (int) input->info().lengthInSamples);
        test::Buffer block (input->info().numChannels, 1000); // an odd size: frames straddle blocks
        int at = 0;
        while (const int n = input->read (block, 1000))
        {
            for (int c = 0; c < all.getNumChannels(); ++c)
                all.copyFrom (c, at, block, c, 0, n);
            at += n;
        }
        CHECK (at == all.getNumSamples());
        return all;
    }

    /** Samples per channel ffmpeg decodes from a file (it also honours LAME's gapless tag). */
    long ffmpegSamples (const std::string& path, int channels)
    {
        const auto [status, out] = test::run ("ffmpeg -v error -i " + test::quote (path) + " -f s16le - | wc -c");
        REQUIRE (status == 0);
        return std::stol (out) / (2 * channels);
    }

    float largestDifference (const test::Buffer& a, const test::Buffer& b)
    {
        REQUIRE (a.getNumChannels() == b.getNumChannels());
        REQUIRE (a.getNumSamples() == b.getNumSamples());
        float most = 0.0f;
        for (int c = 0; c < a.getNumChannels(); ++c)
            for (int i = 0; i < a.getNumSamples(); ++i)
                most = std::max (most, std::abs (a.getSample (c, i) - b.getSample (c, i)));
        return most;
    }
} // namespace

TEST_CASE ("MP3s made by LAME read gapless, sample for sample as lame --decode and ffmpeg give them", "[engine][files][mp3]")
{
    // The independent decoders are in Installers/install-deps.sh; without them this proves nothing.
    REQUIRE (test::haveProgram ("lame"));
    REQUIRE (test::haveProgram ("ffmpeg"));

    const auto dir = test::tempDir();
    struct Case
    {
        const char* name;
        double rate;
        int channels;
        const char* lameOptions;
    };
    // MPEG-1 CBR stereo, and MPEG-2 VBR mono (another table set and frame size: 576 samples).
    for (const auto& k : { Case { "cbr", 44100.0, 2, "-b 192" }, Case { "vbr-mono", 22050.0, 1, "-V 2 -m m" } })
    {
        DYNAMIC_SECTION (k.name)
        {
            const int length = (int) (2.5 * k.rate) + 123; // not a whole number of frames
            const auto source = test::writeWav (dir + "/" + k.name + ".wav", test::sine (k.rate, k.channels, (double) length / k.rate, 997.0, -6.0), k.rate, 16);
            const auto mp3 = dir + "/" + k.name + ".mp3";
            REQUIRE (test::run ("lame --quiet " + std::string (k.lameOptions) + " " + test::quote (source) + " " + test::quote (mp3)).first == 0);

            std::string error;
            const auto input = engine::AudioFileInput::open (mp3, error);
            INFO (error);
            REQUIRE (input);
            CHECK (input->info().formatName == "MP3");
            CHECK (input->info().isLossy);
            CHECK (input->info().sampleRate == k.rate);
            CHECK (input->info().numChannels == k.channels);
            // Gapless: LAME's encoder delay and padding are cut, so the length is the WAV's.
            CHECK (input->info().lengthInSamples == length);
            CHECK (ffmpegSamples (mp3, k.channels) == length);

            // LAME's own decoder (16-bit output) agrees sample for sample, to its rounding.
            const auto decodedByLame = dir + "/" + k.name + "-lame.wav";
            REQUIRE (test::run ("lame --quiet --decode " + test::quote (mp3) + " " + test::quote (decodedByLame)).first == 0);
            const auto ours = readAll (mp3);
            const auto theirs = readAll (decodedByLame);
            CHECK (theirs.getNumSamples() == length);
            CHECK (largestDifference (ours, theirs) < 3.0f / 32768.0f);

            // A range read seeks to the exact sample: the same samples as reading from the start,
            // to float rounding (libmpg123 re-primes its synthesis filter from earlier frames;
            // MPEG-2 mono differs by 1.2e-7 at most; a seek one sample off would differ by ~0.06).
            const int64_t from = length / 3 + 7, to = from + 5000;
            auto range = engine::FileStream::open (mp3, error, from, to);
            REQUIRE (range);
            test::Buffer cut (k.channels, (int) (to - from));
            REQUIRE (range->read (cut.getArrayOfWritePointers(), cut.getNumSamples()) == cut.getNumSamples());
            float most = 0.0f;
            for (int c = 0; c < k.channels; ++c)
                for (int i = 0; i < cut.getNumSamples(); ++i)
                    most = std::max (most, std::abs (cut.getSample (c, i) - ours.getSample (c, (int) from + i)));
            CHECK (most < 1.0e-6f);
        }
    }
}

TEST_CASE ("Fuzz regression: the MP3 frame that made JUCE's decoder index xr[0][576] is read safely", "[engine][files][badinput][mp3]")
{
    // The fuzz input's first byte picked the extension (.mp3); the rest is the file. JUCE's
    // decoder read and wrote one float past an array on it (UBSan array-bounds); libmpg123
    // must either refuse it with a reason or decode it without touching memory it does not
    // own, which the sanitizer build of this test proves.
    std::ifstream in (std::string (CREST_SOURCE_DIR) + "/Tests/fuzz/findings/juce-mp3-intensity-stereo-index-576.mp3in", std::ios::binary);
    REQUIRE (in);
    const std::string bytes ((std::istreambuf_iterator<char> (in)), std::istreambuf_iterator<char>());
    REQUIRE (bytes.size() > 1);
    const auto path = test::tempDir() + "/finding.mp3";
    std::ofstream (path, std::ios::binary) << bytes.substr (1);

    std::string error;
    if (auto input = engine::AudioFileInput::open (path, error))
    {
        CHECK (input->info().formatName == "MP3");
        // Only the samples each read hands out are checked: the rest of the block was never
        // written (the whole file is 1,920 samples, under one block), so it holds whatever the
        // allocator left there, and reading it would test the allocator, not the decoder.
        juce::AudioBuffer<float> block (input->info().numChannels, 4096);
        int64_t total = 0;
        bool allFinite = true;
        while (const int n = input->read (block, 4096))
        {
            for (int c = 0; c < block.getNumChannels(); ++c)
                for (int i = 0; i < n; ++i)
                    allFinite = allFinite && std::isfinite (block.getSample (c, i));
            total += n;
        }
        CHECK (total == input->info().lengthInSamples);
        CHECK (allFinite);
    }
    else
        CHECK_FALSE (error.empty());

    // The analysis path (what `crest analyze` runs) ends with a result or an error, not a crash.
    const auto analysed = engine::analyseFile (path, error);
    CHECK ((analysed.has_value() || ! error.empty()));
}

TEST_CASE ("Fuzz regression: an MP3 whose frames change rate and channels part-way is read safely", "[engine][files][badinput][mp3]")
{
    // Found by crest_fuzz_mp3input in its first half hour: frames switch between 44.1 kHz mono,
    // stereo, 32 and 11.025 kHz. Decoding on after the failed format change (and seeking again)
    // made libmpg123 write past its own buffer (ASan: SEGV in mpg123_decode). The reader now
    // stops at the first change of stream properties (MPG123_NO_FRANKENSTEIN) and never calls
    // the decoder again after an error. Read it whole, twice, and in a range, as the programs do.
    const auto path = std::string (CREST_SOURCE_DIR) + "/Tests/fuzz/findings/mpg123-decoding-on-after-a-format-error.mp3";
    std::string error;
    auto input = engine::AudioFileInput::open (path, error);
    INFO (error);
    REQUIRE (input);
    CHECK (input->info().sampleRate == 44100.0);
    CHECK (input->info().numChannels == 1);
    juce::AudioBuffer<float> block (1, 4096);
    int64_t total = 0;
    while (const int n = input->read (block, 4096))
        total += n;
    CHECK (total == input->info().lengthInSamples);

    auto range = engine::FileStream::open (path, error, input->info().lengthInSamples / 2);
    REQUIRE (range);
    std::vector<float> samples ((size_t) range->lengthInSamples());
    float* channels[] = { samples.data() };
    CHECK (range->read (channels, (int) samples.size()) == (int) samples.size());

    const auto analysed = engine::analyseFile (path, error);
    CHECK ((analysed.has_value() || ! error.empty()));
}
