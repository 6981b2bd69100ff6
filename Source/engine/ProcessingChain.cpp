#include "engine/ProcessingChain.h"

#include "engine/ModuleRegistry.h"

#include <algorithm>

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
        slot->module = createModule (d.type);
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
            if (const auto problem = p->validate (value); ! problem.empty())
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

void ProcessingChain::process (float* left, float* right, int numSamples) noexcept
{
    for (auto& slot : slots)
        processSlot (*slot, left, right, numSamples);
}

void ProcessingChain::processSlot (Slot& slot, float* left, float* right, int n) noexcept
{
    slot.wet.setTarget (slot.bypassed.load (std::memory_order_relaxed) ? 0.0f : 1.0f);
    const bool fullyWet = ! slot.wet.isSmoothing() && slot.wet.value() == 1.0f;

    // The dry path is only needed while bypassed or fading, but the delay line must always
    // hold the last `latency` input samples so that a bypass starts aligned.
    std::copy (left, left + n, dryLeft.begin());
    std::copy (right, right + n, dryRight.begin());

    slot.module->process (left, right, n);

    const int length = slot.latency + 1;
    int position = slot.delayPosition;
    for (int i = 0; i < n; ++i)
    {
        // Write the input, read it back `latency` samples later (a latency of 0 reads itself).
        slot.delayLeft[(size_t) position] = dryLeft[(size_t) i];
        slot.delayRight[(size_t) position] = dryRight[(size_t) i];
        const int read = position - slot.latency < 0 ? position - slot.latency + length : position - slot.latency;
        dryLeft[(size_t) i] = slot.delayLeft[(size_t) read];
        dryRight[(size_t) i] = slot.delayRight[(size_t) read];
        position = position + 1 == length ? 0 : position + 1;
    }
    slot.delayPosition = position;

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
