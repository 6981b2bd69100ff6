#include "engine/FileAnalysis.h"

#include <cmath>

namespace crest::engine
{

std::optional<FileAnalysis> analyseFile (const std::string& path, std::string& error,
                                         const std::function<void (double)>& progress,
                                         const std::atomic<bool>* cancel)
{
    auto input = AudioFileInput::open (path, error);
    if (input == nullptr)
        return std::nullopt;

    const auto& info = input->info();
    analysis::TrackAnalyser analyser;
    analyser.prepare (info.sampleRate, info.numChannels);

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
