// dsp::RetireQueue: oldest first, refuses when full, wraps around; under two threads every
// retired object is freed exactly once (counted by its destructor), and the retiring (audio)
// side neither allocates nor locks. Last, the whole round trip ChainHost makes: post through a
// RealtimeMailbox, retire the previous object, free it on the message thread.

#include "AllocationCounter.h"
#include "LockCounter.h"
#include "dsp/RealtimeMailbox.h"
#include "dsp/RetireQueue.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

using namespace crest;

namespace
{
/** Counts its destructions: each object must be freed exactly once. */
struct Tracked
{
    explicit Tracked (int number, std::vector<int>* freedLog = nullptr) : id (number), log (freedLog) { }
    ~Tracked()
    {
        destroyed.fetch_add (1, std::memory_order_relaxed);
        if (log != nullptr)
            ++(*log)[(size_t) id];
    }

    int id;
    std::vector<int>* log; // how often each id was destroyed (collecting thread only)
    static std::atomic<int> destroyed;
};
std::atomic<int> Tracked::destroyed { 0 };

const auto deleteIt = [] (Tracked* t) { delete t; };
} // namespace

TEST_CASE ("RetireQueue hands objects back oldest first and refuses when full", "[dsp][realtime][handoff]")
{
    dsp::RetireQueue<Tracked, 4> queue;
    std::vector<std::unique_ptr<Tracked>> objects;
    for (int i = 0; i < 6; ++i)
        objects.push_back (std::make_unique<Tracked> (i));

    CHECK (queue.size() == 0);
    CHECK_FALSE (queue.retire (nullptr));
    for (int i = 0; i < 4; ++i)
        CHECK (queue.retire (objects[(size_t) i].get()));
    CHECK (queue.size() == 4);
    CHECK_FALSE (queue.retire (objects[4].get())); // full: refused, nothing changes
    CHECK (queue.size() == 4);

    std::vector<int> order;
    CHECK (queue.collect ([&] (Tracked* t) { order.push_back (t->id); }) == 4);
    CHECK (order == std::vector<int> { 0, 1, 2, 3 });
    CHECK (queue.size() == 0);
    CHECK (queue.collect ([&] (Tracked*) { FAIL ("nothing is left to collect"); }) == 0);

    // Many times round the ring, partly filled each time.
    order.clear();
    std::vector<int> expected;
    for (int round = 0; round < 50; ++round)
    {
        for (int k = 0; k < 3; ++k)
        {
            const int i = (round + k) % 6;
            CHECK (queue.retire (objects[(size_t) i].get()));
            expected.push_back (i);
        }
        queue.collect ([&] (Tracked* t) { order.push_back (t->id); });
    }
    CHECK (order == expected);
}

TEST_CASE ("RetireQueue: retiring allocates and locks nothing", "[dsp][realtime][handoff]")
{
    dsp::RetireQueue<Tracked, 32> queue;
    Tracked object (0);
    test::AllocationCounter allocations;
    test::LockCounter locks;
    for (int i = 0; i < 1000; ++i)
        queue.retire (&object); // fills, then is refused
    CHECK (allocations.count() == 0);
    CHECK (locks.count() == 0);
    CHECK (queue.size() == 32);
}

TEST_CASE ("RetireQueue: 100,000 objects retired on one thread are freed exactly once on another", "[dsp][realtime][handoff]")
{
    constexpr int count = 100000;
    std::vector<int> freed ((size_t) count, 0);
    std::vector<Tracked*> objects;
    objects.reserve ((size_t) count);
    for (int i = 0; i < count; ++i)
        objects.push_back (new Tracked (i, &freed));
    Tracked::destroyed = 0;

    dsp::RetireQueue<Tracked, 32> queue;
    std::atomic<bool> done { false }, giveUp { false };
    std::atomic<int64_t> audioAllocations { -1 }, audioLocks { -1 }, refusals { 0 };
    std::thread audio (
        [&]
        {
            test::AllocationCounter allocations;
            test::LockCounter locks;
            int64_t full = 0;
            for (int i = 0; i < count && ! giveUp.load (std::memory_order_relaxed);)
            {
                if (queue.retire (objects[(size_t) i]))
                    ++i;
                else
                    ++full; // the collector is behind: try again (a real audio thread would keep the object)
            }
            audioAllocations = allocations.count();
            audioLocks = locks.count();
            refusals = full;
            done = true;
        });

    int collected = 0, lastId = -1;
    bool ordered = true;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds (60);
    while (std::chrono::steady_clock::now() < until)
    {
        const bool finished = done.load();
        collected += (int) queue.collect (
            [&] (Tracked* t)
            {
                ordered = ordered && t->id == lastId + 1;
                lastId = t->id;
                delete t;
            });
        if (finished)
            break;
        std::this_thread::yield();
    }
    giveUp = true;
    audio.join();
    collected += (int) queue.collect (deleteIt);

    INFO ("the queue was full " << refusals.load() << " times");
    CHECK (collected == count);
    CHECK (Tracked::destroyed.load() == count);
    int twice = 0, never = 0;
    for (const int n : freed)
    {
        twice += n > 1 ? 1 : 0;
        never += n == 0 ? 1 : 0;
    }
    CHECK (twice == 0);
    CHECK (never == 0);
    CHECK (ordered);
    CHECK (audioAllocations.load() == 0);
    CHECK (audioLocks.load() == 0);
}

