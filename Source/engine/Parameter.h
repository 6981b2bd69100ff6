#pragma once

#include <atomic>
#include <string>
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

/** Everything that describes a parameter, declared once by its module. */
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
};

/** Short builders for the declarations modules make in their constructors. */
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

/** One parameter: written by the UI or a chain file (any thread), read by the audio thread
    once per block. The value is a lock-free atomic; modules smooth it themselves. */
class Parameter
{
public:
    explicit Parameter (ParameterSpec spec);

    /** The declaration. */
    const ParameterSpec& spec() const noexcept { return specification; }

    /** The current value (relaxed atomic read: realtime-safe). */
    float get() const noexcept { return value.load (std::memory_order_relaxed); }

    /** The value as a choice index or toggle state. */
    int getIndex() const noexcept { return (int) (get() + 0.5f); }

    /** Sets a value, clamped to the range (and rounded for choices and toggles). */
    void set (float v) noexcept;

    /** Returns to the default. */
    void setToDefault() noexcept { set (specification.defaultValue); }

    /** Checks a value before setting it: empty when valid, otherwise why not (for chain
        files and `--set`, which refuse out-of-range values rather than clamping them). */
    std::string validate (float v) const;

    /** Parses a value as written in a chain file or on the command line: a number, or for
        choices a choice name, or for toggles on/off/true/false. Empty error on success. */
    std::string parse (const std::string& text, float& result) const;

private:
    ParameterSpec specification;
    std::atomic<float> value;
};

} // namespace crest::engine
