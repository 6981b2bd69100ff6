#pragma once

// Sample-rate conversion as a stream: a source at another rate than the session (album/SourceAudio)
// and the rate stage of a deliverable pipeline (e.g. 96 kHz -> 44.1 kHz for CD) use this one wrapper.
//
// Design note: libsoxr at its very-high-quality recipe (linear phase, passband to 91.3 % of the
// lower Nyquist, stopband attenuation about 175 dB). soxr hides its filter delay: the first
// output sample is time zero, so a click at input time t comes out at output time t. The stage
// streams: it pulls blocks from its source as soxr asks for them, so memory is a few blocks
// whatever the album's length. Its length is exact: round (input length * out rate / in rate),
// with the end of the filter's response flushed and then trimmed or zero-padded to that count.
// At CD frame positions (multiples of 1/75 s) this lands on whole 588-sample frames.

#include "engine/AudioStream.h"

#include <memory>
#include <string>
#include <vector>

namespace crest::engine
{

/** An AudioStream at a new sample rate, converted from another. */
class SampleRateConversion : public AudioStream
{
public:
    /** Wraps `source` (which must outlive this). Throws std::runtime_error when soxr refuses
        the rates or channel count. When the rates are equal, samples pass through untouched. */
    SampleRateConversion (AudioStream& source, double outputRate);
    ~SampleRateConversion() override;

    /** Samples for a given input length at the two rates: round (in * out / in rate). */
    static int64_t convertedLength (int64_t inputLength, double inputRate, double outputRate);

    double sampleRate() const override { return outRate; }
    int numChannels() const override { return channels; }
    int64_t lengthInSamples() const override { return outLength; }
    int read (float* const* destination, int numSamples) override;
    const char* error() const override { return errorText.c_str(); }

private:
    bool refill();

    AudioStream& source;
    double outRate;
    int channels;
    int64_t outLength, produced = 0;
    struct Soxr;
    std::unique_ptr<Soxr> soxr;

    static constexpr int inputBlock = 8192;
    std::vector<std::vector<float>> input;   // per channel, one block read from the source
    int inputAvailable = 0, inputOffset = 0;
    bool sourceEnded = false, flushed = false;
    std::string errorText;
};

} // namespace crest::engine
