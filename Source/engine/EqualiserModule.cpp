#include "dsp/ReproducibleFloat.h" // first: see there

#include "engine/EqualiserModule.h"

#include "dsp/VectorDispatch.h"

#include <juce_audio_basics/juce_audio_basics.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <utility>

namespace crest::engine
{
namespace
{
    constexpr double rampSeconds = 0.03; // glide of frequency, gain, Q and output gain
    constexpr double crossfadeSeconds = 0.02; // discrete changes
    constexpr float minimumFrequency = 10.0f, maximumFrequency = 40000.0f;
    constexpr int slopes[] = { 6, 12, 18, 24, 36, 48 };
    constexpr float defaultFrequencies[] = { 40.0f, 100.0f, 250.0f, 600.0f, 1500.0f, 3500.0f, 8000.0f, 14000.0f };

    using specs::choice;
    using specs::number;
    using specs::toggle;

    bool supportsDynamics (dsp::EqBandType t) noexcept
    {
        return t == dsp::EqBandType::bell || t == dsp::EqBandType::lowShelf || t == dsp::EqBandType::highShelf;
    }

    /** 1 up to 48 kHz, 2 up to 96 kHz, 4 up to 192 kHz...: sizes that scale with the rate. */
    int rateScale (double sampleRate) noexcept
    {
        int s = 1;
        while (s < 64 && 48000.0 * s < sampleRate * 0.999)
            s *= 2;
        return s;
    }

    double envelopeCoefficient (double milliseconds, double sampleRate) noexcept
    {
        return std::exp (-1.0 / (std::max (milliseconds, 0.01) * 0.001 * sampleRate));
    }
    bool isRestingIdentity (const dsp::Biquad& stage) noexcept
    {
        const auto& c = stage.getCoefficients();
        const auto [s1, s2] = stage.getState();
        return c.b0 == 1.0 && c.b1 == 0.0 && c.b2 == 0.0 && c.a1 == 0.0 && c.a2 == 0.0 && s1 == 0.0 && s2 == 0.0;
    }

    /** Two doubles (left, right) in one SSE register. */
    using Pair = double __attribute__ ((vector_size (16)));

    using dsp::vec::M4;
    using dsp::vec::V4;

    /** A stereo group's sections two to a vector: lanes (left, right) of section 2j, then of
        section 2j + 1 (see runSkewed()). Ramp data only where `ramps` is set. */
    struct SkewedGroup
    {
        static constexpr int capacity = EqualiserModule::numBands * dsp::maxEqSections / 2;
        V4 b0[capacity], b1[capacity], b2[capacity], a1[capacity], a2[capacity];
        V4 s1[capacity], s2[capacity];
        V4 step[5][capacity], target[5][capacity];
        V4 rampLength[capacity], rampEnds[capacity]; // per lane: samples ramped; all bits set where the ramp lands on the target
        bool ramps[capacity];
        int vectors = 0;
    };

    /** Steps section pair j's coefficients along their ramp at iteration t: per lane (sample
        t - 2j, or t - 2j - 1), a step while below the ramp's length, the target at it. */
    __attribute__ ((always_inline)) inline void rampStep (const SkewedGroup& g, int j, int t, V4& b0, V4& b1, V4& b2, V4& a1, V4& a2) noexcept
    {
        const V4 i = (double) t - V4 { (double) (2 * j), (double) (2 * j), (double) (2 * j + 1), (double) (2 * j + 1) };
        const M4 stepping = i < g.rampLength[j];
        const M4 landing = (i == g.rampLength[j]) & (M4) g.rampEnds[j];
        const auto pick = [] (const M4& m, const V4& a, const V4& b) __attribute__ ((always_inline)) { return (V4) (((M4) a & m) | ((M4) b & ~m)); };
        b0 = pick (landing, g.target[0][j], pick (stepping, b0 + g.step[0][j], b0));
        b1 = pick (landing, g.target[1][j], pick (stepping, b1 + g.step[1][j], b1));
        b2 = pick (landing, g.target[2][j], pick (stepping, b2 + g.step[2][j], b2));
        a1 = pick (landing, g.target[3][j], pick (stepping, a1 + g.step[3][j], a1));
        a2 = pick (landing, g.target[4][j], pick (stepping, a2 + g.step[4][j], a2));
    }

    /** Keeps the input of section tapAt at iteration t (sample t - tapAt), read from the
        previous iteration's outputs y (or the group's input for section 0). */
    __attribute__ ((always_inline)) inline void recordTap (const V4* y, int t, const double* l, const double* r, double* tapL, double* tapR, int tapAt) noexcept
    {
        const int j = tapAt / 2;
        const V4 src = tapAt % 2 == 1 ? y[j] : (j > 0 ? y[j - 1] : V4 {});
        const int lane = tapAt % 2 == 1 ? 0 : 2;
        if (tapAt == 0)
            tapL[t] = l[t], tapR[t] = r[t];
        else
            tapL[t - tapAt] = src[lane], tapR[t - tapAt] = src[lane + 1];
    }

