#pragma once

// The dither stage of a deliverable pipeline: float audio to the 16-bit grid of a CD, once, at
// the end of the pipeline.
//
// Design note: the dither itself (TPDF, its Lipshitz noise-shaped variant, the silence rule,
// the seeding) is dsp::TpdfDither, the one Crest has; this stage runs one per channel over a
// stream. The output is float, each sample an exact k / 32768 with k a 16-bit integer, so any
// writer stores it without a second rounding. Channel c is seeded with seed + 7919 c.

#include "dsp/TpdfDither.h"
#include "engine/AudioStream.h"

#include <cstdint>
#include <vector>

namespace crest::delivery
{

using dsp::DitherCurve;
using dsp::ditherCurveFromName;
using dsp::lipshitzNoiseShaping;

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
    std::vector<dsp::TpdfDither> dithers; // one per channel
};

} // namespace crest::delivery
