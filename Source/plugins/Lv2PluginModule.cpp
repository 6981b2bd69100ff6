#include "plugins/Lv2PluginModule.h"

#include "engine/ModuleIds.h"

#include <juce_core/juce_core.h>
#include <lv2/atom/atom.h>
#include <lv2/buf-size/buf-size.h>
#include <lv2/parameters/parameters.h>
#include <lv2/state/state.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <dlfcn.h>

namespace crest::plugins
{

namespace
{
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    #define CREST_PINS_PLUGIN_LIBRARIES 1
#elif defined(__has_feature)
    #if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
        #define CREST_PINS_PLUGIN_LIBRARIES 1
    #endif
#endif

    /** In sanitizer builds only: loads the plugin's library once more with RTLD_NODELETE, so
        lilv's dlclose does not unmap it. Plugins keep process-wide state in their globals on
        purpose; once unmapped, LeakSanitizer sees that memory as leaked from an "<unknown
        module>" it can neither name nor let a suppression match, and a race report in one has
        no symbols. Release builds unload as lilv does. */
    void keepLibraryLoadedUnderSanitizers ([[maybe_unused]] const LilvPlugin* plugin)
    {
#ifdef CREST_PINS_PLUGIN_LIBRARIES
        const LilvNode* uri = lilv_plugin_get_library_uri (plugin);
        if (uri == nullptr)
            return;
        if (char* path = lilv_file_uri_parse (lilv_node_as_uri (uri), nullptr))
        {
            ::dlopen (path, RTLD_NOW | RTLD_NODELETE); // the handle is kept for the process's life
            lilv_free (path);
        }
#endif
    }
    constexpr size_t atomBufferBytes = 65536; // fil4 asks for 32992 (rsz:minimumSize)
    constexpr const char* stateUri = "urn:crest:plugin-state";

    /** Base64 (RFC 4648) of bytes, and back. */
    std::string toBase64 (const void* data, size_t size)
    {
        return juce::Base64::toBase64 (data, size).toStdString();
    }

