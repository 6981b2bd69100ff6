#include "engine/LimiterModule.h"

namespace crest::engine
{
namespace
{
    using specs::number;

    ParameterSpec latencyChanging (ParameterSpec s)
    {
        s.changesLatency = true;
        return s;
    }

    ParameterSpec toggledOn (ParameterSpec s)
    {
        s.defaultValue = 1.0f;
        return s;
    }
} // namespace

const ParameterTable& LimiterModule::parameterSpecs()
{
    namespace id = ids::limiter;
    static const ParameterTable table ({
        number (id::inputGain, "Input gain", "dB", 0.0f, 24.0f, 0.0f),
        number (id::ceiling, "Ceiling", "dBTP", -12.0f, 0.0f, -1.0f),
        // The look-ahead is the delay line's length: changing it changes the latency.
        latencyChanging (number (id::lookahead, "Look-ahead", "ms", 0.5f, 10.0f, 2.0f)),
        number (id::release, "Release", "ms", 1.0f, 1000.0f, 60.0f),
        toggledOn (specs::toggle (id::autoRelease, "Program-dependent release")),
        number (id::stereoUnlink, "Stereo unlink", "%", 0.0f, 100.0f, 0.0f),
    });
    return table;
}

LimiterModule::LimiterModule()
    : Module (parameterSpecs()), inputGainDb (parameter (ids::limiter::inputGain)),
      ceilingDbtp (parameter (ids::limiter::ceiling)), lookaheadMs (parameter (ids::limiter::lookahead)),
      releaseMs (parameter (ids::limiter::release)), autoRelease (parameter (ids::limiter::autoRelease)),
      stereoUnlinkPct (parameter (ids::limiter::stereoUnlink))
{
}

void LimiterModule::pushParameters() noexcept
{
    limiter.setInputGainDb (inputGainDb.get());
    limiter.setCeilingDb (ceilingDbtp.get());
    limiter.setReleaseMs (releaseMs.get());
    limiter.setAutoRelease (autoRelease.getIndex() != 0);
    limiter.setStereoUnlink (stereoUnlinkPct.get() * 0.01f);
}

void LimiterModule::prepare (double sampleRate, int maxBlockSize)
{
    pushParameters();
    limiter.prepare (sampleRate, maxBlockSize, lookaheadMs.get());
}

void LimiterModule::reset() noexcept
{
    pushParameters();
    limiter.reset();
}

void LimiterModule::process (float* left, float* right, int numSamples) noexcept
{
    pushParameters();
    limiter.process (left, right, numSamples);
}

} // namespace crest::engine
