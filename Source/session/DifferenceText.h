#pragma once

// What changed between two mastering states, in the words an engineer says to a client.
//
// Design note: the lines come from the data, never from a log of edits, so the difference
// between any two versions (or a version and the working state) reads the same however it
// was reached. Parameter names and units come from each module type's ParameterTable, so a
// new parameter is described without touching this file; only the equaliser's bands get
// their own phrasing ("High shelf on the master +1.0 dB at 10 kHz"), found from the table by
// a band's type and frequency siblings. The client view's live log uses the same function.

#include "engine/Parameter.h"
#include "session/Session.h"

#include <string>
#include <vector>

namespace crest::session
{

/** One line per change from `before` to `after`, album chain first, then the running order,
    then each track in `after`'s order (gap, crossfade, trims, gain, fades, index points, its
    own chain). Tracks are called "track N" by their place in `after` (in `before` when removed).
    Empty when the two states master the same way. */
std::vector<std::string> describeDifference (const Version& before, const Version& after);

/** The difference between two chains: the album chain ("the master") when `trackNumber` is 0,
    otherwise track `trackNumber`'s own chain (lines start "Track N: "). */
std::vector<std::string> describeChainDifference (
    const engine::ChainDescription& before, const engine::ChainDescription& after, int trackNumber);

/** A value as the difference lines print it: one decimal for dB and most units, kHz above
    1 kHz ("10 kHz", "2.5 kHz"), choice names with spaces, on/off for toggles. */
std::string describeValue (const engine::ParameterSpec& spec, float value);

} // namespace crest::session
