#include "engine/Parameter.h"

#include <algorithm>
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

Parameter::Parameter (ParameterSpec spec) : specification (std::move (spec)), value (specification.defaultValue)
{
}

void Parameter::set (float v) noexcept
{
    if (! std::isfinite (v))
        return;
    v = std::clamp (v, specification.minimum, specification.maximum);
    if (specification.kind != ParameterKind::continuous)
        v = std::round (v);
    value.store (v, std::memory_order_relaxed);
}

std::string Parameter::validate (float v) const
{
    char text[256];
    if (! std::isfinite (v))
        return "is not a finite number";
    if (v < specification.minimum || v > specification.maximum)
    {
        std::snprintf (text, sizeof (text), "%g is out of range (%g to %g%s%s)", v, specification.minimum, specification.maximum,
                       specification.unit.empty() ? "" : " ", specification.unit.c_str());
        return text;
    }
    if (specification.kind != ParameterKind::continuous && v != std::round (v))
    {
        std::snprintf (text, sizeof (text), "%g is not a whole number", v);
        return text;
    }
    return {};
}

std::string Parameter::parse (const std::string& text, float& result) const
{
    if (specification.kind == ParameterKind::choice)
    {
        const auto& c = specification.choices;
        if (const auto it = std::find (c.begin(), c.end(), text); it != c.end())
        {
            result = (float) (it - c.begin());
            return {};
        }
    }
    if (specification.kind == ParameterKind::toggle)
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
        if (specification.kind == ParameterKind::choice)
        {
            expected = "one of";
            for (const auto& name : specification.choices)
                expected += " " + name;
        }
        else if (specification.kind == ParameterKind::toggle)
        {
            expected = "on or off";
        }
        return "'" + text + "' is not " + expected;
    }
    result = (float) v;
    return validate (result);
}

} // namespace crest::engine
