// dsp::TripleBuffer: the reader gets the newest published value and only once, never a slot the
// writer is filling; under two threads (100,000 publications) no read is ever torn or out of
// order, and the writing (audio) side neither allocates nor locks.

#include "AllocationCounter.h"
#include "LockCounter.h"
#include "dsp/TripleBuffer.h"

#include <catch2/catch.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

using namespace crest;

namespace
{
/** A value large enough that a torn read (half old, half new) would show. */
struct Frame
{
    uint64_t sequence = 0;
    std::array<uint64_t, 511> payload {};

    void fill (uint64_t n) noexcept
    {
        sequence = n;
        payload.fill (n);
    }

    bool whole() const noexcept
    {
        for (const auto v : payload)
            if (v != sequence)
                return false;
        return true;
    }
};
} // namespace

TEST_CASE ("TripleBuffer gives the reader the newest published value, once", "[dsp][realtime][handoff]")
{
    auto buffer = std::make_unique<dsp::TripleBuffer<Frame>>();
    Frame got;
    got.fill (99);

    CHECK_FALSE (buffer->hasNew());
    CHECK_FALSE (buffer->read (got));
    CHECK (got.sequence == 99); // left alone
    CHECK (buffer->latest().sequence == 0); // a default value before anything is published

    buffer->writeSlot().fill (1);
    buffer->publish();
    CHECK (buffer->hasNew());
    CHECK (buffer->read (got));
    CHECK (got.sequence == 1);
    CHECK (got.whole());
    CHECK_FALSE (buffer->hasNew());
    CHECK_FALSE (buffer->read (got)); // nothing new: once only

    // A slow reader skips the values in between and gets the newest.
    for (uint64_t n = 2; n <= 5; ++n)
    {
        buffer->writeSlot().fill (n);
        buffer->publish();
    }
    const auto& newest = buffer->latest();
    CHECK (newest.sequence == 5);
    CHECK (newest.whole());
    CHECK (&buffer->latest() == &newest); // nothing new: the same slot, not copied

    // The writer never fills the slot the reader holds.
    for (uint64_t n = 6; n < 20; ++n)
    {
        CHECK (&buffer->writeSlot() != &buffer->latest());
        buffer->writeSlot().fill (n);
        buffer->publish();
        if (n % 3 == 0)
            CHECK (buffer->latest().sequence == n);
    }
    CHECK (buffer->read (got));
    CHECK (got.sequence == 19);
}

TEST_CASE ("TripleBuffer: 100,000 publications under a concurrent reader, never torn, never out of order",
    "[dsp][realtime][handoff]")
{
    constexpr uint64_t count = 100000;
    auto buffer = std::make_unique<dsp::TripleBuffer<Frame>>();
    std::atomic<bool> readerDone { false };
    std::atomic<int64_t> writerAllocations { -1 }, writerLocks { -1 };
    std::atomic<uint64_t> published { 0 };

    std::thread writer (
        [&]
        {
            test::AllocationCounter allocations;
            test::LockCounter locks;
            // At least `count` publications, and on until the reader has seen enough of them
            // (however the two shared cores are scheduled).
            uint64_t n = 0;
            const auto until = std::chrono::steady_clock::now() + std::chrono::seconds (30);
            while (n < count || (! readerDone.load (std::memory_order_relaxed) && std::chrono::steady_clock::now() < until))
            {
                auto& slot = buffer->writeSlot();
                slot.fill (++n);
                buffer->publish();
            }
            writerAllocations = allocations.count();
            writerLocks = locks.count();
            published = n;
        });

    Frame got;
    int64_t reads = 0, torn = 0, outOfOrder = 0;
    uint64_t previous = 0;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds (30);
    while ((reads < 1000 || previous < count) && std::chrono::steady_clock::now() < until)
    {
        if (! buffer->read (got))
            continue;
        ++reads;
        torn += got.whole() ? 0 : 1;
        outOfOrder += got.sequence > previous ? 0 : 1;
        previous = got.sequence;
    }
    readerDone = true;
    writer.join();

    INFO (reads << " reads of " << published.load() << " publications");
    CHECK (published.load() >= count);
    CHECK (reads >= 1000);
    CHECK (torn == 0);
    CHECK (outOfOrder == 0);
    CHECK (writerAllocations.load() == 0);
    CHECK (writerLocks.load() == 0);
}

TEST_CASE ("TripleBuffer: the reader's side allocates and locks nothing either", "[dsp][realtime][handoff]")
{
    auto buffer = std::make_unique<dsp::TripleBuffer<Frame>>();
    Frame got;
    test::AllocationCounter allocations;
    test::LockCounter locks;
    for (uint64_t n = 1; n < 1000; ++n)
    {
        buffer->writeSlot().fill (n);
        buffer->publish();
        if (n % 2 == 0)
            buffer->read (got);
        else
            (void) buffer->latest();
    }
    CHECK (allocations.count() == 0);
    CHECK (locks.count() == 0);
    CHECK (got.sequence == 998);
}
