#pragma once

// An audio file, or a range of its samples, as an AudioStream: how every export stage after
// the first pass reads the track masters, and how the CD's track files are cut from album.wav.
//
// Design note: samples come out exactly as stored. JUCE's float read path scales integers by
// 1 / (2^31 - 1), which moves a 16-bit sample k a hair off k / 32768; the DDP writer refuses
// anything off the 16-bit grid, and a 24-bit file re-written must not change. So this reads
// the left-justified integers JUCE's readers produce and scales them by 2^-31 (exact for 8 to
// 24 bits), and reads float files' bits untouched. The range is seeked to, not skipped, so
// cutting the last track of a long album costs no more than cutting the first. Files are only
// ever read; memory is one block whatever the file's length.

#include "engine/AudioStream.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace juce
{
class AudioFormatReader;
}

namespace crest::engine
{

/** Reads [startSample, endSample) of an audio file forwards, in blocks. Not thread-safe. */
class FileStream : public AudioStream
{
public:
    /** Opens `path` (checked as AudioFileInput checks it). `endSample` < 0 means the file's end.
        Returns nullptr with `error` set (naming the file and the reason) when the file cannot
        be read or the range lies outside it. */
    static std::unique_ptr<FileStream> open (
        const std::string& path, std::string& error, int64_t startSample = 0, int64_t endSample = -1);

    ~FileStream() override;

    double sampleRate() const override { return rate; }
    int numChannels() const override { return channels; }
    int64_t lengthInSamples() const override { return end - start; }
    int read (float* const* destination, int numSamples) override;
    const char* error() const override { return errorText.c_str(); }

    /** Bits per sample as stored, and whether the file holds floats. */
    int bitsPerSample() const noexcept { return bits; }
    bool isFloatingPoint() const noexcept { return floatingPoint; }

private:
    FileStream() = default;

    std::string path, errorText;
    std::unique_ptr<juce::AudioFormatReader> reader;
    double rate = 0.0;
    int channels = 0, bits = 0;
    bool floatingPoint = false;
    int64_t start = 0, end = 0, position = 0;
    std::vector<std::vector<int>> scratch;
};

} // namespace crest::engine
