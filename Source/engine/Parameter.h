#pragma once

#include <atomic>
#include <string>
#include <unordered_map>
#include <vector>

namespace crest::engine
{

/** How a parameter's value is read. */
enum class ParameterKind
{
    continuous, ///< any value in [minimum, maximum]
    choice,     ///< an index 0 .. choices.size() - 1
    toggle      ///< 0 (off) or 1 (on)
};

/** Everything that describes a parameter, declared once per module type (see ParameterTable)
    and able to check and constrain a value by itself, so that the document, chain files and the
    running module all agree on what a value becomes. */
struct ParameterSpec
{
    std::string id;   ///< as in chain files and `--set`: lower_snake_case, e.g. "ceiling_dbtp"
    std::string name; ///< for people: "Ceiling"
    std::string unit; ///< "dB", "dBTP", "Hz", "ms", "%", ":1", "" ...
    float minimum = 0.0f, maximum = 1.0f, defaultValue = 0.0f;
    ParameterKind kind = ParameterKind::continuous;
    std::vector<std::string> choices; ///< names of the choice indices (kind == choice)

    /** True when a change alters the module's latency (for example a linear-phase switch or a
        look-ahead time): the host then rebuilds the chain off the audio thread. */
    bool changesLatency = false;

    /** A finite value clamped to the range (and rounded for choices and toggles): what a
        Parameter set to it holds. Realtime-safe. */
    float constrain (float v) const noexcept;

    /** Checks a value: empty when valid, otherwise why not (for chain files and `--set`, which
        refuse out-of-range values rather than clamping them). */
    std::string validate (float v) const;

    /** Parses a value as written in a chain file or on the command line: a number, or for
        choices a choice name, or for toggles on/off/true/false. Empty error on success. */
    std::string parse (const std::string& text, float& result) const;
};

/** Short builders for the declarations modules make in their spec tables. */
namespace specs
{
    /** A continuous parameter. */
    ParameterSpec number (const std::string& id, const std::string& name, const std::string& unit, float minimum, float maximum,
                          float defaultValue);

    /** A choice among named options; the value is the index. */
    ParameterSpec choice (const std::string& id, const std::string& name, std::vector<std::string> choices, int defaultIndex);

    /** An on/off switch, off by default. */
    ParameterSpec toggle (const std::string& id, const std::string& name, bool changesLatency = false);
} // namespace specs

/** The parameters of one module type, in declaration order, with a lookup by ID.

    Design: each module type builds its table once (a function-local static) and both its
    constructor and everything that only needs the declarations (the registry, chain files,
    the session editor, the app's controls, `crest modules`) read that same table, so nothing
    has to construct a module to learn its parameters. A position in the table is a
    parameter's index in Module::parameters(): resolve an ID to an index once, then address
    the parameter by index. Immutable after construction. */
class ParameterTable
{
public:
    /** Declares the parameters, in order. IDs must be unique. */
    explicit ParameterTable (std::vector<ParameterSpec> declarations);

    /** Number of parameters. */
    size_t size() const noexcept { return list.size(); }

    /** The parameter at an index (< size()). */
    const ParameterSpec& operator[] (size_t index) const noexcept { return list[index]; }

    /** All of them, in declaration order. */
    std::vector<ParameterSpec>::const_iterator begin() const noexcept { return list.begin(); }
    std::vector<ParameterSpec>::const_iterator end() const noexcept { return list.end(); }

    /** The index of a parameter ID (a hash look-up, not a scan), or -1. */
    int indexOf (const std::string& id) const;

    /** The spec of a parameter ID, or nullptr. */
    const ParameterSpec* find (const std::string& id) const;

private:
    std::vector<ParameterSpec> list;
    std::unordered_map<std::string, size_t> byId;
};

/** One parameter: written by the UI or a chain file (any thread), read by the audio thread
    once per block. The value is a lock-free atomic; modules smooth it themselves. */
class Parameter
{
public:
    /** A parameter at its default. The spec must outlive it (it lives in a static table). */
    explicit Parameter (const ParameterSpec& spec);

    /** Not from a temporary spec: the parameter keeps a reference to it. */
    explicit Parameter (ParameterSpec&&) = delete;

    /** The declaration. */
    const ParameterSpec& spec() const noexcept { return *specification; }

    /** The current value (relaxed atomic read: realtime-safe). */
    float get() const noexcept { return value.load (std::memory_order_relaxed); }

    /** The value as a choice index or toggle state. */
    int getIndex() const noexcept { return (int) (get() + 0.5f); }

    /** Sets a value, constrained by the spec (ParameterSpec::constrain); ignores a value that
        is not finite. */
    void set (float v) noexcept;

    /** Returns to the default. */
    void setToDefault() noexcept { set (specification->defaultValue); }

private:
    const ParameterSpec* specification;
    std::atomic<float> value;
};

} // namespace crest::engine
