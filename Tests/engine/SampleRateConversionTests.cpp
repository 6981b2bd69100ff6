// The sample-rate conversion stage: 96 kHz to 44.1 kHz as the CD target uses it.

#include "export/BufferStream.h"
#include "export/SpectrumProbe.h"
#include "TestSignals.h"
#include "engine/SampleRateConversion.h"

#include <catch2/catch.hpp>

using namespace crest;

TEST_CASE ("SRC: output length is round (in * out / in) exactly, and CD frames stay whole frames", "[engine][src]")
{
    for (const int inputLength : { 96000 * 3 + 17, 1280 * 75 * 2, 1, 12345 })
    {
        test::Buffer in (2, inputLength);
        in.clear();
        test::BufferStream source (in, 96000.0);
        engine::SampleRateConversion src (source, 44100.0);
        const auto expected = (int64_t) std::llround (inputLength * 44100.0 / 96000.0);
        CHECK (src.lengthInSamples() == expected);
        const auto out = test::readStream (src);
        CHECK (out.getNumSamples() == expected);
    }
    // 2 s of 96 kHz frames (1280 samples each) become 150 CD frames of 588 samples.
    CHECK (engine::SampleRateConversion::convertedLength (1280 * 150, 96000.0, 44100.0) == 588 * 150);
}

TEST_CASE ("SRC: a 23 kHz tone at 96 kHz leaves nothing above -150 dBFS at 44.1 kHz", "[engine][src]")
{
    const auto in = test::sine (96000.0, 2, 4.0, 23000.0, -1.0);
    test::BufferStream source (in, 96000.0);
    engine::SampleRateConversion src (source, 44100.0);
    const auto out = test::readStream (src);
    REQUIRE (out.getNumSamples() == 176400);

    // The middle of the output, away from the tone's switch-on and switch-off.
    const auto spectrum = test::spectrumDbfs (out.getReadPointer (0, 44100), 65536);
    const double loudest = *std::max_element (spectrum.begin(), spectrum.end());
    INFO ("loudest bin " << loudest << " dBFS");
    CHECK (loudest < -150.0);

    // The negative control: the same measurement sees a tone that is there.
    const auto control = test::sine (44100.0, 1, 2.0, 21000.0, -140.0);
    const auto controlSpectrum = test::spectrumDbfs (control.getReadPointer (0), 65536);
    CHECK (*std::max_element (controlSpectrum.begin(), controlSpectrum.end()) == Approx (-140.0).margin (1.0));
}

TEST_CASE ("SRC: the passband is flat within 0.01 dB up to 20 kHz", "[engine][src]")
{
    for (const double f : { 20.0, 100.0, 997.0, 5000.0, 10000.0, 15000.0, 18000.0, 19000.0, 20000.0 })
    {
        const auto in = test::sine (96000.0, 1, 3.0, f, -6.0);
        test::BufferStream source (in, 96000.0);
        engine::SampleRateConversion src (source, 44100.0);
        const auto out = test::readStream (src);
        const double inLevel = test::sineAmplitude (in.getReadPointer (0, 96000), 96000, 96000.0, f);
        const double outLevel = test::sineAmplitude (out.getReadPointer (0, 44100), 44100, 44100.0, f);
        const double db = 20.0 * std::log10 (outLevel / inLevel);
        INFO (f << " Hz: " << db << " dB");
        CHECK (std::abs (db) < 0.01);
    }
}

TEST_CASE ("SRC: a click lands where its time says (the filter delay is compensated)", "[engine][src]")
{
    test::Buffer in (1, 96000 * 2);
    in.clear();
    in.setSample (0, 96000, 0.5f); // exactly 1 s
    test::BufferStream source (in, 96000.0);
    engine::SampleRateConversion src (source, 44100.0);
    const auto out = test::readStream (src);

    const float* y = out.getReadPointer (0);
    const auto peak = std::max_element (y, y + out.getNumSamples()) - y;
    CHECK (peak == 44100);
    // Linear phase: the response is symmetric about the click.
    for (int k = 1; k < 20; ++k)
        CHECK (y[44100 - k] == Approx (y[44100 + k]).margin (1e-6));
}