    /** One iteration t of runSkewed(). `steady`: every section has a sample at this iteration
        (the pipeline is full: last <= t < n), so none of the range tests apply and no lane is
        held (the pad lane of an odd count has no effect on any other lane and is never read
        back). The full phase runs from registers (registerRun()) for groups of up to
        maxRegisterVectors vectors; this steady form serves larger groups. */
    template <bool anyRamp, bool steady>
    __attribute__ ((always_inline)) inline void skewedStep (SkewedGroup& g, V4* y, int t, int count, const double* l, const double* r,
                                                            double* outL, double* outR, double* tapL, double* tapR, int tapAt, int n) noexcept
    {
        const M4 lowLanes { -1, -1, 0, 0 }, highLanes { 0, 0, -1, -1 };
        const int last = count - 1;
        const int lastVector = last / 2, lastLane = 2 * (last % 2);
        const int kLo = steady ? 0 : std::max (0, t - n + 1), kHi = steady ? last : std::min (last, t);
        const int jLo = kLo / 2, jHi = kHi / 2;
        // Deepest first, so that y[j - 1] still holds the previous iteration's outputs.
        if (tapAt >= 0 && tapAt <= last && (steady || (t - tapAt >= 0 && t - tapAt < n)))
            recordTap (y, t, l, r, tapL, tapR, tapAt);
        for (int j = jHi; j >= jLo; --j)
        {
            V4 x;
            if (j > 0)
                x = dsp::vec::shuffle (y[j - 1], y[j], M4 { 2, 3, 4, 5 });
            else
            {
                const V4 in { steady || t < n ? l[t] : 0.0, steady || t < n ? r[t] : 0.0, 0.0, 0.0 };
                x = dsp::vec::shuffle (in, y[0], M4 { 0, 1, 4, 5 });
            }
            V4 b0 = g.b0[j], b1 = g.b1[j], b2 = g.b2[j], a1 = g.a1[j], a2 = g.a2[j];
            if constexpr (anyRamp)
            {
                if (g.ramps[j])
                    rampStep (g, j, t, b0, b1, b2, a1, a2);
            }
            const V4 out = b0 * x + g.s1[j];
            V4 n1 = b1 * x - a1 * out + g.s2[j];
            V4 n2 = b2 * x - a2 * out;
            V4 c0 = b0, c1 = b1, c2 = b2, c3 = a1, c4 = a2;
            if constexpr (! steady)
            {
                const bool partial = 2 * j < kLo || 2 * j + 1 > kHi;
                if (partial)
                {
                    // One of the two sections has no sample now: it keeps its state and coefficients.
                    const M4 keep = 2 * j < kLo ? lowLanes : highLanes;
                    const auto hold = [&keep] (const V4& old, const V4& fresh) __attribute__ ((always_inline)) { return (V4) (((M4) old & keep) | ((M4) fresh & ~keep)); };
                    n1 = hold (g.s1[j], n1);
                    n2 = hold (g.s2[j], n2);
                    c0 = hold (g.b0[j], c0), c1 = hold (g.b1[j], c1), c2 = hold (g.b2[j], c2), c3 = hold (g.a1[j], c3), c4 = hold (g.a2[j], c4);
                }
            }
            g.s1[j] = n1;
            g.s2[j] = n2;
            if constexpr (anyRamp)
                if (g.ramps[j])
                    g.b0[j] = c0, g.b1[j] = c1, g.b2[j] = c2, g.a1[j] = c3, g.a2[j] = c4;
            y[j] = out;
        }
        if (steady || t - last >= 0)
        {
            outL[t - last] = y[lastVector][lastLane];
            outR[t - last] = y[lastVector][lastLane + 1];
        }
    }

    /** One iteration of registerRun() (see there): skewedStep<anyRamp, true> on the state in
        s1, s2 and y. */
    template <int V, bool anyRamp>
    __attribute__ ((always_inline)) inline void registerStep (SkewedGroup& g, V4 (&s1)[V], V4 (&s2)[V], V4 (&y)[V], int t, int count,
                                                              double* l, double* r, double* tapL, double* tapR, int tapAt) noexcept
    {
        const int last = count - 1;
        const int lastVector = last / 2, lastLane = 2 * (last % 2);
        if (tapAt >= 0 && tapAt <= last)
            recordTap (y, t, l, r, tapL, tapR, tapAt);
#pragma GCC unroll 32
        for (int j = V - 1; j >= 0; --j)
        {
            V4 x;
            if (j > 0)
                x = dsp::vec::shuffle (y[j - 1], y[j], M4 { 2, 3, 4, 5 });
            else
            {
                const V4 in { l[t], r[t], 0.0, 0.0 };
                x = dsp::vec::shuffle (in, y[0], M4 { 0, 1, 4, 5 });
            }
            V4 b0 = g.b0[j], b1 = g.b1[j], b2 = g.b2[j], a1 = g.a1[j], a2 = g.a2[j];
            if constexpr (anyRamp)
            {
                if (g.ramps[j])
                {
                    rampStep (g, j, t, b0, b1, b2, a1, a2);
                    g.b0[j] = b0, g.b1[j] = b1, g.b2[j] = b2, g.a1[j] = a1, g.a2[j] = a2;
                }
            }
            const V4 out = b0 * x + s1[j];
            s1[j] = b1 * x - a1 * out + s2[j];
            s2[j] = b2 * x - a2 * out;
            y[j] = out;
        }
        l[t - last] = y[lastVector][lastLane];
        r[t - last] = y[lastVector][lastLane + 1];
    }

    /** The full part of runSkewed() (iterations t0 .. t1 - 1, where every section has a
        sample) for a group of exactly V vectors, with each section's state and last output in
        local variables rather than in the group's arrays: with the vector count known, the loop
        over vectors is unrolled and the compiler keeps those values in registers, so a
        section's recursion no longer waits on a store and a reload every sample. The
        arithmetic of every lane is skewedStep()'s, in the same order. (Filling and draining
        stay with skewedStep(), which touches only the vectors that have a sample: computing
        all of them under lane masks cost more than it saved.) */
    template <int V, bool anyRamp>
    __attribute__ ((always_inline)) inline void registerRun (SkewedGroup& g, V4* yMemory, int t0, int t1, int count, double* l, double* r,
                                                             double* tapL, double* tapR, int tapAt) noexcept
    {
        V4 s1[V], s2[V], y[V];
#pragma GCC unroll 32
        for (int j = 0; j < V; ++j)
            s1[j] = g.s1[j], s2[j] = g.s2[j], y[j] = yMemory[j];
        for (int t = t0; t < t1; ++t)
            registerStep<V, anyRamp> (g, s1, s2, y, t, count, l, r, tapL, tapR, tapAt);
#pragma GCC unroll 32
        for (int j = 0; j < V; ++j)
            g.s1[j] = s1[j], g.s2[j] = s2[j], yMemory[j] = y[j];
    }

    /** Most vectors run from registers (16 sections; larger groups take the general step). */
    constexpr int maxRegisterVectors = 8;

