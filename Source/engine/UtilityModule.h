#pragma once

#include "dsp/Biquad.h"
#include "dsp/LinearSmoother.h"
#include "engine/Module.h"
#include "engine/ModuleIds.h"

namespace crest::engine
{

/** The small fixes every master needs at some point: gain, polarity per channel, channel
    swap, mono, and a DC filter. Zero latency; neutral (bit-exact) at its defaults. */
class UtilityModule : public Module
{
public:
    UtilityModule();

    /** The parameters every module of this type declares (built once; no module needed to read them). */
    static const ParameterTable& parameterSpecs();

    std::string type() const override { return ids::types::utility; }
    void prepare (double sampleRate, int maxBlockSize) override;
    void reset() noexcept override;
    void process (float* left, float* right, int numSamples) noexcept override;

private:
    /** process() while no setting glides. */
    void processSteady (float* left, float* right, int numSamples, bool dcOn) noexcept;

    Parameter &gainDb, &invertLeft, &invertRight, &swap, &mono, &dcFilter;
    dsp::LinearSmoother leftGain, rightGain, monoAmount, swapAmount;
    dsp::Biquad dcLeft, dcRight;
    double sampleRate = 48000.0;
    bool dcWasOn = false;
};

} // namespace crest::engine
