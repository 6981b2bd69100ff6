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

LimiterModule::LimiterModule()
    : inputGainDb (addParameter (number ("input_gain_db", "Input gain", "dB", 0.0f, 24.0f, 0.0f))),
      ceilingDbtp (addParameter (number ("ceiling_dbtp", "Ceiling", "dBTP", -12.0f, 0.0f, -1.0f))),
      // The look-ahead is the delay line's length: changing it changes the latency.
      lookaheadMs (addParameter (latencyChanging (number ("lookahead_ms", "Look-ahead", "ms", 0.5f, 10.0f, 2.0f)))),
      releaseMs (addParameter (number ("release_ms", "Release", "ms", 1.0f, 1000.0f, 60.0f))),
      autoRelease (addParameter (toggledOn (specs::toggle ("auto_release", "Program-dependent release")))),
      stereoUnlinkPct (addParameter (number ("stereo_unlink_pct", "Stereo unlink", "%", 0.0f, 100.0f, 0.0f)))
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
