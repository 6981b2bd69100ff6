#include "export/Dither.h"

namespace crest::delivery
{

DitherStage::DitherStage (engine::AudioStream& s, DitherCurve curve, uint64_t seed)
    : source (s)
{
    dithers.reserve ((size_t) s.numChannels());
    for (int c = 0; c < s.numChannels(); ++c)
        dithers.emplace_back (curve, seed + (uint64_t) c * 7919u);
}

int DitherStage::read (float* const* destination, int numSamples)
{
    const int got = source.read (destination, numSamples);
    if (got > 0)
        for (size_t c = 0; c < dithers.size(); ++c)
            dithers[c].quantise (destination[c], got);
    return got;
}

} // namespace crest::delivery
