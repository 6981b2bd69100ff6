#pragma once

// What the live version switch plays: a session's version comparison turned into the two
// states the player's tracks run side by side (TrackChains::ComparedStates).
//
// Design note: a state is the working session with a version's mastering state in place
// (session::withVersion), looked up track by track through the stable track IDs, so a version
// saved before a reorder still reaches the right tracks. What switches live is what shapes the
// sound of a track where it already plays: its chain (own or the state's album chain, with
// every parameter) and its gain. What moves audio in time (trims, gaps, fades, crossfades,
// running order) stays as the working state lays it out for both states; timingNotSwitched()
// says so in words when the two states differ there. Loudness matching is per track, from each
// state's measured integrated loudness (session::measuredLoudness): each state is cut to the
// quieter one's level, never boosted.

#include "live/TrackChains.h"
#include "session/VersionComparison.h"

#include <string>

namespace crest::live
{

/** The two states of `comparison` as the player's tracks (the working session's running
    order) play them. Tracks a version does not know play their working state. `problem`
    (when given) says which track is not loudness-matched and why (empty: all matched). */
ComparedStates comparedStates (
    const session::Session& session, const session::VersionComparison& comparison, std::string* problem = nullptr);

/** Empty when the compared states lay the album out alike; otherwise a sentence naming what is
    not switched live ("Not switched live (the working state's timing plays for both): track
    2's gap, track 3's fade out"). */
std::string timingNotSwitched (const session::Session& session, const session::VersionComparison& comparison);

} // namespace crest::live
