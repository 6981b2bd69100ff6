// Platform normalisation: every platform's figure and rule, and the player's preview applying it.

#include "TestSignals.h"
#include "analysis/TruePeakMeter.h"
#include "live/PlatformTargets.h"
#include "live/SessionPlayer.h"

#include <catch2/catch.hpp>

using namespace crest;
using live::Platform;

namespace
{
double gainOf (Platform p, double lufs, double tp)
{
    return live::platformGain (live::platformRule (p), lufs, tp).gainDb;
}
} // namespace

TEST_CASE ("Platform targets are the published figures", "[live][platform]")
{
    CHECK (live::platformRule (Platform::spotify).targetLufs == -14.0);
    CHECK (live::platformRule (Platform::spotifyLoud).targetLufs == -11.0);
    CHECK (live::platformRule (Platform::appleMusic).targetLufs == -16.0);
    CHECK (live::platformRule (Platform::youTube).targetLufs == -14.0);
    CHECK (live::platformRule (Platform::tidal).targetLufs == -14.0);
    CHECK (live::platformRule (Platform::amazonMusic).targetLufs == -14.0);
    CHECK (live::platformRule (Platform::amazonMusic).adviceDbtp == -2.0);
    CHECK (live::platformRule (Platform::deezer).targetLufs == -15.0);
    CHECK (live::platformFromKey ("spotify-loud") == Platform::spotifyLoud);
    CHECK (live::platformFromKey ("apple") == Platform::appleMusic);
    CHECK (! live::platformFromKey ("napster"));
    for (const auto& rule : live::platformRules())
        CHECK (! rule.source.empty());

    // Spotify's advice: -1 dBTP, but -2 dBTP for masters louder than -14 LUFS.
    CHECK (live::advisedCeilingDbtp (live::platformRule (Platform::spotify), -16.0) == -1.0);
    CHECK (live::advisedCeilingDbtp (live::platformRule (Platform::spotify), -9.0) == -2.0);
    CHECK (live::advisedCeilingDbtp (live::platformRule (Platform::amazonMusic), -16.0) == -2.0);
    CHECK (live::advisedCeilingDbtp (live::platformRule (Platform::appleMusic), -9.0) == -1.0);
}

TEST_CASE ("Every platform turns a loud master down to its target", "[live][platform]")
{
    CHECK (gainOf (Platform::spotify, -8.0, -0.1) == Approx (-6.0));
    CHECK (gainOf (Platform::spotifyLoud, -8.0, -0.1) == Approx (-3.0));
    CHECK (gainOf (Platform::appleMusic, -8.0, -0.1) == Approx (-8.0));
    CHECK (gainOf (Platform::youTube, -8.0, -0.1) == Approx (-6.0));
    CHECK (gainOf (Platform::tidal, -8.0, -0.1) == Approx (-6.0));
    CHECK (gainOf (Platform::amazonMusic, -8.0, -0.1) == Approx (-6.0));
    CHECK (gainOf (Platform::deezer, -8.0, -0.1) == Approx (-7.0));
    CHECK (gainOf (Platform::none, -8.0, -0.1) == 0.0);
}

TEST_CASE ("Positive gain follows each platform's rule", "[live][platform]")
{
    // Spotify: up only as far as the true peak stays at or under -1 dBTP.
    CHECK (gainOf (Platform::spotify, -20.0, -10.0) == Approx (6.0)); // room enough
    const auto cut = live::platformGain (live::platformRule (Platform::spotify), -20.0, -3.0);
    CHECK (cut.gainDb == Approx (2.0)); // 6 wanted, 2 of headroom
    CHECK (cut.limited);
    CHECK (cut.resultingPeakDbtp == Approx (-1.0));
    CHECK (gainOf (Platform::spotify, -20.0, 0.5) == 0.0); // over already: no gain, not a cut

    // Spotify Loud: to -11 whatever the peak; its limiter catches what goes over -1 dB.
    const auto loud = live::platformGain (live::platformRule (Platform::spotifyLoud), -20.0, -3.0);
    CHECK (loud.gainDb == Approx (9.0));
    CHECK (loud.limiterEngages);
    CHECK (! live::platformGain (live::platformRule (Platform::spotifyLoud), -13.0, -6.0).limiterEngages);

    // Apple Music (Sound Check): -16, no positive gain beyond the headroom to -1 dBTP.
    CHECK (gainOf (Platform::appleMusic, -20.0, -8.0) == Approx (4.0));
    CHECK (gainOf (Platform::appleMusic, -20.0, -2.0) == Approx (1.0));

    // YouTube, Tidal, Amazon, Deezer: turn down only.
    for (auto p : { Platform::youTube, Platform::tidal, Platform::amazonMusic, Platform::deezer })
    {
        const auto g = live::platformGain (live::platformRule (p), -24.0, -12.0);
        CHECK (g.gainDb == 0.0);
        CHECK (g.limited);
    }

    // Custom: the user's target and ceiling.
    CHECK (live::platformGain (-12.0, true, -2.0, false, -1.0, -20.0, -5.0).gainDb == Approx (3.0));
}

