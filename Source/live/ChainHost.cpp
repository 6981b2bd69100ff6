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
    for (auto* v : { &inLeft, &inRight, &oldLeft, &oldRight, &dryLeft, &dryRight, &primeLeft, &primeRight })
        v->assign ((size_t) blockSize, 0.0f);
    // The longest priming reach (latency + settling) plus the block being written, with room
    // for the blocks a priming chain is behind while it catches up.
    const auto historyLength = (size_t) std::ceil ((maximumLatencySeconds + primeSeconds) * rate)
                               + (size_t) (primeBlocksPerCallback + 1) * (size_t) blockSize + 1;
    historyLeft.assign (historyLength, 0.0f);
    historyRight.assign (historyLength, 0.0f);
    written = 0;
    primeCursor = 0; // a chain still priming starts over from the (silent) new history
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
    if (chain->latencySamples() > (int) std::floor (maximumLatencySeconds * sampleRate))
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

void ChainHost::takePosted() noexcept
{
    // Not processing: nothing is heard, so the newest chain simply replaces every other.
    if (auto* next = mailbox.take())
    {
        for (auto** chain : { &priming, &fadingOut, &current })
            if (*chain != nullptr)
            {
                retired.retire (*chain);
                *chain = nullptr;
            }
        current = next;
        runningLatency.store (current->latencySamples());
        changing.store (false);
    }
}

void ChainHost::reset() noexcept
{
    if (priming != nullptr)
    {
        // The newer chain is the one being primed: it becomes the running one, fresh.
        if (current != nullptr)
            retired.retire (current);
        current = priming;
        priming = nullptr;
        runningLatency.store (current->latencySamples());
    }
    takePosted();
    if (fadingOut != nullptr)
    {
        retired.retire (fadingOut);
        fadingOut = nullptr;
    }
    changing.store (false);
    if (current != nullptr)
        current->reset();
    std::fill (historyLeft.begin(), historyLeft.end(), 0.0f);
    std::fill (historyRight.begin(), historyRight.end(), 0.0f);
}

void ChainHost::primeFromHistory (int64_t blockStart) noexcept
{
    const int64_t length = (int64_t) historyLeft.size();
    const int64_t to = std::min (blockStart, primeCursor + (int64_t) primeBlocksPerCallback * maxBlockSize);
    while (primeCursor < to)
    {
        const int n = (int) std::min<int64_t> (to - primeCursor, maxBlockSize);
        for (int i = 0; i < n; ++i)
        {
            const auto at = (size_t) ((primeCursor + i) % length);
            primeLeft[(size_t) i] = historyLeft[at];
            primeRight[(size_t) i] = historyRight[at];
        }
        priming->process (primeLeft.data(), primeRight.data(), n); // output discarded: only its state matters
        primeCursor += n;
    }
}

void ChainHost::process (float* left, float* right, int n) noexcept
{
    std::copy (left, left + n, inLeft.begin());
    std::copy (right, right + n, inRight.begin());

    // The input goes into the history first: the compare path and a priming chain read it.
    const int64_t length = (int64_t) historyLeft.size();
    const int64_t blockStart = written;
    for (int i = 0; i < n; ++i)
    {
        const auto at = (size_t) ((blockStart + i) % length);
        historyLeft[at] = inLeft[(size_t) i];
        historyRight[at] = inRight[(size_t) i];
    }
    written += n;

    if (fadingOut == nullptr && priming == nullptr)
    {
        if (auto* next = mailbox.take())
        {
            if (current == nullptr)
            {
                current = next; // the first chain: nothing playing to hand over from
                runningLatency.store (current->latencySamples());
            }
            else
            {
                changing.store (true);
                priming = next;
                const int64_t reach = next->latencySamples() + (int64_t) std::ceil (primeSeconds * sampleRate);
                primeCursor = std::max<int64_t> (0, blockStart - reach);
            }
        }
    }

    if (priming != nullptr)
    {
        primeFromHistory (blockStart);
        if (primeCursor == blockStart)
        {
            // Caught up with the live input: the new chain is heard from this block on.
            fadingOut = current;
            current = priming;
            priming = nullptr;
            equalPowerFade = fadingOut->latencySamples() != current->latencySamples();
            crossfade.reset (0.0f);
            crossfade.setTarget (1.0f);
        }
    }

    if (current != nullptr)
        current->process (left, right, n);

    if (fadingOut != nullptr)
    {
        std::copy (inLeft.begin(), inLeft.begin() + n, oldLeft.begin());
        std::copy (inRight.begin(), inRight.begin() + n, oldRight.begin());
        fadingOut->process (oldLeft.data(), oldRight.data(), n);
        constexpr float quarterTurn = 1.57079632679f;
        for (int i = 0; i < n; ++i)
        {
            const float c = crossfade.next();
            // Equal gain for correlated outputs (same latency), equal power for uncorrelated ones.
            const float toNew = equalPowerFade ? std::sin (c * quarterTurn) : c;
            const float toOld = equalPowerFade ? std::cos (c * quarterTurn) : 1.0f - c;
            left[i] = toOld * oldLeft[(size_t) i] + toNew * left[i];
            right[i] = toOld * oldRight[(size_t) i] + toNew * right[i];
        }
        // What is heard is mostly the old chain until the midpoint, then the new one.
        runningLatency.store (crossfade.value() < 0.5f ? fadingOut->latencySamples() : current->latencySamples());
        if (! crossfade.isSmoothing())
        {
            retired.retire (fadingOut); // if full, it stays owned until the host goes (see `retired`)
            fadingOut = nullptr;
            changing.store (false);
        }
    }

    // The unprocessed signal, delayed by the heard latency so it lines up.
    const int latency = runningLatency.load (std::memory_order_relaxed);
    for (int i = 0; i < n; ++i)
    {
        int64_t at = (blockStart + i - latency) % length;
        if (at < 0)
            at += length;
        dryLeft[(size_t) i] = historyLeft[(size_t) at];
        dryRight[(size_t) i] = historyRight[(size_t) at];
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
