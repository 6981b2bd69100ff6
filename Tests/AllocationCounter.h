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

    /** Allocations on this thread since construction. */
    int64_t count() const;

private:
    int64_t start;
};

} // namespace crest::test
