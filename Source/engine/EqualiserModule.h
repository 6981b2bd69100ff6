#pragma once

#include "dsp/Biquad.h"
#include "dsp/EqualiserFilters.h"
#include "dsp/LinearPhaseConvolver.h"
#include "dsp/LinearSmoother.h"
#include "engine/Module.h"
#include "engine/ModuleIds.h"

#include <array>
#include <atomic>
#include <vector>

namespace crest::engine
{

/** The mastering equaliser: eight bands (bell, shelves, Butterworth cuts, notch, tilt), each on
    stereo, mid, side, left or right, optionally dynamic, in minimum-phase or linear-phase mode.

    Minimum phase (default, zero latency): each band is a short cascade of magnitude-matched
    IIR sections (dsp/EqualiserFilters.h) that follow the analog curve up to Nyquist. Band
    frequency, gain and Q glide (30 ms); coefficients are recomputed every updateInterval()
    samples counted from the start of the stream, so the output does not depend on the host's
    block size. Discrete changes (type, slope, channel, dynamic) crossfade the band's old and
    new filters over 20 ms.

    Dynamic bands (bell and shelves; other types ignore the switch): a detector filter isolates
    what the band acts on, an attack/release envelope follows its peak level, and above the
    threshold the band's gain moves towards 0 dB by (level - threshold) * (1 - 1/ratio) dB:
    a cut starts at 0 dB and deepens down to its gain setting (de-essing, taming harshness), a
    boost shrinks from its gain setting towards 0 dB.

    Linear phase (`linear_phase`, fixed at prepare(), since it changes the latency): the bands'
    analog curves are sampled into a symmetric FIR (dsp/LinearPhaseConvolver.h), latency
    linearPhaseLatency() (8447 samples at 44.1/48 kHz, 16895 at 88.2/96 kHz). Changes take
    effect at the next FIR frame with a crossfade. The FIR (about 0.34 s) resolves about 15 Hz:
    ordinary moves match the analog curves to hundredths of a dB, but very narrow features
    below about 100 Hz are smoothed (a Q 10 bell at 50 Hz peaks about 2 dB short, a 48 dB/oct
    cut at 30 Hz is a few dB shallow at 20 Hz, a Q 10 notch at 60 Hz stops about 25 dB short of
    a full null). Dynamic bands are not supported there: they stay at their resting gain (a
    dynamic cut is flat, a dynamic boost is fully boosted), so that nothing silently differs.

    Neutral at its defaults (all bands off, 0 dB output): it then passes audio bit-exactly
    (delayed by the latency in linear-phase mode). Never allocates, locks or logs in process();
    non-finite input resets the signal memory instead of poisoning later output.
*/
class EqualiserModule : public Module
{
public:
    static constexpr int numBands = ids::equaliser::bands;

    EqualiserModule();

    /** The parameters every module of this type declares (built once; no module needed to read them). */
    static const ParameterTable& parameterSpecs();

    std::string type() const override { return ids::types::equaliser; }
    void prepare (double sampleRate, int maxBlockSize) override;
    void reset() noexcept override;
    void process (float* left, float* right, int numSamples) noexcept override;
    int latencySamples() const noexcept override;

    /** Largest gain reduction of the dynamic bands at the end of the last block, in dB (positive). */
    float gainReductionDb() const noexcept override { return reduction.load (std::memory_order_relaxed); }

    /** Samples between coefficient updates at a rate (about 0.7 ms, a power of two). */
    static int updateInterval (double sampleRate) noexcept;

    /** The linear-phase FIR length at a rate (odd: 16383 taps at 44.1/48 kHz, scaled with the rate). */
    static int linearPhaseTaps (double sampleRate) noexcept;

    /** The linear-phase convolver's frame size at a rate. */
    static int linearPhaseFrame (double sampleRate) noexcept;

