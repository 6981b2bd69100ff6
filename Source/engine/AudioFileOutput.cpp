#include "engine/AudioFileOutput.h"

#include "dsp/PcmQuantiser.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace crest::engine
{
namespace
{
    std::unique_ptr<juce::AudioFormat> formatFor (const juce::File& file)
    {
        const auto ext = file.getFileExtension().toLowerCase();
        if (ext == ".wav")
            return std::make_unique<juce::WavAudioFormat>();
        if (ext == ".aif" || ext == ".aiff")
            return std::make_unique<juce::AiffAudioFormat>();
        if (ext == ".flac")
            return std::make_unique<juce::FlacAudioFormat>();
        return nullptr;
    }
} // namespace

bool AudioFileOutput::isWritableExtension (const std::string& path)
{
    return formatFor (juce::File::getCurrentWorkingDirectory().getChildFile (juce::String (path))) != nullptr;
}

std::unique_ptr<AudioFileOutput> AudioFileOutput::create (const std::string& path, double sampleRate, int channels, int bitDepth,
                                                          std::string& error)
{
    const auto target = juce::File::getCurrentWorkingDirectory().getChildFile (juce::String (path));
    auto format = formatFor (target);
    if (format == nullptr)
    {
        error = "unknown output format (use .wav, .aiff or .flac)";
        return nullptr;
    }
    if (bitDepth != 16 && bitDepth != 24 && bitDepth != 32)
    {
        error = "bit depth must be 16, 24 or 32 (float)";
        return nullptr;
    }
    if (bitDepth == 32 && ! target.hasFileExtension ("wav"))
    {
        error = "32-bit float output is written as WAV only";
        return nullptr;
    }
    if (target.isDirectory())
    {
        error = "it is a directory";
        return nullptr;
    }
    if (! target.getParentDirectory().isDirectory())
    {
        error = "the folder " + target.getParentDirectory().getFullPathName().toStdString() + " does not exist";
        return nullptr;
    }

    std::unique_ptr<AudioFileOutput> out (new AudioFileOutput());
    out->file = std::make_unique<AtomicFile> (target.getFullPathName().toStdString());
    out->numChannels = channels;
    out->bits = bitDepth;
    out->floatingPoint = bitDepth == 32;
    if (! out->file->isOpen())
    {
        error = out->file->reason();
        return nullptr;
    }
    auto stream = out->file->createOutputStream();

    out->writer.reset (format->createWriterFor (stream.get(), sampleRate, (unsigned) channels, bitDepth, {}, 0));
    if (out->writer == nullptr)
    {
        error = "the " + format->getFormatName().toStdString() + " writer refuses " + std::to_string (bitDepth) + "-bit at "
                + std::to_string ((int) sampleRate) + " Hz";
        return nullptr;
    }
    stream.release(); // owned by the writer now
    out->scratch.assign ((size_t) channels, {});
    out->pointers.assign ((size_t) channels + 1, nullptr); // JUCE's writers stop at a null pointer
    return out;
}

AudioFileOutput::~AudioFileOutput()
{
    writer.reset(); // finalises the stream first; the AtomicFile then removes an unfinished file
}

bool AudioFileOutput::write (const float* const* channels, int n)
{
    // Round to the target word length here: the writers truncate the low bits away.
    const dsp::PcmQuantiser quantiser (floatingPoint ? 24 : bits, dsp::TieRounding::awayFromZero);
    for (int c = 0; c < numChannels; ++c)
    {
        auto& buffer = scratch[(size_t) c];
        if (buffer.size() < (size_t) n)
            buffer.resize ((size_t) n); // grows to the largest block once, then stays
        if (floatingPoint)
            std::memcpy (buffer.data(), channels[c], sizeof (float) * (size_t) n); // JUCE takes floats through the int pointer
        else
            quantiser.toIntegers (channels[c], buffer.data(), n, 32 - bits);
        pointers[(size_t) c] = buffer.data();
    }
    return writer->write (pointers.data(), n);
}

bool AudioFileOutput::finish (std::string& error)
{
    if (writer == nullptr)
    {
        error = "already finished";
        return false;
    }
    writer.reset(); // finalises the header
    if (! file->commit())
    {
        error = file->reason();
        return false;
    }
    return true;
}

} // namespace crest::engine
