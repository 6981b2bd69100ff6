// Whole chains as a mastering engineer uses them: the shipped presets on a music-like mix.

#include "ModuleTestHelpers.h"
#include "engine/ChainFile.h"
#include "engine/OfflineRenderer.h"

#include <catch2/catch.hpp>

using namespace crest;

namespace
{
    const juce::File presets = juce::File (CREST_SOURCE_DIR).getChildFile ("Resources/presets");
} // namespace

TEST_CASE ("Every shipped preset loads and renders, limited outputs respect their ceiling by Crest's own meter",
           "[engine][render][presets]")
{
    const auto dir = test::tempDir();
    // At 48 and 96 kHz the music-like mix carries content up to the Nyquist frequency, whose
    // inter-sample peaks a short interpolator like Crest's meter reads differently from a long
    // one; the limiter detects on both kinds (dsp/TruePeakLimiter.h), so every rate must pass.
    for (const double rate : { 44100.0, 48000.0, 96000.0 })
    {
        auto mix = test::musicLike (rate, 12.0);
        const auto source = test::writeWav (dir + "/mix" + std::to_string ((int) rate) + ".wav", mix, rate, 24);

        const auto files = presets.findChildFiles (juce::File::findFiles, false, "*.json");
        REQUIRE (files.size() >= 3);
        for (const auto& file : files)
        {
            INFO (file.getFileName() << " at " << rate << " Hz");
            const auto chain = engine::ChainFile::load (file.getFullPathName().toStdString());
            std::string error;
            engine::RenderOptions options;
            options.bitsPerSample = 32; // measure the chain, not the quantiser
            const auto result = engine::renderFile (source, dir + "/out.wav", chain, options, error);
            REQUIRE (result);
            REQUIRE (result->output.truePeakDbtp);

            float ceiling = 0.0f;
            for (const auto& m : chain.modules)
                if (m.type == "limiter")
                {
                    ceiling = -1.0f;
                    for (const auto& [id, value] : m.params)
                        if (id == "ceiling_dbtp")
                            ceiling = value;
                }
            CHECK (*result->output.truePeakDbtp <= ceiling + 0.05);
        }
    }
}
