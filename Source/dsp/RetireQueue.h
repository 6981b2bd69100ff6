#pragma once

// RetireQueue: hands objects the audio thread has finished with back to be freed elsewhere.
//
// Design note: the audio thread must never free memory (free() may lock or take unbounded
// time), so when it stops using an object (the chain it has crossfaded away from, say) it
// retire()s the pointer into this queue, and the message thread later collect()s the queue and
// frees what it finds. A fixed ring of `capacity` pointers between two ever-increasing counters,
// one written by each side: single producer, single consumer, wait-free, FIFO, and sized at
// compile time, so neither side ever allocates or locks.
//
// Threads: exactly one retiring thread (the audio thread) calls retire(); exactly one collecting
// thread (the message thread) calls collect(). size() is a hint, for either.
//
// Ownership: the queue never owns. collect() passes each pointer, exactly once, to a function of
// the caller's that frees it (delete it, or drop the owner that holds it); a pointer still queued
// when the queue is destroyed is simply forgotten, so its owner must free it.
//
// When full: retire() returns false and queues nothing; the object is then not freed by this
// route (its owner still frees it eventually). Size the queue for the retirements that can pile
// up between two collections.

#include <array>
#include <atomic>
#include <cstddef>

namespace crest::dsp
{

/** A wait-free single-producer, single-consumer queue of object pointers waiting to be freed. */
template <typename T, std::size_t capacity>
class RetireQueue
{
public:
    static_assert (capacity > 0 && (capacity & (capacity - 1)) == 0, "capacity must be a power of two");
    static_assert (std::atomic<std::size_t>::is_always_lock_free, "the audio thread must never lock");

    RetireQueue() = default;
    RetireQueue (const RetireQueue&) = delete;
    RetireQueue& operator= (const RetireQueue&) = delete;

    /** Queues an object the caller has finished with. Returns false when the queue is full (or
        `object` is null); the object is then not queued. Retiring thread (audio thread) only. */
    bool retire (T* object) noexcept
    {
        const std::size_t write = written.load (std::memory_order_relaxed);
        if (object == nullptr || write - collected.load (std::memory_order_acquire) == capacity)
            return false;
        slots[write & (capacity - 1)] = object;
        written.store (write + 1, std::memory_order_release);
        return true;
    }

    /** Calls `free (T*)` once for every object retired since the last collect(), oldest first,
        and returns how many there were. Collecting thread (message thread) only. */
    template <typename Free>
    std::size_t collect (Free&& free)
    {
        const std::size_t end = written.load (std::memory_order_acquire);
        std::size_t read = collected.load (std::memory_order_relaxed);
        const std::size_t count = end - read;
        for (; read != end; ++read)
        {
            T* object = slots[read & (capacity - 1)];
            // Make the slot reusable before freeing: the free function may be slow.
            collected.store (read + 1, std::memory_order_release);
            free (object);
        }
        return count;
    }

    /** Objects waiting to be collected (a snapshot: either side may change it at once). */
    std::size_t size() const noexcept
    {
        // The collected count first: it never passes the written count read after it.
        const std::size_t read = collected.load (std::memory_order_acquire);
        return written.load (std::memory_order_acquire) - read;
    }

    /** How many objects the queue holds at most. */
    static constexpr std::size_t maximumSize() noexcept { return capacity; }

private:
    std::array<T*, capacity> slots {};
    std::atomic<std::size_t> written { 0 }, collected { 0 };
};

} // namespace crest::dsp
