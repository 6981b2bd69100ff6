#include "LockCounter.h"

#include <pthread.h>

#if defined(__SANITIZE_THREAD__)
    #define CREST_TSAN 1
#elif defined(__has_feature)
    #if __has_feature(thread_sanitizer)
        #define CREST_TSAN 1
    #endif
#endif

#if CREST_TSAN
    #include <atomic>
    #include <dlfcn.h>
#endif

namespace
{
thread_local int64_t locksOnThisThread = 0;
}

#if CREST_TSAN
// Under ThreadSanitizer the interposers must forward to TSan's own interceptors, not to glibc:
// TSan learns the order between threads from the locks it sees, and a lock taken behind its
// back makes every access the lock protects look like a data race. With clang the interceptor
// is linked in (a weak __interceptor_ symbol); with GCC it is in libtsan.so, the next
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
