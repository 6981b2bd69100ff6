#include "engine/ModuleRegistry.h"

// Module headers (one line each, in chain order of a typical master):
// @module-includes
#include "engine/UtilityModule.h"

namespace crest::engine
{

const std::vector<ModuleTypeInfo>& moduleTypes()
{
    static const std::vector<ModuleTypeInfo> types = {
        // @module-types
        { "utility", "Utility", "Gain, polarity, channel swap, mono and a DC filter.", [] { return std::make_unique<UtilityModule>(); } },
    };
    return types;
}

std::unique_ptr<Module> createModule (const std::string& type)
{
    for (const auto& t : moduleTypes())
        if (t.type == type)
            return t.create();
    return nullptr;
}

} // namespace crest::engine
