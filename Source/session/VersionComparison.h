#pragma once

// Live version comparison: which mastering state is heard, and at what monitor gain.
//
// Design note: the engineer picks two states (a version, or the working state) and one key
// flips between them while the play head keeps going. This class holds only the choice and
// works out, from the session, what to play: the chain of the state heard and a monitor gain
// that plays both states of the track under the play head at the level of the quieter
// (loudnessMatchGains over each state's measured integrated loudness), so the comparison is
// about tone and dynamics, not level. The working state has no figures of its own; it borrows
// them from a version it is identical to (describeDifference empty), else the pair is played
// unmatched and the gain's problem says why. Nothing here touches audio or the document:
// live::comparedStates turns the pair into what the player's tracks run side by side.

#include "session/Session.h"

#include <optional>
#include <string>

namespace crest::session
{

/** The two states compared and which one is heard. A state is a version's name; the empty
    name is the working state. */
class VersionComparison
{
public:
    /** Compares `first` with `second` (either may be empty: the working state) and hears
        `second` (a version against the working state: the version is heard first). */
    void compare (const std::string& first, const std::string& second);

    /** Stops comparing: the working state is heard again. */
    void stop();

    /** True while two states are being compared. */
    bool active() const noexcept { return comparing; }

    /** Flips to the other state of the pair (nothing when not comparing). */
    void toggle() noexcept;

    /** The state heard now: a version's name, or empty for the working state. */
    const std::string& heard() const noexcept { return comparing && onSecond ? second : first; }

    /** Which of the pair is heard: 0 the first, 1 the second (the player's compared state). */
    int heardIndex() const noexcept { return comparing && onSecond ? 1 : 0; }

    /** The state of the pair not heard now. */
    const std::string& other() const noexcept { return comparing && onSecond ? first : second; }

    const std::string& firstState() const noexcept { return first; }
    const std::string& secondState() const noexcept { return second; }

    /** Drops a pair that names a version the session no longer has (after undo, restore...). */
    void forgetMissing (const Session& session);

private:
    std::string first, second;
    bool comparing = false, onSecond = false;
};

/** "the working state" or "version 'NAME'". */
std::string stateLabel (const std::string& state);

/** The measured integrated loudness of a track (by ID) in a state: the version's figure, or for
    the working state the figure of the newest version identical to it. Empty when unmeasured. */
std::optional<double> measuredLoudness (const Session& session, const std::string& state, const std::string& trackId);

/** The monitor gain for the state heard, for the track under the play head. */
struct ComparisonGain
{
    double gainDb = 0.0; ///< add to the monitor: 0 or a cut, never a boost
    bool matched = false; ///< both states of the track were measured
    std::string problem; ///< why it is not matched (empty when matched)
};

/** The gain that plays `comparison`'s heard state of track `trackIndex` (0-based, running
    order) at the level of the quieter of the pair. 0 dB (unmatched, with the reason) when not
    comparing, no track is playing or a state's loudness is unknown. */
ComparisonGain comparisonGain (const Session& session, const VersionComparison& comparison, int trackIndex);

/** The album chain the heard state plays (the working state's, or the version's). */
const engine::ChainDescription& heardChain (const Session& session, const VersionComparison& comparison);

} // namespace crest::session
