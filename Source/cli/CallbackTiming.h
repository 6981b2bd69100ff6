#pragma once

// What the engine's audio callback itself cost, cycle by cycle, so that `crest play` can say
// whose fault an xrun was. An xrun only says that some cycle missed its deadline; on a shared
// or virtual machine even a JACK server with no client misses deadlines when the host does not
// run its realtime thread in time. CallbackTiming wraps the player's device callback and, per
// cycle, takes the thread's CPU time and its context switches (getrusage RUSAGE_THREAD):
//   - a voluntary switch inside the callback means the engine waited (a lock, a sleep, I/O):
//     the engine's fault, whatever the machine;
//   - CPU time near the period means the engine's work does not fit: the engine's fault;
//   - an involuntary switch means the kernel or the host took the core away: the machine's.
// The audio thread only makes three system calls per cycle and writes relaxed atomics: no
// allocation, no lock, no I/O. The figures are read after the device has stopped.

#include <juce_audio_devices/juce_audio_devices.h>

#include <array>
#include <atomic>
#include <cstdint>

namespace crest::cli
{

/** Forwards a device callback and measures each cycle of it. */
class CallbackTiming final : public juce::AudioIODeviceCallback
{
public:
    /** Measures `inner`, which must outlive this object. */
    explicit CallbackTiming (juce::AudioIODeviceCallback& measured) : inner (measured) {}

    void audioDeviceIOCallbackWithContext (const float* const* inputs, int numInputs, float* const* outputs,
        int numOutputs, int numSamples, const juce::AudioIODeviceCallbackContext& context) override;
    void audioDeviceAboutToStart (juce::AudioIODevice* device) override;
    void audioDeviceStopped() override { inner.audioDeviceStopped(); }
    void audioDeviceError (const juce::String& message) override { inner.audioDeviceError (message); }

    /** The figures so far; read them once the device has stopped calling. */
    struct Figures
    {
        int64_t cycles = 0;
        double budgetMs = 0.0;       ///< one period: the block size over the device's rate
        double maxCpuMs = 0.0;       ///< the most CPU time any one cycle took
        double meanCpuMs = 0.0;
        double maxWallMs = 0.0;      ///< the longest cycle from entry to return, preemption included
        double cpuP999Ms = 0.0;      ///< 99.9 % of cycles took at most this much CPU (0.05 ms bins)
        int64_t blockedCycles = 0;   ///< cycles with a voluntary context switch: the engine waited
        int64_t preemptedCycles = 0; ///< cycles with an involuntary switch: the core was taken away
        int64_t lateCycles = 0;      ///< cycles whose wall time exceeded the period
        int64_t pageFaults = 0;      ///< minor + major faults taken inside callbacks
    };
    Figures figures() const;

private:
    juce::AudioIODeviceCallback& inner;
    double sampleRate = 0.0;
    int blockSize = 0;

    static constexpr int histogramBins = 400; // 0.05 ms each, up to 20 ms
    std::array<std::atomic<uint32_t>, histogramBins> cpuHistogram {};
    std::atomic<int64_t> cycles { 0 }, cpuNsTotal { 0 }, maxCpuNs { 0 }, maxWallNs { 0 };
    std::atomic<int64_t> blocked { 0 }, preempted { 0 }, late { 0 }, faults { 0 };
};

} // namespace crest::cli
