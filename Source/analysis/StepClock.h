#pragma once

#include <cmath>
#include <cstdint>

namespace crest::analysis
{

/** The 100 ms step grid of the loudness meter, for anything that must cut a programme at the
    same places: step k ends at sample round((k + 1) * rate / 10), so rates like 11025 Hz stay
    exact over hours. Plain integers: realtime-safe. */
class StepClock
{
public:
    /** Starts the grid at sample 0 for a sample rate. */
    void reset (double sampleRate) noexcept
    {
        rate = sampleRate;
        seen = completed = 0;
        nextEnd = std::llround (rate / 10.0);
    }

    /** Samples still to come before the current step completes (always >= 1). */
    int samplesUntilStepEnd() const noexcept { return (int) (nextEnd - seen); }

    /** Moves on by `n` samples (at most samplesUntilStepEnd()); true when that completes a step. */
    bool advance (int n) noexcept
    {
        seen += n;
        if (seen < nextEnd)
            return false;
        ++completed;
        nextEnd = std::llround ((double) (completed + 1) * rate / 10.0);
        return true;
    }

    /** Steps completed since reset(). */
    int64_t stepsCompleted() const noexcept { return completed; }

private:
    double rate = 48000.0;
    int64_t seen = 0, completed = 0, nextEnd = 4800;
};

} // namespace crest::analysis
