#pragma once

// The one rule by which Crest turns a float sample into an integer PCM word.
//
// Design note: a sample x becomes round (x * 2^(bits-1)), clipped to the word's range
// [-2^(bits-1), 2^(bits-1) - 1] (so +1.0 and anything louder is the top step, and +/-inf the
// rails); NaN becomes 0. The WAV/AIFF writer (engine::AudioFileOutput), the FLAC writer and
// the dither's 16-bit grid all quantise here (the writers a block at a time, toIntegers()). The one thing they do not share is how a value
// exactly halfway between two steps is rounded, and that is named rather than unified: a
// 32-bit float master is full of such values (every odd multiple of 2^-24 in [0.5, 1) lands
// halfway between two 24-bit steps), so moving any writer to another tie rule would change
// the bytes of files Crest has already delivered. Plain state, no allocation: usable anywhere.

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace crest::dsp
{

/** How a value exactly halfway between two integer steps is rounded. */
enum class TieRounding
{
    awayFromZero, ///< std::round: 2.5 -> 3, -2.5 -> -3 (the WAV and AIFF writer)
    toEven, ///< std::nearbyint in the default rounding mode: 2.5 -> 2, 3.5 -> 4 (the FLAC writer)
    up ///< floor (v + 0.5): 2.5 -> 3, -2.5 -> -2 (the dither's 16-bit grid)
};

/** Float samples to integer PCM words of one bit depth. */
class PcmQuantiser
{
public:
    /** A quantiser for `bits` (2-32) rounding ties by `tieRule`. */
    constexpr PcmQuantiser (int bits, TieRounding tieRule) noexcept
        : scale ((double) (int64_t { 1 } << (bits - 1))), ties (tieRule)
    {
    }

    /** 2^(bits-1): the number of steps in full scale (32768 for 16 bits). */
    constexpr double fullScale() const noexcept { return scale; }

    /** Rounds a value counted in steps (a sample already multiplied by fullScale()) and clips
        it to the word's range; the result is an exact integer held in a double. NaN gives 0. */
    double roundSteps (double steps) const noexcept
    {
        if (std::isnan (steps))
            return 0.0;
        double q;
        switch (ties)
        {
            case TieRounding::awayFromZero:
                q = std::round (steps);
                break;
            case TieRounding::toEven:
                q = std::nearbyint (steps);
                break;
            case TieRounding::up:
            default:
                q = std::floor (steps + 0.5);
                break;
        }
        return std::clamp (q, -scale, scale - 1.0);
    }

    /** The integer word for one float sample. */
    int32_t toInteger (float sample) const noexcept { return (int32_t) roundSteps ((double) sample * scale); }

    /** The integer words for a run of samples, each times 2^shift (shift 0 to 32 - bits: JUCE's
        writers take words left-justified in 32 bits). The same integers as toInteger(), sample
        for sample, but with no libm call per sample for the two tie rules the file writers use:
        std::round and std::nearbyint are a call each at x86-64's baseline, which cost an export
        about a twentieth of its time. The value is clipped first (rounding is monotonic and the
        bounds are integers, so clipping before or after gives the same integer), then rounded by
        arithmetic exact for every value a float sample can give:
          - ties away from zero: trunc (v + copysign (0.5, v)). v = x * 2^(bits-1) carries at most
            the 24 significant bits of the float x, so v + 0.5 is exact in double whenever
            |v| >= 0.5, and below that it stays under 1 and truncates to 0, as std::round does;
          - ties to even: (v + 1.5 * 2^52) - 1.5 * 2^52, the addition itself rounding to the
            nearest integer, ties to even (the default rounding mode, as std::nearbyint uses).
        The loops have no branches, so the compiler vectorises them. */
    void toIntegers (const float* samples, int32_t* words, int numSamples, int shift = 0) const noexcept
    {
        const double low = -scale, high = scale - 1.0;
        const auto factor = (int32_t) (int64_t { 1 } << shift);
        switch (ties)
        {
            case TieRounding::awayFromZero:
                for (int i = 0; i < numSamples; ++i)
                {
                    const double v = clipped ((double) samples[i] * scale, low, high);
                    words[i] = (int32_t) (v + (v < 0.0 ? -0.5 : 0.5)) * factor;
                }
                break;
            case TieRounding::toEven:
                for (int i = 0; i < numSamples; ++i)
                {
                    constexpr double magic = 6755399441055744.0; // 1.5 * 2^52
                    const double v = clipped ((double) samples[i] * scale, low, high);
                    words[i] = (int32_t) ((v + magic) - magic) * factor;
                }
                break;
            case TieRounding::up:
            default:
                for (int i = 0; i < numSamples; ++i)
                    words[i] = toInteger (samples[i]) * factor;
                break;
        }
    }

private:
    /** NaN to 0, then clamped to [low, high], without branches. */
    static double clipped (double v, double low, double high) noexcept
    {
        v = v != v ? 0.0 : v;
        return v < low ? low : (v > high ? high : v);
    }

    double scale;
    TieRounding ties;
};

} // namespace crest::dsp
