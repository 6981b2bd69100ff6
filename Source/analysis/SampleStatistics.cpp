#include "dsp/ReproducibleFloat.h" // first: see there

#include "analysis/SampleStatistics.h"

#include "dsp/VectorDispatch.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace crest::analysis
{
namespace
{
    /** One channel's figures over one block. */
    struct BlockFigures
    {
        float peak = 0.0f;
        double sum = 0.0, squares = 0.0;
        uint32_t bits = 0;
        bool fractional = false;
    };

    /** The 24-bit integer view of a sample: exact for any integer PCM source up to 24 bits.
        Truncation (not rounding) keeps it vectorisable; an integer truncates to itself. */
    constexpr float twoTo23 = 8388608.0f, viewLimit = 1.0e9f;

    /** Peak, sums and the 24-bit view of one channel's block. Eight samples at a time: the
        peak and the bit tests are exact in any order; the sums run in eight double lanes
        (which only moves their last bits: a float's square is exact in a double). */
    CREST_VECTOR_CLONES
    void measureBlock (const float* x, int n, BlockFigures& f) noexcept
    {
        using namespace dsp::vec;
        F8 peak {};
        I8 bits {}, fractional {};
        V4 sumLow {}, sumHigh {}, squaresLow {}, squaresHigh {};
        const F8 limit = F8 {} + viewLimit;

        int i = 0;
        for (; i + 8 <= n; i += 8)
        {
            const F8 v = loadFloats8 (x + i);
            peak = largerOf (peak, magnitudeOf (v));

            const V4 low = __builtin_convertvector (loadFloats4 (x + i), V4);
            const V4 high = __builtin_convertvector (loadFloats4 (x + i + 4), V4);
            sumLow += low;
            sumHigh += high;
            squaresLow += low * low;
            squaresHigh += high * high;

            F8 scaled = v * twoTo23;
            scaled = largerOf (scaled, -limit); // std::clamp, without NaNs
            scaled = -largerOf (-scaled, -limit);
            const I8 asInt = __builtin_convertvector (scaled, I8);
            bits |= asInt;
            fractional |= (I8) (__builtin_convertvector (asInt, F8) != scaled);
        }

        for (int lane = 0; lane < 8; ++lane)
        {
            f.peak = std::max (f.peak, peak[lane]);
            f.bits |= (uint32_t) bits[lane];
            f.fractional |= fractional[lane] != 0;
        }
        for (int lane = 0; lane < 4; ++lane)
        {
            f.sum += sumLow[lane] + sumHigh[lane];
            f.squares += squaresLow[lane] + squaresHigh[lane];
        }

        for (; i < n; ++i)
        {
            const float v = x[i];
            f.peak = std::max (f.peak, std::fabs (v));
            f.sum += v;
            f.squares += (double) v * v;
            const float scaled = std::clamp (v * twoTo23, -viewLimit, viewLimit);
            const auto asInt = (int32_t) scaled;
            f.bits |= (uint32_t) asInt;
            f.fractional |= (float) asInt != scaled;
        }
    }
} // namespace

int64_t SampleStatistics::replaceNonFinite (float* samples, int numSamples, int* firstIndex) noexcept
{
    // Fast path: a float is NaN or infinite exactly when its exponent bits are all ones; an
    // integer OR-reduction over that test vectorises, a branch per sample would not.
    uint32_t anyBad = 0;
    for (int i = 0; i < numSamples; ++i)
    {
        uint32_t bits;
        std::memcpy (&bits, samples + i, sizeof (bits));
        anyBad |= (uint32_t) ((bits & 0x7f800000u) == 0x7f800000u);
    }
    if (anyBad == 0)
        return 0;

    int64_t count = 0;
    for (int i = 0; i < numSamples; ++i)
    {
        if (! std::isfinite (samples[i]))
        {
            if (count++ == 0 && firstIndex != nullptr)
                *firstIndex = i;
            samples[i] = 0.0f;
        }
    }
    return count;
}

void SampleStatistics::prepare (double sampleRate, int numChannels)
{
    perChannel.assign ((size_t) numChannels, {});
    edgeLength = std::max (1, (int) std::lround (sampleRate * 0.005));
    tailRing.assign ((size_t) edgeLength, 0.0f);
    reset();
}

void SampleStatistics::reset() noexcept
{
    for (auto& c : perChannel)
        c = {};
    samplesSeen = 0;
    firstAudible = lastAudible = -1;
    head = 0.0f;
    std::fill (tailRing.begin(), tailRing.end(), 0.0f);
    tailHead = 0;
}

void SampleStatistics::process (const float* const* channels, int numSamples) noexcept
{
    for (size_t c = 0; c < perChannel.size(); ++c)
    {
        auto& s = perChannel[c];
        const float* x = channels[c];
        BlockFigures f;
        measureBlock (x, numSamples, f);
        const float peak = f.peak;

        s.peak = std::max (s.peak, peak);
        s.sum += f.sum;
        s.sumOfSquares += f.squares;
        s.usedBits |= f.bits;
        s.fractionalBeyond24 |= f.fractional;

        if (peak >= fullScale)
            countClips (s, x, numSamples);
        else
            s.currentRun = 0;
    }

    const auto magnitudeAt = [&] (int i)
    {
        float a = 0.0f;
        for (size_t c = 0; c < perChannel.size(); ++c)
            a = std::max (a, std::fabs (channels[c][i]));
        return a;
    };

    for (int i = 0; firstAudible < 0 && i < numSamples; ++i)
        if (magnitudeAt (i) >= silenceThreshold)
            firstAudible = samplesSeen + i;

    for (int i = numSamples; --i >= 0 && samplesSeen + i > lastAudible;)
        if (magnitudeAt (i) >= silenceThreshold)
            lastAudible = samplesSeen + i;

    for (int64_t i = samplesSeen; i < std::min<int64_t> (edgeLength, samplesSeen + numSamples); ++i)
        head = std::max (head, magnitudeAt ((int) (i - samplesSeen)));

    for (int i = std::max (0, numSamples - edgeLength); i < numSamples; ++i)
    {
        tailRing[(size_t) tailHead] = magnitudeAt (i);
        tailHead = (tailHead + 1) % edgeLength;
    }

    samplesSeen += numSamples;
}

void SampleStatistics::countClips (Channel& s, const float* x, int numSamples) noexcept
{
    for (int i = 0; i < numSamples; ++i)
    {
        if (std::fabs (x[i]) < fullScale)
        {
            s.currentRun = 0;
            continue;
        }

        if (s.currentRun++ == 0)
            s.currentRunStart = samplesSeen + i;

        if (s.currentRun == minimumClipRun)
        {
            s.clippedSamples += minimumClipRun;
            ++s.clipRuns;
            if (s.firstClipSample < 0)
                s.firstClipSample = s.currentRunStart;
        }
        else if (s.currentRun > minimumClipRun)
        {
            ++s.clippedSamples;
        }
    }
}

float SampleStatistics::tailPeak() const noexcept
{
    return tailRing.empty() ? 0.0f : *std::max_element (tailRing.begin(), tailRing.end());
}

int SampleStatistics::effectiveBits() const noexcept
{
    uint32_t bits = 0;
    bool fractional = false;
    for (const auto& c : perChannel)
    {
        bits |= c.usedBits;
        fractional |= c.fractionalBeyond24;
    }

    if (fractional)
        return 25;
    if (bits == 0)
        return 0;

    int trailingZeros = 0;
    while ((bits & 1u) == 0u)
    {
        bits >>= 1;
        ++trailingZeros;
    }
    return 24 - trailingZeros;
}

} // namespace crest::analysis
