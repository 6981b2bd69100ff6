#include "engine/FileAnalysis.h"

#include <algorithm>
#include <cmath>
#include <thread>

#if defined(__linux__)
 #include <sched.h>
#endif

namespace crest::engine
{

int usableCores() noexcept
{
#if defined(__linux__)
    cpu_set_t set;
    if (sched_getaffinity (0, sizeof (set), &set) == 0)
        return std::max (1, CPU_COUNT (&set));
#endif
    return std::max (1u, std::thread::hardware_concurrency());
}

std::optional<FileAnalysis> analyseFile (const std::string& path, std::string& error,
                                         const std::function<void (double)>& progress,
                                         const std::atomic<bool>* cancel, AnalysisThreads threads)
{
    auto input = AudioFileInput::open (path, error);
    if (input == nullptr)
        return std::nullopt;

    const auto& info = input->info();
    analysis::TrackAnalyser analyser;
    analyser.prepare (info.sampleRate, info.numChannels);
    if (threads == AnalysisThreads::automatic && usableCores() >= 2)
        analyser.useSecondThread();

    const int blockSize = (int) std::ceil (info.sampleRate); // one second
    juce::AudioBuffer<float> buffer (info.numChannels, blockSize);

    while (const int n = input->read (buffer, blockSize))
    {
        if (cancel != nullptr && cancel->load())
        {
            error = "cancelled";
            return std::nullopt;
        }
        analyser.process (buffer.getArrayOfWritePointers(), n);
        if (progress)
            progress ((double) input->position() / (double) info.lengthInSamples);
    }

    return FileAnalysis { info, analyser.finish() };
}

} // namespace crest::engine
