#pragma once

// TripleBuffer: the newest complete value from the audio thread, for a reader that polls.
//
// Design note: three slots of T. The writer always has a private slot to fill, the reader
// always has a private slot to read, and the third ("middle") is swapped between them with one
// atomic exchange: publish() gives the writer's filled slot to the middle and takes the old
// middle back to fill next; a read that finds a fresh middle swaps it for its own slot. Neither
// side waits, locks or allocates, and neither ever sees a slot the other is writing, so a read is
// always one whole published value, never a mixture of two (meters: the audio thread publishes a
// snapshot about 60 times a second, a UI timer reads the newest).
//
// Threads: exactly one writer thread (the audio thread) calls writeSlot() and publish(); exactly
// one reader thread (the message thread) calls read(), latest() and hasNew().
//
// When the reader is slow: nothing fills up. Each publish() replaces a value the reader has not
// read yet, so the reader gets the newest one and never the ones in between. When the writer is
// slow, read() returns false and the reader keeps what it has.
//
// T should be plain, fixed-size data (no heap): the writer fills a slot in place and the reader
// copies it out (read()), so a T that allocated on copy would allocate on the reader's side.

#include <array>
#include <atomic>
#include <cstddef>

namespace crest::dsp
{

/** A wait-free single-writer, single-reader hand-over of the newest complete value of T. */
template <typename T>
class TripleBuffer
{
public:
    static_assert (std::atomic<int>::is_always_lock_free, "neither side may lock");

    TripleBuffer() = default;
    TripleBuffer (const TripleBuffer&) = delete;
    TripleBuffer& operator= (const TripleBuffer&) = delete;

    /** The writer's private slot. It holds an older value (not necessarily the last one written):
        fill it completely, then publish(). Writer thread only. */
    T& writeSlot() noexcept { return slots[(std::size_t) writeIndex]; }

    /** Makes the written slot the newest value and gives the writer another slot. Writer thread only. */
    void publish() noexcept
    {
        const int previous = middle.exchange (writeIndex | freshBit, std::memory_order_acq_rel);
        writeIndex = previous & indexMask;
    }

    /** True when a value was published since the reader last took one. Reader thread only. */
    bool hasNew() const noexcept { return (middle.load (std::memory_order_relaxed) & freshBit) != 0; }

    /** Copies the newest value into `into` if one was published since the last read() or
        latest(); returns false (and leaves `into` alone) otherwise. Reader thread only. */
    bool read (T& into) noexcept
    {
        if (const auto* newest = takeIfNew())
        {
            into = *newest;
            return true;
        }
        return false;
    }

    /** The newest value without copying (a default T before anything is published): valid until
        the next read() or latest(). Reader thread only. */
    const T& latest() noexcept
    {
        takeIfNew();
        return slots[(std::size_t) readIndex];
    }

private:
    static constexpr int indexMask = 3, freshBit = 4;

    const T* takeIfNew() noexcept
    {
        if (! hasNew())
            return nullptr;
        const int previous = middle.exchange (readIndex, std::memory_order_acq_rel);
        readIndex = previous & indexMask;
        return &slots[(std::size_t) readIndex];
    }

    std::array<T, 3> slots {};
    int writeIndex = 0, readIndex = 1; // each touched by its own side only
    std::atomic<int> middle { 2 };     // the third slot's index, plus freshBit when it is unread
};

} // namespace crest::dsp
