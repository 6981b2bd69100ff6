#include "dsp/ReproducibleFloat.h" // first: see there

#include "engine/ImagerModule.h"

#include "dsp/VectorDispatch.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

namespace crest::engine
{
namespace
{
    using specs::choice;
    using specs::number;
    using specs::toggle;

    constexpr double rampSeconds = 0.02;
    constexpr double pi = 3.14159265358979323846;

    // Section Qs of a 4th-order Butterworth: 1 / (2 cos (pi / 8)) and 1 / (2 cos (3 pi / 8)).
    constexpr double butterworth4Q[2] = { 0.54119610014619698, 1.3065629648763766 };

    double dbToGain (double db)
    {
        return std::pow (10.0, db / 20.0);
    }

    using dsp::vec::M4;
    using dsp::vec::V4;

    /** The smoothed values the kernel applies, fixed over one call. */
    struct Settings
    {
        double widths[4];
        double mono, midGain, sideGain;
    };

    /** The imager after its crossover, over n records of (mid, side) bands: weighted band sums,
        the mono-below filters (four steps; lanes: mid all-pass, unused, side all-pass, side
        low-pass) and the balance, written to left and right as L = m + s, R = m - s.

        Software-pipelined: iteration t runs filter step d on sample t - d, deepest first, so
        that the four steps of one iteration do not wait on each other. The first and last
        iterations of a call run only the steps that have a sample, so every sample is
        finished within the call (no latency) and each step sees the same samples in the same
        order whatever the block size. */
    template <bool direct>
    CREST_WIDE_VECTOR_CLONES void runImager (const dsp::SectionStep* steps, dsp::SectionState* states, const double* records,
        float* left, float* right, int n, const Settings& p) noexcept
    {
        constexpr int numSteps = 4;
        V4 s1[numSteps], s2[numSteps];
        for (int k = 0; k < numSteps; ++k)
        {
            std::memcpy (&s1[k], states[k].s1, sizeof (V4));
            std::memcpy (&s2[k], states[k].s2, sizeof (V4));
        }
        const auto step = [&steps, &s1, &s2] (int k, const V4& x)
        {
            if constexpr (direct)
                return steps[k].direct (s1[k], s2[k], x);
            else
                return steps[k].stateVariable (s1[k], s2[k], x);
        };

        // Records hold bands 0 and 1 of the mid, of the side, then bands 2 and 3 likewise: the
        // mid is summed as it is, the side weighted by the widths.
        const V4 weights01 { 1.0, 1.0, p.widths[0], p.widths[1] }, weights23 { 1.0, 1.0, p.widths[2], p.widths[3] };
        const V4 outputWeights { p.midGain, 0.0, p.sideGain, -p.mono * p.sideGain };
        V4 x0 {}, x1 {}, x2 {};
        const auto iteration = [&] (int t, auto guarded)
        {
            const auto valid = [t, n] (int d) { return ! decltype (guarded)::value || (t - d >= 0 && t - d < n); };
            if (valid (3))
            {
                // Mid gain on the mid; on the side, high-pass = all-pass - low-pass, and fading
                // the low-pass out of it fades mono in.
                const V4 w = step (3, x2) * outputWeights; // m, 0, s all-pass, -s low-pass
                const V4 h = w + dsp::vec::shuffle (w, M4 { 1, 0, 3, 2 }); // m, m, s, s
                const double m = h[0], s = h[2];
                left[t - 3] = (float) (m + s);
                right[t - 3] = (float) (m - s);
            }
            if (valid (2))
                x2 = step (2, x1);
            if (valid (1))
                x1 = step (1, x0);
            if (valid (0))
            {
                V4 r0, r1;
                std::memcpy (&r0, records + (size_t) t * 8, sizeof (V4));
                std::memcpy (&r1, records + (size_t) t * 8 + 4, sizeof (V4));
                const V4 sums = r0 * weights01 + r1 * weights23;
                x0 = step (0, sums + dsp::vec::shuffle (sums, M4 { 1, 0, 3, 2 })); // m, m, s, s
            }
        };

        constexpr int depth = numSteps - 1;
        const int fill = std::min (depth, n);
        for (int t = 0; t < fill; ++t)
            iteration (t, std::true_type {});
        for (int t = fill; t < n; ++t)
            iteration (t, std::false_type {});
        for (int t = std::max (fill, n); t < n + depth; ++t)
            iteration (t, std::true_type {});

        for (int k = 0; k < numSteps; ++k)
        {
            std::memcpy (states[k].s1, &s1[k], sizeof (V4));
            std::memcpy (states[k].s2, &s2[k], sizeof (V4));
        }
    }
} // namespace

const ParameterTable& ImagerModule::parameterSpecs()
{
    namespace id = ids::imager;
    static const ParameterTable table = []
    {
        std::vector<ParameterSpec> list {
            choice (id::bandCount, "Bands", { "1", "2", "3", "4" }, 0),
            number (ids::crossover (0), "Crossover 1", "Hz", 20.0f, 16000.0f, 250.0f),
            number (ids::crossover (1), "Crossover 2", "Hz", 20.0f, 16000.0f, 2000.0f),
            number (ids::crossover (2), "Crossover 3", "Hz", 20.0f, 16000.0f, 8000.0f),
            number (id::balance, "Mid/side balance (+ lowers side, - lowers mid)", "dB", -12.0f, 12.0f, 0.0f),
            toggle (id::monoBelow, "Mono below"),
            number (id::monoBelowFrequency, "Mono below frequency", "Hz", 20.0f, 300.0f, 150.0f),
        };
        for (int b = 0; b < maxBands; ++b)
            list.push_back (
                number (ids::band (b, id::width), "Band " + std::to_string (b + 1) + " width", "%", 0.0f, 200.0f, 100.0f));
        return ParameterTable (std::move (list));
    }();
    return table;
}

ImagerModule::ImagerModule()
    : Module (parameterSpecs()), bandsChoice (parameter (ids::imager::bandCount)), crossover1 (parameter (ids::crossover (0))),
      crossover2 (parameter (ids::crossover (1))), crossover3 (parameter (ids::crossover (2))),
      balance (parameter (ids::imager::balance)), monoBelow (parameter (ids::imager::monoBelow)),
      monoBelowHz (parameter (ids::imager::monoBelowFrequency))
{
    for (int b = 0; b < maxBands; ++b)
        width[(size_t) b] = &parameter (ids::band (b, ids::imager::width));
}

std::array<float, 3> ImagerModule::crossoverFrequencies() const noexcept
{
    return { crossover1.get(), crossover2.get(), crossover3.get() };
}

float ImagerModule::subBandWidth (int index) const noexcept
{
    // With fewer bands, the top sub-bands take the last band's width (their crossovers then
    // sum to an all-pass and are inaudible).
    return width[(size_t) std::min (index, activeBands() - 1)]->get() * 0.01f;
}

bool ImagerModule::neutral() const noexcept
{
    for (int b = 0; b < activeBands(); ++b)
        if (width[(size_t) b]->get() != 100.0f)
            return false;
    return balance.get() == 0.0f && monoBelow.getIndex() == 0;
}

void ImagerModule::prepare (double rate, int)
{
    sampleRate = rate;
    monoTargetHz = -1.0f; // its logarithm depends on the rate's limit
    crossover.prepare (rate, 2, maxBands, dsp::Crossover::Type::linkwitzRiley, crossoverFrequencies());
    for (auto& w : subBandWidths)
        w.prepare (rate, rampSeconds, 1.0f);
    for (auto* s : { &midGain, &sideGain, &monoAmount, &monoLog2, &engaged })
        s->prepare (rate, rampSeconds, 0.0f);

    midSide.assign ((size_t) (2 * chunkSize), 0.0f);
    records.assign ((size_t) (chunkSize * dsp::Crossover::recordSize), 0.0);
    reset();
}

void ImagerModule::reset() noexcept
{
    setTargets (true);
    engaged.reset (neutral() ? 0.0f : 1.0f);
    resetFilters();
}

void ImagerModule::resetFilters() noexcept
{
    crossover.reset();
    for (auto& state : monoStates)
        state = dsp::SectionState {};
    monoDirect = true;
    untilFlush = flushInterval;
}

void ImagerModule::setTargets (bool jump) noexcept
{
    const auto set = [jump] (dsp::LinearSmoother& s, double v)
    {
        if (jump)
            s.reset ((float) v);
        else
            s.setTarget ((float) v);
    };

    crossover.setFrequencies (crossoverFrequencies());
    for (int j = 0; j < maxBands; ++j)
        set (subBandWidths[(size_t) j], subBandWidth (j));

    const double b = balance.get();
    set (midGain, b < 0.0 ? dbToGain (b) : 1.0);
    set (sideGain, b > 0.0 ? dbToGain (-b) : 1.0);
    set (monoAmount, monoBelow.getIndex() != 0 ? 1.0 : 0.0);
    const float monoHz = monoBelowHz.get();
    if (monoHz != monoTargetHz)
    {
        // A logarithm only when the value moves, not at every block.
        monoTargetHz = monoHz;
        monoTargetLog2 = std::log2 (std::min ((double) monoHz, 0.45 * sampleRate));
    }
    set (monoLog2, monoTargetLog2);
    if (jump)
    {
        crossover.reset();
        updateMonoFilters (std::exp2 ((double) monoLog2.value()));
    }
}

void ImagerModule::updateMonoFilters (double frequency) noexcept
{
    using Output = dsp::StateVariableSection::Output;
    const auto q1 = dsp::StateVariableSection::design (sampleRate, frequency, butterworth4Q[0]);
    const auto q2 = dsp::StateVariableSection::design (sampleRate, frequency, butterworth4Q[1]);
    // Lane 0, mid: all-pass q1, q2. Lane 2, side: all-pass q1, q2 (the all-pass the low-pass
    // plus high-pass sum to); lane 3, side: low-pass q1, q2, q1, q2. Lane 1 and the rest pass
    // through.
    monoFilters[0].setLane (0, q1, Output::allPass);
    monoFilters[0].setLane (2, q1, Output::allPass);
    monoFilters[0].setLane (3, q1, Output::low);
    monoFilters[1].setLane (0, q2, Output::allPass);
    monoFilters[1].setLane (2, q2, Output::allPass);
    monoFilters[1].setLane (3, q2, Output::low);
    monoFilters[2].setLane (3, q1, Output::low);
    monoFilters[3].setLane (3, q2, Output::low);
}

void ImagerModule::process (float* left, float* right, int numSamples) noexcept
{
    const bool wantNeutral = neutral();
    if (wantNeutral && engaged.value() == 0.0f && ! engaged.isSmoothing())
        return; // bit-exact

    if (! wantNeutral && engaged.value() == 0.0f && ! engaged.isSmoothing())
    {
        // Leaving neutral: the processed path starts from clean filters at its settings, and
        // the engage crossfade brings it in, so nothing needs to glide inside it.
        setTargets (true);
        resetFilters();
    }
    else
    {
        setTargets (false);
    }
    engaged.setTarget (wantNeutral ? 0.0f : 1.0f);

    for (int offset = 0; offset < numSamples; offset += chunkSize)
        processChunk (left + offset, right + offset, std::min (chunkSize, numSamples - offset));
}

void ImagerModule::processChunk (float* left, float* right, int n) noexcept
{
    float* mid = midSide.data();
    float* side = mid + chunkSize;
    for (int i = 0; i < n; ++i)
    {
        mid[i] = 0.5f * (left[i] + right[i]);
        side[i] = 0.5f * (left[i] - right[i]);
    }
    const float* input[2] = { mid, side };
    crossover.processRecords (input, records.data(), n);

    bool gliding = engaged.isSmoothing() || engaged.value() != 1.0f || midGain.isSmoothing() || sideGain.isSmoothing()
        || monoAmount.isSmoothing() || monoLog2.isSmoothing();
    for (const auto& w : subBandWidths)
        gliding = gliding || w.isSmoothing();

    if (! gliding)
    {
        // Every value steady: one call for the chunk.
        setMonoForm (true);
        Settings p;
        for (int j = 0; j < maxBands; ++j)
            p.widths[j] = subBandWidths[(size_t) j].value();
        p.mono = monoAmount.value();
        p.midGain = midGain.value();
        p.sideGain = sideGain.value();
        for (int done = 0; done < n;)
        {
            const int take = std::min (n - done, untilFlush);
            runImager<true> (monoFilters, monoStates, records.data() + (size_t) done * dsp::Crossover::recordSize, left + done,
                right + done, take, p);
            done += take;
            countFlush (take);
        }
    }
    else
    {
        processGliding (left, right, n);
    }
}

void ImagerModule::countFlush (int samples) noexcept
{
    // Denormal flushes at fixed sample counts since the last reset, independent of block sizes.
    untilFlush -= samples;
    if (untilFlush == 0)
    {
        for (auto& state : monoStates)
            state.flushDenormals();
        untilFlush = flushInterval;
    }
}

void ImagerModule::setMonoForm (bool direct) noexcept
{
    // Converted under the coefficients the filters ran with: before a glide's first update,
    // after its last.
    if (monoDirect == direct)
        return;
    for (int k = 0; k < monoSteps; ++k)
        monoStates[k].convert (monoFilters[k], direct);
    monoDirect = direct;
}

void ImagerModule::processGliding (float* left, float* right, int n) noexcept
{
    // Sample by sample, each with its own values; the mono-below filters in state-variable
    // form while their frequency moves.
    for (int i = 0; i < n; ++i)
    {
        Settings p;
        for (int j = 0; j < maxBands; ++j)
            p.widths[j] = subBandWidths[(size_t) j].next();
        if (monoLog2.isSmoothing())
        {
            setMonoForm (false);
            updateMonoFilters (std::exp2 ((double) monoLog2.next()));
        }
        else
        {
            setMonoForm (true);
        }
        p.mono = monoAmount.next();
        p.midGain = midGain.next();
        p.sideGain = sideGain.next();

        const double dryL = left[i], dryR = right[i];
        const double* r = records.data() + (size_t) i * dsp::Crossover::recordSize;
        if (monoDirect)
            runImager<true> (monoFilters, monoStates, r, left + i, right + i, 1, p);
        else
            runImager<false> (monoFilters, monoStates, r, left + i, right + i, 1, p);
        const float e = engaged.next();
        if (e < 1.0f)
        {
            const double wetL = left[i], wetR = right[i];
            const double q = 0.5 - 0.5 * std::cos (pi * e);
            left[i] = (float) (dryL + q * (wetL - dryL));
            right[i] = (float) (dryR + q * (wetR - dryR));
        }
        countFlush (1);
    }
}

} // namespace crest::engine