TEST_CASE ("The platform preview plays the master at the level the platform would", "[live][platform]")
{
    const double rate = 48000.0;
    const int block = 256;
    const auto master = test::pinkNoise (rate, 2, 10.0, -26.0, 21);
    const auto analysis = test::analyse (master, rate);
    live::SessionPlayer player;
    player.prepare (rate, block);
    std::string error;
    REQUIRE (player.loadFile (test::writeWav (test::tempDir() + "/platform-master.wav", master, rate, 24), error));

    player.setPlatformPreview (Platform::youTube);
    player.play();
    std::vector<float> l ((size_t) block), r ((size_t) block);
    for (int i = 0; i < (int) (4.0 * rate / block); ++i)
    {
        player.waitUntilBuffered (2000);
        player.processBlock (l.data(), r.data(), block);
    }
    REQUIRE (player.platformGain());
    CHECK (player.platformGain()->gainDb == 0.0); // YouTube never turns up

    player.setPlatformPreview (Platform::spotify);
    analysis::LoudnessMeter heard;
    heard.prepare (rate, 2);
    for (int i = 0; i < (int) (4.0 * rate / block); ++i)
    {
        player.waitUntilBuffered (2000);
        player.processBlock (l.data(), r.data(), block);
        const float* channels[] = { l.data(), r.data() };
        heard.process (channels, block);
    }
    const auto expected
        = live::platformGain (live::platformRule (Platform::spotify), *analysis.integratedLufs, *analysis.truePeakDbtp);
    REQUIRE (player.platformGain());
    CHECK (player.platformGain()->gainDb == Approx (expected.gainDb).margin (0.3));
    CHECK (*heard.shortTermLufs() == Approx (*analysis.integratedLufs + expected.gainDb).margin (0.5));
}

TEST_CASE ("Spotify Loud's preview turns a quiet master up to -11 LUFS and its limiter holds -1 dBTP", "[live][platform]")
{
    const double rate = 48000.0;
    const int block = 256;
    const auto master = test::musicLike (rate, 12.0);
    const auto analysis = test::analyse (master, rate);
    live::SessionPlayer player;
    player.prepare (rate, block);
    std::string error;
    REQUIRE (player.loadFile (test::writeWav (test::tempDir() + "/loud-master.wav", master, rate, 24), error));
    player.setPlatformPreview (Platform::spotifyLoud);
    player.play();

    analysis::TruePeakMeter peaks;
    peaks.prepare (rate, 2);
    analysis::LoudnessMeter heard;
    heard.prepare (rate, 2);
    std::vector<float> l ((size_t) block), r ((size_t) block);
    for (int i = 0; i < (int) (11.0 * rate / block); ++i)
    {
        player.waitUntilBuffered (2000);
        player.processBlock (l.data(), r.data(), block);
        const float* channels[] = { l.data(), r.data() };
        if (i > (int) (4.0 * rate / block)) // once the master's integrated loudness has settled
        {
            peaks.process (channels, block);
            heard.process (channels, block);
        }
    }
    peaks.flush();
    const double wanted = -11.0 - *analysis.integratedLufs;
    INFO ("master " << *analysis.integratedLufs << " LUFS, " << *analysis.truePeakDbtp << " dBTP; Loud asks " << wanted << " dB");
    REQUIRE (wanted > 0.0);
    REQUIRE (*analysis.truePeakDbtp + wanted > -1.0); // so the limiter has work to do
    REQUIRE (player.platformGain());
    CHECK (player.platformGain()->limiterEngages);
    CHECK (20.0 * std::log10 (std::max (peaks.getPeak (0), peaks.getPeak (1))) <= -0.95);
    // Within a LU: the gain follows the whole master so far, this stretch of it is a little louder.
    CHECK (*heard.integratedLufs() == Approx (-11.0).margin (1.0));
}
