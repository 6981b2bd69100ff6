#include "live/TransitionPlan.h"

#include <catch2/catch.hpp>

using crest::live::PlayerTrack;
using crest::live::TransitionFollower;
using crest::live::transitionRanges;

namespace
{
PlayerTrack track (int64_t start, int64_t length)
{
    PlayerTrack t;
    t.start = start;
    t.length = length;
    return t;
}
} // namespace

TEST_CASE ("Transition ranges: the last N seconds into the first N of the next", "[timeline][live]")
{
    const double rate = 1000.0;
    // 60 s, a 2 s gap, 50 s; then a 3 s crossfade into 40 s.
    const std::vector<PlayerTrack> tracks { track (0, 60000), track (62000, 50000), track (109000, 40000) };
    const auto ranges = transitionRanges (tracks, rate, 5.0);
    REQUIRE (ranges.size() == 2);
    CHECK (ranges[0].start == 55000);
    CHECK (ranges[0].end == 67000);
    CHECK (ranges[0].fromTrack == 0);
    CHECK (ranges[1].start == 107000);
    CHECK (ranges[1].end == 114000);
    CHECK (ranges[1].fromTrack == 1);

    // Longer than the tracks: clamped to each track, overlapping stretches joined.
    const auto joined = transitionRanges (tracks, rate, 45.0);
    REQUIRE (joined.size() == 1);
    CHECK (joined[0].start == 15000);
    CHECK (joined[0].end == 149000);

    CHECK (transitionRanges ({ track (0, 1000) }, rate, 5.0).empty());
    CHECK (transitionRanges (tracks, 0.0, 5.0).empty());
    CHECK (transitionRanges (tracks, rate, 0.0).empty());
}

TEST_CASE ("The follower seeks from one transition to the next and stops after the last", "[timeline][live]")
{
    const std::vector<PlayerTrack> tracks { track (0, 60000), track (62000, 50000), track (109000, 40000) };
    TransitionFollower follower (transitionRanges (tracks, 1000.0, 5.0));
    CHECK (follower.firstStart() == 55000);
    CHECK (follower.follow (55000) == TransitionFollower::Action::keepPlaying);
    CHECK (follower.follow (66999) == TransitionFollower::Action::keepPlaying);
    // A timer tick late: past the end, seek to the next stretch.
    CHECK (follower.follow (67040) == TransitionFollower::Action::seek);
    CHECK (follower.seekTarget() == 107000);
    CHECK (follower.current() == 1);
    // Until the seek lands the play head still reads the old place: no second seek elsewhere.
    CHECK (follower.follow (67080) == TransitionFollower::Action::keepPlaying);
    CHECK (follower.follow (108000) == TransitionFollower::Action::keepPlaying);
    CHECK (follower.follow (114010) == TransitionFollower::Action::stop);
    CHECK (follower.follow (0) == TransitionFollower::Action::stop);

    TransitionFollower none ({});
    CHECK (none.follow (0) == TransitionFollower::Action::stop);
}
