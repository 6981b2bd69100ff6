#pragma once

// The monitor path's last step: the finished monitor signal converted to the device's rate.
//
// Design note: the engine (chain, meters, positions) runs at the programme's own rate, so what
// is metered is exactly what a render would produce. When the device runs at another rate (a
// 48 kHz JACK server playing a 44.1 kHz album), each device callback renders engine blocks at
// the programme's rate until there is enough to interpolate the device block from
// (juce::WindowedSincInterpolator per channel), and keeps what was not used for the next
// callback. JUCE's windowed-sinc table sums to a little under 1 (about -0.09 dB, flat to
// 20 kHz), so its gain is measured on a constant at prepare() and undone: the monitor is level.
// Monitor path only: renders never pass through it. References run at the programme's rate.
//
// process() never allocates, locks, logs or does I/O.

#include <juce_audio_basics/juce_audio_basics.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

namespace crest::live
{

/** Converts the engine's output to the device's rate, a device callback at a time. */
class DeviceRateConverter
{
public:
    /** Prepares for the engine's and the device's rates and block sizes (message thread,
        audio held off). Converts only when the rates differ by more than half a hertz. */
    void prepare (double engineRate, double deviceRate, int deviceBlockSize, int engineBlockSize);

    /** True when the rates differ and process() interpolates. */
    bool isConverting() const noexcept { return converting; }

    /** Fills `numSamples` at the device's rate, calling `renderEngineBlock (left, right, n)`
        for as many whole engine blocks as it needs. Without conversion, renders straight into
        the output. Audio thread. */
    template <typename RenderEngineBlock>
    void process (float* left, float* right, int numSamples, RenderEngineBlock&& renderEngineBlock) noexcept
    {
        if (! converting)
        {
            renderEngineBlock (left, right, numSamples);
            return;
        }
        for (int done = 0; done < numSamples;)
        {
            const int n = std::min (deviceBlock, numSamples - done);
            const int needed = (int) std::ceil (n * ratio) + 4;
            while (fill < needed)
            {
                renderEngineBlock (pendingLeft.data() + fill, pendingRight.data() + fill, engineBlock);
                fill += engineBlock;
            }
            interpolate (left + done, right + done, n);
            done += n;
        }
    }

private:
    void interpolate (float* left, float* right, int numSamples) noexcept;

    bool converting = false;
    double ratio = 1.0; // engine samples per device sample
    float gain = 1.0f; // undoes the interpolator's own gain
    int deviceBlock = 0, engineBlock = 0;
    std::array<juce::WindowedSincInterpolator, 2> interpolators;
    std::vector<float> pendingLeft, pendingRight; // engine samples not yet interpolated
    int fill = 0;
};

} // namespace crest::live