    /** registerRun<V> for the group's vector count V, if it is one of Vs; false if not. */
    template <bool anyRamp, int... Vs>
    __attribute__ ((always_inline)) inline bool runFromRegisters (std::integer_sequence<int, Vs...>, SkewedGroup& g, V4* y, int t0, int t1,
                                                                  int count, double* l, double* r, double* tapL, double* tapR, int tapAt) noexcept
    {
        return ((Vs > 0 && g.vectors == Vs ? (registerRun<(Vs > 0 ? Vs : 1), anyRamp> (g, y, t0, t1, count, l, r, tapL, tapR, tapAt), true)
                                           : false)
                || ...);
    }

    /** One step of every section of a group, section k on sample t - k (a software pipeline:
        the steps of one iteration are independent, so they run side by side in vectors instead
        of waiting on each other's results). Sections outside [kLo, kHi] have no sample at this
        iteration and keep their state. Each section does exactly the arithmetic of
        dsp::transposedDirectForm2 (multiplies and adds, none fused) and of applySet()'s ramp,
        so the output is bit-identical to running the sections one after another. */
    template <bool anyRamp>
    CREST_WIDE_VECTOR_CLONES void runSkewed (SkewedGroup& g, int count, double* l, double* r, double* tapL, double* tapR, int tapAt, int n) noexcept
    {
        V4 y[SkewedGroup::capacity];
        for (int j = 0; j < g.vectors; ++j)
            y[j] = V4 {};
        const int last = count - 1;
        // Filling (not every section has a sample yet), full, draining. Outputs go back into
        // l and r at t - last, which no later iteration reads as input.
        const int fillEnd = std::min (last, n), fullEnd = std::max (fillEnd, n);
        int t = 0;
        for (; t < fillEnd; ++t)
            skewedStep<anyRamp, false> (g, y, t, count, l, r, l, r, tapL, tapR, tapAt, n);
        if (t < fullEnd)
        {
            if (! runFromRegisters<anyRamp> (std::make_integer_sequence<int, maxRegisterVectors + 1> {}, g, y, t, fullEnd, count, l, r, tapL,
                                             tapR, tapAt))
                for (int u = t; u < fullEnd; ++u)
                    skewedStep<anyRamp, true> (g, y, u, count, l, r, l, r, tapL, tapR, tapAt, n);
            t = fullEnd;
        }
        for (; t < n + last; ++t)
            skewedStep<anyRamp, false> (g, y, t, count, l, r, l, r, tapL, tapR, tapAt, n);
    }
} // namespace

int EqualiserModule::updateInterval (double sampleRate) noexcept
{
    return 32 * rateScale (sampleRate);
}
int EqualiserModule::linearPhaseTaps (double sampleRate) noexcept
{
    return 16384 * rateScale (sampleRate) - 1;
}
int EqualiserModule::linearPhaseFrame (double sampleRate) noexcept
{
    return 256 * rateScale (sampleRate);
}

void EqualiserModule::FilterSet::clearState() noexcept
{
    for (auto& channel : stages)
        for (auto& s : channel)
            s.reset();
}

void EqualiserModule::FilterSet::setDesign (const dsp::EqCascade& d, int rampLength) noexcept
{
    // Ramp only between designs of the same structure; anything else starts where it is.
    const bool ramp = rampLength > 0 && d.numSections > 0 && d.numSections == design.numSections;
    rampRemaining = ramp ? rampLength : 0;
    for (int i = 0; i < d.numSections; ++i)
    {
        const auto& to = d.sections[(size_t) i];
        if (ramp)
        {
            const auto& from = stages[0][(size_t) i].getCoefficients();
            const double r = 1.0 / rampLength;
            step[(size_t) i] = { (to.b0 - from.b0) * r, (to.b1 - from.b1) * r, (to.b2 - from.b2) * r, (to.a1 - from.a1) * r,
                (to.a2 - from.a2) * r };
        }
        else
        {
            for (auto& channel : stages)
                channel[(size_t) i].setCoefficients (to);
        }
    }
    design = d;
}

const ParameterTable& EqualiserModule::parameterSpecs()
{
    namespace id = ids::equaliser;
    static const ParameterTable table = []
    {
        std::vector<ParameterSpec> list;
        for (int i = 0; i < numBands; ++i)
        {
            const std::string name = "Band " + std::to_string (i + 1) + " ";
            auto band = [i] (const char* suffix) { return ids::band (i, suffix); };
            list.push_back (choice (band (id::bandType), name + "type",
                { "off", "bell", "low_shelf", "high_shelf", "low_cut", "high_cut", "notch", "tilt" }, 0));
            list.push_back (number (
                band (id::frequency), name + "frequency", "Hz", minimumFrequency, maximumFrequency, defaultFrequencies[i]));
            list.push_back (number (band (id::gain), name + "gain", "dB", -24.0f, 24.0f, 0.0f));
            list.push_back (number (band (id::q), name + "Q", "", 0.1f, 24.0f, 0.7071f));
            list.push_back (choice (band (id::slope), name + "slope (dB/oct)", { "6", "12", "18", "24", "36", "48" }, 1));
            list.push_back (choice (band (id::channel), name + "channel", { "stereo", "mid", "side", "left", "right" }, 0));
            list.push_back (toggle (band (id::dynamic), name + "dynamic"));
            list.push_back (number (band (id::threshold), name + "threshold", "dB", -60.0f, 0.0f, -24.0f));
            list.push_back (number (band (id::ratio), name + "ratio", ":1", 1.0f, 20.0f, 2.0f));
            list.push_back (number (band (id::attack), name + "attack", "ms", 0.1f, 200.0f, 5.0f));
            list.push_back (number (band (id::release), name + "release", "ms", 5.0f, 2000.0f, 100.0f));
        }
        list.push_back (toggle (id::linearPhase, "Linear phase", true));
        list.push_back (number (id::outputGain, "Output gain", "dB", -24.0f, 24.0f, 0.0f));
        return ParameterTable (std::move (list));
    }();
    return table;
}

EqualiserModule::EqualiserModule() : Module (parameterSpecs())
{
    namespace id = ids::equaliser;
    for (int i = 0; i < numBands; ++i)
    {
        auto& b = bands[(size_t) i];
        auto band = [this, i] (const char* suffix) { return &parameter (ids::band (i, suffix)); };
        b.type = band (id::bandType);
        b.frequency = band (id::frequency);
        b.gain = band (id::gain);
        b.q = band (id::q);
        b.slope = band (id::slope);
        b.channel = band (id::channel);
        b.dynamic = band (id::dynamic);
        b.threshold = band (id::threshold);
        b.ratio = band (id::ratio);
        b.attack = band (id::attack);
        b.release = band (id::release);
    }
    linearPhaseParameter = &parameter (id::linearPhase);
    outputGain = &parameter (id::outputGain);
}

int EqualiserModule::latencySamples() const noexcept
{
    return linearPhase ? convolver.latencySamples() : 0;
}

EqualiserModule::Config EqualiserModule::configFromParameters (const Band& b) const noexcept
{
    Config c;
    c.type = (dsp::EqBandType) std::clamp (b.type->getIndex(), 0, 7);
    c.slope = slopes[std::clamp (b.slope->getIndex(), 0, 5)];
    c.channel = (Channel) std::clamp (b.channel->getIndex(), 0, 4);
    c.dynamic = b.dynamic->getIndex() != 0 && supportsDynamics (c.type);
    return c;
}

dsp::EqBand EqualiserModule::settingsFor (const Config& c, double frequencyHz, double gainDb, double q) const noexcept
{
    dsp::EqBand s;
    s.type = c.type;
    s.frequencyHz = std::clamp (frequencyHz, (double) minimumFrequency, maxFrequency);
    s.gainDb = gainDb;
    s.q = q;
    s.slopeDbPerOctave = c.slope;
    return s;
}

void EqualiserModule::prepare (double rate, int)
{
    sampleRate = rate;
    // Above about 0.48 of the rate a band could only be approximated badly; clamp it there.
    maxFrequency = std::min ((double) maximumFrequency, 0.48 * rate);
    interval = updateInterval (rate);
    fadeLength = std::max (1, (int) std::ceil (crossfadeSeconds * rate / interval)) * interval;
    work.assign ((size_t) (6 * interval), 0.0);
    outputSmoother.prepare (rate, rampSeconds, std::pow (10.0f, outputGain->get() / 20.0f));
    linearPhase = linearPhaseParameter->getIndex() != 0;

    for (auto& b : bands)
    {
        b.logFrequency.prepare (
            rate, rampSeconds, std::log2 (std::clamp (b.frequency->get(), minimumFrequency, (float) maxFrequency)));
        b.gainDb.prepare (rate, rampSeconds, b.gain->get());
        b.logQ.prepare (rate, rampSeconds, std::log2 (b.q->get()));
        b.pending = configFromParameters (b);
        b.sets[0].config = b.pending;
        b.sets[1].config = {};
        b.current = 0;
        b.attackMs = b.releaseMs = -1.0f;
        b.designDirty = true;
    }
    clearSignalState();

    if (linearPhase)
    {
        convolver.prepare (linearPhaseTaps (rate), linearPhaseFrame (rate));
        linearPhaseSnapshotChanged();
        designLinearPhase (true);
        linearPhaseDirty = false;
    }
    readParameters();
    position = 0;
    reduction.store (0.0f, std::memory_order_relaxed);
}

void EqualiserModule::reset() noexcept
{
    readParameters();
    // After a reset (a seek, a new render) nothing should still be gliding.
    for (auto& b : bands)
    {
        b.logFrequency.reset (b.logFrequency.targetValue());
        b.gainDb.reset (b.gainDb.targetValue());
        b.logQ.reset (b.logQ.targetValue());
        b.sets[b.current].config = b.pending;
        b.designDirty = true;
    }
    outputSmoother.reset (outputSmoother.targetValue());
    clearSignalState();
    if (linearPhase && linearPhaseDirty)
    {
        designLinearPhase (true);
        linearPhaseDirty = false;
    }
    position = 0;
    reduction.store (0.0f, std::memory_order_relaxed);
}

void EqualiserModule::clearSignalState() noexcept
{
    for (auto& b : bands)
    {
        for (auto& set : b.sets)
            set.clearState();
        if (b.fadeRemaining > 0)
        {
            b.fadeRemaining = 0;
            b.sets[(size_t) (1 - b.current)].design = {};
        }
        for (auto& d : b.detector)
            d.reset();
        b.envelope = 0.0;
        b.reductionDb = 0.0;
        b.designDirty = true;
    }
    convolver.reset();
}

void EqualiserModule::readParameters() noexcept
{
    for (auto& b : bands)
    {
        b.pending = configFromParameters (b);
        b.logFrequency.setTarget (std::log2 (std::clamp (b.frequency->get(), minimumFrequency, (float) maxFrequency)));
        b.gainDb.setTarget (b.gain->get());
        b.logQ.setTarget (std::log2 (b.q->get()));
        b.thresholdDb = b.threshold->get();
        b.slopeFactor = 1.0 - 1.0 / std::max (1.0f, b.ratio->get());
        if (b.attack->get() != b.attackMs || b.release->get() != b.releaseMs)
        {
            b.attackMs = b.attack->get();
            b.releaseMs = b.release->get();
            b.attackCoeff = envelopeCoefficient (b.attackMs, sampleRate);
            b.releaseCoeff = envelopeCoefficient (b.releaseMs, sampleRate);
        }
    }
    outputSmoother.setTarget (std::pow (10.0f, outputGain->get() / 20.0f));
    if (linearPhase && linearPhaseSnapshotChanged())
        linearPhaseDirty = true;
}

void EqualiserModule::startSubBlock() noexcept
{
    double largestReduction = 0.0;
    for (auto& b : bands)
    {
        // Flush denormal state from the sections the last sub-block ran (the current set's,
        // and the old one's while it fades out): only they can have decayed, and a section
        // that does not run keeps its state until it runs again. Flushing all ten sections of
        // both sets every sub-block was most of this function's time.
        for (size_t which = 0; which < 2; ++which)
        {
            auto& ran = b.sets[which == 0 ? (size_t) b.current : (size_t) (1 - b.current)];
            if (which == 1 && b.fadeRemaining == 0)
                break;
            for (auto& channel : ran.stages)
                for (int s = 0; s < ran.design.numSections; ++s)
                    channel[(size_t) s].flushDenormals();
        }

        const bool gliding = b.logFrequency.isSmoothing() || b.gainDb.isSmoothing() || b.logQ.isSmoothing();
        // Frequency and Q are only needed for a new design (two exp2 per band per sub-block
        // were a tenth of the equaliser's time when nothing glides).
        const float logFrequency = b.logFrequency.skip (interval);
        const double gain = b.gainDb.skip (interval);
        const float logQ = b.logQ.skip (interval);

        bool configChanged = false;
        if (b.fadeRemaining == 0 && b.pending != b.sets[(size_t) b.current].config)
        {
            // The old filter keeps running (frozen) while the new one fades in.
            b.current = 1 - b.current;
            auto& fresh = b.sets[(size_t) b.current];
            fresh.config = b.pending;
            fresh.clearState();
            fresh.design = {};
            b.fadePosition = 0;
            b.fadeRemaining = fadeLength;
            configChanged = true;
        }

        auto& set = b.sets[(size_t) b.current];
        const bool dynamic = set.config.dynamic && gain != 0.0;
        double effective = gain;
        b.reductionDb = 0.0;
        if (dynamic)
        {
            // Downward only: louder than the threshold means less of the band's gain.
            const double level = 20.0 * std::log10 (std::max (b.envelope, 1.0e-12));
            const double amount = std::max (0.0, level - b.thresholdDb) * b.slopeFactor;
            effective = gain > 0.0 ? std::max (0.0, gain - amount) : std::max (gain, -amount);
            // What the dynamics took away: a cut's depth below 0 dB, a boost's loss of boost.
            b.reductionDb = gain > 0.0 ? gain - effective : -effective;
        }

        // A dynamic band is redesigned whenever its dynamics move its gain (every sub-block
        // while they work), so it takes the cheap design: its sections without the top
        // section, which only refines the top octave of a static curve.
        const bool dynamicMoved = dynamic && effective != b.designedGain;
        if (gliding || configChanged || dynamicMoved || b.designDirty)
        {
            const double frequency = std::exp2 ((double) logFrequency);
            const double q = std::exp2 ((double) logQ);
            const auto design = dsp::designEqBand (settingsFor (set.config, frequency, effective, q), sampleRate, ! set.config.dynamic);
            b.designedGain = effective;
            // A filter coming back from "no sections" starts from silence, not from stale state.
            if (set.design.numSections == 0 && design.numSections > 0)
                set.clearState();
            set.setDesign (design, configChanged || b.designDirty ? 0 : interval);
            // The detector depends on the band's settings, not on what the dynamics do: it is
            // redesigned only when those move (setting the same coefficients again changed nothing).
            if (dynamic && (gliding || configChanged || b.designDirty))
            {
                const auto detector = dsp::designSidechainFilter (settingsFor (set.config, frequency, gain, q), sampleRate);
                for (auto& d : b.detector)
                    d.setCoefficients (detector);
            }
            b.designDirty = false;
        }

        b.active = b.fadeRemaining > 0 || set.design.numSections > 0 || dynamic;
        if (b.active)
        {
            for (auto& d : b.detector)
                d.flushDenormals();
            if (b.envelope < 1.0e-30)
                b.envelope = 0.0;
        }
        largestReduction = std::max (largestReduction, b.reductionDb);
    }
    reduction.store ((float) largestReduction, std::memory_order_relaxed);
}

void EqualiserModule::runDetector (Band& b, const double* l, const double* r, int n) noexcept
{
    const auto channel = b.sets[(size_t) b.current].config.channel;
    double env = b.envelope;
    // Neither a branch on whether this sample is above the envelope (that changes
    // unpredictably, and a mispredicted branch every few samples cost more than the whole
    // recursion) nor a coefficient looked up by that comparison (the load sat on the
    // recursion's critical path): both candidates are computed side by side in one vector,
    // then one is selected. Each is exactly level + c * (env - level), as before.
    const Pair coefficients { b.releaseCoeff, b.attackCoeff };
    const auto follow = [&env, coefficients] (double level)
    {
        const Pair candidates = level + coefficients * (env - level);
        env = level > env ? candidates[1] : candidates[0];
    };
    if (channel == Channel::stereo)
    {
        // Both channels' detectors in one vector (the same arithmetic as Biquad::process()).
        const auto& c = b.detector[0].getCoefficients(); // both detectors share their design
        const auto [a1, a2] = b.detector[0].getState();
        const auto [b1, b2] = b.detector[1].getState();
        Pair s1 { a1, b1 }, s2 { a2, b2 };
        for (int i = 0; i < n; ++i)
        {
            const Pair x { l[i], r[i] };
            const Pair y = c.b0 * x + s1;
            s1 = c.b1 * x - c.a1 * y + s2;
            s2 = c.b2 * x - c.a2 * y;
            follow (std::max (std::fabs (y[0]), std::fabs (y[1])));
        }
        b.detector[0].setState (s1[0], s2[0]);
        b.detector[1].setState (s1[1], s2[1]);
        b.envelope = env;
        return;
    }
    auto& d = b.detector[0];
    switch (channel)
    {
        case Channel::mid:
            for (int i = 0; i < n; ++i)
                follow (std::fabs (d.process (0.5 * (l[i] + r[i]))));
            break;
        case Channel::side:
            for (int i = 0; i < n; ++i)
                follow (std::fabs (d.process (0.5 * (l[i] - r[i]))));
            break;
        case Channel::left:
        case Channel::stereo:
            for (int i = 0; i < n; ++i)
                follow (std::fabs (d.process (l[i])));
            break;
        case Channel::right:
            for (int i = 0; i < n; ++i)
                follow (std::fabs (d.process (r[i])));
            break;
    }
    b.envelope = env;
}

void EqualiserModule::applySet (FilterSet& set, double* l, double* r, int n) noexcept
{
    const int sections = set.design.numSections;
    if (sections == 0)
        return;

    // While a ramp runs, the coefficients move by one step per sample (a transposed direct
    // form II written out, with the same state as dsp::Biquad); the last step lands exactly on
    // the design, so no rounding drift survives the ramp. Both channels of a stereo band run in
    // the same loop: two independent recursions keep the core busy where one would wait on
    // its own previous sample.
    const int ramped = std::min (n, set.rampRemaining);
    const bool rampEnds = ramped > 0 && ramped == set.rampRemaining;
    const auto run = [&set, sections, n, ramped, rampEnds] (int channels, double* x0, double* x1)
    {
        for (int s = 0; s < sections; ++s)
        {
            auto& stage0 = set.stages[0][(size_t) s];
            auto& stage1 = set.stages[1][(size_t) s];
            // An identity section at rest (the top section of a dynamic band's cheap design) is skipped.
            if (ramped == 0 && isRestingIdentity (stage0) && (channels == 1 || isRestingIdentity (stage1)))
                continue;
            auto c = stage0.getCoefficients();
            auto [a1, a2] = stage0.getState();
            auto [b1, b2] = stage1.getState();
            int i = 0;
            if (ramped > 0)
            {
                const auto& d = set.step[(size_t) s];
                for (; i < ramped; ++i)
                {
                    c.b0 += d.b0, c.b1 += d.b1, c.b2 += d.b2, c.a1 += d.a1, c.a2 += d.a2;
                    x0[i] = dsp::transposedDirectForm2 (c, x0[i], a1, a2);
                    if (channels == 2)
                        x1[i] = dsp::transposedDirectForm2 (c, x1[i], b1, b2);
                }
                if (rampEnds)
                    c = set.design.sections[(size_t) s];
                stage0.setCoefficients (c);
                stage1.setCoefficients (c);
            }
            if (channels == 2)
                for (; i < n; ++i)
                {
                    x0[i] = dsp::transposedDirectForm2 (c, x0[i], a1, a2);
                    x1[i] = dsp::transposedDirectForm2 (c, x1[i], b1, b2);
                }
            else
                for (; i < n; ++i)
                    x0[i] = dsp::transposedDirectForm2 (c, x0[i], a1, a2);
            stage1.setState (b1, b2);
            stage0.setState (a1, a2);
        }
    };

    double* mid = work.data() + 4 * interval;
    double* side = work.data() + 5 * interval;
    switch (set.config.channel)
    {
        case Channel::stereo:
            run (2, l, r);
            break;
        case Channel::left:
            run (1, l, nullptr);
            break;
        case Channel::right:
            run (1, r, nullptr);
            break;
        case Channel::mid:
        case Channel::side:
        {
            for (int i = 0; i < n; ++i)
            {
                mid[i] = 0.5 * (l[i] + r[i]);
                side[i] = 0.5 * (l[i] - r[i]);
            }
            run (1, set.config.channel == Channel::mid ? mid : side, nullptr);
            for (int i = 0; i < n; ++i)
            {
                l[i] = mid[i] + side[i];
                r[i] = mid[i] - side[i];
            }
            break;
        }
    }
    set.rampRemaining -= ramped;
}

size_t EqualiserModule::runStereoGroup (size_t first, double* l, double* r, int n) noexcept
{
    // Consecutive stereo bands without a crossfade run through all their sections at once,
    // rather than section by section over the block: a section's recursion waits on its own
    // previous output, and one section at a time leaves the core idle between those waits.
    // The group is a software pipeline (runSkewed(): section k works on sample t - k at step
    // t), so the steps of all sections are independent and run two sections (both channels)
    // to a four-double vector. Every section does exactly the arithmetic of applySet() in the
    // same order (multiplies and adds, no fused forms), so the output is bit-identical; only
    // the order in which independent sums are computed changes. A dynamic band's detector
    // reads the band's input, saved on the way; its envelope is only read at the next
    // sub-block, so it runs after the group.
    // Section k sits in vector k / 2, lanes 2 (k % 2) and 2 (k % 2) + 1 (left, right). Filled
    // lane by lane: building a per-section record array first cost as much as the filtering.
    SkewedGroup g;
    struct Origin
    {
        dsp::Biquad *left, *right;
        const dsp::BiquadCoefficients* target;
        bool ramps, rampEnds;
    };
    std::array<Origin, (size_t) numBands * dsp::maxEqSections> origins;
    int count = 0, tapAt = -1;
    bool anyRamp = false;
    Band* tapBand = nullptr;
    size_t next = first;
    for (; next < bands.size(); ++next)
    {
        auto& b = bands[next];
        if (! b.active)
            continue;
        auto& set = b.sets[(size_t) b.current];
        if (b.fadeRemaining > 0 || set.config.channel != Channel::stereo)
            break;
        if (set.config.dynamic && b.gainDb.value() != 0.0f)
        {
            if (tapBand != nullptr)
                break;
            tapBand = &b;
            tapAt = count;
        }
        const int ramped = std::min (n, set.rampRemaining);
        const bool rampEnds = ramped > 0 && ramped == set.rampRemaining;
        for (int s = 0; s < set.design.numSections; ++s)
        {
            auto& stage0 = set.stages[0][(size_t) s];
            auto& stage1 = set.stages[1][(size_t) s];
            if (ramped == 0 && isRestingIdentity (stage0) && isRestingIdentity (stage1))
                continue;
            const int k = count++, j = k / 2, lane = 2 * (k % 2);
            if (lane == 0)
                g.ramps[j] = false;
            const auto [a1, a2] = stage0.getState();
            const auto [b1, b2] = stage1.getState();
            const auto& c = stage0.getCoefficients();
            const auto put = [j, lane] (V4* field, double left, double right) { field[j][lane] = left, field[j][lane + 1] = right; };
            put (g.s1, a1, b1);
            put (g.s2, a2, b2);
            put (g.b0, c.b0, c.b0), put (g.b1, c.b1, c.b1), put (g.b2, c.b2, c.b2), put (g.a1, c.a1, c.a1), put (g.a2, c.a2, c.a2);
            origins[(size_t) k] = { &stage0, &stage1, &set.design.sections[(size_t) s], ramped > 0, rampEnds };
            if (ramped > 0)
            {
                const auto& d = set.step[(size_t) s];
                const auto& e = set.design.sections[(size_t) s];
                if (! g.ramps[j])
                {
                    // The vector's other section (if any) does not ramp: no steps, no ending.
                    for (int f = 0; f < 5; ++f)
                        g.step[f][j] = g.target[f][j] = V4 {};
                    g.rampLength[j] = g.rampEnds[j] = V4 {};
                }
                g.ramps[j] = true;
                anyRamp = true;
                put (g.step[0], d.b0, d.b0), put (g.step[1], d.b1, d.b1), put (g.step[2], d.b2, d.b2), put (g.step[3], d.a1, d.a1),
                    put (g.step[4], d.a2, d.a2);
                put (g.target[0], e.b0, e.b0), put (g.target[1], e.b1, e.b1), put (g.target[2], e.b2, e.b2), put (g.target[3], e.a1, e.a1),
                    put (g.target[4], e.a2, e.a2);
                put (g.rampLength, (double) ramped, (double) ramped);
                // All bits set (a NaN pattern, used as a mask only) where the ramp lands on the target.
                double ends = 0.0;
                if (rampEnds)
                {
                    const long long all = -1;
                    std::memcpy (&ends, &all, sizeof ends);
                }
                put (g.rampEnds, ends, ends);
            }
            else if (g.ramps[j])
            {
                for (int f = 0; f < 5; ++f)
                    put (g.step[f], 0.0, 0.0), put (g.target[f], 0.0, 0.0);
                put (g.rampLength, 0.0, 0.0);
                put (g.rampEnds, 0.0, 0.0);
            }
        }
        set.rampRemaining -= ramped;
    }

    double* tapL = work.data() + 2 * interval;
    double* tapR = work.data() + 3 * interval;
    if (count > 0)
    {
        g.vectors = (count + 1) / 2;
        if (count % 2 == 1)
        {
            // The pad: an identity section that never runs (its lanes are always held).
            const int j = count / 2;
            const auto pad = [j] (V4* field, double v) { field[j][2] = field[j][3] = v; };
            pad (g.s1, 0.0), pad (g.s2, 0.0), pad (g.b0, 1.0), pad (g.b1, 0.0), pad (g.b2, 0.0), pad (g.a1, 0.0), pad (g.a2, 0.0);
            if (g.ramps[j])
            {
                for (int f = 0; f < 5; ++f)
                    pad (g.step[f], 0.0), pad (g.target[f], 0.0);
                pad (g.rampLength, 0.0);
                pad (g.rampEnds, 0.0);
            }
        }
        if (anyRamp)
            runSkewed<true> (g, count, l, r, tapL, tapR, tapAt, n);
        else
            runSkewed<false> (g, count, l, r, tapL, tapR, tapAt, n);
    }
    if (tapAt == count && tapBand != nullptr) // a dynamic band whose sections all rest
        for (int i = 0; i < n; ++i)
            tapL[i] = l[i], tapR[i] = r[i];

    for (int k = 0; k < count; ++k)
    {
        const auto& o = origins[(size_t) k];
        const int j = k / 2, lane = 2 * (k % 2);
        if (o.ramps)
        {
            const auto c = o.rampEnds ? *o.target
                                      : dsp::BiquadCoefficients { g.b0[j][lane], g.b1[j][lane], g.b2[j][lane], g.a1[j][lane], g.a2[j][lane] };
            o.left->setCoefficients (c);
            o.right->setCoefficients (c);
        }
        o.left->setState (g.s1[j][lane], g.s2[j][lane]);
        o.right->setState (g.s1[j][lane + 1], g.s2[j][lane + 1]);
    }
    if (tapBand != nullptr)
        runDetector (*tapBand, tapL, tapR, n);
    return next;
}

void EqualiserModule::processChunk (float* left, float* right, int n) noexcept
{
    bool anyBand = false;
    for (const auto& b : bands)
        anyBand = anyBand || b.active;
    const bool gainMoves = outputSmoother.isSmoothing() || outputSmoother.value() != 1.0f;
    if (! anyBand && ! gainMoves)
        return; // neutral: not a bit changes

    double* l = work.data();
    double* r = l + interval;
    double* previousL = l + 2 * interval;
    double* previousR = l + 3 * interval;
    std::copy (left, left + n, l);
    std::copy (right, right + n, r);

    for (size_t index = 0; index < bands.size(); ++index)
    {
        auto& b = bands[index];
        if (! b.active)
            continue;
        auto& set = b.sets[(size_t) b.current];
        if (b.fadeRemaining == 0 && set.config.channel == Channel::stereo)
        {
            index = runStereoGroup (index, l, r, n) - 1;
            continue;
        }
        if (set.config.dynamic && b.gainDb.value() != 0.0f)
            runDetector (b, l, r, n);

        if (b.fadeRemaining > 0)
        {
            auto& old = b.sets[(size_t) (1 - b.current)];
            std::copy (l, l + n, previousL);
            std::copy (r, r + n, previousR);
            applySet (old, previousL, previousR, n);
            applySet (set, l, r, n);
            const double step = 1.0 / fadeLength;
            for (int i = 0; i < n; ++i)
            {
                // Smoothstep: no kink where the fade starts or ends, so nothing splatters.
                const double t = (b.fadePosition + i + 1) * step;
                const double w = t * t * (3.0 - 2.0 * t);
                l[i] = previousL[i] + w * (l[i] - previousL[i]);
                r[i] = previousR[i] + w * (r[i] - previousR[i]);
            }
            b.fadePosition += n;
            b.fadeRemaining -= n;
            if (b.fadeRemaining <= 0)
            {
                b.fadeRemaining = 0;
                old.design = {};
                old.clearState();
            }
        }
        else
        {
            applySet (set, l, r, n);
        }
    }

    if (gainMoves)
        for (int i = 0; i < n; ++i)
        {
            const double g = outputSmoother.next();
            l[i] *= g;
            r[i] *= g;
        }

    // Non-finite input must not live on in the filters' state: silence this stretch and start
    // the signal memory afresh.
    double probe = 0.0;
    for (int i = 0; i < n; ++i)
        probe += (l[i] - l[i]) + (r[i] - r[i]);
    if (! (probe == 0.0))
    {
        clearSignalState();
        std::fill (left, left + n, 0.0f);
        std::fill (right, right + n, 0.0f);
        return;
    }

    for (int i = 0; i < n; ++i)
    {
        left[i] = (float) l[i];
        right[i] = (float) r[i];
    }
}

void EqualiserModule::process (float* left, float* right, int numSamples) noexcept
{
    juce::ScopedNoDenormals noDenormals;
    readParameters();

    if (linearPhase)
    {
        if (linearPhaseDirty && convolver.readyForDesign())
        {
            designLinearPhase (false);
            linearPhaseDirty = false;
        }
        convolver.process (left, right, numSamples);
        if (outputSmoother.isSmoothing() || outputSmoother.value() != 1.0f)
            for (int i = 0; i < numSamples; ++i)
            {
                const float g = outputSmoother.next();
                left[i] *= g;
                right[i] *= g;
            }
        return;
    }

    int done = 0;
    while (done < numSamples)
    {
        if (position == 0)
            startSubBlock();
        const int n = std::min (numSamples - done, interval - position);
        processChunk (left + done, right + done, n);
        position += n;
        if (position == interval)
            position = 0;
        done += n;
    }
}

bool EqualiserModule::linearPhaseSnapshotChanged() noexcept
{
    bool changed = false;
    for (size_t i = 0; i < bands.size(); ++i)
    {
        const auto& b = bands[i];
        const auto c = configFromParameters (b);
        // Dynamic bands rest at the gain they have below the threshold.
        const double gain = c.dynamic ? std::max (0.0, (double) b.gain->get()) : (double) b.gain->get();
        const auto s = settingsFor (c, b.frequency->get(), gain, b.q->get());
        auto& old = linearPhaseSnapshot[i];
        if (s.type != old.type || s.frequencyHz != old.frequencyHz || s.gainDb != old.gainDb || s.q != old.q
            || s.slopeDbPerOctave != old.slopeDbPerOctave || c.channel != linearPhaseChannels[i])
        {
            old = s;
            linearPhaseChannels[i] = c.channel;
            changed = true;
        }
    }
    return changed;
}

void EqualiserModule::designLinearPhase (bool immediately) noexcept
{
    std::array<dsp::AnalogEqResponse, numBands> responses {};
    std::array<Channel, numBands> channels {};
    int count = 0;
    bool allStereo = true, diagonal = true;
    for (size_t i = 0; i < bands.size(); ++i)
    {
        if (dsp::isIdentity (linearPhaseSnapshot[i]))
            continue;
        responses[(size_t) count] = dsp::AnalogEqResponse (linearPhaseSnapshot[i]);
        channels[(size_t) count] = linearPhaseChannels[i];
        allStereo = allStereo && channels[(size_t) count] == Channel::stereo;
        diagonal = diagonal
            && (channels[(size_t) count] == Channel::stereo || channels[(size_t) count] == Channel::left
                || channels[(size_t) count] == Channel::right);
        ++count;
    }

    using Layout = dsp::LinearPhaseConvolver::Layout;
    if (count == 0)
    {
        convolver.commitDesign (Layout::identity, immediately);
        return;
    }

    const int bins = convolver.designSize() / 2 + 1;
    const double binWidth = sampleRate / convolver.designSize();
    double* s00 = convolver.designSpectrum (0, 0);
    double* s01 = convolver.designSpectrum (0, 1);
    double* s10 = convolver.designSpectrum (1, 0);
    double* s11 = convolver.designSpectrum (1, 1);

    for (int k = 0; k < bins; ++k)
    {
        const double f = k * binWidth;
        // The bands' zero-phase responses as 2x2 matrices (left/right), multiplied in band
        // order, exactly as the minimum-phase chain applies them.
        double m00 = 1.0, m01 = 0.0, m10 = 0.0, m11 = 1.0;
        for (int i = 0; i < count; ++i)
        {
            const double h = std::sqrt (responses[(size_t) i].magnitudeSquared (f));
            switch (channels[(size_t) i])
            {
                case Channel::stereo:
                    m00 *= h, m01 *= h, m10 *= h, m11 *= h;
                    break;
                case Channel::left:
                    m00 *= h, m01 *= h;
                    break;
                case Channel::right:
                    m10 *= h, m11 *= h;
                    break;
                case Channel::mid:
                case Channel::side:
                {
                    // mid: 1/2 [[h+1, h-1], [h-1, h+1]]; side: the same with 1 and h swapped.
                    const bool mid = channels[(size_t) i] == Channel::mid;
                    const double d = 0.5 * (h + 1.0), o = mid ? 0.5 * (h - 1.0) : 0.5 * (1.0 - h);
                    const double n00 = d * m00 + o * m10, n01 = d * m01 + o * m11;
                    const double n10 = o * m00 + d * m10, n11 = o * m01 + d * m11;
                    m00 = n00, m01 = n01, m10 = n10, m11 = n11;
                    break;
                }
            }
        }
        s00[k] = m00;
        s01[k] = m01;
        s10[k] = m10;
        s11[k] = m11;
    }
    convolver.commitDesign (allStereo ? Layout::shared : (diagonal ? Layout::diagonal : Layout::full), immediately);
}

} // namespace crest::engine
