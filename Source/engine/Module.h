#pragma once

#include "engine/Parameter.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace crest::engine
{

/** Owns a parameter table made per instance (a plugin's control ports) rather than declared
    once per type. A module that needs one inherits from it before Module, so that the table
    exists when Module's constructor builds the parameters from it. */
struct ParameterTableHolder
{
    /** Takes the declarations. */
    explicit ParameterTableHolder (ParameterTable declarations) : ownTable (std::move (declarations)) { }

    /** The table (it must not move while the module lives: the module is not copyable). */
    ParameterTable ownTable;
};

/** One mastering process in the chain: equaliser, compressor, limiter...

    Design: a module type declares its parameters once, in a static ParameterTable that the
    registry also hands out without building a module; each module creates one Parameter per
    declaration (same order, so an index into the table is an index into parameters()) and
    owns its DSP. The
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

    /** A third-party plugin's own state chunk (base64) as it is now, for saving; empty for
        Crest's own modules, whose parameters are their whole state. Message thread. */
    virtual std::string pluginState() const { return {}; }

    /** All parameters, in declaration order (the order of parameterTable()). */
    const std::vector<std::unique_ptr<Parameter>>& parameters() const noexcept { return params; }

    /** The declarations of this module's type. */
    const ParameterTable& parameterTable() const noexcept { return table; }

    /** A parameter by ID, or nullptr. Not for the audio thread (it hashes a string); resolve
        an ID to an index once with parameterTable().indexOf() where it repeats. */
    Parameter* findParameter (const std::string& id) const;

protected:
    /** Creates one Parameter per declaration of the module's type. */
    explicit Module (const ParameterTable& declarations);

    /** Not from a temporary table: the module keeps a reference to it. */
    explicit Module (ParameterTable&&) = delete;

    /** A declared parameter by ID, for a constructor to keep a typed reference to; the ID must
        be in the table (a missing one is a programming error and throws). */
    Parameter& parameter (const std::string& id) const;

private:
    const ParameterTable& table;
    std::vector<std::unique_ptr<Parameter>> params;
};

} // namespace crest::engine
