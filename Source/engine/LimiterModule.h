#pragma once

#include "dsp/TruePeakLimiter.h"
#include "engine/Module.h"
#include "engine/ModuleIds.h"

namespace crest::engine
{

/** The chain's final true-peak limiter (type "limiter"), a thin wrapper around
    dsp::TruePeakLimiter: parameters in, meter out.

    Its output never exceeds the ceiling, inter-sample peaks included. The look-ahead sets the
    latency, so changing it rebuilds the chain (changesLatency); every other parameter is
    smoothed inside the kernel. At input gain 0 dB with the signal under the ceiling it is
    bit-exact apart from the delay.
*/
class LimiterModule : public Module
{
public:
    LimiterModule();

    /** The parameters every module of this type declares (built once; no module needed to read them). */
    static const ParameterTable& parameterSpecs();

    std::string type() const override { return ids::types::limiter; }
    void prepare (double sampleRate, int maxBlockSize) override;
    void reset() noexcept override;
    void process (float* left, float* right, int numSamples) noexcept override;
    int latencySamples() const noexcept override { return limiter.latencySamples(); }
    float gainReductionDb() const noexcept override { return limiter.gainReductionDb(); }

private:
    /** Hands the parameters' current values to the kernel (block start). */
    void pushParameters() noexcept;

    Parameter &inputGainDb, &ceilingDbtp, &lookaheadMs, &releaseMs, &autoRelease, &stereoUnlinkPct;
    dsp::TruePeakLimiter limiter;
};

} // namespace crest::engine
