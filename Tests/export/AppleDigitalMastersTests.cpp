// The Apple Digital Masters codec check: a master driven into full scale clips after the lossy
// round trip; the same master 6 dB down does not. The findings say so in plain words.

#include "BufferStream.h"
#include "export/AppleDigitalMasters.h"

#include <catch2/catch.hpp>

#include <set>

using namespace crest;

namespace
{
/** A master squashed against full scale: the music driven 12 dB into a hard clip at 0.999. */
test::Buffer hotMaster (double rate)
{
    auto b = test::musicLike (rate, 6.0);
    b.applyGain (4.0f);
    for (int c = 0; c < b.getNumChannels(); ++c)
        for (int i = 0; i < b.getNumSamples(); ++i)
            b.setSample (c, i, std::clamp (b.getSample (c, i), -0.999f, 0.999f));
    return b;
}
} // namespace

TEST_CASE ("A master hot to full scale clips after the codec round trip, a safe one does not", "[export][adm]")
{
    const double rate = GENERATE (44100.0, 96000.0);
    INFO (rate << " Hz");

    const auto hot = hotMaster (rate);
    auto safe = test::musicLike (rate, 6.0);
    safe.applyGain (0.5f / std::max (safe.getMagnitude (0, safe.getNumSamples()), 1e-9f)); // -6 dBFS peak

    std::string error;
    test::BufferStream hotStream (hot, rate), safeStream (safe, rate);
    const auto hotCheck = delivery::checkCodecClipping (hotStream, error);
    INFO (error);
    REQUIRE (hotCheck);
    const auto safeCheck = delivery::checkCodecClipping (safeStream, error);
    REQUIRE (safeCheck);

    CHECK (hotCheck->encodedSampleRate == (rate == 96000.0 ? 48000.0 : 44100.0));
    CHECK (hotCheck->clips());
    CHECK (hotCheck->clippedSamples > 10);
    CHECK (hotCheck->decodedSamplePeakDbfs > -0.01);
    CHECK (hotCheck->decodedTruePeakDbtp > -0.01);

    CHECK_FALSE (safeCheck->clips());
    CHECK (safeCheck->decodedTruePeakDbtp < -3.0);
    CHECK (safeCheck->decodedTruePeakDbtp > -9.0); // the music came through at about its level
    // Everything was decoded: the source's length at the encoded rate, plus codec delay and padding.
    const double expected = 6.0 * hotCheck->encodedSampleRate;
    CHECK (safeCheck->decodedSamples >= (int64_t) expected);
    CHECK (safeCheck->decodedSamples <= (int64_t) expected + 3 * 1152);

    const auto hotFindings = delivery::admFindings (4, 24, rate, 0, 0.0, -1.0, *hotCheck);
    const auto clip = std::find_if (hotFindings.begin(), hotFindings.end(), [] (auto& f) { return f.check == "codec-clipping"; });
    REQUIRE (clip != hotFindings.end());
    CHECK (clip->severity == delivery::Severity::warning);
    CHECK (clip->track == 4);
    CHECK (clip->message.find ("clip") != std::string::npos);

    const auto safeFindings = delivery::admFindings (1, 24, rate, 0, -6.0, -1.0, *safeCheck);
    for (const auto& f : safeFindings)
        CHECK (f.severity == delivery::Severity::info);
}

TEST_CASE ("ADM findings name a 16-bit, low-rate or clipped master", "[export][adm]")
{
    const delivery::AdmCodecCheck clean;
    const auto findings = delivery::admFindings (2, 16, 32000.0, 12, 0.4, -1.0, clean);
    std::set<std::string> checks;
    for (const auto& f : findings)
        checks.insert (f.check);
    CHECK (checks.count ("bit-depth"));
    CHECK (checks.count ("sample-rate"));
    CHECK (checks.count ("master-clipping"));
    CHECK (checks.count ("true-peak"));
}

TEST_CASE ("The codec check refuses rates it cannot encode", "[export][adm]")
{
    const auto audio = test::sine (22050.0, 2, 0.5, 1000.0, -6.0);
    test::BufferStream stream (audio, 22050.0);
    std::string error;
    CHECK_FALSE (delivery::checkCodecClipping (stream, error));
    CHECK (error.find ("22.050 kHz") != std::string::npos);
}
