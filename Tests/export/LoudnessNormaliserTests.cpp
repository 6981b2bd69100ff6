// The loudness/ceiling stage: per-track mode meets the target by ffmpeg's ebur128 (a second
// opinion, not Crest's meter), album mode keeps the difference between tracks, the true peak
// stays under the ceiling by the independent 8x meter, and the limiter's delay is removed.

#include "AllocationCounter.h"
#include "BufferStream.h"
#include "IndependentTruePeak.h"
#include "engine/AudioFileOutput.h"
#include "export/LoudnessNormaliser.h"

#include <catch2/catch.hpp>

#include <regex>

using namespace crest;

namespace
{
double ffmpegIntegrated (const std::string& path)
{
    const auto [status, out]
        = test::run ("ffmpeg -hide_banner -nostats -i " + test::quote (path) + " -af ebur128=peak=true -f null - 2>&1");
    REQUIRE (status == 0);
    const auto summary = out.substr (out.rfind ("Summary:"));
    std::smatch m;
    REQUIRE (std::regex_search (summary, m, std::regex (R"(I:\s+(-?[0-9.]+) LUFS)")));
    return std::stod (m[1]);
}

/** Runs a buffer through the stage and returns the output (same length by contract). */
test::Buffer normalise (const test::Buffer& input, double rate, double gainDb, double ceiling, bool* limited = nullptr)
{
    const auto measured = test::analyse (input, rate);
    test::BufferStream source (input, rate);
    delivery::LoudnessNormaliser stage (source, gainDb, ceiling, measured.truePeakDbtp);
    if (limited != nullptr)
        *limited = stage.isLimiting();
    auto out = test::readStream (stage);
    REQUIRE (out.getNumSamples() == input.getNumSamples());
    return out;
}

std::string writeFloatWav (const std::string& path, const test::Buffer& b, double rate)
{
    std::string error;
    auto out = engine::AudioFileOutput::create (path, rate, b.getNumChannels(), 32, error);
    REQUIRE (out);
    REQUIRE (out->write (b.getArrayOfReadPointers(), b.getNumSamples()));
    REQUIRE (out->finish (error));
    return path;
}

test::Buffer concatenate (const test::Buffer& a, const test::Buffer& b)
{
    test::Buffer out (2, a.getNumSamples() + b.getNumSamples());
    for (int c = 0; c < 2; ++c)
    {
        out.copyFrom (c, 0, a, c, 0, a.getNumSamples());
        out.copyFrom (c, a.getNumSamples(), b, c, 0, b.getNumSamples());
    }
    return out;
}
} // namespace

TEST_CASE ("Per-track loudness hits the target by ffmpeg within 0.1 LU, under the ceiling", "[export][loudness]")
{
    REQUIRE (test::haveProgram ("ffmpeg"));
    const auto dir = test::tempDir();
    const double rate = 48000.0, target = -11.0, ceiling = -1.0;

    auto music = test::musicLike (rate, 20.0);
    music.applyGain (0.3f);
    const std::pair<const char*, test::Buffer> tracks[]
        = { { "music-like", music }, { "pink noise", test::pinkNoise (rate, 2, 20.0, -32.0) } };
    const test::IndependentTruePeak reference (8);
    int limitedTracks = 0;
    for (const auto& track : tracks)
    {
        // Named, not a structured binding: clang 14 (the fuzz/ASan build) cannot capture those.
        const auto& name = track.first;
        const auto& input = track.second;
        INFO (name);
        const auto measured = test::analyse (input, rate);
        REQUIRE (measured.integratedLufs);
        std::string error;
        const auto gain = delivery::settleTrackGainDb (
            [&] { return std::make_unique<test::BufferStream> (input, rate); }, measured, target, ceiling, error, 0.02);
        REQUIRE (gain);
        bool limited = false;
        const auto out = normalise (input, rate, *gain, ceiling, &limited);
        limitedTracks += limited ? 1 : 0;
        const double integrated = ffmpegIntegrated (writeFloatWav (dir + "/" + name + ".wav", out, rate));
        const double peak = reference.peakDb (out);
        INFO ("gain " << *gain << " dB (first guess " << target - *measured.integratedLufs << "), ffmpeg I " << integrated
                      << " LUFS, independent true peak " << peak << " dBTP");
        CHECK (std::abs (integrated - target) <= 0.1);
        CHECK (peak <= ceiling + 0.05);
    }
    CHECK (limitedTracks == 2); // the target is loud enough that both needed the limiter
}

