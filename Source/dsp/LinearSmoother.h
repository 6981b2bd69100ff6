#pragma once

#include <algorithm>
#include <cmath>

namespace crest::dsp
{

/** A value that glides linearly to its target over a fixed time, so parameter steps become
    ramps (no zipper noise). Sample-accurate: the ramp does not depend on block sizes.
    Realtime-safe. */
class LinearSmoother
{
public:
    /** Sets the ramp time and jumps to `initial`. */
    void prepare (double sampleRate, double rampSeconds, float initial) noexcept
    {
        rampLength = std::max (1, (int) std::lround (sampleRate * rampSeconds));
        reset (initial);
    }

    /** Jumps to a value with no ramp. */
    void reset (float v) noexcept
    {
        current = target = v;
        remaining = 0;
        step = 0.0f;
    }

    /** Starts a ramp to a new target (no-op when it is already the target). */
    void setTarget (float v) noexcept
    {
        if (v == target)
            return;
        target = v;
        remaining = rampLength;
        step = (target - current) / (float) rampLength;
    }

    /** The next sample's value. */
    inline float next() noexcept
    {
        if (remaining > 0)
        {
            current = --remaining == 0 ? target : current + step;
        }
        return current;
    }

    /** Advances by n samples at once and returns the value reached. */
    float skip (int n) noexcept
    {
        if (remaining <= 0)
            return current;
        if (n >= remaining)
        {
            remaining = 0;
            current = target;
        }
        else
        {
            remaining -= n;
            current += step * (float) n;
        }
        return current;
    }

    /** True while a ramp is running. */
    bool isSmoothing() const noexcept { return remaining > 0; }

    /** The value now. */
    float value() const noexcept { return current; }

    /** The value being approached. */
    float targetValue() const noexcept { return target; }

private:
    float current = 0.0f, target = 0.0f, step = 0.0f;
    int remaining = 0, rampLength = 1;
};

} // namespace crest::dsp
