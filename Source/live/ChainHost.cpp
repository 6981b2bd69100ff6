#include "live/ChainHost.h"

#include <algorithm>
#include <cmath>

namespace crest::live
{

ChainHost::ChainHost() = default;

ChainHost::~ChainHost() = default; // `owned` frees every chain; audio must have stopped

void ChainHost::prepare (double rate, int blockSize)
{
    sampleRate = rate;
    maxBlockSize = blockSize;
    for (auto* v : { &inLeft, &inRight, &oldLeft, &oldRight, &dryLeft, &dryRight })
        v->assign ((size_t) blockSize, 0.0f);
    const auto delayLength = (size_t) std::ceil (maximumLatencySeconds * rate) + 1;
    delayLeft.assign (delayLength, 0.0f);
    delayRight.assign (delayLength, 0.0f);
    delayPosition = 0;
    crossfade.prepare (rate, 0.03, 1.0f);
    compareMix.prepare (rate, 0.02, compareUnprocessed.load() ? 1.0f : 0.0f);
    matchGain.prepare (rate, 0.2, 1.0f);
    inputLoudness.prepare (rate, 2);
    outputLoudness.prepare (rate, 2);
}

bool ChainHost::setChain (const engine::ChainDescription& description, std::string& error)
{
    collectGarbage();
    if (mailbox.isPending())
    {
        error = "the previous chain change has not reached the audio thread yet";
        return false;
    }

    auto chain = engine::ProcessingChain::build (description, sampleRate, maxBlockSize, error);
    if (chain == nullptr)
        return false;
    if (chain->latencySamples() >= (int) delayLeft.size())
    {
        error = "the chain's latency (" + std::to_string (chain->latencySamples()) + " samples) is longer than the compare path holds";
        return false;
    }

    latestPosted = chain.get();
    owned.push_back (std::move (chain));
    mailbox.post (latestPosted); // cannot fail: only this thread posts, and the mailbox was empty
    return true;
}

void ChainHost::collectGarbage()
{
    retired.collect (
        [this] (engine::ProcessingChain* chain)
        {
            owned.erase (std::remove_if (owned.begin(), owned.end(), [chain] (const auto& p) { return p.get() == chain; }),
                owned.end());
        });
}

void ChainHost::process (float* left, float* right, int n) noexcept
{
    std::copy (left, left + n, inLeft.begin());
    std::copy (right, right + n, inRight.begin());

    if (fadingOut == nullptr)
    {
        if (auto* next = mailbox.take())
        {
            fadingOut = current;
            current = next;
            runningLatency.store (current->latencySamples());
            if (fadingOut != nullptr)
            {
                crossfade.reset (0.0f);
                crossfade.setTarget (1.0f);
            }
        }
    }

    if (current != nullptr)
        current->process (left, right, n);

    if (fadingOut != nullptr)
    {
        std::copy (inLeft.begin(), inLeft.begin() + n, oldLeft.begin());
        std::copy (inRight.begin(), inRight.begin() + n, oldRight.begin());
        fadingOut->process (oldLeft.data(), oldRight.data(), n);
        for (int i = 0; i < n; ++i)
        {
            // Equal-gain is right here: both chains carry the same, correlated programme.
            const float c = crossfade.next();
            left[i] = oldLeft[(size_t) i] + c * (left[i] - oldLeft[(size_t) i]);
            right[i] = oldRight[(size_t) i] + c * (right[i] - oldRight[(size_t) i]);
        }
        if (! crossfade.isSmoothing())
        {
            retired.retire (fadingOut); // if full, it stays owned until the host goes (see `retired`)
            fadingOut = nullptr;
        }
    }

    // The unprocessed signal, delayed by the running chain's latency so it lines up.
    const int latency = runningLatency.load (std::memory_order_relaxed);
    const int length = (int) delayLeft.size();
    for (int i = 0; i < n; ++i)
    {
        delayLeft[(size_t) delayPosition] = inLeft[(size_t) i];
        delayRight[(size_t) delayPosition] = inRight[(size_t) i];
        int read = delayPosition - latency;
        if (read < 0)
            read += length;
        dryLeft[(size_t) i] = delayLeft[(size_t) read];
        dryRight[(size_t) i] = delayRight[(size_t) read];
        delayPosition = delayPosition + 1 == length ? 0 : delayPosition + 1;
    }

    const float* processed[] = { left, right };
    const float* unprocessed[] = { dryLeft.data(), dryRight.data() };
    outputLoudness.process (processed, n);
    inputLoudness.process (unprocessed, n);

    const auto out = outputLoudness.shortTermLufs(), in = inputLoudness.shortTermLufs();
    float db = 0.0f;
    if (loudnessMatch.load (std::memory_order_relaxed) && out && in)
        db = (float) std::clamp (*out - *in, -24.0, 24.0);
    currentMatchDb.store (db, std::memory_order_relaxed);
    matchGain.setTarget (std::pow (10.0f, db / 20.0f));

    compareMix.setTarget (compareUnprocessed.load (std::memory_order_relaxed) ? 1.0f : 0.0f);
    if (! compareMix.isSmoothing() && compareMix.value() == 0.0f)
    {
        matchGain.skip (n);
        return;
    }

    for (int i = 0; i < n; ++i)
    {
        const float m = compareMix.next(), g = matchGain.next();
        left[i] += m * (g * dryLeft[(size_t) i] - left[i]);
        right[i] += m * (g * dryRight[(size_t) i] - right[i]);
    }
}

} // namespace crest::live
