#include "live/MonitorPath.h"

#include "dsp/TruePeakLimiter.h"

#include <cmath>

namespace crest::live
{

MonitorPath::MonitorPath() : loudLimiter (std::make_unique<dsp::TruePeakLimiter>())
{
    platformRules(); // built here, never first on the audio thread
}

MonitorPath::~MonitorPath() = default;

void MonitorPath::prepare (double sampleRate, int maxBlockSize)
{
    translationStage.prepare (sampleRate, maxBlockSize);
    platformGainSmoother.prepare (sampleRate, 0.05, 1.0f);
    loudLimiter->prepare (sampleRate, maxBlockSize, 5.0);
    loudLimiter->setCeilingDb (-1.0f);
    loudLimiter->setReleaseMs (100.0f);
    loudLimiter->reset();
}

void MonitorPath::setPlatformPreview (Platform platform, double lufs, double ceiling) noexcept
{
    customLufs.store (lufs);
    customCeiling.store (ceiling);
    previewPlatform.store (platform);
}

std::optional<PlatformGain> MonitorPath::platformGain (std::optional<float> integratedLufs, float truePeakDb) const noexcept
{
    return gainOf (previewPlatform.load(), integratedLufs, truePeakDb);
}

std::optional<PlatformGain> MonitorPath::gainOf (
    Platform platform, std::optional<float> integratedLufs, float truePeakDb) const noexcept
{
    if (platform == Platform::none || ! integratedLufs)
        return std::nullopt;
    // The rule's numbers only: no strings are copied, so the audio thread may ask too.
    const auto& rule = platformRule (platform);
    const bool custom = platform == Platform::custom;
    return crest::live::platformGain (custom ? customLufs.load (std::memory_order_relaxed) : rule.targetLufs, rule.positiveGain,
        custom ? customCeiling.load (std::memory_order_relaxed) : rule.headroomDbtp, rule.limiter, rule.limiterCeilingDb,
        *integratedLufs, truePeakDb);
}

void MonitorPath::process (float* left, float* right, int n, const MasterReading& master) noexcept
{
    translationStage.process (left, right, n);

    const auto platform = previewPlatform.load (std::memory_order_relaxed);
    const auto gain = gainOf (platform, master.integratedLufs, master.truePeakDb);
    const float comparison = comparisonGainDb.load (std::memory_order_relaxed);
    platformGainSmoother.setTarget (std::pow (10.0f, ((gain ? (float) gain->gainDb : 0.0f) + comparison) / 20.0f));
    if (platformGainSmoother.isSmoothing() || platformGainSmoother.value() != 1.0f)
    {
        for (int i = 0; i < n; ++i)
        {
            const float g = platformGainSmoother.next();
            left[i] *= g;
            right[i] *= g;
        }
    }
    if (platform == Platform::spotifyLoud)
        loudLimiter->process (left, right, n);
}

} // namespace crest::live
