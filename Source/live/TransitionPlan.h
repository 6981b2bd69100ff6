#pragma once

// "Play transitions": the end of each track into the start of the next, one after another, so
// an engineer judges the album's spacing in a minute instead of listening through it.
//
// Design note: the plan is plain data worked out from the player's track list (where each track
// starts and how long it is, crossfades overlapping), and the follower that steps through it is
// a small state machine the app's timer feeds with the play position; neither touches the
// player, so both are tested without audio. Ranges that would overlap (tracks shorter than
// twice N, or long crossfades) are joined, so the play head never jumps backwards inside the
// plan. The follower is polled on the message thread: the play head may run a timer tick (a few
// tens of ms) past a range's end before the seek reaches the audio thread.

#include "live/Transport.h"

#include <cstdint>
#include <vector>

namespace crest::live
{

/** One stretch to play: programme samples [start, end), around the boundary after track
    `fromTrack` (0-based). */
struct TransitionRange
{
    int64_t start = 0, end = 0;
    int fromTrack = 0;
};

/** The stretches "Play transitions" plays, in order: for each pair of consecutive tracks, the
    last `seconds` of the first (from its INDEX 01 at the earliest) through the first `seconds`
    of the second (to its end at the latest), the gap or crossfade between them included.
    Overlapping stretches are joined. Empty with fewer than two tracks, a rate of 0 or `seconds`
    of 0 or less. */
std::vector<TransitionRange> transitionRanges (const std::vector<PlayerTrack>& tracks, double sampleRate, double seconds);

/** Steps through a plan as the play head moves. */
class TransitionFollower
{
public:
    /** What the app should do after a look at the play head. */
    enum class Action
    {
        keepPlaying, ///< inside the current stretch (or before it): nothing to do
        seek, ///< the stretch is over: seek to seekTarget(), the next stretch's start
        stop ///< the last stretch is over (or there is none): stop playing
    };

    /** Starts at the first stretch of `plan`. */
    explicit TransitionFollower (std::vector<TransitionRange> plan) : ranges (std::move (plan)) { }

    /** Where to start playing: the first stretch's start (0 with none). */
    int64_t firstStart() const noexcept { return ranges.empty() ? 0 : ranges.front().start; }

    /** Looks at the play position and says what to do; after `seek`, seekTarget() is where. */
    Action follow (int64_t position) noexcept;

    /** Where the last `seek` action wanted the play head. */
    int64_t seekTarget() const noexcept { return target; }

    /** The stretch playing (0-based), or the count of stretches once finished. */
    size_t current() const noexcept { return index; }

    /** The plan. */
    const std::vector<TransitionRange>& plan() const noexcept { return ranges; }

private:
    std::vector<TransitionRange> ranges;
    size_t index = 0;
    int64_t target = 0;
};

} // namespace crest::live
