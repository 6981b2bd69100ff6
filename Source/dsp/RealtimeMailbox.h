#pragma once

// RealtimeMailbox: hands one object at a time from a builder thread to the audio thread.
//
// Design note: one slot holding a pointer. The poster (the message thread, which built the
// object off the audio thread) puts a pointer in with post(); the audio thread takes it out at a
// block start with take(), one atomic exchange, and from then on uses the object as its own.
// The mailbox never owns what passes through it: the poster keeps ownership (and frees the
// object later, once the audio thread has handed it back, e.g. through a RetireQueue).
//
// Threads: exactly one poster thread calls post() and isPending(); exactly one taker thread
// (the audio thread) calls take(). Every call is wait-free: no lock, no allocation, no loop.
//
// When full: a second post() before the audio thread has taken the first returns false and
// leaves the mailbox as it was; the poster still owns its object and simply tries again later
// (so the audio thread never sees an object the poster has since freed, and never has to free
// one itself).

#include <atomic>

namespace crest::dsp
{

/** A single-slot, wait-free hand-over of an object pointer to the audio thread. */
template <typename T>
class RealtimeMailbox
{
public:
    static_assert (std::atomic<T*>::is_always_lock_free, "the audio thread must never lock");

    RealtimeMailbox() = default;
    RealtimeMailbox (const RealtimeMailbox&) = delete;
    RealtimeMailbox& operator= (const RealtimeMailbox&) = delete;

    /** Puts an object in the mailbox for the audio thread. Returns false (and changes nothing)
        when the previous object has not been taken yet, or when `object` is null. The object
        must stay alive until the taker has finished with it. Poster thread only. */
    bool post (T* object) noexcept
    {
        T* expected = nullptr;
        return object != nullptr && slot.compare_exchange_strong (expected, object, std::memory_order_release,
                                                                   std::memory_order_relaxed);
    }

    /** True while a posted object is waiting to be taken (a post() now would fail). Poster
        thread (any thread for a hint). */
    bool isPending() const noexcept { return slot.load (std::memory_order_relaxed) != nullptr; }

    /** Takes the waiting object out of the mailbox, or returns null when there is none. Everything
        the poster wrote to the object before post() is visible to the caller. Taker (audio)
        thread only. */
    T* take() noexcept
    {
        // A cheap look first: most blocks find the mailbox empty, and a load does not write
        // the cache line the poster reads.
        if (slot.load (std::memory_order_relaxed) == nullptr)
            return nullptr;
        return slot.exchange (nullptr, std::memory_order_acquire);
    }

private:
    std::atomic<T*> slot { nullptr };
};

} // namespace crest::dsp
