#pragma once

// The exact gain curves of fades and crossfades.
//
// Design note: one definition, used by the album renderer and checked by the tests against
// the formulas below, so a fade sounds the same in the player, the album file and each track
// file. A fade of L samples gives sample i (0 <= i < L) the gain
//     fade-in:  curveGain (curve, i / L)          (sample 0 silent, full gain after the fade)
//     fade-out: curveGain (curve, (L - i) / L)    (sample 0 at full gain, silent after the fade)
// so in a crossfade, where both run over the same L samples, a linear pair sums to exactly 1
// (right for correlated material) and an equal-power pair's squares sum to exactly 1 (right for
// uncorrelated material).

#include "album/Timeline.h"
#include "session/Session.h"

#include <cstdint>

namespace crest::album
{

/** Range of the logarithmic curve: it rises linearly in dB from this far below full gain
    (at the fade's first sample after the silent one) to 0 dB; its silent end is exactly 0. */
constexpr double logarithmicFadeRangeDb = 60.0;

/** Gain of a fade-in at fraction x (0 silent .. 1 full) of its length:
        linear       x
        equalPower   sin (x pi / 2)
        logarithmic  10^(-logarithmicFadeRangeDb (1 - x) / 20) for x > 0, and 0 at x = 0
        sCurve       (1 - cos (x pi)) / 2
    x is clamped to [0, 1]. */
double curveGain (session::FadeCurve curve, double x) noexcept;

/** Gain of sample `i` of a fade-in `length` samples long (1 at and after `length`). */
double fadeInGain (session::FadeCurve curve, int64_t i, int64_t length) noexcept;

/** Gain of sample `i` of a fade-out `length` samples long (0 at and after `length`). */
double fadeOutGain (session::FadeCurve curve, int64_t i, int64_t length) noexcept;

/** Multiplies `numSamples` samples of a channel, whose first sample is sample `first` of a
    fade-in (`fadeIn` true) or fade-out of `length` samples, by the fade's gain. Samples outside
    [0, length) are left alone for a fade-in and silenced for a fade-out only when past its end.
    Realtime-safe. */
void applyFade (float* samples, int numSamples, int64_t first, int64_t length, session::FadeCurve curve, bool fadeIn) noexcept;

/** Gain of a placed track's own fades and crossfades at sample `i` of its audio (0 at
    audioStart): their product, in double, as the renderer and the player both apply it (the
    sample times (float) of this), so the two give the same bits. Realtime-safe. */
double trackFadeGain (const TrackPlacement& placement, int64_t i) noexcept;

} // namespace crest::album
