#pragma once

#include "engine/AtomicFile.h"

#include <juce_audio_formats/juce_audio_formats.h>

#include <memory>
#include <string>

namespace crest::engine
{

/** An audio file being written safely, through an AtomicFile: under a partial name beside the
    target, renamed into place only by finish(). Destroyed unfinished (an error, a cancel), it
    leaves nothing.

    The format comes from the extension (.wav, .aif/.aiff, .flac). Integer samples are written
    exactly, through dsp::PcmQuantiser (ties away from zero): a float sample k / 2^23 becomes
    the 24-bit integer k (JUCE's own conversion scales by 2^31 - 1 and can be one step off near
    full scale). No dither is added here.
*/
class AudioFileOutput
{
public:
    /** Opens the temporary file. Returns nullptr with `error` set (without the path) when the
        extension, the bit depth or the place is not writable. `bits` is 16, 24 or 32 (32 means
        32-bit float, WAV only). */
    static std::unique_ptr<AudioFileOutput> create (const std::string& path, double sampleRate, int numChannels, int bits,
                                                    std::string& error);

    /** True when an extension names a format Crest writes. */
    static bool isWritableExtension (const std::string& path);

    ~AudioFileOutput();

    /** Appends samples (non-interleaved). Samples beyond full scale are clipped for integer
        formats. Returns false when the disk refuses. */
    bool write (const float* const* channels, int numSamples);

    /** Closes the file and renames it into place. Returns false with `error` set. */
    bool finish (std::string& error);

    /** Why a write() failed, as the system said it ("cannot write: No space left on device",
        "cannot write: File too large"), without the path. */
    std::string writeFailure() const { return file->reasonOr ("writing failed (is the disk full?)"); }

private:
    AudioFileOutput() = default;

    std::unique_ptr<AtomicFile> file; // declared before the writer, which writes into it until destroyed
    std::unique_ptr<juce::AudioFormatWriter> writer;
    std::vector<std::vector<int>> scratch;
    std::vector<const int*> pointers; // the channels' words for the writer, sized once by create()
    int numChannels = 0, bits = 24;
    bool floatingPoint = false;
};

} // namespace crest::engine
