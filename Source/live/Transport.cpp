#include "live/Transport.h"

#include "live/RetiredObjects.h"

#include <juce_core/juce_core.h>

#include <algorithm>
#include <cmath>

namespace crest::live
{

Transport::Transport (juce::TimeSliceThread& diskThread, RetiredObjects& retired)
    : disk (diskThread), retiredObjects (retired) { }

Transport::~Transport()
{
    // The disk thread may be inside the stream's useTimeSlice: removing the client waits for that
    // call to return, so the stream is not freed under it (TSan found the race in a test that
    // destroyed a transport beside a running disk thread).
    if (owner != nullptr)
        disk.removeTimeSliceClient (owner.get());
}

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
    const int64_t from = renderer != nullptr ? std::max<int64_t> (0, target - renderer->prerollSamples()) : target;
    if (renderer != nullptr)
        renderer->restart();
    prerollTarget = from < target ? target : -1;
    prerollRemaining = target - from;
    stream.requestPosition (from);
    stream.dropStale(); // frees the ring for the disk thread at once
    awaitingData = true;
    playPosition.store (target, std::memory_order_relaxed);
    seekedThisBlock = target;
}

bool Transport::buffered (ProgrammeStream& stream, int n) const noexcept
{
    return stream.isBuffered (n + (renderer != nullptr ? renderer->lookahead() : 0));
}

void Transport::preroll (ProgrammeStream& stream, float* left, float* right, int n) noexcept
{
    // Silent rendering up to the seek's target, within half the block's duration.
    const auto ticksPerSecond = (double) juce::Time::getHighResolutionTicksPerSecond();
    const auto budget = (juce::int64) (0.5 * n / rate * ticksPerSecond);
    const auto began = juce::Time::getHighResolutionTicks();
    stream.sync();
    while (prerollTarget >= 0)
    {
        if (prerollRemaining <= 0)
        {
            prerollTarget = -1;
            break;
        }
        const int m = (int) std::min<int64_t> (n, prerollRemaining);
        if (! buffered (stream, m) || renderer->render (stream, left, right, m) < m)
            break; // the disk has not read that far yet: go on next block
        prerollRemaining -= m;
        if (juce::Time::getHighResolutionTicks() - began > budget)
            break;
    }
    std::fill (left, left + n, 0.0f);
    std::fill (right, right + n, 0.0f);
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
        prerollTarget = -1;
        gain.reset (0.0f);
        if (renderer != nullptr)
            renderer->restart();
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
    if (prerollTarget >= 0 && prog != nullptr && pendingSeek < 0)
    {
        preroll (*prog, left, right, n);
        if (prerollTarget >= 0)
            return { false, 0.0f, playPosition.load (std::memory_order_relaxed), seekedThisBlock };
    }
    if (awaitingData && prog != nullptr && pendingSeek < 0 && buffered (*prog, n))
        awaitingData = false;
    const bool ready = prog != nullptr && ! awaitingData;
    gain.setTarget (wantPlay && pendingSeek < 0 && ready ? 1.0f : 0.0f);
    if (ready && gain.targetValue() > 0.0f && gain.value() == 0.0f && ! gain.isSmoothing())
    {
        // Starting from the programme's first sample there is nothing to de-click against:
        // play it as the render has it, from its first sample.
        prog->sync();
        if (prog->position() == 0)
            gain.reset (1.0f);
    }
    const bool active = ready && (gain.isSmoothing() || gain.value() > 0.0f || gain.targetValue() > 0.0f);

    if (active)
    {
        const int got = renderer != nullptr ? renderer->render (*prog, left, right, n) : prog->pull (left, right, n);
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
