#pragma once

#include "engine/Parameter.h"

#include <memory>
#include <string>
#include <vector>

namespace crest::engine
{

/** One mastering process in the chain: equaliser, compressor, limiter...

    Design: a module owns its parameters (declared once, in its constructor) and its DSP. The
    host prepares it off the audio thread; process() then runs on the audio thread and must
    never allocate, lock, log or touch files. It reads its parameters (atomics) at block start
    and smooths every change itself, sample-accurately, so that the output does not depend on
    how the signal was cut into blocks. Bypass, latency compensation and crossfades belong to
    the chain, not to modules.

    Audio is always stereo here (left, right); a mono source is processed as dual mono.
*/
class Module
{
public:
    virtual ~Module() = default;

    /** The type name used in chain files and by `crest modules` ("limiter"). */
    virtual std::string type() const = 0;

    /** Prepares for a sample rate and a largest block size. Not realtime-safe. After this,
        latencySamples() must be final until the next prepare(). */
    virtual void prepare (double sampleRate, int maxBlockSize) = 0;

    /** Clears all signal memory (filters, envelopes, delay lines) without reallocating. */
    virtual void reset() noexcept = 0;

    /** Processes a block in place. numSamples <= maxBlockSize. */
    virtual void process (float* left, float* right, int numSamples) noexcept = 0;

    /** Delay this module adds, in samples, as fixed by the last prepare(). */
    virtual int latencySamples() const noexcept { return 0; }

    /** Gain reduction in dB right now (positive), for meters; 0 for modules without dynamics. */
    virtual float gainReductionDb() const noexcept { return 0.0f; }

    /** All parameters, in declaration order. */
    const std::vector<std::unique_ptr<Parameter>>& parameters() const noexcept { return params; }

    /** A parameter by ID, or nullptr. Not for the audio thread (it compares strings). */
    Parameter* findParameter (const std::string& id) const noexcept;

protected:
    /** Declares a parameter (constructors only) and returns it for typed access in process(). */
    Parameter& addParameter (ParameterSpec spec);

private:
    std::vector<std::unique_ptr<Parameter>> params;
};

} // namespace crest::engine
