#include "cli/CommandLine.h"
#include "engine/ModuleRegistry.h"
#include "plugins/PluginCatalogue.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>

namespace crest::cli
{

int runModules (const std::vector<std::string>& words)
{
    const Arguments args (words, {});
    if (const auto unknown = args.unknownFlags ({ "--json" }); ! unknown.empty())
        throw std::runtime_error ("unknown option " + unknown.front());

    if (args.has ("--json"))
    {
        auto list = nlohmann::ordered_json::array();
        for (const auto& type : engine::moduleTypes())
        {
            nlohmann::ordered_json j;
            j["type"] = type.type;
            j["name"] = type.name;
            j["description"] = type.description;
            j["params"] = nlohmann::ordered_json::array();
            for (const auto& s : type.parameters)
            {
                nlohmann::ordered_json param;
                param["id"] = s.id;
                param["name"] = s.name;
                param["unit"] = s.unit;
                param["min"] = s.minimum;
                param["max"] = s.maximum;
                param["default"] = s.defaultValue;
                param["kind"] = s.kind == engine::ParameterKind::choice ? "choice"
                                : s.kind == engine::ParameterKind::toggle ? "toggle"
                                                                          : "continuous";
                if (! s.choices.empty())
                    param["choices"] = s.choices;
                j["params"].push_back (param);
            }
            list.push_back (j);
        }
        // The plugins the last `crest plugins scan` found: a chain slot {"type": "plugin",
        // "plugin": {"format": ..., "id": ...}} takes these parameters (IDs = LV2 port symbols).
        for (const auto& p : plugins::PluginCatalogue::load (plugins::PluginCatalogue::defaultFile()).plugins)
        {
            nlohmann::ordered_json j;
            j["type"] = "plugin";
            j["format"] = p.format;
            j["id"] = p.id;
            j["name"] = p.name;
            j["version"] = p.version;
            j["latency_samples"] = p.latencySamples;
            j["params"] = p.parameters;
            list.push_back (j);
        }
        std::cout << list.dump (2) << std::endl;
        return exitOk;
    }

    for (const auto& type : engine::moduleTypes())
    {
        std::printf ("%s  (%s)\n  %s\n", type.type.c_str(), type.name.c_str(), type.description.c_str());
        for (const auto& s : type.parameters)
        {
            std::string range;
            if (s.kind == engine::ParameterKind::choice)
            {
                for (size_t i = 0; i < s.choices.size(); ++i)
                    range += (i == 0 ? "" : "|") + s.choices[i];
                range += "  (default " + s.choices[(size_t) s.defaultValue] + ")";
            }
            else if (s.kind == engine::ParameterKind::toggle)
            {
                range = std::string ("on|off  (default ") + (s.defaultValue != 0.0f ? "on" : "off") + ")";
            }
            else
            {
                char text[128];
                std::snprintf (text, sizeof (text), "%g .. %g %s  (default %g)", s.minimum, s.maximum, s.unit.c_str(), s.defaultValue);
                range = text;
            }
            std::printf ("    %-24s %-28s %s\n", s.id.c_str(), s.name.c_str(), range.c_str());
        }
        std::printf ("\n");
    }
    return exitOk;
}

} // namespace crest::cli
