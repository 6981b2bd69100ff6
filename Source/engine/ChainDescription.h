#pragma once

#include <string>
#include <utility>
#include <vector>

namespace crest::engine
{

/** Which third-party plugin a chain slot holds, and the plugin's own saved state: enough to
    find it again on this or another machine, and to carry its state unchanged through a load
    and a save where it is missing. */
struct PluginReference
{
    std::string format;  ///< "lv2" or "vst3"
    std::string id;      ///< the LV2 plugin URI, or the VST3 class ID (32 hex digits)
    std::string name;    ///< for people, as the plugin names itself: "x42-dpl Digital Peak Limiter Stereo"
    std::string version; ///< the plugin's version when the state was saved (may be empty)
    std::string state;   ///< the plugin's own state chunk, base64; empty when it has none

    bool operator== (const PluginReference& o) const
    {
        return format == o.format && id == o.id && name == o.name && version == o.version && state == o.state;
    }
    bool operator!= (const PluginReference& o) const { return ! (*this == o); }
};

/** One module in a chain as data: what a chain file holds and what the UI edits. */
struct ModuleDescription
{
    ModuleDescription() = default;

    /** A built-in module (the form chains are written in code: {id, type, bypass, params}). */
    ModuleDescription (std::string moduleId, std::string moduleType, bool bypassed = false,
                       std::vector<std::pair<std::string, float>> values = {})
        : id (std::move (moduleId)), type (std::move (moduleType)), bypass (bypassed), params (std::move (values))
    {
    }

    std::string id;   ///< unique within the chain, e.g. "master-limiter"
    std::string type; ///< a type from moduleTypes(), e.g. "limiter", or "plugin" (see `plugin`)
    bool bypass = false;
    std::vector<std::pair<std::string, float>> params; ///< only those set; others take defaults
    PluginReference plugin; ///< for type "plugin" only: which plugin, and its own state
};

/** One parameter edit resolved to positions, the way a knob drag reaches the running chain:
    the module's position in the chain and the parameter's index in its type's ParameterTable
    (both resolved once, by the session editor), with the module's ID as a guard that the
    running chain still has that module there. */
struct ParameterChange
{
    std::string moduleId; ///< the module edited
    size_t modulePosition = 0; ///< its position in the chain
    size_t parameterIndex = 0; ///< the parameter's index in Module::parameters()
    float value = 0.0f; ///< the value the document now holds (already constrained)
};

/** A mastering chain as data, in processing order. Built and edited on the message thread;
    turned into running DSP by ProcessingChain::build(). */
struct ChainDescription
{
    std::vector<ModuleDescription> modules;

    /** The module with an ID, or nullptr. */
    ModuleDescription* find (const std::string& id);
};

} // namespace crest::engine