TEST_CASE ("Album loudness: one gain for every track keeps their difference", "[export][loudness]")
{
    REQUIRE (test::haveProgram ("ffmpeg"));
    const auto dir = test::tempDir();
    const double rate = 44100.0, target = -23.0, ceiling = -1.0;

    auto loud = test::musicLike (rate, 15.0);
    loud.applyGain (0.2f);
    auto quiet = test::pinkNoise (rate, 2, 15.0, -40.0);

    const auto album = test::analyse (concatenate (loud, quiet), rate);
    const auto loudIn = test::analyse (loud, rate), quietIn = test::analyse (quiet, rate);
    const auto gains = delivery::loudnessGainsDb (
        { loudIn.integratedLufs, quietIn.integratedLufs }, album.integratedLufs, target, delivery::LoudnessMode::album);
    REQUIRE (gains.size() == 2);
    CHECK (gains[0] == gains[1]);
    CHECK (gains[0] == Approx (target - *album.integratedLufs));

    bool limitedLoud = true, limitedQuiet = true;
    const auto loudOut = normalise (loud, rate, gains[0], ceiling, &limitedLoud);
    const auto quietOut = normalise (quiet, rate, gains[1], ceiling, &limitedQuiet);
    CHECK_FALSE (limitedLoud);
    CHECK_FALSE (limitedQuiet);

    const double before = *loudIn.integratedLufs - *quietIn.integratedLufs;
    const double afterLoud = ffmpegIntegrated (writeFloatWav (dir + "/loud.wav", loudOut, rate));
    const double afterQuiet = ffmpegIntegrated (writeFloatWav (dir + "/quiet.wav", quietOut, rate));
    const double albumAfter = *test::analyse (concatenate (loudOut, quietOut), rate).integratedLufs;
    INFO ("difference before " << before << " LU, after (ffmpeg) " << afterLoud - afterQuiet << " LU; album " << albumAfter
                               << " LUFS");
    CHECK (std::abs ((afterLoud - afterQuiet) - before) <= 0.1);
    CHECK (std::abs (albumAfter - target) <= 0.05);
    CHECK (before > 3.0); // the tracks really differ

    // Per-track mode on the same pair would have erased the difference.
    const auto perTrack = delivery::loudnessGainsDb (
        { loudIn.integratedLufs, quietIn.integratedLufs }, album.integratedLufs, target, delivery::LoudnessMode::perTrack);
    CHECK (perTrack[1] - perTrack[0] == Approx (before));
}

