#pragma once

// The one TPDF dither: float audio to the 16-bit grid, for the CD deliverables and for
// `crest render --bits 16`.
//
// Design note: triangular-PDF dither of +/-1 LSB is the sum of two independent uniform
// +/-0.5 LSB values; the error it leaves is independent of the signal (no distortion, no noise
// modulation), white, 0.5 LSB rms in total (-101.2 dBFS rms relative to a full-scale sine).
// Curves:
//   tpdf      that dither, white.
//   shaped    the same TPDF dither inside an error-feedback loop with Lipshitz, Vanderkooy and
//             Wannamaker's 5-tap filter for 44.1 kHz ("Minimally audible noise shaping", JAES
//             1991): coefficients 2.033, -2.165, 1.959, -1.590, 0.6149, so the total error is
//             shaped by E(z) = 1 - 2.033 z^-1 + 2.165 z^-2 - 1.959 z^-3 + 1.590 z^-4 - 0.6149 z^-5:
//             about 16 dB quieter than TPDF near DC and through the ear's most sensitive
//             2-5 kHz region, louder towards 20 kHz where hearing is least sensitive.
//   none      plain rounding to the nearest step, no dither (for sources already on the grid).
// Renders are reproducible: the uniform values come from a seeded generator, never from the
// clock. Two generators exist only so that files stay byte-identical to what earlier Crest
// versions wrote: the deliverables draw from splitmix64 in double precision (one dither per
// channel), `crest render` from std::mt19937 in float (one dither for all channels).
// Digital silence stays silent: a sample that is exactly 0.0 gets no dither, and it clears the
// error-feedback history so shaping does not ring into a gap. Peaks beyond full scale are
// clipped by the PcmQuantiser, and the feedback error is bounded so a clipped sample cannot
// make the shaping loop unstable. Plain state, no allocation after construction.

#include "dsp/PcmQuantiser.h"

#include <array>
#include <cstdint>
#include <optional>
#include <random>
#include <string>

namespace crest::dsp
{

/** How the dither reaches 16 bits. */
enum class DitherCurve
{
    none, ///< round to nearest, no dither
    tpdf, ///< triangular-PDF dither, white
    shaped ///< TPDF dither with Lipshitz 5-tap noise shaping (44.1 kHz)
};

/** A curve from its session name ("none", "tpdf", "shaped"; "lipshitz" is accepted for shaped). */
std::optional<DitherCurve> ditherCurveFromName (const std::string& name);

/** The noise-shaping filter's coefficients (for documentation and tests). */
constexpr std::array<double, 5> lipshitzNoiseShaping { 2.033, -2.165, 1.959, -1.590, 0.6149 };

/** Where the two uniform values of each TPDF value come from. */
enum class DitherNoise
{
    splitmix64, ///< splitmix64 in double precision: the deliverables (delivery::DitherStage)
    mersenneTwister ///< std::mt19937 through std::uniform_real_distribution<float>: `crest render`
};

/** A TPDF dither for 16 bits, with its noise-shaped variant. */
class TpdfDither
{
public:
    /** A dither with its own seeded generator; the same seed gives the same noise. */
    TpdfDither (DitherCurve curve, uint64_t seed, DitherNoise noise = DitherNoise::splitmix64);

    /** Quantises one channel in place onto the 16-bit grid: each sample becomes k / 32768
        (ties rounded up, clipped by the PcmQuantiser), so any writer stores it exactly. */
    void quantise (float* samples, int numSamples) noexcept;

    /** Adds +/-1 LSB (16-bit) of TPDF noise in place, in float, and leaves the rounding to the
        writer's PcmQuantiser (the way `crest render --bits 16` has always worked). No noise
        shaping here; exactly 0.0 stays 0. */
    void addNoise (float* samples, int numSamples) noexcept;

    /** One TPDF value in LSB: the sum of two independent uniform values in [-0.5, 0.5). */
    double nextTriangular() noexcept;

private:
    double nextUniform() noexcept; // splitmix64, uniform in [-0.5, 0.5)

    DitherCurve curve;
    DitherNoise noise;
    uint64_t state;
    std::mt19937 twister;
    std::uniform_real_distribution<float> twisterUniform { -0.5f, 0.5f };
    std::array<double, 5> errors {}; // most recent first
};

} // namespace crest::dsp
