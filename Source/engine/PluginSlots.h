#pragma once

#include "engine/ChainDescription.h"
#include "engine/Module.h"

#include <memory>
#include <string>
#include <vector>

namespace crest::engine
{

/** Third-party plugins (LV2, VST3) as the engine sees them: a chain slot of type "plugin" whose
    module comes from a host that a higher layer installs.

    Design: the engine knows plugins only through this hook, so it links no plugin SDK and the
    layers keep pointing one way (Source/plugins fills it; the CLI, the app and the tests install
    it at start-up with plugins::installPluginHosting()). A plugin that cannot be loaded here (not
    installed, no host installed, fails to instantiate) becomes a MissingPluginModule: it passes
    audio through and keeps the saved parameters and state chunk untouched, so a session opened on
    a machine without the plugin and saved again loses nothing.
*/
class PluginFormats
{
public:
    virtual ~PluginFormats() = default;

    /** The parameter declarations of a plugin, or nullptr when it is not on this machine. The
        table lives as long as this object. Message thread. */
    virtual const ParameterTable* parameters (const PluginReference& plugin) = 0;

    /** A new module hosting the plugin, its saved state (plugin.state) restored, not yet
        prepared; nullptr with `reason` set when it cannot be loaded. Message thread. */
    virtual std::unique_ptr<Module> create (const PluginReference& plugin, std::string& reason) = 0;
};

/** Installs the plugin host (once, at start-up, before any chain is read). */
void installPluginFormats (std::shared_ptr<PluginFormats> formats);

/** The installed plugin host, or nullptr. */
PluginFormats* installedPluginFormats() noexcept;

/** The parameter declarations a module description's values are checked against: its type's
    table, its plugin's, or nullptr (an unknown type, or a plugin missing here). */
const ParameterTable* parameterTableOf (const ModuleDescription& module);

/** A module for a description, not yet prepared and with no parameter set: a built-in module by
    type; a plugin through the installed host or, when it cannot be loaded, a
    MissingPluginModule (and `note` says why); nullptr for an unknown type. Message thread. */
std::unique_ptr<Module> createModuleFor (const ModuleDescription& module, std::string& note);

/** A sentence for each plugin of a chain that this machine cannot load (its name, format, ID and
    why), in chain order; empty when every plugin is here. Message thread. */
std::vector<std::string> missingPlugins (const ChainDescription& chain);

/** The name a slot shows: the type's name, or the plugin's own name. */
std::string displayNameOf (const ModuleDescription& module);

} // namespace crest::engine
