// The client view's model: what it says, and that it has no way to change the session.

#include "live/ClientViewModel.h"
#include "session/SessionEditor.h"
#include "session/Versions.h"

#include <catch2/catch.hpp>

#include <type_traits>

using namespace crest;

namespace
{
/** A feed over a session the test changes behind the model's back. */
struct TestFeed final : live::ClientFeed
{
    session::Session s;
    live::MeterSnapshot meters;
    int track = -1;
    double seconds = 0.0;

    const session::Session& session() const override { return s; }
    int currentTrack() const override { return track; }
    double trackPositionSeconds() const override { return seconds; }
    bool isPlaying() const override { return track >= 0; }
    std::string heard() const override { return "Master"; }
    const live::MeterSnapshot& outputMeters() const override { return meters; }
    live::Platform platform() const override { return live::Platform::spotify; }
};
} // namespace

// The proof that the client view holds no edit path, at compile time: the model is made from a
// const feed only (not from a session, an editor, or a mutable session), the feed's session is
// a const reference, and the model hands back only the const feed.
static_assert (std::is_constructible_v<live::ClientViewModel, const live::ClientFeed&>);
static_assert (! std::is_constructible_v<live::ClientViewModel, session::SessionEditor&>);
static_assert (! std::is_constructible_v<live::ClientViewModel, session::Session&>);
static_assert (! std::is_default_constructible_v<live::ClientViewModel>);
static_assert (std::is_same_v<decltype (std::declval<const live::ClientFeed&>().session()), const session::Session&>);
static_assert (std::is_same_v<decltype (std::declval<live::ClientViewModel&>().source()), const live::ClientFeed&>);

TEST_CASE ("Client view: readouts, running order with approvals, and the change log newest first", "[live][client]")
{
    TestFeed feed;
    feed.s.chain.modules.push_back ({ "limiter", "limiter", false, { { "ceiling_dbtp", -1.0f } } });
    for (int i = 0; i < 3; ++i)
    {
        session::Track t;
        t.source = "/nowhere/" + std::to_string (i) + ".wav";
        t.title = "Song " + std::to_string (i + 1);
        feed.s.tracks.push_back (t);
    }
    session::assignTrackIds (feed.s);
    feed.s.versions.push_back (session::captureVersion (feed.s, "v1 proof", "", ""));
    feed.s.tracks[1].approvedVersion = "v1 proof";

    live::ClientViewModel model (feed);
    model.refresh ("10:00:00");
    CHECK (model.trackText == "Not playing");
    CHECK (model.integratedText == "-");
    CHECK (model.targetText == "Spotify target -14 LUFS");
    REQUIRE (model.runningOrder.size() == 3);
    CHECK (model.runningOrder[1].state == "approved: v1 proof");
    CHECK (model.runningOrder[0].state == "working state (not approved)");
    CHECK (model.log().empty()); // the first look is the starting point, not a change

    feed.track = 1;
    feed.seconds = 83.44;
    feed.meters.integratedLufs = -13.8f;
    feed.meters.shortTermLufs = -12.25f;
    model.refresh ("10:00:01");
    CHECK (model.trackText == "2  Song 2");
    CHECK (model.positionText == "1:23.4");
    CHECK (model.integratedText == "-13.8 LUFS");
    CHECK (model.shortTermText == "-12.2 LUFS");
    CHECK (model.targetText == "Spotify target -14 LUFS: 0.2 LU over");
    CHECK (model.runningOrder[1].playing);
    CHECK (model.log().empty());

    // The engineer edits: two changes, then an approval; the log reads them newest first.
    feed.s.chain.modules[0].params[0].second = -0.8f;
    model.refresh ("10:00:02");
    feed.s.tracks[1].gainDb = 0.8;
    model.refresh ("10:00:03");
    feed.s.tracks[2].approvedVersion = "v1 proof";
    model.refresh ("10:00:04");
    REQUIRE (model.log().size() == 3);
    CHECK (model.log()[0].text == "Track 3 approved at version 'v1 proof'");
    CHECK (model.log()[0].time == "10:00:04");
    CHECK (model.log()[1].text.find ("Track 2") != std::string::npos);
    CHECK (model.log()[2].text.find ("-1.0 -> -0.8 dBTP") != std::string::npos);
}

TEST_CASE ("Client view: clock text", "[live][client]")
{
    CHECK (live::clockText (0.0) == "0:00.0");
    CHECK (live::clockText (59.96) == "1:00.0");
    CHECK (live::clockText (-2.5) == "-0:02.5");
}
