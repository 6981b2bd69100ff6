#pragma once

#include "dsp/DynamicsProcessor.h"
#include "engine/Module.h"
#include "engine/ModuleIds.h"

#include <atomic>

namespace crest::engine
{

/** The mastering compressor: a DynamicsProcessor with its parameters.

    Neutral at its defaults (ratio 1:1, no makeup, fully wet): it then passes audio
    bit-exactly. Zero latency, also for the parallel mix. It must never allocate or lock in
    process(); the gain reduction meter is an atomic the UI may read from any thread.
*/
class CompressorModule : public Module
{
public:
    CompressorModule();

    /** The parameters every module of this type declares (built once; no module needed to read them). */
    static const ParameterTable& parameterSpecs();

    std::string type() const override { return ids::types::compressor; }
    void prepare (double sampleRate, int maxBlockSize) override;
    void reset() noexcept override;
    void process (float* left, float* right, int numSamples) noexcept override;

    /** Largest gain reduction of the last processed block, in dB (positive). */
    float gainReductionDb() const noexcept override { return reduction.load (std::memory_order_relaxed); }

private:
    dsp::DynamicsSettings currentSettings() const noexcept;

    Parameter &threshold, &ratio, &knee, &attack, &release, &autoRelease, &makeup, &detection, &stereoLink, &mode,
        &sidechainHighPass, &mix;
    dsp::DynamicsProcessor processor;
    std::atomic<float> reduction { 0.0f };
};

} // namespace crest::engine
