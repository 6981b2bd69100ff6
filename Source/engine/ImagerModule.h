#pragma once

#include "dsp/Crossover.h"
#include "dsp/LinearSmoother.h"
#include "engine/Module.h"
#include "engine/ModuleIds.h"

#include <array>
#include <vector>

namespace crest::engine
{

/** The stereo imager: side level (width) per band, a mid/side balance, and "mono below" for
    vinyl.

    Design: mid and side both run through the same Linkwitz-Riley crossover; each side band is
    scaled by its width and the mid bands are summed unchanged, so mid and side keep one common
    phase and every frequency gets a blend of the band widths, never more than the largest one
    set (it must never widen beyond what was asked). Mono below applies a 48 dB/oct
    Linkwitz-Riley high-pass to the side and the matching all-pass to the mid, so bass folds
    to mono cleanly and everything above keeps its image. The balance only attenuates (side for
    positive values, mid for negative), so it cannot widen or clip either.

    At neutral settings (every active width 100 %, balance 0, mono below off) processing is
    skipped and the output is bit-exact; leaving or returning to neutral crossfades (with a
    raised cosine, 20 ms) between the untouched input and the processed path. Zero latency;
    process() never allocates or locks.

    Speed: the crossover hands over its bands as double-precision records, and one vector
    kernel does the rest per sample: the weighted band sums, then the mono-below filters as
    four steps of four lanes (mid all-pass, side all-pass, side low-pass), in direct form
    unless the mono-below frequency glides. With nothing gliding a whole block goes through
    one call; otherwise every sample gets its own call with its own smoothed values, through
    the same kernel, so both ways give the same output bit for bit.
*/
class ImagerModule : public Module
{
public:
    static constexpr int maxBands = dsp::Crossover::maxBands;
    static_assert (maxBands == ids::imager::bands, "the band IDs declare one band per crossover band");

    ImagerModule();

    /** The parameters every module of this type declares (built once; no module needed to read them). */
    static const ParameterTable& parameterSpecs();

    std::string type() const override { return ids::types::imager; }
    void prepare (double sampleRate, int maxBlockSize) override;
    void reset() noexcept override;
    void process (float* left, float* right, int numSamples) noexcept override;

private:
    int activeBands() const noexcept { return bandsChoice.getIndex() + 1; }
    std::array<float, 3> crossoverFrequencies() const noexcept;
    float subBandWidth (int index) const noexcept;
    bool neutral() const noexcept;
    void setTargets (bool jump) noexcept;
    void updateMonoFilters (double frequency) noexcept;
    void resetFilters() noexcept;
    void processChunk (float* left, float* right, int numSamples) noexcept;
    void processGliding (float* left, float* right, int numSamples) noexcept;
    void setMonoForm (bool direct) noexcept;
    void countFlush (int samples) noexcept;

    Parameter &bandsChoice, &crossover1, &crossover2, &crossover3, &balance, &monoBelow, &monoBelowHz;
    std::array<Parameter*, maxBands> width {};

    dsp::Crossover crossover;
    std::array<dsp::LinearSmoother, maxBands> subBandWidths;
    dsp::LinearSmoother midGain, sideGain, monoAmount, monoLog2, engaged;

    // Mono below: an 8th-order Linkwitz-Riley low-pass of the side (two 4th-order Butterworths,
    // as sections of Q 0.54 and 1.31) and the all-pass that low-pass plus high-pass sum to, for
    // both mid and side. Lanes: mid all-pass, unused, side all-pass, side low-pass.
    static constexpr int monoSteps = 4;
    dsp::SectionStep monoFilters[monoSteps];
    dsp::SectionState monoStates[monoSteps];
    bool monoDirect = true; // the form monoStates are in
    static constexpr int flushInterval = 256;
    int untilFlush = flushInterval; // samples to the next denormal flush
    float monoTargetHz = -1.0f; // mono-below frequency last asked for, and its log2
    double monoTargetLog2 = 0.0;

    static constexpr int chunkSize = 512;
    std::vector<float> midSide; // mid, then side, chunkSize each
    std::vector<double> records; // the crossover's bands, chunkSize records

    double sampleRate = 48000.0;
};

} // namespace crest::engine
