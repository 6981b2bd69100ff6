#include "AllocationCounter.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <new>

namespace
{
thread_local int64_t allocationsOnThisThread = 0, foreignAllocationsOnThisThread = 0;
std::atomic<uintptr_t> foreignBegin { 0 }, foreignEnd { 0 };

/** Counts one allocation, for Crest or for the foreign code its caller lies in. */
inline void countFrom (const void* caller)
{
    const auto at = reinterpret_cast<uintptr_t> (caller);
    if (at >= foreignBegin.load (std::memory_order_relaxed) && at < foreignEnd.load (std::memory_order_relaxed))
        ++foreignAllocationsOnThisThread;
    else
        ++allocationsOnThisThread;
}

void* allocate (std::size_t size)
{
    if (void* p = std::malloc (size == 0 ? 1 : size))
        return p;
    throw std::bad_alloc();
}

void* allocateAligned (std::size_t size, std::align_val_t alignment)
{
    void* p = nullptr;
    if (posix_memalign (&p, std::max<std::size_t> ((std::size_t) alignment, sizeof (void*)), size == 0 ? 1 : size) != 0)
        throw std::bad_alloc();
    return p;
}
} // namespace

// Each counts where it was called from (a plugin's own allocations are told apart).
void* operator new (std::size_t size) { countFrom (__builtin_return_address (0)); return allocate (size); }
void* operator new[] (std::size_t size) { countFrom (__builtin_return_address (0)); return allocate (size); }
void* operator new (std::size_t size, const std::nothrow_t&) noexcept { countFrom (__builtin_return_address (0)); try { return allocate (size); } catch (...) { return nullptr; } }
void* operator new[] (std::size_t size, const std::nothrow_t&) noexcept { countFrom (__builtin_return_address (0)); try { return allocate (size); } catch (...) { return nullptr; } }
void* operator new (std::size_t size, std::align_val_t a) { countFrom (__builtin_return_address (0)); return allocateAligned (size, a); }
void* operator new[] (std::size_t size, std::align_val_t a) { countFrom (__builtin_return_address (0)); return allocateAligned (size, a); }
void operator delete (void* p) noexcept { std::free (p); }
void operator delete[] (void* p) noexcept { std::free (p); }
void operator delete (void* p, std::size_t) noexcept { std::free (p); }
void operator delete[] (void* p, std::size_t) noexcept { std::free (p); }
void operator delete (void* p, std::align_val_t) noexcept { std::free (p); }
void operator delete[] (void* p, std::align_val_t) noexcept { std::free (p); }
void operator delete (void* p, std::size_t, std::align_val_t) noexcept { std::free (p); }
void operator delete[] (void* p, std::size_t, std::align_val_t) noexcept { std::free (p); }

namespace crest::test
{

AllocationCounter::AllocationCounter() : start (allocationsOnThisThread), foreignStart (foreignAllocationsOnThisThread) {}
AllocationCounter::~AllocationCounter() = default;
int64_t AllocationCounter::count() const { return allocationsOnThisThread - start; }
int64_t AllocationCounter::foreignCount() const { return foreignAllocationsOnThisThread - foreignStart; }

void AllocationCounter::setForeignCode (uintptr_t begin, uintptr_t end)
{
    foreignEnd = 0; // never a moment where a stale range is half replaced
    foreignBegin = begin;
    foreignEnd = end;
}

} // namespace crest::test
