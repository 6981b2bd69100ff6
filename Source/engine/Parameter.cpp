#include "engine/Parameter.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace crest::engine
{

ParameterSpec specs::number (const std::string& id, const std::string& name, const std::string& unit, float minimum, float maximum,
                             float defaultValue)
{
    ParameterSpec s;
    s.id = id;
    s.name = name;
    s.unit = unit;
    s.minimum = minimum;
    s.maximum = maximum;
    s.defaultValue = defaultValue;
    return s;
}

ParameterSpec specs::choice (const std::string& id, const std::string& name, std::vector<std::string> choices, int defaultIndex)
{
    ParameterSpec s;
    s.id = id;
    s.name = name;
    s.kind = ParameterKind::choice;
    s.maximum = (float) choices.size() - 1.0f;
    s.defaultValue = (float) defaultIndex;
    s.choices = std::move (choices);
    return s;
}

ParameterSpec specs::toggle (const std::string& id, const std::string& name, bool changesLatency)
{
    ParameterSpec s;
    s.id = id;
    s.name = name;
    s.kind = ParameterKind::toggle;
    s.changesLatency = changesLatency;
    return s;
}

float ParameterSpec::constrain (float v) const noexcept
{
    v = std::clamp (v, minimum, maximum);
    if (kind != ParameterKind::continuous)
        v = std::round (v);
    return v;
}

ParameterTable::ParameterTable (std::vector<ParameterSpec> declarations) : list (std::move (declarations))
{
    byId.reserve (list.size());
    for (size_t i = 0; i < list.size(); ++i)
    {
        [[maybe_unused]] const bool unique = byId.emplace (list[i].id, i).second;
        assert (unique);
    }
}

int ParameterTable::indexOf (const std::string& id) const
{
    const auto found = byId.find (id);
    return found != byId.end() ? (int) found->second : -1;
}

const ParameterSpec* ParameterTable::find (const std::string& id) const
{
    const int index = indexOf (id);
    return index >= 0 ? &list[(size_t) index] : nullptr;
}

Parameter::Parameter (const ParameterSpec& spec) : specification (&spec), value (spec.defaultValue) { }

void Parameter::set (float v) noexcept
{
    if (std::isfinite (v))
        value.store (specification->constrain (v), std::memory_order_relaxed);
}

std::string ParameterSpec::validate (float v) const
{
    char text[256];
    if (! std::isfinite (v))
        return "is not a finite number";
    if (v < minimum || v > maximum)
    {
        std::snprintf (
            text, sizeof (text), "%g is out of range (%g to %g%s%s)", v, minimum, maximum, unit.empty() ? "" : " ", unit.c_str());
        return text;
    }
    if (kind != ParameterKind::continuous && v != std::round (v))
    {
        std::snprintf (text, sizeof (text), "%g is not a whole number", v);
        return text;
    }
    return {};
}

std::string ParameterSpec::parse (const std::string& text, float& result) const
{
    if (kind == ParameterKind::choice)
    {
        const auto& c = choices;
        if (const auto it = std::find (c.begin(), c.end(), text); it != c.end())
        {
            result = (float) (it - c.begin());
            return {};
        }
    }
    if (kind == ParameterKind::toggle)
    {
        if (text == "on" || text == "true")
        {
            result = 1.0f;
            return {};
        }
        if (text == "off" || text == "false")
        {
            result = 0.0f;
            return {};
        }
    }

    char* end = nullptr;
    const double v = std::strtod (text.c_str(), &end);
    if (text.empty() || end == nullptr || *end != '\0')
    {
        std::string expected = "a number";
        if (kind == ParameterKind::choice)
        {
            expected = "one of";
            for (const auto& choiceName : choices)
                expected += " " + choiceName;
        }
        else if (kind == ParameterKind::toggle)
        {
            expected = "on or off";
        }
        return "'" + text + "' is not " + expected;
    }
    result = (float) v;
    return validate (result);
}

} // namespace crest::engine
