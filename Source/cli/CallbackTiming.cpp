#include "cli/CallbackTiming.h"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <sys/resource.h>

namespace crest::cli
{
namespace
{
    int64_t nanoseconds (clockid_t clock)
    {
        timespec t {};
        clock_gettime (clock, &t);
        return (int64_t) t.tv_sec * 1000000000 + t.tv_nsec;
    }

    void raiseTo (std::atomic<int64_t>& maximum, int64_t value)
    {
        // Only the audio thread writes, so a load and a store are enough.
        if (value > maximum.load (std::memory_order_relaxed))
            maximum.store (value, std::memory_order_relaxed);
    }

    void add (std::atomic<int64_t>& counter, int64_t value)
    {
        counter.store (counter.load (std::memory_order_relaxed) + value, std::memory_order_relaxed);
    }
} // namespace

void CallbackTiming::audioDeviceAboutToStart (juce::AudioIODevice* device)
{
    sampleRate = device->getCurrentSampleRate();
    blockSize = device->getCurrentBufferSizeSamples();
    inner.audioDeviceAboutToStart (device);
}

void CallbackTiming::audioDeviceIOCallbackWithContext (const float* const* inputs, int numInputs, float* const* outputs,
    int numOutputs, int numSamples, const juce::AudioIODeviceCallbackContext& context)
{
    rusage before {}, after {};
    getrusage (RUSAGE_THREAD, &before);
    const auto wall0 = nanoseconds (CLOCK_MONOTONIC), cpu0 = nanoseconds (CLOCK_THREAD_CPUTIME_ID);

    inner.audioDeviceIOCallbackWithContext (inputs, numInputs, outputs, numOutputs, numSamples, context);

    const auto cpu = nanoseconds (CLOCK_THREAD_CPUTIME_ID) - cpu0, wall = nanoseconds (CLOCK_MONOTONIC) - wall0;
    getrusage (RUSAGE_THREAD, &after);

    add (cycles, 1);
    add (cpuNsTotal, cpu);
    raiseTo (maxCpuNs, cpu);
    raiseTo (maxWallNs, wall);
    const auto bin = (size_t) std::clamp<int64_t> (cpu / 50000, 0, histogramBins - 1);
    cpuHistogram[bin].store (cpuHistogram[bin].load (std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    if (after.ru_nvcsw > before.ru_nvcsw)
        add (blocked, 1);
    if (after.ru_nivcsw > before.ru_nivcsw)
        add (preempted, 1);
    if (sampleRate > 0.0 && (double) wall > numSamples / sampleRate * 1.0e9)
        add (late, 1);
    add (faults, (after.ru_minflt - before.ru_minflt) + (after.ru_majflt - before.ru_majflt));
}

CallbackTiming::Figures CallbackTiming::figures() const
{
    Figures f;
    f.cycles = cycles.load();
    f.budgetMs = sampleRate > 0.0 ? blockSize / sampleRate * 1000.0 : 0.0;
    f.maxCpuMs = maxCpuNs.load() / 1.0e6;
    f.meanCpuMs = f.cycles > 0 ? cpuNsTotal.load() / 1.0e6 / (double) f.cycles : 0.0;
    f.maxWallMs = maxWallNs.load() / 1.0e6;
    f.blockedCycles = blocked.load();
    f.preemptedCycles = preempted.load();
    f.lateCycles = late.load();
    f.pageFaults = faults.load();

    // The upper edge of the bin where 99.9 % of cycles have been counted.
    const auto wanted = (int64_t) std::ceil (0.999 * (double) f.cycles);
    int64_t seen = 0;
    for (int i = 0; i < histogramBins && f.cycles > 0; ++i)
    {
        seen += cpuHistogram[(size_t) i].load();
        if (seen >= wanted)
        {
            f.cpuP999Ms = (i + 1) * 0.05;
            break;
        }
    }
    return f;
}

} // namespace crest::cli
