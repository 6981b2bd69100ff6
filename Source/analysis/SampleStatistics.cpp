#include "analysis/SampleStatistics.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace crest::analysis
{

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
        float peak = 0.0f;
        double sum = 0.0, squares = 0.0;
        uint32_t bits = 0;
        bool fractional = false;

        for (int i = 0; i < numSamples; ++i)
        {
            const float v = x[i];
            peak = std::max (peak, std::fabs (v));
            sum += v;
            squares += (double) v * v;

            // The 24-bit integer view: exact for any integer PCM source up to 24 bits. Truncation
            // (not rounding) keeps the loop vectorisable; an integer truncates to itself.
            const float scaled = std::clamp (v * 8388608.0f, -1.0e9f, 1.0e9f);
            const auto asInt = (int32_t) scaled;
            bits |= (uint32_t) asInt;
            fractional |= (float) asInt != scaled;
        }

        s.peak = std::max (s.peak, peak);
        s.sum += sum;
        s.sumOfSquares += squares;
        s.usedBits |= bits;
        s.fractionalBeyond24 |= fractional;

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
