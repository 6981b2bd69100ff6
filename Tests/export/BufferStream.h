#pragma once

// An AudioStream over a buffer in memory, for feeding the delivery stages in tests.

#include "TestSignals.h"
#include "engine/AudioStream.h"

#include <algorithm>

namespace crest::test
{

class BufferStream : public engine::AudioStream
{
public:
    BufferStream (const Buffer& b, double rate) : buffer (b), sampleRateHz (rate) { }

    double sampleRate() const override { return sampleRateHz; }
    int numChannels() const override { return buffer.getNumChannels(); }
    int64_t lengthInSamples() const override { return buffer.getNumSamples(); }

    int read (float* const* channels, int numSamples) override
    {
        const int n = std::min (numSamples, buffer.getNumSamples() - position);
        for (int c = 0; c < buffer.getNumChannels(); ++c)
            std::copy_n (buffer.getReadPointer (c, position), n, channels[c]);
        position += n;
        return n;
    }

private:
    const Buffer& buffer;
    double sampleRateHz;
    int position = 0;
};

/** Reads a whole stream into a buffer. */
inline Buffer readStream (engine::AudioStream& s)
{
    Buffer out (s.numChannels(), (int) s.lengthInSamples());
    std::vector<float*> p ((size_t) s.numChannels());
    int at = 0;
    for (;;)
    {
        for (int c = 0; c < s.numChannels(); ++c)
            p[(size_t) c] = out.getWritePointer (c, at);
        const int n = s.read (p.data(), std::min (4096, out.getNumSamples() - at));
        if (n <= 0)
            break;
        at += n;
    }
    out.setSize (out.getNumChannels(), at, true);
    return out;
}

} // namespace crest::test
