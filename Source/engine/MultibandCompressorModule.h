#pragma once

#include "dsp/Crossover.h"
#include "dsp/DynamicsProcessor.h"
#include "dsp/LinearSmoother.h"
#include "engine/Module.h"
#include "engine/ModuleIds.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <vector>

namespace crest::engine
{

/** The multiband compressor: a 2- to 4-band crossover (Linkwitz-Riley, or linear phase with
    latency) with a DynamicsProcessor per band.

    Design: the crossover always splits into four sub-bands; fewer bands are made by summing
    adjacent sub-bands before compression. Changing the band count therefore only moves
    sub-bands between compressors, which glides, so it never clicks and never rebuilds
    anything. With nothing compressing, the output is the crossover's sum: an all-pass (flat
    magnitude) or, in linear phase, the input delayed by latencySamples(). Solo and bypass
    glide too (bypass fades the band's compressor to dry, solo fades the other bands out).

    Neutral settings (no solo, every active band at 1:1 with no makeup, or bypassed) output the
    input itself, bit-exact (delayed by the latency in linear phase): a neutral chain must
    null. The bands keep running meanwhile, and leaving or returning to neutral crossfades
    (raised cosine, 20 ms) between the two.

    Speed: in the steady state (no glide anywhere, no solo, engaged) the crossover hands its
    bands over as double-precision records and the four compressors run as the four lanes of
    one vector (DynamicsProcessor::processBandSum), writing the band sum directly. Anything
    else (ramps of the band count, solo, engage, or any compressor setting) runs through the
    general path: float bands, one compressor at a time, the weights and fades per sample.
    The two differ only in rounding; so that block sizes cannot change the output, the general
    path hands back to the fast one only at fixed sample positions (every decisionInterval
    samples since the last reset), never at a block boundary.

    process() must never allocate or lock; the linear-phase switch changes latency and so is
    taken only by prepare().
*/
class MultibandCompressorModule : public Module
{
public:
    static constexpr int maxBands = dsp::Crossover::maxBands;
    static_assert (maxBands == ids::multiband::bands, "the band IDs declare one band per crossover band");

    MultibandCompressorModule();

    /** The parameters every module of this type declares (built once; no module needed to read them). */
    static const ParameterTable& parameterSpecs();

    std::string type() const override { return ids::types::multiband; }
    void prepare (double sampleRate, int maxBlockSize) override;
    void reset() noexcept override;
    void process (float* left, float* right, int numSamples) noexcept override;
    int latencySamples() const noexcept override { return crossover.latencySamples(); }

    /** Largest gain reduction over the active bands in the last block, dB (positive). */
    float gainReductionDb() const noexcept override { return reduction.load (std::memory_order_relaxed); }

    /** Gain reduction of one band (0-based) in the last block, dB; 0 when bypassed or unused. */
    float bandGainReductionDb (int band) const noexcept;

private:
    struct BandParameters
    {
        Parameter *threshold, *ratio, *attack, *release, *makeup, *solo, *bypass;
    };

    int activeBands() const noexcept { return bandsChoice.getIndex() + 2; }
    std::array<float, 3> crossoverFrequencies() const noexcept;
    dsp::DynamicsSettings bandSettings (int band) const noexcept;
    void updateTargets (bool jump) noexcept;
    bool neutral() const noexcept;
    bool steady() const noexcept;
    void processChunk (float* left, float* right, int numSamples, float* largestReduction) noexcept;
    void processGeneral (float* left, float* right, const float* dryLeft, const float* dryRight, int numSamples) noexcept;
    void processSteady (float* left, float* right, const float* dryLeft, const float* dryRight, int numSamples) noexcept;

    Parameter &bandsChoice, &crossover1, &crossover2, &crossover3, &linearPhase, &knee, &detection, &autoRelease, &stereoLink,
        &mode, &mix;
    std::array<BandParameters, maxBands> bandParameters;

    dsp::Crossover crossover;
    std::array<dsp::DynamicsProcessor, maxBands> processors;
    std::array<dsp::LinearSmoother, maxBands> soloGain;
    dsp::LinearSmoother engaged; // 0: the (delayed) input, 1: the processed bands

    // The input delayed by the crossover's latency, for the neutral output.
    std::vector<float> dryDelay[2];
    int dryPosition = 0;

    // Which compressor each sub-band feeds: weights[band][subBand], gliding together so that
    // every sub-band's weights always sum to one.
    float weights[maxBands][maxBands] = {};
    float weightSteps[maxBands][maxBands] = {};
    int weightRampRemaining = 0, weightRampLength = 1, assignedBands = 0;

    static constexpr int chunkSize = 512;
    std::vector<float> scratch; // sub-bands, bands, then the dry input, each chunkSize per channel
    std::vector<double> records; // the crossover's bands for the fast path, chunkSize records
    float* subBand[maxBands][2] = {};
    float* band[maxBands][2] = {};
    float* dry[2] = {};

    // Where the general path may hand back to the fast one (see the class comment).
    static constexpr int decisionInterval = 64;
    int64_t samplesSinceReset = 0;
    bool fast = false;

    double sampleRate = 48000.0;
    std::atomic<float> reduction { 0.0f };
    std::array<std::atomic<float>, maxBands> bandReduction {};
};

} // namespace crest::engine
