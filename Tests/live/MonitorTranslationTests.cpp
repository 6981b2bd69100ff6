// Translation checks: each simulation's documented response, measured with sines through the
// running stage, and level matching that changes the tone, not the level.

#include "TestSignals.h"
#include "live/MonitorTranslation.h"

#include <catch2/catch.hpp>

#include <cmath>

using namespace crest;

namespace
{
constexpr double rate = 48000.0;
constexpr int block = 512;

/** Runs a buffer through a translation stage (matching as given) and returns the result. */
test::Buffer through (live::Translation t, const test::Buffer& in, bool match)
{
    live::MonitorTranslation stage;
    stage.prepare (rate, block);
    stage.setLevelMatch (match);
    stage.setTranslation (t);
    auto out = in;
    for (int i = 0; i < out.getNumSamples(); i += block)
    {
        const int n = std::min (block, out.getNumSamples() - i);
        stage.process (out.getWritePointer (0, i), out.getWritePointer (1, i), n);
    }
    return out;
}

/** Gain in dB of a translation for a stereo (identical channels) sine, measured in its last half second. */
double measuredGainDb (live::Translation t, double hz)
{
    const auto in = test::sine (rate, 2, 1.0, hz, -20.0);
    const auto out = through (t, in, false);
    const int from = (int) rate / 2, n = (int) rate / 2;
    return 20.0 * std::log10 (out.getRMSLevel (0, from, n) / in.getRMSLevel (0, from, n));
}

double designDb (live::Translation t, double hz)
{
    return live::MonitorTranslation::magnitudeDb (t, rate, hz);
}
} // namespace

TEST_CASE ("Each translation check has the response its design note states", "[live][translation]")
{
    using T = live::Translation;

    // Phone: 4th-order high-pass at 500 Hz, +4 dB at 2.5 kHz, low-pass at 10 kHz.
    CHECK (designDb (T::phone, 500.0) == Approx (-3.0).margin (1.0));
    CHECK (designDb (T::phone, 125.0) < -45.0); // two octaves below: 24 dB/octave
    CHECK (designDb (T::phone, 2500.0) == Approx (4.0).margin (0.5));
    CHECK (designDb (T::phone, 16000.0) < -6.0);

    // Earbuds: 2nd-order high-pass at 90 Hz, +3 dB at 3 kHz, -3 dB shelf at 10 kHz.
    CHECK (designDb (T::earbuds, 90.0) == Approx (-3.0).margin (0.5));
    CHECK (designDb (T::earbuds, 22.5) < -20.0);
    CHECK (designDb (T::earbuds, 3000.0) == Approx (3.0).margin (0.6));
    CHECK (designDb (T::earbuds, 18000.0) == Approx (-3.0).margin (0.6));
    CHECK (designDb (T::earbuds, 700.0) == Approx (0.0).margin (0.5));

    // Laptop: 4th-order high-pass at 200 Hz, +3 dB at 1.2 kHz, low-pass at 14 kHz.
    CHECK (designDb (T::laptop, 200.0) == Approx (-3.0).margin (1.0));
    CHECK (designDb (T::laptop, 50.0) < -45.0);
    CHECK (designDb (T::laptop, 1200.0) == Approx (3.0).margin (0.5));
    CHECK (designDb (T::laptop, 14000.0) == Approx (-3.0).margin (1.0));

    // Car: +6 dB below 90 Hz, -3 dB at 400 Hz, -4 dB above 6 kHz.
    CHECK (designDb (T::car, 25.0) == Approx (6.0).margin (0.5));
    CHECK (designDb (T::car, 400.0) == Approx (-3.0).margin (0.6));
    CHECK (designDb (T::car, 16000.0) == Approx (-4.0).margin (0.5));

    // Club: high-pass at 30 Hz, +6 dB below 80 Hz, -2 dB above 8 kHz.
    CHECK (designDb (T::club, 60.0) == Approx (5.0).margin (1.0));
    CHECK (designDb (T::club, 10.0) < -10.0);
    CHECK (designDb (T::club, 1000.0) == Approx (0.0).margin (0.5));
    CHECK (designDb (T::club, 16000.0) == Approx (-2.0).margin (0.4));

    // Mono has no filter.
    CHECK (designDb (T::mono, 1000.0) == Approx (0.0).margin (1.0e-9));

    // The running stage does what the design says (sines through process()).
    for (auto t : live::allTranslations)
        for (double hz : { 100.0, 500.0, 1000.0, 3000.0, 8000.0 })
        {
            INFO (live::translationName (t) << " at " << hz << " Hz");
            CHECK (measuredGainDb (t, hz) == Approx (designDb (t, hz)).margin (0.05));
        }
}

TEST_CASE ("Mono, phone and club fold down to mono, laptop narrows the image", "[live][translation]")
{
    auto antiPhase = test::sine (rate, 2, 0.5, 1000.0, -20.0);
    antiPhase.applyGain (1, 0, antiPhase.getNumSamples(), -1.0f);
    for (auto t : { live::Translation::mono, live::Translation::phone, live::Translation::club })
    {
        const auto out = through (t, antiPhase, false);
        CHECK (out.getMagnitude (0, 2400, out.getNumSamples() - 2400) < 1.0e-6f); // after the 20 ms switch-in
    }
    const auto narrowed = through (live::Translation::laptop, antiPhase, false);
    // Pure side signal at half width: -6 dB, and the 1.2 kHz bell's and high-pass's share at 1 kHz.
    const double db = 20.0 * std::log10 (narrowed.getRMSLevel (0, 12000, 12000) / antiPhase.getRMSLevel (0, 12000, 12000));
    CHECK (db == Approx (-6.02 + designDb (live::Translation::laptop, 1000.0)).margin (0.05));
}

TEST_CASE ("Translation checks are level-matched by short-term loudness", "[live][translation]")
{
    const auto music = test::musicLike (rate, 8.0);
    analysis::LoudnessMeter reference;
    reference.prepare (rate, 2);
    const float* channels[] = { music.getReadPointer (0), music.getReadPointer (1) };
    reference.process (channels, music.getNumSamples());
    const double original = *reference.shortTermLufs();

    for (auto t : live::allTranslations)
    {
        const auto out = through (t, music, true);
        analysis::LoudnessMeter meter;
        meter.prepare (rate, 2);
        const float* o[] = { out.getReadPointer (0), out.getReadPointer (1) };
        meter.process (o, out.getNumSamples());
        INFO (live::translationName (t));
        CHECK (*meter.shortTermLufs() == Approx (original).margin (0.5));
    }
}

TEST_CASE ("Switching translation checks crossfades instead of clicking", "[live][translation]")
{
    live::MonitorTranslation stage;
    stage.prepare (rate, block);
    auto tone = test::sine (rate, 2, 2.0, 220.0, -6.0);
    float worst = 0.0f, previous = 0.0f;
    int i = 0;
    for (auto t : { live::Translation::phone, live::Translation::car, live::Translation::off, live::Translation::club })
    {
        stage.setTranslation (t);
        for (int k = 0; k < 40; ++k, i += block)
        {
            stage.process (tone.getWritePointer (0, i), tone.getWritePointer (1, i), block);
            for (int j = 0; j < block; ++j)
            {
                const float x = tone.getSample (0, i + j);
                if (i + j > 0)
                    worst = std::max (worst, std::abs (x - previous));
                previous = x;
            }
        }
    }
    // A 220 Hz sine at 0.5 peak moves 0.0144 per sample; with the +6 dB shelves and matching
    // gain up to four times that. A hard switch of filters would jump far more.
    CHECK (worst < 0.08f);
}
