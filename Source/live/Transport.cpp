#include "live/Transport.h"

#include "live/RetiredObjects.h"

#include <juce_core/juce_core.h>

#include <algorithm>
#include <cmath>

namespace crest::live
{

Transport::Transport (juce::TimeSliceThread& diskThread, RetiredObjects& retired)
    : disk (diskThread), retiredObjects (retired) { }

Transport::~Transport() = default;

void Transport::prepare (double engineRate) noexcept
{
    rate = engineRate;
    gain.prepare (rate, 0.003, 0.0f);
    pendingSeek = -1;
}

void Transport::setProgramme (std::unique_ptr<ProgrammeStream> stream, std::vector<PlayerTrack> tracks)
{
    placements = std::move (tracks);
    const auto ls = loopStart.load(), le = loopEnd.load();
    if (le > ls)
        stream->setLoop (ls, le);
    disk.addTimeSliceClient (stream.get());
    current.store (stream.get(), std::memory_order_release);
    length.store (stream->lengthSamples());
    playPosition.store (0);
    if (owner != nullptr)
        disk.removeTimeSliceClient (owner.get());
    retiredObjects.retire (std::move (owner));
    owner = std::move (stream);
}

// ------------------------------------------------------------------------------- commands

void Transport::seek (int64_t sample) noexcept
{
    seekRequest.store (std::clamp<int64_t> (sample, 0, std::max<int64_t> (0, lengthSamples() - 1)));
}

void Transport::jumpToTrack (int index) noexcept
{
    if (index >= 0 && index < (int) placements.size())
        seek (placements[(size_t) index].start);
}

int Transport::currentTrack() const noexcept
{
    const auto at = position();
    int found = -1;
    for (size_t i = 0; i < placements.size(); ++i)
        if (placements[i].start <= at)
            found = (int) i;
    return found;
}

LoopRegion Transport::setLoop (std::optional<LoopRegion> region) noexcept
{
    int64_t start = 0, end = 0;
    if (region && region->end > region->start)
    {
        start = std::max<int64_t> (0, region->start);
        end = std::min (region->end, lengthSamples());
    }
    loopStart.store (start);
    loopEnd.store (end);
    if (owner != nullptr)
        owner->setLoop (start, end);
    return { start, end };
}

std::optional<LoopRegion> Transport::loop() const noexcept
{
    const auto start = loopStart.load(), end = loopEnd.load();
    if (end > start)
        return LoopRegion { start, end };
    return std::nullopt;
}

// ------------------------------------------------------------------------------- audio thread

void Transport::applySeek (ProgrammeStream& stream, int64_t target) noexcept
{
    target = std::clamp<int64_t> (target, 0, std::max<int64_t> (0, stream.lengthSamples() - 1));
    stream.requestPosition (target);
    stream.dropStale(); // frees the ring for the disk thread at once
    awaitingData = true;
    playPosition.store (target, std::memory_order_relaxed);
    seekedThisBlock = target;
}

TransportBlock Transport::process (float* left, float* right, int n) noexcept
{
    seekedThisBlock = -1;
    auto* prog = current.load (std::memory_order_acquire);
    if (prog != nullptr && std::abs (prog->sampleRate() - rate) > 0.5)
        prog = nullptr; // refused at load or prepare with a message; silent here
    if (prog != running)
    {
        running = prog;
        awaitingData = true;
        pendingSeek = -1;
        gain.reset (0.0f);
    }

    // Commands arrive as atomics, applied at the block start.
    const auto seekTo = seekRequest.exchange (-1, std::memory_order_acq_rel);
    const bool sounding = gain.isSmoothing() || gain.value() > 0.0f;
    if (seekTo >= 0 && prog != nullptr)
    {
        if (sounding)
            pendingSeek = seekTo; // fade out first, then jump (no click)
        else
            applySeek (*prog, seekTo);
    }
    const bool wantPlay = playing.load (std::memory_order_relaxed) && prog != nullptr;
    if (awaitingData && prog != nullptr && pendingSeek < 0 && prog->isBuffered (n))
        awaitingData = false;
    const bool ready = prog != nullptr && ! awaitingData;
    gain.setTarget (wantPlay && pendingSeek < 0 && ready ? 1.0f : 0.0f);
    const bool active = ready && (gain.isSmoothing() || gain.value() > 0.0f || gain.targetValue() > 0.0f);

    if (active)
    {
        const int got = prog->pull (left, right, n);
        const bool looping = loopEnd.load (std::memory_order_relaxed) > loopStart.load (std::memory_order_relaxed);
        if (prog->position() >= prog->lengthSamples() && ! looping)
            playing.store (false); // the end of the programme
        else if (got < n && wantPlay)
            underrunCount.fetch_add (1, std::memory_order_relaxed);
        if (gain.isSmoothing() || gain.value() != 1.0f)
            for (int i = 0; i < n; ++i)
            {
                const float g = gain.next();
                left[i] *= g;
                right[i] *= g;
            }
        playPosition.store (prog->position(), std::memory_order_relaxed);
    }
    else
    {
        std::fill (left, left + n, 0.0f);
        std::fill (right, right + n, 0.0f);
        if (prog != nullptr)
            prog->dropStale();
    }
    if (pendingSeek >= 0 && prog != nullptr && ! gain.isSmoothing() && gain.value() == 0.0f)
    {
        applySeek (*prog, pendingSeek);
        pendingSeek = -1;
    }
    return { active, gain.value(), playPosition.load (std::memory_order_relaxed), seekedThisBlock };
}

} // namespace crest::live
