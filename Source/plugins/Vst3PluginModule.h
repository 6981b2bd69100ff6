#pragma once

#include "engine/Module.h"
#include "plugins/Vst3Library.h"

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace crest::plugins
{

class Vst3Editor;

/** How one Crest parameter of a VST3 plugin maps to the plugin's own parameter. */
struct Vst3ParameterMapping
{
    unsigned id = 0; ///< the plugin's ParamID
    int steps = 0; ///< 0: continuous; else the plugin's stepCount (toggle: 1)
    double plainMinimum = 0.0, plainMaximum = 1.0; ///< Crest's value is linear in [min, max] (normalised when 0..1)
};

/** What Crest learned of one VST3 audio effect class by loading it: its name and version, its
    parameters as Crest parameters, and whether Crest can host it (and if not, why). */
struct Vst3Description
{
    std::string id, name, vendor, version, bundle;
    engine::ParameterTable parameters { {} };
    std::vector<Vst3ParameterMapping> mappings; ///< one per parameter, same order
    std::string unsupported; ///< empty when Crest can host it, else why not
};

/** Learns a class's description, once per class ID in this process (cached): loads the
    bundle, makes one instance, reads its controller's parameters, and finds the parameters
    that change its latency (each set to its two ends on that instance). Runs plugin code:
    message thread, and only for bundles the scan tried (or in the scan's child). nullptr with
    `reason` when the bundle or class cannot be loaded. */
std::shared_ptr<const Vst3Description> describeVst3 (const std::string& bundle, const std::string& classId, std::string& reason);

/** Keeps the description alive for the module whose parameter table lives in it (a base
    before engine::Module, so the table exists when Module's constructor reads it). */
struct Vst3DescriptionHolder
{
    std::shared_ptr<const Vst3Description> description;
};

/** A VST3 plugin as a module of Crest's chain, through Crest's own small VST3 host (the
    interfaces of the SDK headers Debian's JUCE ships; no JUCE hosting code, no GUI module).

    Design: the component, its audio processor and its edit controller are made, initialised
    with Crest's host context and connected to each other when the module is made (message
    thread). prepare() sets the plugin up for the rate and largest block (setupProcessing,
    setActive), runs one block of silence carrying every parameter value so that the plugin
    knows them, then deactivates and activates it again (fresh signal state, and a plugin that
    sets its latency when activated sees its parameters), and reads getLatencySamples(). Every
    buffer, bus array and parameter queue is made there, so process() only compares each
    parameter's atomic with the value last sent, queues the changed ones (normalised, at
    offset 0), copies the input and calls process(). A mono plugin runs as two instances, left
    and right, given the same parameters and state. reset() is setProcessing(false, true),
    which the SDK says plugins must keep light. The plugin's state is its component's and its
    controller's getState, joined and base64-encoded.

    Parameters: every parameter of the controller that is neither hidden, read-only, bypass
    nor program change becomes a Crest parameter (ID from its title, lower_snake_case). A
    parameter whose plain value is linear in the normalised one gets its plain range (the
    unit applies); otherwise (JUCE's plugins, whose plain value is the normalised one) it is
    0..1 and shown without unit. Stepped parameters are toggles or choices.
*/
class Vst3PluginModule : private Vst3DescriptionHolder, public engine::Module
{
public:
    /** A module for a described class with its saved state (base64, may be empty) restored, or
        nullptr with `reason` set. Message thread. */
    static std::unique_ptr<Vst3PluginModule> create (
        std::shared_ptr<const Vst3Description> description, const std::string& state, std::string& reason);

    ~Vst3PluginModule() override;

    std::string type() const override;
    void prepare (double sampleRate, int maxBlockSize) override;
    void reset() noexcept override;
    void process (float* left, float* right, int numSamples) noexcept override;
    int latencySamples() const noexcept override { return latency; }
    std::string pluginState() const override;

    /** What the plugin is. */
    const Vst3Description& plugin() const noexcept { return *description; }

    /** True when the plugin offers its own editor view. Message thread. */
    bool hasEditor() const;

    /** The plugin's editor, for the app to embed in an X11 window (Vst3Editor::attach), or
        nullptr when it has none. Lives no longer than this module. Message thread. */
    std::unique_ptr<Vst3Editor> createEditor();

    /** Shows Crest's parameter values in the plugin's controller (and so its editor) where
        they changed since the last call; the app calls it on a timer while an editor is open.
        Edits made in the plugin's editor reach Crest's parameters by themselves. Message thread. */
    void updateController();

    /** When set, an edit made in the plugin's editor goes here (Crest's parameter index and
        value) instead of straight to the running parameter: the app makes it an undoable edit
        of the document, which then reaches this module like any other. Message thread. */
    std::function<void (size_t parameterIndex, float value)> onEditorEdit;

    /** True once the plugin asked for a restart because its latency changed (cleared by
        prepare()): the chain should be rebuilt for latency compensation. Any thread. */
    bool latencyChangeRequested() const noexcept { return latencyChanged.load(); }

    /** The plugin's own text for a Crest parameter's current value ("6.0 dB"), or empty.
        Message thread. */
    std::string valueText (size_t parameterIndex) const;

    /** Crest's value of parameter `index` as the plugin's normalised value, and back. */
    double toNormalised (size_t index, float value) const noexcept;
    float fromNormalised (size_t index, double normalised) const noexcept;

private:
    friend std::shared_ptr<const Vst3Description> describeVst3 (const std::string&, const std::string&, std::string&);
    explicit Vst3PluginModule (std::shared_ptr<const Vst3Description>);
    struct Instance;
    bool restore (const std::string& state);
    void runSilentBlock();

    std::vector<std::unique_ptr<Instance>> instances; ///< one, or two for a mono plugin (left, right)
    Instance* instance = nullptr; ///< the first: its controller is the one Crest and the editor talk to
    int latency = 0;
    std::vector<float> lastSent, lastShown;
    std::atomic<bool> latencyChanged { false };
};

} // namespace crest::plugins