    std::string fromBase64 (const std::string& text)
    {
        juce::MemoryOutputStream out;
        if (! juce::Base64::convertFromBase64 (out, juce::String (text)))
            return {};
        return out.toString().toStdString();
    }
} // namespace

Lv2PluginModule::Lv2PluginModule (Lv2World& w, std::shared_ptr<const Lv2Description> d)
    : Lv2DescriptionHolder { std::move (d) }, Module (description->parameters), world (w)
{
    lilvPlugin = world.find (description->uri);
    atomSequence = world.urid (LV2_ATOM__Sequence);
    atomChunk = world.urid (LV2_ATOM__Chunk);
}

Lv2PluginModule::~Lv2PluginModule()
{
    release();
}

std::unique_ptr<Lv2PluginModule> Lv2PluginModule::create (Lv2World& world, std::shared_ptr<const Lv2Description> description,
                                                          const std::string& state, std::string& reason)
{
    if (description == nullptr)
    {
        reason = "not on this machine";
        return nullptr;
    }
    if (! description->unsupported.empty())
    {
        reason = description->unsupported;
        return nullptr;
    }
    std::unique_ptr<Lv2PluginModule> module (new Lv2PluginModule (world, description));
    if (module->lilvPlugin == nullptr)
    {
        reason = "not on this machine";
        return nullptr;
    }
    // Instantiated now, at a common rate, so that a plugin that cannot run is found here (and
    // its slot becomes a placeholder) rather than in prepare(); prepare() instantiates again
    // only when the rate or the block size differ.
    if (! module->instantiate (48000.0, 4096, state, reason))
        return nullptr;
    return module;
}

std::string Lv2PluginModule::type() const
{
    return engine::ids::types::plugin;
}

bool Lv2PluginModule::instantiate (double rate, int maxBlock, const std::string& state, std::string& reason)
{
    release();

    minimumBlock = 1;
    maximumBlock = maxBlock;
    rateOption = (float) rate;
    const auto intType = world.urid (LV2_ATOM__Int), floatType = world.urid (LV2_ATOM__Float);
    options = {
        { LV2_OPTIONS_INSTANCE, 0, world.urid (LV2_BUF_SIZE__minBlockLength), sizeof (int32_t), intType, &minimumBlock },
        { LV2_OPTIONS_INSTANCE, 0, world.urid (LV2_BUF_SIZE__maxBlockLength), sizeof (int32_t), intType, &maximumBlock },
        { LV2_OPTIONS_INSTANCE, 0, world.urid (LV2_PARAMETERS__sampleRate), sizeof (float), floatType, &rateOption },
        { LV2_OPTIONS_INSTANCE, 0, 0, 0, 0, nullptr },
    };
    mapFeature = { LV2_URID__map, world.map() };
    unmapFeature = { LV2_URID__unmap, world.unmap() };
    optionsFeature = { LV2_OPTIONS__options, options.data() };
    boundedFeature = { LV2_BUF_SIZE__boundedBlockLength, nullptr };
    features = { &mapFeature, &unmapFeature, &optionsFeature, &boundedFeature, nullptr };

    const auto& d = *description;
    const size_t count = d.dualMono ? 2 : 1;
    inLeft.assign ((size_t) maxBlock, 0.0f);
    inRight.assign ((size_t) maxBlock, 0.0f);
    outLeft.assign ((size_t) maxBlock, 0.0f);
    outRight.assign ((size_t) maxBlock, 0.0f);
    scratch.assign ((size_t) maxBlock, 0.0f);

    keepLibraryLoadedUnderSanitizers (lilvPlugin);
    for (size_t n = 0; n < count; ++n)
    {
        Instance instance;
        instance.lilv = lilv_plugin_instantiate (lilvPlugin, rate, features.data());
        if (instance.lilv == nullptr)
        {
            reason = "the plugin refused to start (instantiate failed) at " + std::to_string ((int) rate) + " Hz";
            release();
            return false;
        }
        instance.controls.assign (d.portCount, 0.0f);
        for (size_t p = 0; p < d.parameterPorts.size(); ++p)
            instance.controls[d.parameterPorts[p]] = parameters()[p]->get();
        instance.atomIn.assign (d.atomInputs.size(), std::vector<uint64_t> (atomBufferBytes / 8));
        instance.atomOut.assign (d.atomOutputs.size(), std::vector<uint64_t> (atomBufferBytes / 8));

        auto* lilv = instance.lilv;
        for (const auto p : d.parameterPorts)
            lilv_instance_connect_port (lilv, p, &instance.controls[p]);
        for (const auto p : d.controlOutputs)
            lilv_instance_connect_port (lilv, p, &instance.controls[p]);
        for (size_t a = 0; a < d.atomInputs.size(); ++a)
            lilv_instance_connect_port (lilv, d.atomInputs[a], instance.atomIn[a].data());
        for (size_t a = 0; a < d.atomOutputs.size(); ++a)
            lilv_instance_connect_port (lilv, d.atomOutputs[a], instance.atomOut[a].data());
        for (const auto p : d.optionalPorts)
            lilv_instance_connect_port (lilv, p, nullptr);
        if (d.dualMono)
        {
            lilv_instance_connect_port (lilv, d.audioInputs[0], n == 0 ? inLeft.data() : inRight.data());
            lilv_instance_connect_port (lilv, d.audioOutputs[0], n == 0 ? outLeft.data() : outRight.data());
        }
        else
        {
            lilv_instance_connect_port (lilv, d.audioInputs[0], inLeft.data());
            lilv_instance_connect_port (lilv, d.audioInputs[1], inRight.data());
            lilv_instance_connect_port (lilv, d.audioOutputs[0], outLeft.data());
            lilv_instance_connect_port (lilv, d.audioOutputs[1], outRight.data());
        }
        instances.push_back (std::move (instance));
    }

    instantiatedRate = rate;
    blockLimit = maxBlock;
    restore (state);
    savedState = state;

    for (auto& i : instances)
        lilv_instance_activate (i.lilv);
    measureLatency();
    return true;
}

void Lv2PluginModule::measureLatency()
{
    // Run once on silence with the parameters as they are, so that the latency port reports;
    // then start again from fresh state.
    const int n = std::min (blockLimit, 512);
    std::vector<float> left ((size_t) n, 0.0f), right ((size_t) n, 0.0f);
    process (left.data(), right.data(), n);
    const int port = description->latencyPort;
    latency = port >= 0 && ! instances.empty() ? std::max (0, (int) std::lround (instances[0].controls[(size_t) port])) : 0;
    reset();
}

void Lv2PluginModule::release() noexcept
{
    for (auto& i : instances)
        if (i.lilv != nullptr)
        {
            lilv_instance_deactivate (i.lilv);
            lilv_instance_free (i.lilv);
        }
    instances.clear();
}

void Lv2PluginModule::restore (const std::string& state)
{
    if (state.empty())
        return;
    const auto text = fromBase64 (state);
    if (text.empty())
        return;
    LilvState* s = lilv_state_new_from_string (world.lilv(), world.map(), text.c_str());
    if (s == nullptr)
        return;
    for (auto& i : instances)
        lilv_state_restore (s, i.lilv, nullptr, nullptr, 0, features.data());
    lilv_state_free (s);
}

std::string Lv2PluginModule::pluginState() const
{
    if (instances.empty() || lilv_instance_get_extension_data (instances[0].lilv, LV2_STATE__interface) == nullptr)
        return {};
    LilvState* s = lilv_state_new_from_instance (lilvPlugin, instances[0].lilv, world.map(), nullptr, nullptr, nullptr, nullptr,
        nullptr, nullptr, LV2_STATE_IS_POD | LV2_STATE_IS_PORTABLE, features.data());
    if (s == nullptr)
        return savedState;
    char* text = lilv_state_to_string (world.lilv(), world.map(), world.unmap(), s, stateUri, nullptr);
    lilv_state_free (s);
    if (text == nullptr)
        return savedState;
    std::string encoded = toBase64 (text, std::strlen (text));
    lilv_free (text);
    return encoded;
}

void Lv2PluginModule::prepare (double sampleRate, int maxBlockSize)
{
    if (sampleRate != instantiatedRate || maxBlockSize > blockLimit)
    {
        // The plugin learns the rate only at instantiation: a new one, carrying its state over.
        const auto state = pluginState();
        std::string reason;
        if (! instantiate (sampleRate, std::max (maxBlockSize, 1), state.empty() ? savedState : state, reason))
            return; // process() then passes audio through (no instances)
    }
    else
    {
        measureLatency(); // the parameters may have changed it since
    }
}

void Lv2PluginModule::reset() noexcept
{
    for (auto& i : instances)
    {
        lilv_instance_deactivate (i.lilv);
        lilv_instance_activate (i.lilv);
    }
}

void Lv2PluginModule::prepareAtoms (Instance& instance) noexcept
{
    // An empty input sequence, and output space the plugin may fill (its size says how much).
    for (auto& buffer : instance.atomIn)
    {
        auto* sequence = reinterpret_cast<LV2_Atom_Sequence*> (buffer.data());
        sequence->atom.size = sizeof (LV2_Atom_Sequence_Body);
        sequence->atom.type = atomSequence;
        sequence->body.unit = 0;
        sequence->body.pad = 0;
    }
    for (auto& buffer : instance.atomOut)
    {
        auto* atom = reinterpret_cast<LV2_Atom*> (buffer.data());
        atom->size = (uint32_t) (buffer.size() * 8 - sizeof (LV2_Atom));
        atom->type = atomChunk;
    }
}

void Lv2PluginModule::process (float* left, float* right, int numSamples) noexcept
{
    if (instances.empty() || numSamples > blockLimit)
        return; // not instantiated: audio passes through
    const auto& values = parameters();
    const auto& ports = description->parameterPorts;
    for (auto& instance : instances)
    {
        for (size_t p = 0; p < ports.size(); ++p)
            instance.controls[ports[p]] = values[p]->get();
        prepareAtoms (instance);
    }
    std::copy (left, left + numSamples, inLeft.begin());
    std::copy (right, right + numSamples, inRight.begin());
    for (auto& instance : instances)
        lilv_instance_run (instance.lilv, (uint32_t) numSamples);
    std::copy (outLeft.begin(), outLeft.begin() + numSamples, left);
    std::copy (outRight.begin(), outRight.begin() + numSamples, right);
}

} // namespace crest::plugins
