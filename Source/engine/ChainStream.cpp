#include "engine/ChainStream.h"

#include "analysis/SampleStatistics.h"

#include <algorithm>

namespace crest::engine
{

ChainStream::ChainStream (std::unique_ptr<AudioStream> source, std::unique_ptr<ProcessingChain> processing, int blockSize)
    : input (std::move (source)),
      chain (std::move (processing)),
      block (std::max (1, blockSize)),
      left ((size_t) block),
      right ((size_t) block),
      toSkip (chain->latencySamples()),
      remaining (input->lengthInSamples())
{
}

std::unique_ptr<ChainStream> ChainStream::create (std::unique_ptr<AudioStream> input, const ChainDescription& description, int blockSize,
                                                  std::string& error)
{
    if (input->numChannels() != 2)
    {
        error = "the chain runs on stereo streams; this one has " + std::to_string (input->numChannels()) + " channels";
        return nullptr;
    }
    auto chain = ProcessingChain::build (description, input->sampleRate(), std::max (1, blockSize), error);
    if (chain == nullptr)
        return nullptr;
    return std::make_unique<ChainStream> (std::move (input), std::move (chain), blockSize);
}

bool ChainStream::processBlock()
{
    int n = 0;
    if (! inputEnded)
    {
        float* channels[2] = { left.data(), right.data() };
        while (n < block)
        {
            float* at[2] = { channels[0] + n, channels[1] + n };
            const int got = input->read (at, block - n);
            if (got < 0)
            {
                failure = input->error();
                return false;
            }
            if (got == 0)
            {
                inputEnded = true;
                break;
            }
            n += got;
        }
    }
    // Past the end of the input, silence flushes the chain's tail.
    std::fill (left.begin() + n, left.end(), 0.0f);
    std::fill (right.begin() + n, right.end(), 0.0f);

    analysis::SampleStatistics::replaceNonFinite (left.data(), block);
    analysis::SampleStatistics::replaceNonFinite (right.data(), block);
    chain->process (left.data(), right.data(), block);

    const int skip = (int) std::min<int64_t> (toSkip, block);
    toSkip -= skip;
    pendingStart = skip;
    pendingEnd = skip + (int) std::min<int64_t> (block - skip, remaining);
    return true;
}

int ChainStream::read (float* const* channels, int numSamples)
{
    int written = 0;
    while (written < numSamples && remaining > 0)
    {
        if (pendingStart == pendingEnd && ! processBlock())
            return -1;
        const int n = std::min (numSamples - written, pendingEnd - pendingStart);
        std::copy_n (left.data() + pendingStart, n, channels[0] + written);
        std::copy_n (right.data() + pendingStart, n, channels[1] + written);
        pendingStart += n;
        written += n;
        remaining -= n;
    }
    return written;
}

} // namespace crest::engine