    /** The latency of linear-phase mode at a rate: frame + (taps - 1) / 2. */
    static int linearPhaseLatency (double sampleRate) noexcept
    {
        return linearPhaseFrame (sampleRate) + (linearPhaseTaps (sampleRate) - 1) / 2;
    }

private:
    enum class Channel
    {
        stereo,
        mid,
        side,
        left,
        right
    };

    /** The discrete part of a band's settings: changing it crossfades. */
    struct Config
    {
        dsp::EqBandType type = dsp::EqBandType::off;
        int slope = 12;
        Channel channel = Channel::stereo;
        bool dynamic = false;

        bool operator== (const Config& o) const noexcept
        {
            return type == o.type && slope == o.slope && channel == o.channel && dynamic == o.dynamic;
        }
        bool operator!= (const Config& o) const noexcept { return ! (*this == o); }
    };

    /** One configuration's running filters (two per band, for crossfades). While a band glides,
        each new design is reached by a per-sample linear ramp of the coefficients over one
        update interval, so there are no coefficient steps to make zipper noise (a ramp between
        two stable sections stays stable: the stability triangle of (a1, a2) is convex). */
    struct FilterSet
    {
        Config config;
        dsp::EqCascade design;
        std::array<std::array<dsp::Biquad, dsp::maxEqSections>, 2> stages {};
        std::array<dsp::BiquadCoefficients, dsp::maxEqSections> step {}; // per-sample increments
        int rampRemaining = 0;

        void clearState() noexcept;
        void setDesign (const dsp::EqCascade& d, int rampLength) noexcept;
    };

    struct Band
    {
        Parameter *type = nullptr, *frequency = nullptr, *gain = nullptr, *q = nullptr, *slope = nullptr, *channel = nullptr,
                  *dynamic = nullptr, *threshold = nullptr, *ratio = nullptr, *attack = nullptr, *release = nullptr;

        dsp::LinearSmoother logFrequency, gainDb, logQ; // log2 Hz, dB, log2 Q
        Config pending;
        std::array<FilterSet, 2> sets {};
        int current = 0;
        int fadePosition = 0, fadeRemaining = 0; // samples
        bool designDirty = true;
        bool active = false; // processes audio in the current sub-block
        double designedGain = 0.0; // the effective gain of the current design (dynamic bands)

        // Dynamics.
        std::array<dsp::Biquad, 2> detector {};
        double envelope = 0.0, attackCoeff = 0.0, releaseCoeff = 0.0;
        float attackMs = -1.0f, releaseMs = -1.0f;
        double thresholdDb = 0.0, slopeFactor = 0.0; // slopeFactor = 1 - 1/ratio
        double reductionDb = 0.0;
    };

    Config configFromParameters (const Band& b) const noexcept;
    dsp::EqBand settingsFor (const Config& c, double frequencyHz, double gainDb, double q) const noexcept;
    void readParameters() noexcept;
    void startSubBlock() noexcept;
    void processChunk (float* left, float* right, int n) noexcept;
    void runDetector (Band& b, const double* l, const double* r, int n) noexcept;
    void applySet (FilterSet& set, double* l, double* r, int n) noexcept;
    size_t runStereoGroup (size_t first, double* l, double* r, int n) noexcept;
    void clearSignalState() noexcept;
    void designLinearPhase (bool immediately) noexcept;
    bool linearPhaseSnapshotChanged() noexcept;

    std::array<Band, numBands> bands {};
    Parameter* linearPhaseParameter = nullptr;
    Parameter* outputGain = nullptr;

    double sampleRate = 48000.0, maxFrequency = 20000.0;
    int interval = 32, position = 0, fadeLength = 960;
    dsp::LinearSmoother outputSmoother;
    std::vector<double> work; // six sub-block buffers: l, r, previous l, previous r, mid/side scratch
    std::atomic<float> reduction { 0.0f };

    bool linearPhase = false, linearPhaseDirty = false;
    dsp::LinearPhaseConvolver convolver;
    std::array<dsp::EqBand, numBands> linearPhaseSnapshot {};
    std::array<Channel, numBands> linearPhaseChannels {};
};

} // namespace crest::engine
