#include "live/DeviceRateConverter.h"

namespace crest::live
{

void DeviceRateConverter::prepare (double engineRate, double deviceRate, int deviceBlockSize, int engineBlockSize)
{
    converting = std::abs (engineRate - deviceRate) > 0.5;
    ratio = engineRate / deviceRate;
    deviceBlock = deviceBlockSize;
    engineBlock = engineBlockSize;
    fill = 0;
    for (auto& interpolator : interpolators)
        interpolator.reset();
    const size_t capacity = converting ? (size_t) std::ceil (deviceBlock * ratio) + (size_t) engineBlock + 16 : 0;
    pendingLeft.assign (capacity, 0.0f);
    pendingRight.assign (capacity, 0.0f);
    gain = 1.0f;
    if (converting)
    {
        // Measure the interpolator's gain on a constant.
        std::vector<float> ones (1024, 1.0f), out (512, 0.0f);
        juce::WindowedSincInterpolator probe;
        probe.process (ratio, ones.data(), out.data(), (int) out.size());
        gain = out.back() > 0.5f ? 1.0f / out.back() : 1.0f;
    }
}

void DeviceRateConverter::interpolate (float* left, float* right, int n) noexcept
{
    const int used = interpolators[0].process (ratio, pendingLeft.data(), left, n);
    interpolators[1].process (ratio, pendingRight.data(), right, n);
    juce::FloatVectorOperations::multiply (left, gain, n);
    juce::FloatVectorOperations::multiply (right, gain, n);
    std::copy (pendingLeft.begin() + used, pendingLeft.begin() + fill, pendingLeft.begin());
    std::copy (pendingRight.begin() + used, pendingRight.begin() + fill, pendingRight.begin());
    fill -= used;
}

} // namespace crest::live
