// Peer comparison: x42's digital peak limiter (x42-plugins, run by lv2file) and Crest's
// limiter on the same programme driven +12 dB into -1 dBTP, both outputs measured by the same
// independent true-peak reconstruction. Crest must stay under its ceiling; both figures are
// reported. Fails (not skips) when lv2file or the plug-in is missing: install-deps.sh installs them.

#include "IndependentTruePeak.h"
#include "ModuleTestHelpers.h"
#include "engine/AudioFileInput.h"
#include "engine/ModuleRegistry.h"

#include <catch2/catch.hpp>

#include <cmath>

using namespace crest;

namespace
{
const char* const x42Limiter = "http://gareus.org/oss/lv2/dpl#stereo";

test::Buffer readWav (const std::string& path)
{
    std::string error;
    auto file = engine::AudioFileInput::open (path, error);
    if (file == nullptr)
        throw std::runtime_error ("cannot read " + path + ": " + error);
    test::Buffer b (file->info().numChannels, (int) file->info().lengthInSamples);
    file->read (b, b.getNumSamples());
    return b;
}
} // namespace

TEST_CASE ("Peer limiter: x42 dpl and Crest on the same programme, +12 dB into -1 dBTP", "[limiter][peer]")
{
    if (! test::haveProgram ("lv2file"))
        FAIL ("lv2file is not installed: run Installers/install-deps.sh (packages lv2file and x42-plugins)");
    const auto [listStatus, plugins] = test::run ("lv2file -l 2>&1");
    if (plugins.find (x42Limiter) == std::string::npos)
        FAIL ("lv2file does not list " << x42Limiter << ": install x42-plugins (status " << listStatus << ")");

    const double rate = 48000.0;
    const test::IndependentTruePeak reference (8);
    const auto dir = test::tempDir();

    // The programme, then a second of silence so that both limiters deliver all of it.
    const auto programme = test::musicLike (rate, 6.0);
    test::Buffer input (2, programme.getNumSamples() + (int) rate);
    input.clear();
    for (int c = 0; c < 2; ++c)
        input.copyFrom (c, 0, programme, c, 0, programme.getNumSamples());
    const auto inPath = test::writeWav (dir + "/in.wav", input, rate, 32);

    // x42: input gain 12 dB, threshold -1 dB, its true-peak mode on, release 60 ms.
    const auto outPath = dir + "/x42.wav";
    const auto command = "lv2file -i " + test::quote (inPath) + " -o " + test::quote (outPath)
        + " -p gain:12 -p threshold:-1 -p truepeak:1 -p release:0.06 " + x42Limiter + " 2>&1";
    const auto [status, log] = test::run (command);
    INFO (command << "\n" << log);
    REQUIRE (status == 0);
    const auto x42 = readWav (outPath);
    REQUIRE (x42.getNumSamples() == input.getNumSamples());

    auto crestLimiter = engine::createModule ("limiter");
    test::setParameter (*crestLimiter, "input_gain_db", 12.0f);
    crestLimiter->prepare (rate, 1024);
    const auto crest = test::processThrough (*crestLimiter, input, 1024);

    const double inputPeak = reference.peakDb (input) + 12.0;
    const double x42Peak = reference.peakDb (x42), crestPeak = reference.peakDb (crest);
    const double x42Rms = test::rmsDb (x42, 0, 0, x42.getNumSamples()),
                 crestRms = test::rmsDb (crest, 0, 0, crest.getNumSamples());
    WARN ("+12 dB into -1 dBTP, independent 8x true peak: input " << inputPeak << " dBTP; x42 dpl " << x42Peak << " dBTP (RMS "
                                                                  << x42Rms << " dBFS); Crest " << crestPeak << " dBTP (RMS "
                                                                  << crestRms << " dBFS)");
    CHECK (crestPeak <= -0.95);
    CHECK (crestPeak > -1.5);
    // Both are limiters doing the same job: their loudness should be comparable.
    CHECK (std::fabs (crestRms - x42Rms) < 3.0);
}
