// Live version comparison without audio: which state is heard, which chain it plays, and the
// monitor gain that loudness-matches the pair for the track under the play head.

#include "session/VersionComparison.h"
#include "session/Versions.h"

#include <catch2/catch.hpp>

using namespace crest;

namespace
{
session::Session twoVersions()
{
    session::Session s;
    s.chain.modules.push_back ({ "limiter", "limiter", false, { { "ceiling_dbtp", -1.0f } } });
    for (int i = 0; i < 2; ++i)
    {
        session::Track t;
        t.source = "/nowhere/" + std::to_string (i + 1) + ".wav";
        t.title = "Song " + std::to_string (i + 1);
        s.tracks.push_back (t);
    }
    session::assignTrackIds (s);
    auto v1 = session::captureVersion (s, "v1", "", "");
    v1.tracks[0].figures.integratedLufs = -12.0;
    v1.tracks[1].figures.integratedLufs = -15.0;
    s.chain.modules[0].params[0].second = -0.5f;
    auto v2 = session::captureVersion (s, "v2", "", "");
    v2.tracks[0].figures.integratedLufs = -10.5;
    v2.tracks[1].figures.integratedLufs = -14.0;
    s.versions = { v1, v2 };
    return s;
}
} // namespace

TEST_CASE ("Version comparison: the key flips the heard state, each plays its own chain", "[versions][compare]")
{
    const auto s = twoVersions();
    session::VersionComparison c;
    CHECK_FALSE (c.active());
    CHECK (c.heard().empty());
    CHECK (&session::heardChain (s, c) == &s.chain);

    c.compare ("v1", "v2");
    CHECK (c.active());
    CHECK (c.heard() == "v2");
    CHECK (session::heardChain (s, c).modules[0].params[0].second == Approx (-0.5f));
    c.toggle();
    CHECK (c.heard() == "v1");
    CHECK (c.other() == "v2");
    CHECK (session::heardChain (s, c).modules[0].params[0].second == Approx (-1.0f));
    c.toggle();
    CHECK (c.heard() == "v2");

    c.stop();
    CHECK_FALSE (c.active());
    c.toggle(); // nothing to flip
    CHECK (c.heard().empty());
}

TEST_CASE ("Version comparison: the louder version is turned down to the quieter, per track", "[versions][compare]")
{
    const auto s = twoVersions();
    session::VersionComparison c;
    c.compare ("v1", "v2");

    // Track 1: v2 is 1.5 LU louder, so hearing v2 costs 1.5 dB and hearing v1 nothing.
    auto g = session::comparisonGain (s, c, 0);
    CHECK (g.matched);
    CHECK (g.gainDb == Approx (-1.5));
    c.toggle();
    g = session::comparisonGain (s, c, 0);
    CHECK (g.gainDb == Approx (0.0));
    // Track 2: v1 (-15) is the quieter; v2 gets -1 dB. The matched levels agree within 0.1 LU.
    c.toggle();
    g = session::comparisonGain (s, c, 1);
    CHECK (g.gainDb == Approx (-1.0));
    CHECK (std::abs ((-14.0 + g.gainDb) - (-15.0)) < 0.1);

    // No track under the play head, or not comparing: no gain, and why.
    CHECK (session::comparisonGain (s, c, -1).gainDb == 0.0);
    CHECK_FALSE (session::comparisonGain (s, c, -1).matched);
    c.stop();
    CHECK (session::comparisonGain (s, c, 0).problem == "not comparing");
}

TEST_CASE ("Version comparison: the working state borrows the figures of a version identical to it", "[versions][compare]")
{
    auto s = twoVersions();
    session::VersionComparison c;
    c.compare ("", "v1"); // the working state (identical to v2) against v1
    CHECK (c.heard() == "v1");
    CHECK (session::measuredLoudness (s, "", s.tracks[0].id) == Approx (-10.5));
    c.toggle();
    CHECK (session::comparisonGain (s, c, 0).gainDb == Approx (-1.5));

    // Edited since: the working state is not measured, so the pair plays unmatched and says so.
    s.chain.modules[0].params[0].second = -0.3f;
    CHECK_FALSE (session::measuredLoudness (s, "", s.tracks[0].id));
    const auto g = session::comparisonGain (s, c, 0);
    CHECK_FALSE (g.matched);
    CHECK (g.gainDb == 0.0);
    CHECK (g.problem.find ("track 1 of the working state is not measured") != std::string::npos);
}

TEST_CASE ("Version comparison: a pair naming a version that is gone stops", "[versions][compare]")
{
    auto s = twoVersions();
    session::VersionComparison c;
    c.compare ("v1", "v2");
    s.versions.pop_back();
    c.forgetMissing (s);
    CHECK_FALSE (c.active());
    CHECK (&session::heardChain (s, c) == &s.chain);
}
