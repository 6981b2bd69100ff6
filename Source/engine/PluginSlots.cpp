#include "engine/PluginSlots.h"

#include "engine/MissingPluginModule.h"
#include "engine/ModuleIds.h"
#include "engine/ModuleRegistry.h"

#include <utility>

namespace crest::engine
{

namespace
{
    std::shared_ptr<PluginFormats>& installed()
    {
        static std::shared_ptr<PluginFormats> formats;
        return formats;
    }
} // namespace

void installPluginFormats (std::shared_ptr<PluginFormats> formats)
{
    installed() = std::move (formats);
}

PluginFormats* installedPluginFormats() noexcept
{
    return installed().get();
}

const ParameterTable* parameterTableOf (const ModuleDescription& module)
{
    if (module.type == ids::types::plugin)
    {
        auto* formats = installedPluginFormats();
        return formats != nullptr ? formats->parameters (module.plugin) : nullptr;
    }
    const auto* type = findModuleType (module.type);
    return type != nullptr ? &type->parameters : nullptr;
}

std::unique_ptr<Module> createModuleFor (const ModuleDescription& module, std::string& note)
{
    if (module.type != ids::types::plugin)
        return createModule (module.type);

    std::string reason = "no plugin host in this program";
    if (auto* formats = installedPluginFormats())
        if (auto loaded = formats->create (module.plugin, reason))
            return loaded;
    const auto name = module.plugin.name.empty() ? module.plugin.id : module.plugin.name;
    note = "plugin '" + name + "' (" + module.plugin.format + " " + module.plugin.id + ") is missing: " + reason
           + "; its slot passes audio through and keeps its saved state";
    return std::make_unique<MissingPluginModule> (module, reason);
}

std::vector<std::string> missingPlugins (const ChainDescription& chain)
{
    std::vector<std::string> missing;
    for (const auto& m : chain.modules)
        if (m.type == ids::types::plugin && parameterTableOf (m) == nullptr)
        {
            const auto name = m.plugin.name.empty() ? m.plugin.id : m.plugin.name;
            missing.push_back ("module '" + m.id + "': plugin '" + name + "' (" + m.plugin.format + " " + m.plugin.id
                               + ") cannot be loaded here (not installed, or blacklisted by `crest plugins scan`); its slot passes audio through and keeps its saved state");
        }
    return missing;
}

std::string displayNameOf (const ModuleDescription& module)
{
    if (module.type == ids::types::plugin)
        return module.plugin.name.empty() ? module.plugin.id : module.plugin.name;
    const auto* info = findModuleType (module.type);
    return info != nullptr ? info->name : module.type;
}

} // namespace crest::engine
