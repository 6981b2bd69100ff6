#pragma once

#include "dsp/Saturator.h"
#include "engine/Module.h"
#include "engine/ModuleIds.h"

namespace crest::engine
{

/** Oversampled tape or tube saturation (type "saturation"), a thin wrapper around
    dsp::Saturator.

    Its latency (the oversampling round trip) is fixed by the sample rate, and the dry path of
    the mix is delayed by exactly that much. Neutral at its defaults: drive 0 dB is clean, so
    the output is the input delayed, bit for bit.
*/
class SaturationModule : public Module
{
public:
    SaturationModule();

    /** The parameters every module of this type declares (built once; no module needed to read them). */
    static const ParameterTable& parameterSpecs();

    std::string type() const override { return ids::types::saturation; }
    void prepare (double sampleRate, int maxBlockSize) override;
    void reset() noexcept override;
    void process (float* left, float* right, int numSamples) noexcept override;
    int latencySamples() const noexcept override { return saturator.latencySamples(); }

private:
    /** Hands the parameters' current values to the kernel (block start). */
    void pushParameters() noexcept;

    Parameter &character, &driveDb, &mixPct, &outputDb;
    dsp::Saturator saturator;
};

} // namespace crest::engine
