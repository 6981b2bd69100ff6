#pragma once

// Counts heap allocations made by the calling thread, by replacing the global operator new
// for the test program. Used to prove that code meant for the audio thread allocates nothing.

#include <cstdint>

namespace crest::test
{

/** Counts allocations on the current thread while alive. */
class AllocationCounter
{
public:
    AllocationCounter();
    ~AllocationCounter();

    /** Allocations on this thread since construction (not those made by foreign code). */
    int64_t count() const;

    /** Allocations made directly by code in [begin, end) (a third-party plugin's machine
        code) are counted apart, by foreignCount(), and not by count(): the realtime proofs
        then count Crest's allocations and report the plugin's own. One range, any thread. */
    static void setForeignCode (uintptr_t begin, uintptr_t end);

    /** Allocations on this thread by foreign code since construction. */
    int64_t foreignCount() const;

private:
    int64_t start, foreignStart;
};

} // namespace crest::test
