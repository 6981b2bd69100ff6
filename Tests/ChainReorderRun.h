#pragma once

// The realtime proof shared by the chain-host tests (Crest's modules, LV2 plugins): a programme
// plays through a live::ChainHost on an audio thread while the test thread swaps the chain under
// it, and the audio thread's allocations and locks are counted.

#include "AllocationCounter.h"
#include "LockCounter.h"
#include "TestSignals.h"
#include "live/ChainHost.h"

#include <atomic>
#include <chrono>
#include <thread>

namespace crest::test
{

/** What one run saw. */
struct ChainReorderRun
{
    int changes = 0; ///< chains the host accepted
    int64_t allocations = -1; ///< on the audio thread, after its warm-up block
    int64_t locks = -1; ///< likewise
    int64_t foreignAllocations = -1; ///< by a third-party plugin's own code (AllocationCounter::setForeignCode)
};

/** Plays `programme` (stereo, looped) through `host` in blocks of `block` on an audio thread,
    one warm-up block first (first touch of meters and caches); meanwhile installs
    `chainFor (1), chainFor (2)...` every 40 ms until `changes` were accepted, collecting garbage
    after each, and lets the audio run to at least `minimumBlocks`. */
template <typename ChainFor>
ChainReorderRun playWhileReordering (live::ChainHost& host, const Buffer& programme, int block, ChainFor chainFor, int changes,
                                     int minimumBlocks)
{
    std::atomic<bool> running { true };
    std::atomic<int64_t> allocations { -1 }, locks { -1 }, foreign { -1 };
    std::atomic<int> blocks { 0 };
    std::thread audio ([&] {
        Buffer io (2, block);
        int offset = 0;
        const auto playNext = [&] {
            if (offset + block > programme.getNumSamples())
                offset = 0;
            io.copyFrom (0, 0, programme, 0, offset, block);
            io.copyFrom (1, 0, programme, 1, offset, block);
            host.process (io.getWritePointer (0), io.getWritePointer (1), block);
            offset += block;
        };
        playNext(); // warm-up, not counted
        AllocationCounter allocationCounter;
        LockCounter lockCounter;
        while (running.load())
        {
            playNext();
            ++blocks;
        }
        allocations = allocationCounter.count();
        foreign = allocationCounter.foreignCount();
        locks = lockCounter.count();
    });

    ChainReorderRun run;
    std::string error;
    for (size_t shift = 1; run.changes < changes; ++shift)
    {
        std::this_thread::sleep_for (std::chrono::milliseconds (40));
        if (host.setChain (chainFor (shift), error))
            ++run.changes;
        host.collectGarbage();
    }
    while (blocks.load() < minimumBlocks)
        std::this_thread::sleep_for (std::chrono::milliseconds (5));
    running = false;
    audio.join();
    host.collectGarbage();
    run.allocations = allocations.load();
    run.locks = locks.load();
    run.foreignAllocations = foreign.load();
    return run;
}

} // namespace crest::test
