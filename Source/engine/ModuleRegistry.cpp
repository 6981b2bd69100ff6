#include "engine/ModuleRegistry.h"

// Module headers (one line each, in chain order of a typical master):
// @module-includes

namespace crest::engine
{

const std::vector<ModuleTypeInfo>& moduleTypes()
{
    static const std::vector<ModuleTypeInfo> types = {
        // @module-types
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
