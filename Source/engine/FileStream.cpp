#include "engine/FileStream.h"

#include "engine/AudioFileInput.h"

#include <juce_audio_formats/juce_audio_formats.h>

#include <algorithm>
#include <cstring>

namespace crest::engine
{
namespace
{
    constexpr int blockSize = 8192;
} // namespace

std::unique_ptr<FileStream> FileStream::open (const std::string& path, std::string& error, int64_t startSample, int64_t endSample)
{
    // AudioFileInput's checks (truncation, rates, channels) give the same sentences everywhere.
    const auto checked = AudioFileInput::open (path, error);
    if (checked == nullptr)
    {
        error = path + ": " + error;
        return nullptr;
    }
    const auto info = checked->info();

    std::unique_ptr<FileStream> stream (new FileStream());
    stream->reader.reset (readableFormats().createReaderFor (juce::File (path)));
    if (stream->reader == nullptr)
    {
        error = path + ": not a readable audio file";
        return nullptr;
    }
    if (endSample < 0)
        endSample = info.lengthInSamples;
    if (startSample < 0 || startSample > endSample || endSample > info.lengthInSamples)
    {
        error = path + ": samples " + std::to_string (startSample) + " to " + std::to_string (endSample)
            + " lie outside the file's " + std::to_string (info.lengthInSamples);
        return nullptr;
    }
    stream->path = path;
    stream->rate = info.sampleRate;
    stream->channels = info.numChannels;
    stream->bits = info.bitsPerSample;
    stream->floatingPoint = stream->reader->usesFloatingPointData;
    stream->start = stream->position = startSample;
    stream->end = endSample;
    stream->scratch.assign ((size_t) info.numChannels, std::vector<int> (blockSize));
    return stream;
}

FileStream::~FileStream() = default;

int FileStream::read (float* const* destination, int numSamples)
{
    int done = 0;
    while (done < numSamples && position < end)
    {
        const int n = (int) std::min<int64_t> ({ (int64_t) (numSamples - done), (int64_t) blockSize, end - position });
        std::vector<int*> pointers;
        pointers.reserve ((size_t) channels);
        for (auto& c : scratch)
            pointers.push_back (c.data());
        if (! reader->read (pointers.data(), channels, position, n, false))
        {
            errorText = path + ": reading failed at sample " + std::to_string (position);
            return -1;
        }
        for (int c = 0; c < channels; ++c)
        {
            const int* in = scratch[(size_t) c].data();
            float* out = destination[c] + done;
            if (floatingPoint)
                std::memcpy (out, in, sizeof (float) * (size_t) n);
            else
                for (int i = 0; i < n; ++i)
                    out[i] = (float) ((double) in[i] * (1.0 / 2147483648.0));
        }
        position += n;
        done += n;
    }
    return done;
}

} // namespace crest::engine
