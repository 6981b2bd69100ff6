#pragma once

// dsp::PcmQuantiser's rule over a whole block, for the file writers: the same integers, sample
// for sample, without a libm call per sample.
//
// Design note: PcmQuantiser rounds with std::round or std::nearbyint, which GCC at x86-64's
// baseline compiles to a call each; the writers quantised every sample of an export that way
// (about a twentieth of its time). Here the value is clipped first (rounding is monotonic and
// the bounds are integers, so clipping before or after gives the same integer), then rounded by
// arithmetic that is exact for every value a float sample can give:
//   - ties away from zero: trunc (v + copysign (0.5, v)). v = x * 2^(bits-1) carries at most
//     the 24 significant bits of the float x, so v + 0.5 is exact in double whenever |v| >= 0.5,
//     and below that it stays under 1 and truncates to 0, as std::round does;
//   - ties to even: (v + 1.5 * 2^52) - 1.5 * 2^52, the double addition itself rounding to the
//     nearest integer, ties to even (the default rounding mode, as std::nearbyint uses).
// NaN gives 0, infinities the rails. The loops have no branches, so the compiler vectorises them.
// Tests/engine/BlockQuantiserTests.cpp compares both against PcmQuantiser.

#include "dsp/PcmQuantiser.h"

#include <cstdint>

namespace crest::engine
{

/** Float samples to integer PCM words of one bit depth (2-32), by dsp::PcmQuantiser's rule. */
class BlockQuantiser
{
public:
    /** A quantiser for `bits` rounding ties by `ties` (awayFromZero or toEven). */
    BlockQuantiser (int bits, dsp::TieRounding ties) noexcept
        : scale ((double) (int64_t { 1 } << (bits - 1))), toEven (ties == dsp::TieRounding::toEven)
    {
    }

    /** words[i] = PcmQuantiser (bits, ties).toInteger (samples[i]) * 2^shift (shift 0 to 32 - bits:
        JUCE's writers take words left-justified in 32 bits). */
    void toIntegers (const float* samples, int32_t* words, int numSamples, int shift = 0) const noexcept
    {
        const double low = -scale, high = scale - 1.0;
        const int32_t factor = (int32_t) (int64_t { 1 } << shift);
        if (toEven)
        {
            constexpr double magic = 6755399441055744.0; // 1.5 * 2^52
            for (int i = 0; i < numSamples; ++i)
            {
                double v = (double) samples[i] * scale;
                v = v != v ? 0.0 : v; // NaN
                v = v < low ? low : (v > high ? high : v);
                words[i] = (int32_t) ((v + magic) - magic) * factor;
            }
        }
        else
        {
            for (int i = 0; i < numSamples; ++i)
            {
                double v = (double) samples[i] * scale;
                v = v != v ? 0.0 : v;
                v = v < low ? low : (v > high ? high : v);
                words[i] = (int32_t) (v + (v < 0.0 ? -0.5 : 0.5)) * factor;
            }
        }
    }

private:
    double scale;
    bool toEven;
};

} // namespace crest::engine
