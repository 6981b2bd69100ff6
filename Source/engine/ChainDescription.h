#pragma once

#include <string>
#include <utility>
#include <vector>

namespace crest::engine
{

/** One module in a chain as data: what a chain file holds and what the UI edits. */
struct ModuleDescription
{
    std::string id;   ///< unique within the chain, e.g. "master-limiter"
    std::string type; ///< a type from moduleTypes(), e.g. "limiter"
    bool bypass = false;
    std::vector<std::pair<std::string, float>> params; ///< only those set; others take defaults
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