TEST_CASE ("RealtimeMailbox and RetireQueue together: up to 100,000 swaps, each object freed once, off the audio thread",
    "[dsp][realtime][handoff]")
{
    // ChainHost's round trip: the message thread builds and posts; the audio thread takes the new
    // object, retires the one it was using; the message thread frees what comes back.
    constexpr int count = 100000;
    dsp::RealtimeMailbox<Tracked> mailbox;
    dsp::RetireQueue<Tracked, 32> retired;
    Tracked::destroyed = 0;

    std::atomic<bool> stop { false }, audioFinished { false };
    std::atomic<int> swaps { 0 };
    std::atomic<int64_t> audioAllocations { -1 }, audioLocks { -1 }, wrongOrder { 0 };
    std::thread audio (
        [&]
        {
            test::AllocationCounter allocations;
            test::LockCounter locks;
            Tracked* current = nullptr;
            int64_t wrong = 0;
            while (! stop.load (std::memory_order_relaxed))
            {
                if (auto* next = mailbox.take())
                {
                    wrong += current != nullptr && next->id != current->id + 1 ? 1 : 0;
                    // With one change in flight at a time the queue has room unless the message
                    // thread stops collecting; then spin, as the test has nowhere else to keep it.
                    while (current != nullptr && ! retired.retire (current))
                        std::this_thread::yield();
                    current = next;
                    swaps.fetch_add (1, std::memory_order_relaxed);
                }
                else
                    std::this_thread::yield(); // the two threads may share a core
            }
            while (current != nullptr && ! retired.retire (current))
                std::this_thread::yield();
            audioAllocations = allocations.count();
            audioLocks = locks.count();
            wrongOrder = wrong;
            audioFinished = true;
        });

    int built = 0, freed = 0;
    const auto freeIt = [&] (Tracked* t)
    {
        delete t;
        ++freed;
    };
    // Bounded by time too: each swap waits for the other thread, and on a loaded machine a yield
    // gives the core away for a whole time slice (74,650 swaps in 60 s under ASan at load 8;
    // all 100,000 take well under a second on an idle one). Every swap that happened is checked.
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds (20);
    while (built < count && std::chrono::steady_clock::now() < until)
    {
        retired.collect (freeIt);
        if (mailbox.isPending())
        {
            std::this_thread::yield();
            continue;
        }
        auto object = std::make_unique<Tracked> (built);
        if (mailbox.post (object.get()))
        {
            object.release(); // the audio thread has it now; it comes back through `retired`
            ++built;
        }
    }
    while (mailbox.isPending() && std::chrono::steady_clock::now() < until)
        std::this_thread::yield();
    stop = true;
    while (! audioFinished.load()) // keep collecting, so the audio thread's last retire finds room
        retired.collect (freeIt);
    audio.join();
    retired.collect (freeIt);
    int left = 0;
    if (auto* last = mailbox.take()) // only if the time ran out with one in the mailbox
    {
        delete last;
        left = 1;
    }

    INFO (built << " swaps in the time allowed");
    CHECK (built >= 1000);
    CHECK (swaps.load() + left == built);
    CHECK (freed + left == built);
    CHECK (Tracked::destroyed.load() == built);
    CHECK (wrongOrder.load() == 0);
    CHECK (audioAllocations.load() == 0);
    CHECK (audioLocks.load() == 0);
}
