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

/** A mastering chain as data, in processing order. Built and edited on the message thread;
    turned into running DSP by ProcessingChain::build(). */
struct ChainDescription
{
    std::vector<ModuleDescription> modules;

    /** The module with an ID, or nullptr. */
    ModuleDescription* find (const std::string& id);
};

} // namespace crest::engine
