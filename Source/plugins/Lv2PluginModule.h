#pragma once

#include "engine/Module.h"
#include "plugins/Lv2World.h"

#include <lv2/core/lv2.h>
#include <lv2/options/options.h>

#include <memory>
#include <string>
#include <vector>

namespace crest::plugins
{

/** Keeps a plugin's description alive for the module whose parameter table lives in it (a base
    before engine::Module, so the table exists when Module's constructor reads it). */
struct Lv2DescriptionHolder
{
    std::shared_ptr<const Lv2Description> description;
};

/** An LV2 plugin as a module of Crest's chain: its control input ports are the module's
    parameters (ID = port symbol), its latency output port is the module's latency, and its own
    state (LV2 state extension, serialised by lilv as Turtle) is the slot's state chunk.

    Design: the plugin is instantiated off the audio thread, at the rate and largest block that
    prepare() is given (it may not run longer blocks: bufsz:boundedBlockLength), activated, and
    at every prepare() run once on silence so its latency port reports for the parameters as
    they are; then deactivated and activated again so that the first real block starts from
    fresh state. Which parameters change the latency is found once per plugin by
    PluginHosting (surveyLatencyParameters), so that the chain rebuilds for those. Every port is connected once, to buffers
    the module owns, so process() only copies: the parameter atomics into the control ports, the
    block into the input buffers, the output buffers back. A mono plugin runs as two instances,
    left and right. process() allocates and locks nothing itself; whether the plugin's run() does
    is the plugin's business (a hardRTCapable plugin promises it does not).

    reset() deactivates and activates the plugin (what LV2 offers for clearing signal memory);
    LV2 puts that in the instantiation thread class, so a host should call it with the audio
    stopped, as Crest's chain does.
*/
class Lv2PluginModule : private Lv2DescriptionHolder, public engine::Module
{
public:
    /** A module for a plugin with its saved state (base64, may be empty) restored, or nullptr
        with `reason` set when the plugin cannot be instantiated. Message thread. */
    static std::unique_ptr<Lv2PluginModule> create (Lv2World& world, std::shared_ptr<const Lv2Description> description,
                                                    const std::string& state, std::string& reason);

    ~Lv2PluginModule() override;

    std::string type() const override;
    void prepare (double sampleRate, int maxBlockSize) override;
    void reset() noexcept override;
    void process (float* left, float* right, int numSamples) noexcept override;
    int latencySamples() const noexcept override { return latency; }
    std::string pluginState() const override;

    /** What the plugin is. */
    const Lv2Description& plugin() const noexcept { return *description; }

private:
    Lv2PluginModule (Lv2World&, std::shared_ptr<const Lv2Description>);

    /** One running copy of the plugin and the buffers its ports are connected to. */
    struct Instance
    {
        LilvInstance* lilv = nullptr;
        std::vector<float> controls;                      // one per port; control ports only are used
        std::vector<std::vector<uint64_t>> atomIn, atomOut; // 8-byte aligned atom sequences
    };

    bool instantiate (double sampleRate, int maxBlockSize, const std::string& state, std::string& reason);
    void release() noexcept;
    void measureLatency();
    void restore (const std::string& state);
    void prepareAtoms (Instance&) noexcept;

    Lv2World& world;
    const LilvPlugin* lilvPlugin = nullptr;
    std::vector<Instance> instances;
    std::vector<float> inLeft, inRight, outLeft, outRight, scratch;
    double instantiatedRate = 0.0;
    int blockLimit = 0, latency = 0;
    uint32_t atomSequence = 0, atomChunk = 0;
    std::string savedState; // restored into every new instance until the plugin is saved again

    // Features offered to the plugin (they must outlive the instances).
    int32_t minimumBlock = 0, maximumBlock = 0;
    float rateOption = 48000.0f;
    std::vector<LV2_Options_Option> options;
    LV2_Feature mapFeature {}, unmapFeature {}, optionsFeature {}, boundedFeature {};
    std::vector<const LV2_Feature*> features;
};

} // namespace crest::plugins
