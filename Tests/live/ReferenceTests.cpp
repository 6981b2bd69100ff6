// References and A/B: measured offline, played loudness-matched to the master, synced or from
// their own cue, switched with a short equal-power crossfade and no gap.

#include "TestSignals.h"
#include "live/SessionPlayer.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <thread>

using namespace crest;

namespace
{
constexpr double rate = 48000.0;
constexpr int block = 256;

test::Buffer pump (live::SessionPlayer& player, double seconds)
{
    const int blocks = (int) std::ceil (seconds * rate / block);
    test::Buffer out (2, blocks * block);
    for (int b = 0; b < blocks; ++b)
    {
        player.waitUntilBuffered (2000);
        player.processBlock (out.getWritePointer (0, b * block), out.getWritePointer (1, b * block), block);
    }
    return out;
}

/** Short-term loudness every 100 ms over a buffer (from 3 s on). */
std::vector<double> shortTermSeries (const test::Buffer& b)
{
    analysis::LoudnessMeter meter;
    meter.prepare (rate, 2);
    std::vector<double> series;
    const int step = (int) rate / 10;
    for (int i = 0; i + step <= b.getNumSamples(); i += step)
    {
        const float* channels[] = { b.getReadPointer (0, i), b.getReadPointer (1, i) };
        meter.process (channels, step);
        if (auto s = meter.shortTermLufs())
            series.push_back (*s);
    }
    return series;
}

bool waitForMeasurement (live::SessionPlayer& player, int index)
{
    for (int i = 0; i < 2000; ++i)
    {
        if (player.referenceInfo (index).measured)
            return true;
        std::this_thread::sleep_for (std::chrono::milliseconds (5));
    }
    return false;
}

/** A ramp whose samples are their own index; the reference's right channel is positive, the
    master's negative, so the output says which one is heard and where. */
test::Buffer ramp (int length, bool reference)
{
    test::Buffer b (2, length);
    for (int i = 0; i < length; ++i)
    {
        const float v = (float) (i % 65536) / 65536.0f;
        b.setSample (0, i, v);
        b.setSample (1, i, reference ? v : -v);
    }
    return b;
}
int indexOf (float v)
{
    return (int) std::lround (std::abs (v) * 65536.0f);
}
} // namespace

TEST_CASE ("A reference is measured offline and played loudness-matched to the master while switching", "[live][reference]")
{
    const auto master = test::pinkNoise (rate, 2, 14.0, -20.0, 11);
    const auto reference = test::pinkNoise (rate, 2, 14.0, -31.0, 12);
    const auto masterPath = test::writeWav (test::tempDir() + "/ab-master.wav", master, rate, 24);
    const auto referencePath = test::writeWav (test::tempDir() + "/ab-reference.wav", reference, rate, 24);
    const auto expectedReference = test::analyse (reference, rate).integratedLufs;

    for (auto match : { live::ReferenceMatch::integrated, live::ReferenceMatch::shortTerm })
    {
        DYNAMIC_SECTION ((match == live::ReferenceMatch::integrated ? "by integrated" : "by short-term"))
        {
            live::SessionPlayer player;
            player.prepare (rate, block);
            std::string error;
            REQUIRE (player.loadFile (masterPath, error));
            REQUIRE (player.addReference ({ referencePath, "ref", 0.0 }, "", error) == 0);
            REQUIRE (waitForMeasurement (player, 0));
            const auto info = player.referenceInfo (0);
            REQUIRE (info.integratedLufs);
            CHECK (*info.integratedLufs == Approx (*expectedReference).margin (0.05));
            CHECK (info.thirdOctaveDb.size() == (size_t) live::MeterSnapshot::thirdOctaveSize);

            player.setReferenceMatch (match);
            player.play();
            auto out = pump (player, 4.0);
            const double masterLevel = shortTermSeries (out).back();

            // Switch every 700 ms for 8 s: the output's short-term loudness never leaves the master's.
            test::Buffer switching (2, 0);
            float gainWhileHeard = 0.0f;
            for (int i = 0; i < 12; ++i)
            {
                player.listenTo (i % 2 == 0 ? 0 : live::SessionPlayer::master);
                auto part = pump (player, 0.7);
                if (i % 2 == 0)
                    gainWhileHeard = player.referenceGainDb();
                const int at = switching.getNumSamples();
                switching.setSize (2, at + part.getNumSamples(), true);
                for (int c = 0; c < 2; ++c)
                    switching.copyFrom (c, at, part, c, 0, part.getNumSamples());
            }
            CHECK (std::abs (gainWhileHeard - 11.0f) < 1.0f); // pink noise 11 dB apart
            // The master's own short-term loudness wanders a little (pink noise, 3 s windows).
            double worst = 0.0;
            for (double s : shortTermSeries (switching))
                worst = std::max (worst, std::abs (s - masterLevel));
            INFO ("master at " << masterLevel << " LUFS");
            CHECK (worst < 0.5);
        }
    }
}

