#include "engine/OfflineRenderer.h"

#include "dsp/TpdfDither.h"
#include "engine/AudioFileOutput.h"
#include "engine/ProcessingChain.h"

#include <filesystem>

namespace crest::engine
{
namespace
{
    bool sameFile (const std::string& a, const std::string& b)
    {
        std::error_code error;
        if (std::filesystem::exists (b, error) && std::filesystem::equivalent (a, b, error))
            return true;
        const auto cwd = juce::File::getCurrentWorkingDirectory();
        return cwd.getChildFile (juce::String (a)) == cwd.getChildFile (juce::String (b));
    }
} // namespace

std::optional<RenderResult> renderFile (const std::string& inputPath, const std::string& outputPath, const ChainDescription& chain,
                                        const RenderOptions& options, std::string& error)
{
    if (sameFile (inputPath, outputPath))
    {
        error = "the output would overwrite the source; choose another name";
        return std::nullopt;
    }

    auto input = AudioFileInput::open (inputPath, error);
    if (input == nullptr)
    {
        error = inputPath + ": " + error;
        return std::nullopt;
    }
    const auto info = input->info();
    if (info.numChannels > 2)
    {
        error = inputPath + ": the mastering chain works on mono and stereo; this file has " + std::to_string (info.numChannels)
                + " channels";
        return std::nullopt;
    }

    const int block = std::max (1, options.blockSize);
    auto processing = ProcessingChain::build (chain, info.sampleRate, block, error);
    if (processing == nullptr)
        return std::nullopt;

    auto output = AudioFileOutput::create (outputPath, info.sampleRate, info.numChannels, options.bitsPerSample, error);
    if (output == nullptr)
    {
        error = outputPath + ": " + error;
        return std::nullopt;
    }

    RenderResult result;
    result.input = info;
    result.latencySamples = processing->latencySamples();

    analysis::TrackAnalyser analyser;
    analyser.prepare (info.sampleRate, info.numChannels);
    // One generator for every channel, in float, added before the writer's rounding: the way
    // renders have always been dithered, so they stay byte-identical.
    dsp::TpdfDither dither (dsp::DitherCurve::tpdf, options.ditherSeed, dsp::DitherNoise::mersenneTwister);

    juce::AudioBuffer<float> buffer (2, block);
    std::vector<float> monoOut ((size_t) block);
    int64_t toSkip = result.latencySamples;      // output samples still owed to latency
    int64_t remaining = info.lengthInSamples;    // output samples still to write

    while (remaining > 0)
    {
        if (options.cancel != nullptr && options.cancel->load())
        {
            error = "cancelled";
            return std::nullopt; // the unfinished temporary file is removed with `output`
        }

        // Read the next block; past the end of the source, feed silence to flush the tail.
        int n = input->read (buffer, block);
        if (n < block)
        {
            buffer.clear (0, n, block - n);
            if (info.numChannels == 1)
                buffer.clear (1, 0, block);
            n = block;
        }
        if (info.numChannels == 1)
            buffer.copyFrom (1, 0, buffer, 0, 0, n);

        float* left = buffer.getWritePointer (0);
        float* right = buffer.getWritePointer (1);
        for (auto* channel : { left, right })
            analysis::SampleStatistics::replaceNonFinite (channel, n);
        processing->process (left, right, n);

        const int skip = (int) std::min<int64_t> (toSkip, n);
        toSkip -= skip;
        const int count = (int) std::min<int64_t> (n - skip, remaining);
        if (count <= 0)
            continue;

        float* channels[2] = { left + skip, right + skip };
        if (info.numChannels == 1)
        {
            for (int i = 0; i < count; ++i)
                monoOut[(size_t) i] = 0.5f * (channels[0][i] + channels[1][i]);
            channels[0] = monoOut.data();
        }

        analyser.process (channels, count);
        if (options.bitsPerSample == 16)
            for (int c = 0; c < info.numChannels; ++c)
                dither.addNoise (channels[c], count);

        if (! output->write (channels, count))
        {
            error = outputPath + ": " + output->writeFailure();
            return std::nullopt;
        }
        remaining -= count;
        if (options.progress)
            options.progress (1.0 - (double) remaining / (double) info.lengthInSamples);
    }

    if (! output->finish (error))
    {
        error = outputPath + ": " + error;
        return std::nullopt;
    }
    result.output = analyser.finish();
    return result;
}

} // namespace crest::engine
