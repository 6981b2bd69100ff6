#include "LockCounter.h"

#include <pthread.h>

#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
    #define CREST_SANITIZED 1
#elif defined(__has_feature)
    #if __has_feature(thread_sanitizer) || __has_feature(address_sanitizer)
        #define CREST_SANITIZED 1
    #endif
#endif

#if CREST_SANITIZED
    #include <atomic>
    #include <dlfcn.h>
#endif

namespace
{
thread_local int64_t locksOnThisThread = 0;
}

#if CREST_SANITIZED
// In sanitizer builds the interposers forward to the sanitizer's own pthread_mutex_lock
// interceptor, not to glibc's __pthread_mutex_lock: (1) ASan and TSan (LLVM 14, GCC 12) also
// intercept __pthread_mutex_lock, and their interceptor finds no real function to call on
// glibc 2.34+ (where that name is only a compatibility version), so the forward below jumped to
// address 0: every sanitized test run died at its first lock (found running this suite under
// ASan; a minimal reproducer crashed the same way under TSan); (2) TSan learns the order
// between threads from the locks it sees, and a lock taken behind its back makes everything
// the lock protects look like a data race. With clang the interceptor is linked in (a weak
// __interceptor_ symbol); with GCC it is in the sanitizer's shared library, the next
// definition after the program's own (RTLD_NEXT). Looked up on first use, without locking.
extern "C" int __interceptor_pthread_mutex_lock (pthread_mutex_t*) __attribute__ ((weak));
extern "C" int __interceptor_pthread_mutex_trylock (pthread_mutex_t*) __attribute__ ((weak));

namespace
{
using LockFunction = int (*) (pthread_mutex_t*);

LockFunction resolve (std::atomic<LockFunction>& cache, LockFunction linkedIn, const char* name)
{
    auto f = cache.load (std::memory_order_acquire);
    if (f == nullptr)
    {
        f = linkedIn != nullptr ? linkedIn : reinterpret_cast<LockFunction> (dlsym (RTLD_NEXT, name));
        cache.store (f, std::memory_order_release);
    }
    return f;
}

std::atomic<LockFunction> nextLock { nullptr }, nextTrylock { nullptr };
} // namespace

extern "C" int pthread_mutex_lock (pthread_mutex_t* mutex)
{
    ++locksOnThisThread;
    return resolve (nextLock, __interceptor_pthread_mutex_lock, "pthread_mutex_lock") (mutex);
}

extern "C" int pthread_mutex_trylock (pthread_mutex_t* mutex)
{
    ++locksOnThisThread;
    return resolve (nextTrylock, __interceptor_pthread_mutex_trylock, "pthread_mutex_trylock") (mutex);
}
#else
// glibc exports the implementations under these (non-default, versioned) names too, so the
// interposers can forward without dlsym (which may itself lock).
extern "C" int realMutexLock (pthread_mutex_t* mutex);
extern "C" int realMutexTrylock (pthread_mutex_t* mutex);
__asm__(".symver realMutexLock, __pthread_mutex_lock@GLIBC_2.2.5");
__asm__(".symver realMutexTrylock, __pthread_mutex_trylock@GLIBC_2.2.5");

extern "C" int pthread_mutex_lock (pthread_mutex_t* mutex)
{
    ++locksOnThisThread;
    return realMutexLock (mutex);
}

extern "C" int pthread_mutex_trylock (pthread_mutex_t* mutex)
{
    ++locksOnThisThread;
    return realMutexTrylock (mutex);
}
#endif

namespace crest::test
{

LockCounter::LockCounter() : start (locksOnThisThread) { }
int64_t LockCounter::count() const
{
    return locksOnThisThread - start;
}

} // namespace crest::test
