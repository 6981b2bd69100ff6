#include "engine/Module.h"

namespace crest::engine
{

Parameter* Module::findParameter (const std::string& id) const noexcept
{
    for (const auto& p : params)
        if (p->spec().id == id)
            return p.get();
    return nullptr;
}

Parameter& Module::addParameter (ParameterSpec spec)
{
    params.push_back (std::make_unique<Parameter> (std::move (spec)));
    return *params.back();
}

} // namespace crest::engine
