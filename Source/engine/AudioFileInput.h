#pragma once

#include <juce_audio_formats/juce_audio_formats.h>

#include <cstdint>
#include <memory>
#include <string>

namespace crest::engine
{

/** The formats every reader of audio files in Crest uses: JUCE's WAV (incl. RF64), AIFF, FLAC
    and Ogg Vorbis, and MP3 through libmpg123 (engine/Mp3Format.h says why not JUCE's). Registered
    once; creating readers from it afterwards is thread-safe (readers are independent). */
juce::AudioFormatManager& readableFormats();

/** What a file says about its audio before any of it is read. */
struct AudioFileInfo
{
    std::string path;          ///< as given by the user
    std::string formatName;    ///< "WAV", "AIFF", "FLAC", "Ogg Vorbis", "MP3"
    double sampleRate = 0.0;
    int numChannels = 0;
    int64_t lengthInSamples = 0;
    int bitsPerSample = 0;     ///< as stored (for lossy formats: what the decoder produces)
    bool isFloatingPoint = false;
    bool isLossy = false;      ///< MP3 or Ogg Vorbis

    /** Duration in seconds. */
    double durationSeconds() const noexcept { return sampleRate > 0.0 ? (double) lengthInSamples / sampleRate : 0.0; }
};

/** An audio file opened for streaming, after checks that turn every kind of bad input into a
    sentence naming the reason: missing, unreadable, empty, not audio, truncated, or outside
    what Crest supports (8-384 kHz, 1-8 channels).

    Files are only ever read. Memory does not depend on the file's length.
*/
class AudioFileInput
{
public:
    /** Lowest and highest sample rates Crest accepts. */
    static constexpr double minimumSampleRate = 8000.0, maximumSampleRate = 384000.0;

    /** Most channels Crest accepts (7.1). */
    static constexpr int maximumChannels = 8;

    /** Opens a file. On failure returns nullptr and sets `error` to the reason (without the
        path: callers prefix it). */
    static std::unique_ptr<AudioFileInput> open (const std::string& path, std::string& error);

    ~AudioFileInput();

    /** The file's description. */
    const AudioFileInfo& info() const noexcept { return fileInfo; }

    /** Reads the next `numSamples` (or fewer at the end) into the start of `buffer`, which must
        have at least info().numChannels channels. Returns the number read; 0 at the end. */
    int read (juce::AudioBuffer<float>& buffer, int numSamples);

    /** Samples read so far. */
    int64_t position() const noexcept { return readPosition; }

private:
    AudioFileInput() = default;

    AudioFileInfo fileInfo;
    std::unique_ptr<juce::AudioFormatReader> reader;
    int64_t readPosition = 0;
};

} // namespace crest::engine
