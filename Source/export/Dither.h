#pragma once

// The dither stage: float audio to the 16-bit grid of a CD, once, at the end of the pipeline.
//
// Design note: the output is float, each sample an exact k / 32768 with k a 16-bit integer,
// so any writer stores it without a second rounding. Curves:
//   tpdf      triangular-PDF dither of +/-1 LSB (two independent uniform +/-0.5 LSB values):
//             the error is independent of the signal (no distortion, no noise modulation);
//             white, 0.5 LSB rms in total (-101.2 dBFS rms relative to a full-scale sine).
//   shaped    the same TPDF dither inside an error-feedback loop with Lipshitz, Vanderkooy and
//             Wannamaker's 5-tap filter for 44.1 kHz ("Minimally audible noise shaping", JAES
//             1991): coefficients 2.033, -2.165, 1.959, -1.590, 0.6149, so the total error is
//             shaped by E(z) = 1 - 2.033 z^-1 + 2.165 z^-2 - 1.959 z^-3 + 1.590 z^-4 - 0.6149 z^-5:
//             about 16 dB quieter than TPDF near DC and through the ear's most sensitive
//             2-5 kHz region, louder towards 20 kHz where hearing is least sensitive.
//   none      plain rounding to the nearest step, no dither (for sources already on the grid).
// Renders are reproducible: the dither comes from a seeded generator (one per channel), never
// from the clock. Digital silence stays silent: a sample that is exactly 0.0 is written as 0
// with no dither, and it clears the error-feedback history so shaping does not ring into a gap.
// Peaks beyond full scale are clamped to -32768..32767 and the feedback error is bounded so a
// clipped sample cannot make the shaping loop unstable.

#include "engine/AudioStream.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace crest::delivery
{

/** How the stage reaches 16 bits. */
enum class DitherCurve
{
    none,  ///< round to nearest, no dither
    tpdf,  ///< triangular-PDF dither, white
    shaped ///< TPDF dither with Lipshitz 5-tap noise shaping (44.1 kHz)
};

/** A curve from its session name ("none", "tpdf", "shaped"; "lipshitz" is accepted for shaped). */
std::optional<DitherCurve> ditherCurveFromName (const std::string& name);

/** The noise-shaping filter's coefficients (for documentation and tests). */
constexpr std::array<double, 5> lipshitzNoiseShaping { 2.033, -2.165, 1.959, -1.590, 0.6149 };

/** Quantises one channel to 16 bits with a dither curve. Plain state; no allocation. */
class Quantiser16
{
public:
    Quantiser16 (DitherCurve curve, uint64_t seed);

    /** Quantises in place: each sample becomes k / 32768. */
    void process (float* samples, int numSamples) noexcept;

private:
    double nextUniform() noexcept; // uniform in [-0.5, 0.5)

    DitherCurve curve;
    uint64_t rng;
    std::array<double, 5> errors {}; // most recent first
};

/** An AudioStream on the 16-bit grid, dithered from another. */
class DitherStage : public engine::AudioStream
{
public:
    /** Wraps `source` (which must outlive this). The seed makes renders reproducible. */
    DitherStage (engine::AudioStream& source, DitherCurve curve, uint64_t seed = 0x43726573u);

    double sampleRate() const override { return source.sampleRate(); }
    int numChannels() const override { return source.numChannels(); }
    int64_t lengthInSamples() const override { return source.lengthInSamples(); }
    int read (float* const* destination, int numSamples) override;
    const char* error() const override { return source.error(); }

private:
    engine::AudioStream& source;
    std::vector<Quantiser16> quantisers;
};

} // namespace crest::delivery
