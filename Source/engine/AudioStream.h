#pragma once

// A pull source of audio: what the album renderer produces and every export stage consumes
// (render -> loudness/ceiling -> sample-rate conversion -> dither -> writer). Stages wrap one
// another, so a whole album streams from disk through the pipeline with bounded memory.

#include <cstdint>

namespace crest::engine
{

/** A finite stream of float audio, read forwards in blocks. Not thread-safe; one reader. */
class AudioStream
{
public:
    virtual ~AudioStream() = default;

    /** Samples per second of what read() produces. */
    virtual double sampleRate() const = 0;

    /** Channels read() fills. */
    virtual int numChannels() const = 0;

    /** Total length in samples (per channel), known before reading. */
    virtual int64_t lengthInSamples() const = 0;

    /** Fills `numSamples` samples of each channel (fewer only at the end); returns how many
        were written, 0 at the end. Returns -1 on an error, described by error(). */
    virtual int read (float* const* channels, int numSamples) = 0;

    /** Why the last read() failed, naming the file where there is one. */
    virtual const char* error() const { return ""; }
};

} // namespace crest::engine
