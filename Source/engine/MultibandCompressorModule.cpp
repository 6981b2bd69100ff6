#include "engine/MultibandCompressorModule.h"

#include <juce_audio_basics/juce_audio_basics.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace crest::engine
{
namespace
{
    using specs::choice;
    using specs::number;
    using specs::toggle;

    constexpr double rampSeconds = 0.02; // band count changes, solo: long enough not to click

    constexpr float defaultAttackMs[] = { 30.0f, 20.0f, 10.0f, 5.0f };
    constexpr float defaultReleaseMs[] = { 300.0f, 200.0f, 150.0f, 100.0f };
} // namespace

const ParameterTable& MultibandCompressorModule::parameterSpecs()
{
    namespace id = ids::multiband;
    static const ParameterTable table = []
    {
        std::vector<ParameterSpec> list {
            choice (id::bandCount, "Bands", { "2", "3", "4" }, 2),
            number (ids::crossover (0), "Crossover 1", "Hz", 20.0f, 16000.0f, 120.0f),
            number (ids::crossover (1), "Crossover 2", "Hz", 20.0f, 16000.0f, 1000.0f),
            number (ids::crossover (2), "Crossover 3", "Hz", 20.0f, 16000.0f, 6000.0f),
            toggle (id::linearPhase, "Linear phase", true),
            number (id::knee, "Knee", "dB", 0.0f, 24.0f, 6.0f),
            choice (id::detection, "Detection", { "peak", "rms" }, 0),
            toggle (id::autoRelease, "Auto release"),
            number (id::stereoLink, "Stereo link", "%", 0.0f, 100.0f, 100.0f),
            choice (id::mode, "Channels", { "stereo", "mid_side" }, 0),
            number (id::mix, "Mix", "%", 0.0f, 100.0f, 100.0f),
        };
        for (int b = 0; b < maxBands; ++b)
        {
            const std::string name = "Band " + std::to_string (b + 1) + " ";
            list.push_back (number (ids::band (b, id::threshold), name + "threshold", "dB", -60.0f, 0.0f, -18.0f));
            list.push_back (number (ids::band (b, id::ratio), name + "ratio", ":1", 1.0f, 20.0f, 1.0f));
            list.push_back (number (ids::band (b, id::attack), name + "attack", "ms", 0.1f, 300.0f, defaultAttackMs[b]));
            list.push_back (number (ids::band (b, id::release), name + "release", "ms", 5.0f, 3000.0f, defaultReleaseMs[b]));
            list.push_back (number (ids::band (b, id::makeup), name + "makeup gain", "dB", -12.0f, 24.0f, 0.0f));
            list.push_back (toggle (ids::band (b, id::solo), name + "solo"));
            list.push_back (toggle (ids::band (b, id::bypass), name + "bypass"));
        }
        return ParameterTable (std::move (list));
    }();
    return table;
}

MultibandCompressorModule::MultibandCompressorModule()
    : Module (parameterSpecs()), bandsChoice (parameter (ids::multiband::bandCount)), crossover1 (parameter (ids::crossover (0))),
      crossover2 (parameter (ids::crossover (1))), crossover3 (parameter (ids::crossover (2))),
      linearPhase (parameter (ids::multiband::linearPhase)), knee (parameter (ids::multiband::knee)),
      detection (parameter (ids::multiband::detection)), autoRelease (parameter (ids::multiband::autoRelease)),
      stereoLink (parameter (ids::multiband::stereoLink)), mode (parameter (ids::multiband::mode)),
      mix (parameter (ids::multiband::mix))
{
    namespace id = ids::multiband;
    for (int b = 0; b < maxBands; ++b)
    {
        auto& p = bandParameters[(size_t) b];
        p.threshold = &parameter (ids::band (b, id::threshold));
        p.ratio = &parameter (ids::band (b, id::ratio));
        p.attack = &parameter (ids::band (b, id::attack));
        p.release = &parameter (ids::band (b, id::release));
        p.makeup = &parameter (ids::band (b, id::makeup));
        p.solo = &parameter (ids::band (b, id::solo));
        p.bypass = &parameter (ids::band (b, id::bypass));
    }
}

std::array<float, 3> MultibandCompressorModule::crossoverFrequencies() const noexcept
{
    return { crossover1.get(), crossover2.get(), crossover3.get() };
}

dsp::DynamicsSettings MultibandCompressorModule::bandSettings (int b) const noexcept
{
    const auto& p = bandParameters[(size_t) b];
    dsp::DynamicsSettings s;
    s.thresholdDb = p.threshold->get();
    s.ratio = p.ratio->get();
    s.kneeDb = knee.get();
    s.attackMs = p.attack->get();
    s.releaseMs = p.release->get();
    s.autoRelease = autoRelease.getIndex() != 0;
    s.makeupDb = p.makeup->get();
    s.detection = detection.getIndex() == 1 ? dsp::DetectionMode::rms : dsp::DetectionMode::peak;
    s.stereoLinkPct = stereoLink.get();
    s.stereoMode = mode.getIndex() == 1 ? dsp::StereoMode::midSide : dsp::StereoMode::stereo;
    s.sidechainHighPassHz = 0.0f; // each band is band-limited already
    // Bypass fades the band's compressor to its dry band (through the processor's mix glide).
    s.mixPct = p.bypass->getIndex() != 0 ? 0.0f : mix.get();
    return s;
}

void MultibandCompressorModule::prepare (double rate, int)
{
    sampleRate = rate;
    crossover.prepare (rate, 2, maxBands,
        linearPhase.getIndex() != 0 ? dsp::Crossover::Type::linearPhase : dsp::Crossover::Type::linkwitzRiley,
        crossoverFrequencies());
    for (int b = 0; b < maxBands; ++b)
    {
        processors[(size_t) b].prepare (rate, bandSettings (b));
        soloGain[(size_t) b].prepare (rate, rampSeconds, 1.0f);
    }
    engaged.prepare (rate, rampSeconds, 0.0f);
    weightRampLength = std::max (1, (int) (rate * rampSeconds));

    scratch.assign ((size_t) ((2 * maxBands + 1) * 2 * chunkSize), 0.0f);
    records.assign ((size_t) (chunkSize * dsp::Crossover::recordSize), 0.0);
    for (int b = 0; b < maxBands; ++b)
        for (int c = 0; c < 2; ++c)
        {
            subBand[b][c] = scratch.data() + (size_t) ((b * 2 + c) * chunkSize);
            band[b][c] = scratch.data() + (size_t) (((maxBands + b) * 2 + c) * chunkSize);
        }
    for (int c = 0; c < 2; ++c)
    {
        dry[c] = scratch.data() + (size_t) ((4 * maxBands + c) * chunkSize);
        dryDelay[c].assign ((size_t) std::max (1, crossover.latencySamples()), 0.0f);
    }
    reset();
}

void MultibandCompressorModule::reset() noexcept
{
    crossover.setFrequencies (crossoverFrequencies());
    crossover.reset();
    for (int b = 0; b < maxBands; ++b)
    {
        processors[(size_t) b].setSettings (bandSettings (b));
        processors[(size_t) b].reset();
        bandReduction[(size_t) b].store (0.0f, std::memory_order_relaxed);
    }
    updateTargets (true);
    engaged.reset (neutral() ? 0.0f : 1.0f);
    for (auto& d : dryDelay)
        std::fill (d.begin(), d.end(), 0.0f);
    dryPosition = 0;
    samplesSinceReset = 0;
    fast = false;
    reduction.store (0.0f, std::memory_order_relaxed);
}

bool MultibandCompressorModule::neutral() const noexcept
{
    for (int b = 0; b < activeBands(); ++b)
    {
        const auto& p = bandParameters[(size_t) b];
        if (p.solo->getIndex() != 0)
            return false;
        if (p.bypass->getIndex() == 0 && (p.ratio->get() != 1.0f || p.makeup->get() != 0.0f))
            return false;
    }
    return true;
}

void MultibandCompressorModule::updateTargets (bool jump) noexcept
{
    const int bands = activeBands();
    if (jump || bands != assignedBands)
    {
        // Sub-band j feeds band min (j, bands - 1): the top bands merge into the last one.
        for (int k = 0; k < maxBands; ++k)
            for (int j = 0; j < maxBands; ++j)
            {
                const float target = std::min (j, bands - 1) == k ? 1.0f : 0.0f;
                if (jump)
                {
                    weights[k][j] = target;
                    weightSteps[k][j] = 0.0f;
                }
                else
                {
                    weightSteps[k][j] = (target - weights[k][j]) / (float) weightRampLength;
                }
            }
        weightRampRemaining = jump ? 0 : weightRampLength;
        assignedBands = bands;
    }

    bool anySolo = false;
    for (int b = 0; b < bands; ++b)
        anySolo = anySolo || bandParameters[(size_t) b].solo->getIndex() != 0;
    for (int b = 0; b < maxBands; ++b)
    {
        const bool audible = ! anySolo || (b < bands && bandParameters[(size_t) b].solo->getIndex() != 0);
        if (jump)
            soloGain[(size_t) b].reset (audible ? 1.0f : 0.0f);
        else
            soloGain[(size_t) b].setTarget (audible ? 1.0f : 0.0f);
    }
}

float MultibandCompressorModule::bandGainReductionDb (int b) const noexcept
{
    return b >= 0 && b < maxBands ? bandReduction[(size_t) b].load (std::memory_order_relaxed) : 0.0f;
}

void MultibandCompressorModule::process (float* left, float* right, int numSamples) noexcept
{
    // Tails decay through the denormal range; flush them here, as the equaliser does, so the
    // module is as fast and as clean alone as inside a chain (which flushes too).
    juce::ScopedNoDenormals noDenormals;
    crossover.setFrequencies (crossoverFrequencies());
    for (int b = 0; b < maxBands; ++b)
        processors[(size_t) b].setSettings (bandSettings (b));
    updateTargets (false);
    engaged.setTarget (neutral() ? 0.0f : 1.0f);
    // A change that starts a glide ends the fast path at once (the general path then runs to
    // the next decision point).
    if (fast && ! steady())
        fast = false;

    float largest[maxBands] = {};
    for (int offset = 0; offset < numSamples; offset += chunkSize)
        processChunk (left + offset, right + offset, std::min (chunkSize, numSamples - offset), largest);

    const int bands = activeBands();
    float overall = 0.0f;
    for (int b = 0; b < maxBands; ++b)
    {
        const bool shown = b < bands && bandParameters[(size_t) b].bypass->getIndex() == 0;
        bandReduction[(size_t) b].store (shown ? largest[b] : 0.0f, std::memory_order_relaxed);
        if (shown)
            overall = std::max (overall, largest[b]);
    }
    reduction.store (overall, std::memory_order_relaxed);
}

bool MultibandCompressorModule::steady() const noexcept
{
    if (weightRampRemaining > 0 || engaged.isSmoothing() || engaged.value() != 1.0f)
        return false;
    for (const auto& g : soloGain)
        if (g.isSmoothing() || g.value() != 1.0f)
            return false;
    const std::array<const dsp::DynamicsProcessor*, maxBands> group { &processors[0], &processors[1], &processors[2],
        &processors[3] };
    return dsp::DynamicsProcessor::canProcessBandSum (group.data());
}

void MultibandCompressorModule::processChunk (float* left, float* right, int n, float* largest) noexcept
{
    // The input, delayed as the bands are.
    const int delay = crossover.latencySamples();
    float* io[2] = { left, right };
    for (int c = 0; c < 2; ++c)
    {
        if (delay == 0)
        {
            std::copy (io[c], io[c] + n, dry[c]);
            continue;
        }
        auto& line = dryDelay[c];
        int position = dryPosition;
        for (int i = 0; i < n; ++i)
        {
            dry[c][i] = line[(size_t) position];
            line[(size_t) position] = io[c][i];
            if (++position == delay)
                position = 0;
        }
    }
    if (delay > 0)
        dryPosition = (dryPosition + n) % delay;

    int done = 0;
    while (done < n)
    {
        const int sinceDecision = (int) (samplesSinceReset % decisionInterval);
        if (! fast && sinceDecision == 0)
            fast = steady();
        // The fast path runs on until a change stops it; the general one to the next decision.
        const int take = fast ? n - done : std::min (n - done, decisionInterval - sinceDecision);
        if (fast)
            processSteady (left + done, right + done, dry[0] + done, dry[1] + done, take);
        else
            processGeneral (left + done, right + done, dry[0] + done, dry[1] + done, take);
        samplesSinceReset += take;
        done += take;
        for (int b = 0; b < maxBands; ++b)
            largest[b] = std::max (largest[b], processors[(size_t) b].gainReductionDb());
    }
}

void MultibandCompressorModule::processSteady (
    float* left, float* right, const float* dryLeft, const float* dryRight, int n) noexcept
{
    const float* input[2] = { left, right };
    crossover.processRecords (input, records.data(), n);

    // Fewer than four bands: the top sub-bands merge into the last band.
    constexpr int size = dsp::Crossover::recordSize;
    if (assignedBands < maxBands)
    {
        const int last = assignedBands - 1;
        for (int i = 0; i < n; ++i)
        {
            double* r = records.data() + (size_t) i * size;
            for (int j = last + 1; j < maxBands; ++j)
            {
                for (int c = 0; c < 2; ++c)
                {
                    r[dsp::Crossover::recordIndex (last, c)] += r[dsp::Crossover::recordIndex (j, c)];
                    r[dsp::Crossover::recordIndex (j, c)] = 0.0;
                }
            }
        }
    }

    std::array<dsp::DynamicsProcessor*, maxBands> group { &processors[0], &processors[1], &processors[2], &processors[3] };
    if (! dsp::DynamicsProcessor::processBandSum (group.data(), records.data(), left, right, n))
    {
        // Cannot happen while steady() holds; stay correct regardless.
        fast = false;
        processGeneral (left, right, dryLeft, dryRight, n);
    }
}

void MultibandCompressorModule::processGeneral (
    float* left, float* right, const float* dryLeft, const float* dryRight, int n) noexcept
{
    const float* dryIn[2] = { dryLeft, dryRight };
    const float* input[2] = { left, right };
    float* const* subs[maxBands] = { subBand[0], subBand[1], subBand[2], subBand[3] };
    crossover.process (input, subs, n);

    // Sub-bands to bands.
    for (int k = 0; k < maxBands; ++k)
        for (int c = 0; c < 2; ++c)
            std::fill (band[k][c], band[k][c] + n, 0.0f);

    int i = 0;
    for (; i < n && weightRampRemaining > 0; ++i, --weightRampRemaining)
    {
        for (int k = 0; k < maxBands; ++k)
            for (int j = 0; j < maxBands; ++j)
            {
                // The last step lands exactly on the targets, whatever rounding did on the way.
                weights[k][j] = weightRampRemaining == 1 ? (std::min (j, assignedBands - 1) == k ? 1.0f : 0.0f)
                                                         : weights[k][j] + weightSteps[k][j];
                band[k][0][i] += weights[k][j] * subBand[j][0][i];
                band[k][1][i] += weights[k][j] * subBand[j][1][i];
            }
    }
    if (i < n)
    {
        // Settled: every sub-band belongs to exactly one band.
        for (int j = 0; j < maxBands; ++j)
        {
            const int k = std::min (j, assignedBands - 1);
            for (int c = 0; c < 2; ++c)
                for (int s = i; s < n; ++s)
                    band[k][c][s] += subBand[j][c][s];
        }
    }

    for (int k = 0; k < maxBands; ++k)
        processors[(size_t) k].process (band[k][0], band[k][1], n);

    bool soloSmoothing = false;
    for (const auto& g : soloGain)
        soloSmoothing = soloSmoothing || g.isSmoothing() || g.value() != 1.0f;

    for (int s = 0; s < n; ++s)
    {
        float l = 0.0f, r = 0.0f;
        if (soloSmoothing)
        {
            for (int k = 0; k < maxBands; ++k)
            {
                const float g = soloGain[(size_t) k].next();
                l += g * band[k][0][s];
                r += g * band[k][1][s];
            }
        }
        else
        {
            l = band[0][0][s] + band[1][0][s] + band[2][0][s] + band[3][0][s];
            r = band[0][1][s] + band[1][1][s] + band[2][1][s] + band[3][1][s];
        }
        left[s] = l;
        right[s] = r;
    }

    if (! engaged.isSmoothing() && engaged.value() == 1.0f)
        return;
    if (! engaged.isSmoothing() && engaged.value() == 0.0f)
    {
        std::copy (dryIn[0], dryIn[0] + n, left);
        std::copy (dryIn[1], dryIn[1] + n, right);
        return;
    }
    for (int s = 0; s < n; ++s)
    {
        const double p = 0.5 - 0.5 * std::cos (3.14159265358979323846 * engaged.next());
        left[s] = (float) (dryIn[0][s] + p * (left[s] - dryIn[0][s]));
        right[s] = (float) (dryIn[1][s] + p * (right[s] - dryIn[1][s]));
    }
}

} // namespace crest::engine
