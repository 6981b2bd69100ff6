#include "AllocationCounter.h"

#include <algorithm>
#include <cstdlib>
#include <new>

namespace
{
thread_local int64_t allocationsOnThisThread = 0;

void* allocate (std::size_t size)
{
    ++allocationsOnThisThread;
    if (void* p = std::malloc (size == 0 ? 1 : size))
        return p;
    throw std::bad_alloc();
}

void* allocateAligned (std::size_t size, std::align_val_t alignment)
{
    ++allocationsOnThisThread;
    void* p = nullptr;
    if (posix_memalign (&p, std::max<std::size_t> ((std::size_t) alignment, sizeof (void*)), size == 0 ? 1 : size) != 0)
        throw std::bad_alloc();
    return p;
}
} // namespace

void* operator new (std::size_t size) { return allocate (size); }
void* operator new[] (std::size_t size) { return allocate (size); }
void* operator new (std::size_t size, const std::nothrow_t&) noexcept { try { return allocate (size); } catch (...) { return nullptr; } }
void* operator new[] (std::size_t size, const std::nothrow_t&) noexcept { try { return allocate (size); } catch (...) { return nullptr; } }
void* operator new (std::size_t size, std::align_val_t a) { return allocateAligned (size, a); }
void* operator new[] (std::size_t size, std::align_val_t a) { return allocateAligned (size, a); }
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

AllocationCounter::AllocationCounter() : start (allocationsOnThisThread) {}
AllocationCounter::~AllocationCounter() = default;
int64_t AllocationCounter::count() const { return allocationsOnThisThread - start; }

} // namespace crest::test