TEST_CASE ("Switching between master and reference leaves no gap and no step beyond the crossfade", "[live][reference]")
{
    const auto master = test::sine (rate, 2, 6.0, 440.0, -12.0);
    const auto reference = test::sine (rate, 2, 6.0, 1000.0, -12.0);
    live::SessionPlayer player;
    player.prepare (rate, block);
    std::string error;
    REQUIRE (player.loadFile (test::writeWav (test::tempDir() + "/click-master.wav", master, rate, 32), error));
    REQUIRE (
        player.addReference ({ test::writeWav (test::tempDir() + "/click-ref.wav", reference, rate, 32), "", 0.0 }, "", error)
        == 0);
    player.setReferenceMatch (live::ReferenceMatch::off);
    player.play();
    pump (player, 0.5);

    test::Buffer all (2, 0);
    for (int i = 0; i < 6; ++i)
    {
        player.listenTo (i % 2 == 0 ? 0 : live::SessionPlayer::master);
        auto part = pump (player, 0.3);
        const int at = all.getNumSamples();
        all.setSize (2, at + part.getNumSamples(), true);
        all.copyFrom (0, at, part, 0, 0, part.getNumSamples());
    }

    // Each sine moves at most 2 pi f A / rate per sample (0.0144 and 0.0327 at 0.25 peak); the
    // equal-power gains move at most (pi / 2) / 960 per sample. A cut or a gap would jump by
    // up to 0.5.
    const float bound = 0.0144f + 0.0327f + 2.0f * 0.25f * 1.5708f / 960.0f;
    float worst = 0.0f, quietest = 1.0f;
    const int window = (int) (0.01 * rate); // 4.4 periods of the lower sine
    for (int i = 1; i < all.getNumSamples(); ++i)
        worst = std::max (worst, std::abs (all.getSample (0, i) - all.getSample (0, i - 1)));
    for (int i = 0; i + window <= all.getNumSamples(); i += window / 2)
        quietest = std::min (quietest, all.getRMSLevel (0, i, window));
    CHECK (worst < bound);
    CHECK (quietest > 0.15f); // both sines are 0.177 RMS and equal power keeps that; a 5 ms gap would not
}

TEST_CASE ("A synced reference plays at the master's position, a cued one from its cue point", "[live][reference]")
{
    const int length = (int) rate * 8;
    live::SessionPlayer player;
    player.prepare (rate, block);
    std::string error;
    REQUIRE (player.loadFile (test::writeWav (test::tempDir() + "/sync-master.wav", ramp (length, false), rate, 32), error));
    REQUIRE (player.addReference (
                 { test::writeWav (test::tempDir() + "/sync-ref.wav", ramp (length, true), rate, 32), "", 2.0 }, "", error)
        == 0);
    player.setReferenceMatch (live::ReferenceMatch::off);
    player.play();
    pump (player, 1.0);

    SECTION ("synced")
    {
        player.listenTo (0);
        const auto out = pump (player, 0.5);
        const int last = out.getNumSamples() - 1;
        CHECK (out.getSample (1, last) > 0.0f); // the reference
        CHECK (indexOf (out.getSample (0, last)) == (int) ((player.position() - 1) % 65536));
    }
    SECTION ("from its cue")
    {
        player.setReferenceStart (live::ReferenceStart::cue);
        pump (player, 0.1); // the reference is re-primed at its cue
        player.listenTo (0);
        const auto out = pump (player, 0.5);
        const int last = out.getNumSamples() - 1;
        CHECK (out.getSample (1, last) > 0.0f);
        CHECK (indexOf (out.getSample (0, last)) == (int) ((2.0 * rate + out.getNumSamples() - 1)) % 65536);
    }
}

TEST_CASE ("A reference at another rate plays converted to the player's rate", "[live][reference][src]")
{
    // A 96 kHz, 1 kHz sine reference beside a 48 kHz master: once converted (album::SourceAudio),
    // it plays at its own pitch and level, where it used to be refused.
    const auto master = test::sine (rate, 2, 4.0, 440.0, -12.0);
    const auto reference = test::sine (96000.0, 2, 4.0, 1000.0, -12.0);
    live::SessionPlayer player;
    player.prepare (rate, block);
    std::string error;
    REQUIRE (player.loadFile (test::writeWav (test::tempDir() + "/rate-master.wav", master, rate, 24), error));
    REQUIRE (player.addReference ({ test::writeWav (test::tempDir() + "/rate-ref-96k.wav", reference, 96000.0, 24), "", 0.0 }, "", error)
             == 0);
    INFO (error);
    CHECK (player.referenceInfo (0).durationSeconds == Approx (4.0).margin (1e-6));
    player.setReferenceMatch (live::ReferenceMatch::off);
    player.listenTo (0);
    player.play();
    const auto out = pump (player, 2.0);
    // After the switch: a 1 kHz sine at -12 dBFS (peak 0.251), i.e. 48 samples per cycle.
    const int from = (int) rate;
    CHECK (juce::Decibels::gainToDecibels (out.getMagnitude (0, from, (int) rate / 2)) == Approx (-12.0).margin (0.05));
    int crossings = 0;
    for (int i = from + 1; i < from + (int) rate / 2; ++i)
        crossings += (out.getSample (0, i - 1) < 0.0f) != (out.getSample (0, i) < 0.0f) ? 1 : 0;
    CHECK (crossings == Approx (1000).margin (2)); // 2 per cycle, 500 cycles in half a second
}
