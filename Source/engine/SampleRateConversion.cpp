#include "engine/SampleRateConversion.h"

#include <soxr.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace crest::engine
{

struct SampleRateConversion::Soxr
{
    soxr_t handle = nullptr;
    ~Soxr()
    {
        if (handle != nullptr)
            soxr_delete (handle);
    }
};

int64_t SampleRateConversion::convertedLength (int64_t inputLength, double inputRate, double outputRate)
{
    // Exact for the rational ratios of audio rates (e.g. 44100/96000 = 147/320) without overflow.
    return (int64_t) std::llround ((long double) inputLength * (long double) outputRate / (long double) inputRate);
}

SampleRateConversion::SampleRateConversion (AudioStream& sourceToConvert, double outputRate)
    : source (sourceToConvert),
      outRate (outputRate),
      channels (sourceToConvert.numChannels()),
      outLength (convertedLength (sourceToConvert.lengthInSamples(), sourceToConvert.sampleRate(), outputRate))
{
    if (! (outputRate > 0.0) || ! (source.sampleRate() > 0.0) || channels < 1)
        throw std::runtime_error ("sample-rate conversion needs positive rates and at least one channel");

    input.assign ((size_t) channels, std::vector<float> ((size_t) inputBlock));
    if (source.sampleRate() == outRate)
        return;

    soxr = std::make_unique<Soxr>();
    const auto io = soxr_io_spec (SOXR_FLOAT32_S, SOXR_FLOAT32_S); // split channels, no interleaving copies
    const auto quality = soxr_quality_spec (SOXR_VHQ, 0);           // linear phase, ~175 dB stopband
    const auto runtime = soxr_runtime_spec (1);                     // one thread: the pipeline runs targets in parallel
    soxr_error_t failure = nullptr;
    soxr->handle = soxr_create (source.sampleRate(), outRate, (unsigned) channels, &failure, &io, &quality, &runtime);
    if (failure != nullptr || soxr->handle == nullptr)
        throw std::runtime_error (std::string ("libsoxr cannot convert ") + std::to_string (source.sampleRate()) + " Hz to "
                                  + std::to_string (outRate) + " Hz: " + (failure != nullptr ? failure : "unknown error"));
}

SampleRateConversion::~SampleRateConversion() = default;

bool SampleRateConversion::refill()
{
    std::vector<float*> pointers;
    for (auto& c : input)
        pointers.push_back (c.data());
    const int got = source.read (pointers.data(), inputBlock);
    if (got < 0)
    {
        errorText = source.error();
        return false;
    }
    inputAvailable = got;
    inputOffset = 0;
    sourceEnded = got == 0;
    return true;
}

int SampleRateConversion::read (float* const* destination, int numSamples)
{
    numSamples = (int) std::min<int64_t> (numSamples, outLength - produced);
    if (numSamples <= 0)
        return 0;

    if (soxr == nullptr) // equal rates
    {
        const int got = source.read (destination, numSamples);
        if (got < 0)
            errorText = source.error();
        else
            produced += got;
        return got;
    }

    int done = 0;
    std::vector<const float*> in ((size_t) channels);
    std::vector<float*> out ((size_t) channels);
    while (done < numSamples)
    {
        if (! sourceEnded && inputOffset == inputAvailable && ! refill())
            return -1;

        for (int c = 0; c < channels; ++c)
            out[(size_t) c] = destination[c] + done;

        size_t consumed = 0, made = 0;
        soxr_error_t failure = nullptr;
        if (! sourceEnded)
        {
            for (int c = 0; c < channels; ++c)
                in[(size_t) c] = input[(size_t) c].data() + inputOffset;
            failure = soxr_process (soxr->handle, in.data(), (size_t) (inputAvailable - inputOffset), &consumed, out.data(),
                                    (size_t) (numSamples - done), &made);
            inputOffset += (int) consumed;
        }
        else if (! flushed)
        {
            // End of input: a null input asks soxr for the tail of its filter response.
            failure = soxr_process (soxr->handle, nullptr, 0, nullptr, out.data(), (size_t) (numSamples - done), &made);
            flushed = made == 0;
        }
        if (failure != nullptr)
        {
            errorText = std::string ("libsoxr: ") + failure;
            return -1;
        }
        done += (int) made;

        if (flushed && done < numSamples)
        {
            // soxr's own count can fall a sample short of the exact length: pad with silence.
            for (int c = 0; c < channels; ++c)
                std::fill (destination[c] + done, destination[c] + numSamples, 0.0f);
            done = numSamples;
        }
    }
    produced += done;
    return done;
}

} // namespace crest::engine
