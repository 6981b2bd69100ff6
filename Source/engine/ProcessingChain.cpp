#include "engine/ProcessingChain.h"

#include "engine/ModuleIds.h"
#include "engine/PluginSlots.h"

#include <juce_audio_basics/juce_audio_basics.h>

#include <algorithm>
#include <cmath>

namespace crest::engine
{

ProcessingChain::~ProcessingChain() = default;

std::unique_ptr<ProcessingChain> ProcessingChain::build (const ChainDescription& description, double rate, int blockSize,
                                                         std::string& error)
{
    std::unique_ptr<ProcessingChain> chain (new ProcessingChain());
    chain->sampleRate = rate;
    chain->maxBlockSize = blockSize;
    chain->built = description;
    chain->dryLeft.assign ((size_t) blockSize, 0.0f);
    chain->dryRight.assign ((size_t) blockSize, 0.0f);

    for (const auto& d : description.modules)
    {
        auto slot = std::make_unique<Slot>();
        slot->id = d.id;
        std::string note; // a missing plugin becomes a pass-through placeholder (missingPlugins() names it)
        slot->module = createModuleFor (d, note);
        if (slot->module == nullptr)
        {
            error = "module '" + d.id + "': unknown type '" + d.type + "'";
            return nullptr;
        }
        for (const auto& [paramId, value] : d.params)
        {
            auto* p = slot->module->findParameter (paramId);
            if (p == nullptr)
            {
                error = "module '" + d.id + "': unknown parameter '" + paramId + "'";
                return nullptr;
            }
            if (const auto problem = p->spec().validate (value); ! problem.empty())
            {
                error = "module '" + d.id + "': parameter '" + paramId + "': " + problem;
                return nullptr;
            }
            p->set (value);
        }

        slot->module->prepare (rate, blockSize);
        slot->latency = slot->module->latencySamples();
        slot->delayLeft.assign ((size_t) slot->latency + 1, 0.0f);
        slot->delayRight.assign ((size_t) slot->latency + 1, 0.0f);
        slot->bypassed = d.bypass;
        slot->wet.prepare (rate, 0.01, d.bypass ? 0.0f : 1.0f);
        chain->totalLatency += slot->latency;
        chain->slots.push_back (std::move (slot));
    }

    int later = chain->totalLatency;
    for (auto& slot : chain->slots)
    {
        later -= slot->latency;
        chain->laterLatency.push_back (later);
    }
    chain->deltaLeft.assign ((size_t) (chain->totalLatency + blockSize), 0.0f);
    chain->deltaRight.assign ((size_t) (chain->totalLatency + blockSize), 0.0f);
    chain->soloMix.prepare (rate, 0.01, 0.0f);
    return chain;
}

void ProcessingChain::reset() noexcept
{
    for (auto& slot : slots)
    {
        slot->module->reset();
        std::fill (slot->delayLeft.begin(), slot->delayLeft.end(), 0.0f);
        std::fill (slot->delayRight.begin(), slot->delayRight.end(), 0.0f);
        slot->delayPosition = 0;
        slot->wet.reset (slot->bypassed.load() ? 0.0f : 1.0f);
    }
    std::fill (deltaLeft.begin(), deltaLeft.end(), 0.0f);
    std::fill (deltaRight.begin(), deltaRight.end(), 0.0f);
    inputPower = outputPower = 0.0;
    matchGain = 1.0f;
}

void ProcessingChain::setBypass (size_t index, bool bypassed) noexcept
{
    if (index < slots.size())
        slots[index]->bypassed.store (bypassed);
}

int ProcessingChain::indexOf (const std::string& id) const noexcept
{
    for (size_t i = 0; i < slots.size(); ++i)
        if (slots[i]->id == id)
            return (int) i;
    return -1;
}

bool ProcessingChain::apply (const ParameterChange& change) noexcept
{
    if (change.modulePosition >= slots.size())
        return false;
    auto& slot = *slots[change.modulePosition];
    const auto& params = slot.module->parameters();
    if (slot.id != change.moduleId || change.parameterIndex >= params.size())
        return false;
    auto& parameter = *params[change.parameterIndex];
    if (parameter.spec().changesLatency)
        return false;
    parameter.set (change.value);
    return true;
}

bool ProcessingChain::follow (const ChainDescription& wanted)
{
    if (wanted.modules.size() != slots.size())
        return false;

    // Every parameter's wanted value by index: the defaults, then what the description sets.
    std::vector<std::vector<float>> values (slots.size());
    for (size_t i = 0; i < slots.size(); ++i)
    {
        const auto& m = wanted.modules[i];
        const auto& module = *slots[i]->module;
        if (slots[i]->id != m.id || module.type() != m.type || m.plugin != built.modules[i].plugin)
            return false;
        const auto& table = module.parameterTable();
        auto& v = values[i];
        for (const auto& spec : table)
            v.push_back (spec.defaultValue);
        for (const auto& [id, value] : m.params)
            if (const int index = table.indexOf (id); index >= 0)
                v[(size_t) index] = value;
    }

    // First check everything, so that a structural difference changes nothing.
    for (size_t i = 0; i < slots.size(); ++i)
    {
        const auto& params = slots[i]->module->parameters();
        for (size_t p = 0; p < params.size(); ++p)
        {
            const auto& spec = params[p]->spec();
            const float v = values[i][p];
            if (spec.changesLatency && (std::isfinite (v) ? spec.constrain (v) : spec.defaultValue) != params[p]->get())
                return false;
        }
    }

    for (size_t i = 0; i < slots.size(); ++i)
    {
        const auto& params = slots[i]->module->parameters();
        for (size_t p = 0; p < params.size(); ++p)
            if (params[p]->get() != values[i][p])
                params[p]->set (values[i][p]);
        setBypass (i, wanted.modules[i].bypass);
    }
    return true;
}

void ProcessingChain::process (float* left, float* right, int numSamples) noexcept
{
    // Flush-to-zero and denormals-are-zero while the modules run: a fading tail would otherwise
    // drive the oversampling filters (in float) into denormal arithmetic, several times slower.
    // Only values below 1e-38 change, far under any audio format (24 bits stop near 1e-7).
    const juce::ScopedNoDenormals noDenormals;
    updateSoloSwitch();
    for (size_t i = 0; i < slots.size(); ++i)
    {
        processSlot (*slots[i], left, right, numSamples, (int) i == soloPlaying);
        if ((int) i == soloPlaying)
            takeDelta (left, right, numSamples);
    }
    if (soloPlaying >= 0)
        mixDelta (left, right, numSamples);
}

void ProcessingChain::updateSoloSwitch() noexcept
{
    int requested = soloRequested.load (std::memory_order_relaxed);
    if (requested >= (int) slots.size())
        requested = -1;
    if (requested == soloPlaying)
    {
        soloMix.setTarget (soloPlaying >= 0 ? 1.0f : 0.0f);
        return;
    }
    // Fade the change out before switching to another module (or off), so a switch never clicks.
    soloMix.setTarget (0.0f);
    if (soloMix.isSmoothing() || soloMix.value() != 0.0f)
        return;
    soloPlaying = requested;
    std::fill (deltaLeft.begin(), deltaLeft.end(), 0.0f);
    std::fill (deltaRight.begin(), deltaRight.end(), 0.0f);
    inputPower = outputPower = 0.0;
    matchGain = 1.0f;
    if (soloPlaying >= 0)
        soloMix.setTarget (1.0f);
}

void ProcessingChain::takeDelta (const float* left, const float* right, int n) noexcept
{
    // dryLeft/dryRight still hold the module's input, aligned with its output.
    double in = 0.0, out = 0.0;
    for (int i = 0; i < n; ++i)
    {
        in += (double) dryLeft[(size_t) i] * dryLeft[(size_t) i] + (double) dryRight[(size_t) i] * dryRight[(size_t) i];
        out += (double) left[i] * left[i] + (double) right[i] * right[i];
    }
    const double a = std::exp (-(double) n / sampleRate); // about one second of memory
    inputPower = a * inputPower + (1.0 - a) * in / n;
    outputPower = a * outputPower + (1.0 - a) * out / n;

    float target = 1.0f;
    if (outputPower > 1e-12 && inputPower > 1e-12)
        target = (float) std::clamp (std::sqrt (inputPower / outputPower), 1.0 / 16.0, 16.0);

    const auto size = (int) deltaLeft.size();
    const float step = (target - matchGain) / (float) n;
    for (int i = 0; i < n; ++i)
    {
        matchGain += step;
        deltaLeft[(size_t) deltaWrite] = matchGain * left[i] - dryLeft[(size_t) i];
        deltaRight[(size_t) deltaWrite] = matchGain * right[i] - dryRight[(size_t) i];
        deltaWrite = deltaWrite + 1 == size ? 0 : deltaWrite + 1;
    }
    matchGain = target;
}

void ProcessingChain::mixDelta (float* left, float* right, int n) noexcept
{
    // The change was written `n` samples ago; read it `laterLatency` samples further back so it
    // lines up with the chain's output.
    const auto size = (int) deltaLeft.size();
    int read = deltaWrite - n - laterLatency[(size_t) soloPlaying];
    while (read < 0)
        read += size;
    for (int i = 0; i < n; ++i)
    {
        const float m = soloMix.next();
        left[i] += m * (deltaLeft[(size_t) read] - left[i]);
        right[i] += m * (deltaRight[(size_t) read] - right[i]);
        read = read + 1 == size ? 0 : read + 1;
    }
}

void ProcessingChain::processSlot (Slot& slot, float* left, float* right, int n, bool keepInput) noexcept
{
    slot.wet.setTarget (slot.bypassed.load (std::memory_order_relaxed) ? 0.0f : 1.0f);
    const bool fullyWet = ! slot.wet.isSmoothing() && slot.wet.value() == 1.0f;

    // The dry path is only needed while bypassed or fading (or for the solo delta), but the
    // delay line must always hold the last `latency` input samples so that a bypass starts
    // aligned. A module without latency, fully wet and not soloed needs no copy at all (at
    // 64-sample blocks these copies were a few percent of a whole chain's time).
    if (fullyWet && slot.latency == 0 && ! keepInput)
    {
        slot.module->process (left, right, n);
        return;
    }
    std::copy (left, left + n, dryLeft.begin());
    std::copy (right, right + n, dryRight.begin());

    slot.module->process (left, right, n);

    // Write the input, read it back `latency` samples later (a module without latency needs
    // no line: its dry path is its input). The ring holds latency + 1 samples and the sample
    // read after writing at a position is the next one in the ring (written `latency` pushes
    // earlier), so a block is moved in runs between wrap-arounds rather than sample by sample
    // with a wrap test each: the same values, several times faster.
    if (slot.latency > 0)
    {
        const int length = slot.latency + 1;
        int position = slot.delayPosition;
        float* lineLeft = slot.delayLeft.data();
        float* lineRight = slot.delayRight.data();
        float* dl = dryLeft.data();
        float* dr = dryRight.data();
        for (int done = 0; done < n;)
        {
            const int run = std::min (n - done, length - position); // writes at position .. position + run - 1
            const int read = position + 1 == length ? 0 : position + 1;
            const int ahead = std::min (run, length - read); // reads at read .. read + ahead - 1, then from 0
            for (int i = 0; i < ahead; ++i)
            {
                const float l = dl[done + i], r = dr[done + i];
                dl[done + i] = lineLeft[read + i];
                dr[done + i] = lineRight[read + i];
                lineLeft[position + i] = l;
                lineRight[position + i] = r;
            }
            for (int i = ahead; i < run; ++i) // only the last write of a run that ends at the top of the ring
            {
                const float l = dl[done + i], r = dr[done + i];
                dl[done + i] = lineLeft[i - ahead];
                dr[done + i] = lineRight[i - ahead];
                lineLeft[position + i] = l;
                lineRight[position + i] = r;
            }
            done += run;
            position = position + run == length ? 0 : position + run;
        }
        slot.delayPosition = position;
    }

    if (fullyWet)
        return;

    if (! slot.wet.isSmoothing()) // fully bypassed: exactly the (delayed) input
    {
        std::copy (dryLeft.begin(), dryLeft.begin() + n, left);
        std::copy (dryRight.begin(), dryRight.begin() + n, right);
        return;
    }

    for (int i = 0; i < n; ++i)
    {
        const float w = slot.wet.next();
        left[i] = dryLeft[(size_t) i] + w * (left[i] - dryLeft[(size_t) i]);
        right[i] = dryRight[(size_t) i] + w * (right[i] - dryRight[(size_t) i]);
    }
}

} // namespace crest::engine
