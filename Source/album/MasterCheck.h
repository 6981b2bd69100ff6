#pragma once

// A track's master as it leaves the chain, measured: its waveform peaks and the mix check of
// the rendered audio (over-limiting, inter-sample overs, clipping), for the album timeline and
// the findings panel.
//
// Design note: the track is rendered exactly as the per-track deliverables are
// (AlbumStream::track: trims, gain, its chain, fades, the crossfade from the track before), then
// run through the same TrackAnalyser and analysis::checkMix as `crest check`. Only the checks
// that mean something for a finished master are kept, in the master's words: a master is meant
// to have little headroom and a limiter on it, so "little headroom" and "already limited" are
// dropped, while clipping, inter-sample overs, heavy over-limiting, DC and phase trouble stay.
// Source-only checks (lossy source, bit depth, fake high resolution, tonal balance, edges) are
// the source's findings, not the chain's.
//
// It runs wherever it is called (the window calls it on a background thread); nothing here
// touches the message thread. A cancel flag is polled between blocks.

#include "album/Timeline.h"
#include "analysis/MixCheck.h"
#include "session/Session.h"

#include <atomic>
#include <optional>
#include <string>
#include <vector>

namespace crest::album
{

/** One track's rendered master, measured. */
struct MasterCheck
{
    /** Samples per waveform peak. */
    static constexpr int samplesPerPeak = 256;

    double sampleRate = 0.0;
    int64_t albumStart = 0; ///< the album sample of the master's first sample (the track's audioStart)
    int64_t length = 0; ///< samples rendered (album samples [audioStart, ownAudioEnd))

    /** The largest magnitude of either channel in each block of samplesPerPeak samples. */
    std::vector<float> peaks;

    analysis::TrackAnalysis analysis;

    /** The master's findings, most serious first; times are seconds from the track's start
        (its audioStart), as a finding of its source is seconds from the source's start. */
    std::vector<analysis::Finding> findings;
};

/** Renders track `index` (0-based) of the session through its chain and measures it. `timeline`
    must be laid out from `session` (sample alignment or CD frames). Returns nothing with `error`
    set when the track cannot be rendered, or when `cancel` became true. */
std::optional<MasterCheck> checkMaster (const session::Session& session, const Timeline& timeline, int index, std::string& error,
    const std::atomic<bool>* cancel = nullptr);

/** The findings of the mix check that matter for a rendered master, reworded for it. */
std::vector<analysis::Finding> masterFindings (const analysis::TrackAnalysis& master);

/** A text that changes whenever anything that shapes track `index`'s master changes (its source,
    trims, gain, fades, chain, the crossfade into it and the track it comes from, its placement
    and the rate), and only then: a rendered master is current while this is unchanged. */
std::string masterFingerprint (const session::Session& session, const Timeline& timeline, int index);

} // namespace crest::album
