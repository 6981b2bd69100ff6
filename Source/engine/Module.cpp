#include "engine/Module.h"

#include <stdexcept>

namespace crest::engine
{

Module::Module (const ParameterTable& declarations) : table (declarations)
{
    params.reserve (table.size());
    for (const auto& spec : table)
        params.push_back (std::make_unique<Parameter> (spec));
}

Parameter* Module::findParameter (const std::string& id) const
{
    const int index = table.indexOf (id);
    return index >= 0 ? params[(size_t) index].get() : nullptr;
}

Parameter& Module::parameter (const std::string& id) const
{
    if (auto* p = findParameter (id))
        return *p;
    throw std::logic_error ("a module asked for a parameter it does not declare: " + id);
}

} // namespace crest::engine
