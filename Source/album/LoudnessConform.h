#pragma once

// The gains that conform an album's tracks in loudness, from what was measured.
//
// Design note: the timeline's loudness overview measures each track (in the background) and
// offers to conform them; the arithmetic is here, away from the window, so it is tested. It
// speaks in per-track gain offsets (session::Track::gainDb), which the caller applies as one
// undoable step (TimelineEdits::setGains). A track's level is taken as its measured integrated
// loudness plus its gain offset, which is exact for the gain stage before the chain; a chain
// that compresses or limits changes the relation, so conforming is a starting point to listen
// from, and the overview measures again after the change.

#include <optional>
#include <vector>

namespace crest::album
{

/** Gains that bring every measured track to `targetLufs`: target - measured, where `measured`
    is each track's integrated loudness with no gain offset. A track without a measurement
    keeps its current gain (`currentGainsDb`). */
std::vector<double> conformToTarget (
    const std::vector<std::optional<double>>& measuredLufs, const std::vector<double>& currentGainsDb, double targetLufs);

/** The album's loudness: the energy mean (10 log10 of the mean of 10^(L/10)) of the tracks'
    current levels (measured + gain); nothing without a measured track. */
std::optional<double> albumLoudness (
    const std::vector<std::optional<double>>& measuredLufs, const std::vector<double>& currentGainsDb);

/** Gains that bring every track not in `keep` to the album's loudness as it is now, while each
    track in `keep` keeps its gain (and so its level relative to the album: an interlude, a
    ballad meant to be quieter). Unmeasured tracks keep their gain. */
std::vector<double> conformToAlbum (const std::vector<std::optional<double>>& measuredLufs,
    const std::vector<double>& currentGainsDb, const std::vector<bool>& keep);

} // namespace crest::album
