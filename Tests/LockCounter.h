#pragma once

// Counts mutex locks taken by the calling thread, by interposing pthread_mutex_lock and
// pthread_mutex_trylock for the test program (std::mutex, juce::CriticalSection and
// juce::WaitableEvent all go through them). Used with AllocationCounter to prove that code
// meant for the audio thread neither allocates nor locks.

#include <cstdint>

namespace crest::test
{

/** Counts mutex lock attempts on the current thread while alive. */
class LockCounter
{
public:
    LockCounter();

    /** Locks attempted on this thread since construction. */
    int64_t count() const;

private:
    int64_t start;
};

} // namespace crest::test
