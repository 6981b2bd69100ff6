#include "engine/MissingPluginModule.h"

#include "engine/ModuleIds.h"

#include <cfloat>
#include <utility>

namespace crest::engine
{

namespace
{
    /** One declaration per saved value, accepting anything finite and defaulting to what was
        saved: the real ranges are the plugin's, unknown here. */
    ParameterTable savedParameters (const ModuleDescription& saved)
    {
        std::vector<ParameterSpec> list;
        for (const auto& [id, value] : saved.params)
        {
            auto spec = specs::number (id, id, "", -FLT_MAX, FLT_MAX, value);
            list.push_back (std::move (spec));
        }
        return ParameterTable (std::move (list));
    }
} // namespace

MissingPluginModule::MissingPluginModule (const ModuleDescription& description, std::string reason)
    : ParameterTableHolder (savedParameters (description)),
      Module (ownTable),
      saved (description.plugin),
      why (std::move (reason))
{
}

std::string MissingPluginModule::type() const
{
    return ids::types::plugin;
}

} // namespace crest::engine
