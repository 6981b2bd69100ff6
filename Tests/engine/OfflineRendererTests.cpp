// Offline rendering: exact length and alignment, bit-exact neutrality, independence from the
// block size, and the safety rules (the source is never written; nothing partial is left).

#include "ModuleTestHelpers.h"
#include "engine/FileAnalysis.h"
#include "engine/ModuleRegistry.h"
#include "engine/OfflineRenderer.h"

#include <catch2/catch.hpp>

using namespace crest;

namespace
{
    test::Buffer readAll (const std::string& path)
    {
        std::string error;
        auto input = engine::AudioFileInput::open (path, error);
        REQUIRE (input);
        test::Buffer b (input->info().numChannels, (int) input->info().lengthInSamples);
        input->read (b, b.getNumSamples());
        return b;
    }

    engine::ChainDescription everyModuleNeutral()
    {
        engine::ChainDescription chain;
        for (const auto& t : engine::moduleTypes())
            chain.modules.push_back ({ t.type, t.type, false, {} });
        return chain;
    }
} // namespace

TEST_CASE ("A neutral chain renders bit-exactly, same length and alignment", "[engine][render]")
{
    const auto dir = test::tempDir();
    // 6 dB down, so that the limiter's default -1 dBTP ceiling has nothing to do.
    auto mix = test::musicLike (44100.0, 6.0);
    mix.applyGain (0.5f);
    const auto source = test::writeWav (dir + "/mix.wav", mix, 44100.0, 24);

    engine::ChainDescription bypassed = everyModuleNeutral();
    for (auto& m : bypassed.modules)
        m.bypass = true;

    for (const auto& [name, chain] : { std::make_pair (std::string ("empty"), engine::ChainDescription {}),
                                       std::make_pair (std::string ("bypassed"), bypassed),
                                       std::make_pair (std::string ("neutral"), everyModuleNeutral()) })
    {
        INFO (name << " chain");
        std::string error;
        const auto result = engine::renderFile (source, dir + "/" + name + ".wav", chain, {}, error);
        REQUIRE (result);
        const auto in = readAll (source), out = readAll (dir + "/" + name + ".wav");
        REQUIRE (out.getNumSamples() == in.getNumSamples());
        CHECK (test::differenceDb (in, out, 0, in.getNumSamples()) <= -140.0);
    }
}

TEST_CASE ("Renders do not depend on the block size", "[engine][render]")
{
    const auto dir = test::tempDir();
    auto mix = test::musicLike (48000.0, 4.0);
    mix.applyGain (2.0f); // hot enough for every dynamics module to work
    const auto source = test::writeWav (dir + "/mix.wav", mix, 48000.0, 32);

    engine::ChainDescription chain;
    chain.modules.push_back ({ "trim", "utility", false, { { "gain_db", -3.0f }, { "dc_filter", 1.0f } } });
    for (const auto& t : engine::moduleTypes())
        if (t.type != "utility")
            chain.modules.push_back ({ t.type, t.type, false, {} });

    std::vector<test::Buffer> outputs;
    for (int block : { 32, 441, 4096 })
    {
        engine::RenderOptions options;
        options.blockSize = block;
        options.bitsPerSample = 32;
        std::string error;
        const auto path = dir + "/out" + std::to_string (block) + ".wav";
        REQUIRE (engine::renderFile (source, path, chain, options, error));
        outputs.push_back (readAll (path));
    }
    CHECK (test::differenceDb (outputs[0], outputs[1], 0, outputs[0].getNumSamples()) <= -120.0);
    CHECK (test::differenceDb (outputs[0], outputs[2], 0, outputs[0].getNumSamples()) <= -120.0);
}

TEST_CASE ("Rendering refuses to overwrite the source and leaves nothing behind on failure", "[engine][render][badinput]")
{
    const auto dir = test::tempDir();
    const auto source = test::writeWav (dir + "/mix.wav", test::sine (44100.0, 2, 1.0, 440.0, -12.0), 44100.0);
    const auto before = juce::File (source).getLastModificationTime();

    std::string error;
    CHECK_FALSE (engine::renderFile (source, source, {}, {}, error));
    CHECK (error.find ("overwrite the source") != std::string::npos);
    CHECK_FALSE (engine::renderFile (source, dir + "/./mix.wav", {}, {}, error));
    CHECK (juce::File (source).getLastModificationTime() == before);

    CHECK_FALSE (engine::renderFile (source, dir + "/no/such/folder/out.wav", {}, {}, error));
    CHECK (error.find ("does not exist") != std::string::npos);

    CHECK_FALSE (engine::renderFile (source, dir + "/out.mp3", {}, {}, error));
    CHECK (error.find ("unknown output format") != std::string::npos);

    engine::ChainDescription broken;
    broken.modules.push_back ({ "x", "utility", false, { { "gain_db", 100.0f } } });
    CHECK_FALSE (engine::renderFile (source, dir + "/out.wav", broken, {}, error));
    CHECK (error.find ("'gain_db'") != std::string::npos);

    std::atomic<bool> cancel { true };
    engine::RenderOptions options;
    options.cancel = &cancel;
    CHECK_FALSE (engine::renderFile (source, dir + "/cancelled.wav", {}, options, error));

    // Only the source is left: no output, no temporary file.
    CHECK (juce::File (dir).getNumberOfChildFiles (juce::File::findFiles) == 1);
}

TEST_CASE ("Mono renders stay mono, 16-bit renders are dithered except on silence", "[engine][render]")
{
    const auto dir = test::tempDir();
    test::Buffer tone (1, 44100 * 2);
    tone.clear();
    const auto s = test::sine (44100.0, 1, 1.0, 997.0, -100.0);
    tone.copyFrom (0, 0, s, 0, 0, s.getNumSamples()); // one second of -100 dBFS, one of digital silence
    const auto source = test::writeWav (dir + "/quiet.wav", tone, 44100.0, 32);

    engine::RenderOptions options;
    options.bitsPerSample = 16;
    std::string error;
    REQUIRE (engine::renderFile (source, dir + "/quiet16.wav", {}, options, error));
    const auto out = readAll (dir + "/quiet16.wav");
    CHECK (out.getNumChannels() == 1);
    CHECK (out.getNumSamples() == tone.getNumSamples());
    // The -100 dBFS tone survives as signal plus dither noise (truncation would give silence).
    CHECK (test::rmsDb (out, 0, 0, 44100) > -100.0);
    CHECK (out.getMagnitude (0, 44100, 44100) == 0.0f);
}
