#include "TestSignals.h"
#include "album/MasterCheck.h"
#include "engine/ModuleIds.h"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace crest;

namespace
{
album::Timeline layOut (const session::Session& s)
{
    std::string error;
    auto t = album::Timeline::fromSources (s, album::Alignment::samples, error);
    INFO (error);
    REQUIRE (t.has_value());
    return *t;
}

bool has (const std::vector<analysis::Finding>& findings, const std::string& code)
{
    return std::any_of (findings.begin(), findings.end(), [&] (const auto& f) { return f.code == code; });
}

engine::ChainDescription gainChain (float db)
{
    engine::ChainDescription chain;
    chain.modules.push_back ({ "boost", engine::ids::types::utility, false, { { engine::ids::utility::gain, db } } });
    return chain;
}
} // namespace

TEST_CASE ("A track rendered through a chain that pushes it over 0 dBTP shows inter-sample overs", "[album][master-check]")
{
    const auto dir = test::tempDir();
    const double rate = 44100.0;
    // A quarter-rate sine at 45 degrees: every sample sits 3 dB under the wave's crest, so the
    // samples stay below full scale while the waveform between them goes over it.
    const auto sine = test::sine (rate, 2, 5.0, rate / 4.0, -3.0, 45.0);
    session::Session s;
    s.tracks.resize (2);
    s.tracks[0].source = test::writeWav (dir + "/quiet.wav", test::pinkNoise (rate, 2, 3.0, -24.0), rate, 32);
    s.tracks[1].source = test::writeWav (dir + "/sine.wav", sine, rate, 32);
    const auto timeline = layOut (s);

    // The source itself has 3 dB of headroom over its true peak: nothing to report.
    std::string error;
    const auto before = album::checkMaster (s, timeline, 1, error);
    REQUIRE (before.has_value());
    CHECK_FALSE (has (before->findings, "inter-sample-overs"));
    CHECK (before->analysis.truePeakDbtp.value_or (-99.0) == Approx (-3.0).margin (0.15));

    // +5 dB in the chain: samples at -1 dBFS, the true peak at +2 dBTP.
    s.chain = gainChain (5.0f);
    const auto after = album::checkMaster (s, timeline, 1, error);
    REQUIRE (after.has_value());
    INFO (error);
    CHECK (has (after->findings, "inter-sample-overs"));
    CHECK_FALSE (has (after->findings, "clipping"));
    CHECK (after->analysis.truePeakDbtp.value_or (-99.0) == Approx (2.0).margin (0.15));
    CHECK (after->analysis.samplePeakDbfs.value_or (-99.0) == Approx (-1.0).margin (0.05));
    for (const auto& f : after->findings)
        if (f.code == "inter-sample-overs")
        {
            CHECK (f.message.find ("master") != std::string::npos);
            REQUIRE (f.timeSeconds.has_value());
            CHECK (*f.timeSeconds < 0.5);
        }

    // The peaks cover the track's own samples on the album, and show the chain's gain.
    const auto& p = timeline.tracks()[1];
    CHECK (after->albumStart == p.audioStart);
    CHECK (after->length == p.ownAudioEnd - p.audioStart);
    CHECK ((int64_t) after->peaks.size()
        == (after->length + album::MasterCheck::samplesPerPeak - 1) / album::MasterCheck::samplesPerPeak);
    const float loudest = *std::max_element (after->peaks.begin(), after->peaks.end());
    CHECK (juce::Decibels::gainToDecibels (loudest) == Approx (-1.0).margin (0.05));

    // +9 dB: now the samples themselves pass full scale, and the master clips.
    s.chain = gainChain (9.0f);
    const auto clipped = album::checkMaster (s, timeline, 1, error);
    REQUIRE (clipped.has_value());
    CHECK (has (clipped->findings, "clipping"));
    CHECK (has (clipped->findings, "inter-sample-overs"));
}

TEST_CASE (
    "A master driven hard into the limiter is found over-limited, a master's headroom is not a finding", "[album][master-check]")
{
    const auto dir = test::tempDir();
    const double rate = 44100.0;
    session::Session s;
    s.tracks.resize (1);
    s.tracks[0].source = test::writeWav (dir + "/music.wav", test::musicLike (rate, 12.0), rate, 32);
    s.chain.modules.push_back ({ "limiter", engine::ids::types::limiter, false,
        { { engine::ids::limiter::inputGain, 24.0f }, { engine::ids::limiter::ceiling, -1.0f } } });
    const auto timeline = layOut (s);
    std::string error;
    const auto master = album::checkMaster (s, timeline, 0, error);
    INFO (error);
    REQUIRE (master.has_value());
    INFO ("PLR " << master->analysis.plrDb.value_or (-1.0));
    CHECK (has (master->findings, "over-limited"));
    CHECK_FALSE (has (master->findings, "little-headroom"));
    CHECK_FALSE (has (master->findings, "inter-sample-overs")); // the limiter's ceiling is a true-peak ceiling
    for (const auto& f : master->findings)
        CHECK (f.message.find ("mix") == std::string::npos);
}

TEST_CASE ("A track's master fingerprint follows what shapes its sound, and nothing else", "[album][master-check]")
{
    const auto dir = test::tempDir();
    const double rate = 44100.0;
    session::Session s;
    s.tracks.resize (2);
    s.tracks[0].source = test::writeWav (dir + "/a.wav", test::pinkNoise (rate, 2, 3.0, -20.0), rate, 24);
    s.tracks[1].source = test::writeWav (dir + "/b.wav", test::pinkNoise (rate, 2, 3.0, -20.0, 7), rate, 24);
    s.chain = gainChain (1.0f);
    const auto fingerprint = [&s] (int i) { return album::masterFingerprint (s, layOut (s), i); };
    const auto first = fingerprint (0), second = fingerprint (1);
    CHECK (first != second);

    s.tracks[1].title = "A new title";
    s.tracks[1].isrc = "GBAYE0000001";
    s.tracks[1].gapSeconds = 3.0; // where it sits, not how it sounds
    CHECK (fingerprint (1) == second);

    s.tracks[1].gainDb = -1.0;
    const auto gained = fingerprint (1);
    CHECK (gained != second);
    s.chain = gainChain (2.0f);
    CHECK (fingerprint (1) != gained);
    CHECK (fingerprint (0) != first);

    // A crossfade makes the track before part of this one's master.
    s.tracks[1].crossfade = session::Fade { 1.0, session::FadeCurve::equalPower };
    const auto crossfaded = fingerprint (1);
    s.tracks[0].gainDb = -2.0;
    CHECK (fingerprint (1) != crossfaded);

    // A track with its own chain does not follow the album chain.
    s.tracks[1].crossfade.reset();
    s.tracks[1].chain = gainChain (0.5f);
    const auto own = fingerprint (1);
    s.chain = gainChain (3.0f);
    CHECK (fingerprint (1) == own);
}
