#pragma once

// What the message thread has taken away from the audio thread but may not free yet.
//
// Design note: the player publishes its programme and references to the audio thread as raw
// pointers in atomics. To replace or remove one, the message thread first unpublishes it
// (stores the successor or nullptr), then hands the owner here. The audio thread may still be
// inside a block that loaded the old pointer, so the object is freed only once the audio thread
// has finished two more blocks (the one in progress and one that certainly started after the
// change), or at once while no audio runs. The audio thread only counts blocks: it never frees,
// allocates or locks here.

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace crest::live
{

/** Defers freeing objects until the audio thread can no longer hold them. */
class RetiredObjects
{
public:
    /** Takes an object the audio thread can no longer find, and frees whatever is due.
        Message thread. */
    template <typename Object>
    void retire (std::unique_ptr<Object> object)
    {
        if (object == nullptr)
            return;
        held.push_back ({ std::shared_ptr<void> (std::move (object)), blocksDone.load() + 2 });
        collect();
    }

    /** Frees the objects the audio thread has finished with. Message thread. */
    void collect();

    /** Number of objects still held (tests). Message thread. */
    size_t size() const noexcept { return held.size(); }

    /** Counts a finished audio block. Audio thread. */
    void blockDone() noexcept { blocksDone.fetch_add (1, std::memory_order_release); }

    /** Whether a device is calling the audio thread; while not, retired objects are freed at
        once. Any thread. */
    void setAudioRunning (bool running) noexcept { audioRunning.store (running); }

private:
    struct Held
    {
        std::shared_ptr<void> object; // type-erased owner: frees the object with its own deleter
        int64_t afterBlock = 0;
    };

    std::vector<Held> held;
    std::atomic<int64_t> blocksDone { 0 };
    std::atomic<bool> audioRunning { false };
};

} // namespace crest::live
