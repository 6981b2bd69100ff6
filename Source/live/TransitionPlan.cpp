#include "live/TransitionPlan.h"

#include <algorithm>
#include <cmath>

namespace crest::live
{

std::vector<TransitionRange> transitionRanges (const std::vector<PlayerTrack>& tracks, double sampleRate, double seconds)
{
    std::vector<TransitionRange> ranges;
    if (tracks.size() < 2 || ! (sampleRate > 0.0) || ! (seconds > 0.0))
        return ranges;
    const auto n = (int64_t) std::llround (seconds * sampleRate);
    for (size_t i = 0; i + 1 < tracks.size(); ++i)
    {
        const auto& from = tracks[i];
        const auto& to = tracks[i + 1];
        TransitionRange range;
        range.fromTrack = (int) i;
        range.start = std::max (from.start, from.start + from.length - n);
        range.end = std::min (to.start + to.length, to.start + n);
        if (range.end <= range.start)
            continue;
        if (! ranges.empty() && range.start <= ranges.back().end)
            ranges.back().end = std::max (ranges.back().end, range.end); // joined: never jump back
        else
            ranges.push_back (range);
    }
    return ranges;
}

TransitionFollower::Action TransitionFollower::follow (int64_t position) noexcept
{
    if (index >= ranges.size())
        return Action::stop;
    if (position < ranges[index].end)
        return Action::keepPlaying;
    // Past this stretch (maybe past several, if the app looked late): on to the next one
    // that has not ended yet.
    while (index < ranges.size() && position >= ranges[index].end)
        ++index;
    if (index >= ranges.size())
        return Action::stop;
    if (position >= ranges[index].start)
        return Action::keepPlaying; // already inside the next stretch
    target = ranges[index].start;
    return Action::seek;
}

} // namespace crest::live
