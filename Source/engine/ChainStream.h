#pragma once

// A mastering chain run offline over a stream, its output lined up with its input.
//
// Design note: a chain delays its output by its latency (look-ahead limiters, linear-phase
// EQs). Offline, that delay is removed: the first `latency` output samples are dropped and the
// input is followed by silence to flush the chain's tail, so the output has exactly the input's
// length and a neutral chain nulls against its input. This is what engine::renderFile does for
// one file; the album renderer runs one of these per track, so every export stage that pulls
// from an AudioStream gets the same alignment. The chain processes fixed blocks whatever size
// the reader asks for, so the output does not depend on how reads are cut.

#include "engine/AudioStream.h"
#include "engine/ProcessingChain.h"

#include <memory>
#include <string>
#include <vector>

namespace crest::engine
{

/** Pulls stereo audio from `input` through a ProcessingChain, latency removed, tail flushed. */
class ChainStream : public AudioStream
{
public:
    /** Runs `chain` (prepared for at least `blockSize`) over a two-channel `input`. */
    ChainStream (std::unique_ptr<AudioStream> input, std::unique_ptr<ProcessingChain> chain, int blockSize);

    /** Builds the chain from a description at the input's rate. Returns nullptr with `error`
        set (naming the module) when the chain cannot be built or the input is not stereo. */
    static std::unique_ptr<ChainStream> create (std::unique_ptr<AudioStream> input, const ChainDescription& chain, int blockSize,
                                                std::string& error);

    double sampleRate() const override { return input->sampleRate(); }
    int numChannels() const override { return 2; }
    int64_t lengthInSamples() const override { return input->lengthInSamples(); }
    int read (float* const* channels, int numSamples) override;
    const char* error() const override { return failure.c_str(); }

    /** The chain's latency in samples (removed from the output). */
    int latencySamples() const noexcept { return chain->latencySamples(); }

private:
    bool processBlock();

    std::unique_ptr<AudioStream> input;
    std::unique_ptr<ProcessingChain> chain;
    int block = 4096;
    std::vector<float> left, right;
    int pendingStart = 0, pendingEnd = 0; // processed output waiting in left/right
    int64_t toSkip = 0;                   // output samples still owed to latency
    int64_t remaining = 0;                // output samples still to deliver
    bool inputEnded = false;
    std::string failure;
};

} // namespace crest::engine
