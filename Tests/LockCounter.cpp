#include "LockCounter.h"

#include <pthread.h>

namespace
{
thread_local int64_t locksOnThisThread = 0;
}

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

namespace crest::test
{

LockCounter::LockCounter() : start (locksOnThisThread) { }
int64_t LockCounter::count() const
{
    return locksOnThisThread - start;
}

} // namespace crest::test