TEST_CASE (
    "The loudness stage is a pure gain when nothing nears the ceiling, and removes the limiter's delay", "[export][loudness]")
{
    const double rate = 44100.0;
    SECTION ("no limiting: every sample is the input times the gain")
    {
        const auto input = test::sine (rate, 2, 3.0, 440.0, -20.0);
        bool limited = true;
        const auto out = normalise (input, rate, 6.0, -1.0, &limited);
        CHECK_FALSE (limited);
        const float g = (float) std::pow (10.0, 6.0 / 20.0);
        int mismatches = 0;
        for (int i = 0; i < input.getNumSamples(); ++i)
            mismatches += out.getSample (0, i) != input.getSample (0, i) * g;
        CHECK (mismatches == 0);
    }
    SECTION ("limiting: untouched passages come out aligned and exact")
    {
        // 2 s quiet, then a loud passage that the limiter must hold down.
        auto input = test::sine (rate, 1, 4.0, 440.0, -30.0);
        for (int i = 2 * (int) rate; i < input.getNumSamples(); ++i)
            input.setSample (0, i, input.getSample (0, i) * 100.0f);
        bool limited = false;
        const auto out = normalise (input, rate, 10.0, -1.0, &limited);
        CHECK (limited);

        // Streaming through the limiter needs no memory beyond what the stage sized at the start.
        test::BufferStream source (input, rate);
        delivery::LoudnessNormaliser stage (source, 10.0, -1.0, test::analyse (input, rate).truePeakDbtp);
        test::Buffer scratch (1, 1000);
        const test::AllocationCounter allocations;
        while (stage.read (scratch.getArrayOfWritePointers(), 1000) > 0)
            ;
        CHECK (allocations.count() == 0);
        REQUIRE (out.getNumChannels() == 1);
        const float g = (float) std::pow (10.0, 10.0 / 20.0);
        int mismatches = 0;
        for (int i = 0; i < (int) rate; ++i)
            mismatches += out.getSample (0, i) != input.getSample (0, i) * g;
        CHECK (mismatches == 0);
        CHECK (test::IndependentTruePeak (8).peakDb (out) <= -0.95);
    }
}

TEST_CASE ("At 0 dB or less the stage limits only a master over the ceiling: one at the ceiling is delivered as it is",
    "[export][loudness]")
{
    // Normalisation off (0 dB) must deliver what the player plays. A master its own chain
    // limited to the ceiling measures just under it (Crest's limiter aims 0.02 dB below); the
    // stage's limiter, run again over it, would trim the inter-sample peaks the chain's left
    // between that aim and the ceiling.
    const double rate = 44100.0, ceiling = -1.0;
    auto master = test::musicLike (rate, 6.0);
    dsp::TruePeakLimiter chainLimiter;
    chainLimiter.prepare (rate, master.getNumSamples(), 2.0);
    chainLimiter.setCeilingDb ((float) ceiling);
    chainLimiter.setInputGainDb (8.0f);
    chainLimiter.reset();
    chainLimiter.process (master.getWritePointer (0), master.getWritePointer (1), master.getNumSamples());
    const auto peak = test::analyse (master, rate).truePeakDbtp;
    REQUIRE (peak);
    REQUIRE (*peak > ceiling - delivery::LoudnessNormaliser::limiterMarginDb); // the old rule limited it
    REQUIRE (*peak <= ceiling);

    for (const double gain : { 0.0, -0.5 })
    {
        bool limited = true;
        const auto out = normalise (master, rate, gain, ceiling, &limited);
        CHECK_FALSE (limited);
        const float g = (float) std::pow (10.0, gain / 20.0);
        int mismatches = 0;
        for (int c = 0; c < 2; ++c)
            for (int i = 0; i < master.getNumSamples(); ++i)
                mismatches += out.getSample (c, i) != (gain == 0.0 ? master.getSample (c, i) : master.getSample (c, i) * g);
        CHECK (mismatches == 0);
    }

    // A master over the ceiling is still held under it at 0 dB.
    const auto loud = test::sine (rate, 2, 3.0, 997.0, -0.3);
    bool limited = false;
    const auto out = normalise (loud, rate, 0.0, ceiling, &limited);
    CHECK (limited);
    CHECK (test::IndependentTruePeak (8).peakDb (out) <= ceiling + 0.05);

    // A gain that raises the level keeps the margin.
    CHECK (delivery::LoudnessNormaliser::needsLimiter (-1.1, 0.05, ceiling));
    CHECK_FALSE (delivery::LoudnessNormaliser::needsLimiter (-1.1, 0.0, ceiling));
    CHECK_FALSE (delivery::LoudnessNormaliser::needsLimiter (std::nullopt, 20.0, ceiling));
}
