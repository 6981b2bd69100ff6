#pragma once

#include "engine/ChainDescription.h"
#include "engine/Module.h"

#include <memory>
#include <string>

namespace crest::engine
{

/** Holds a plugin's slot where the plugin cannot be loaded (not installed on this machine, or it
    failed to instantiate): it passes audio through unchanged, adds no latency, and keeps what was
    saved, parameter values and state chunk byte for byte, so that saving the chain again writes
    the same plugin back. Its parameters are the saved ones (any value accepted, since their real
    ranges are unknown here). */
class MissingPluginModule : private ParameterTableHolder, public Module
{
public:
    /** A placeholder for the plugin a description names; `reason` says why it is missing. */
    MissingPluginModule (const ModuleDescription& saved, std::string reason);

    std::string type() const override;
    void prepare (double, int) override { }
    void reset() noexcept override { }
    void process (float*, float*, int) noexcept override { }
    std::string pluginState() const override { return saved.state; }

    /** The plugin it stands in for. */
    const PluginReference& plugin() const noexcept { return saved; }

    /** Why the plugin is not loaded. */
    const std::string& reason() const noexcept { return why; }

private:
    PluginReference saved;
    std::string why;
};

} // namespace crest::engine
