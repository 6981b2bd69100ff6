#include "engine/ChainFile.h"

#include "engine/AtomicFile.h"
#include "engine/FileKind.h"
#include "engine/ModuleIds.h"
#include "engine/ModuleRegistry.h"
#include "engine/PluginSlots.h"

#include <juce_core/juce_core.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <set>

namespace crest::engine
{

ModuleDescription* ChainDescription::find (const std::string& id)
{
    for (auto& m : modules)
        if (m.id == id)
            return &m;
    return nullptr;
}

namespace
{
    [[noreturn]] void fail (const std::string& source, const std::string& message)
    {
        throw ChainFileError (source + ": " + message);
    }

    /** Validates a value for a parameter of a module type; returns it as a float. */
    float checkedValue (const ParameterTable& table, const std::string& typeName, const std::string& where,
        const std::string& paramId, const nlohmann::ordered_json& value, const std::string& source)
    {
        const auto* parameter = table.find (paramId);
        if (parameter == nullptr)
        {
            std::string known;
            for (const auto& spec : table)
                known += (known.empty() ? "" : ", ") + spec.id;
            fail (source, where + ": unknown parameter '" + paramId + "' for a " + typeName + " (known: " + known + ")");
        }

        float v = 0.0f;
        std::string error;
        if (value.is_number())
        {
            v = value.get<float>();
            error = parameter->validate (v);
        }
        else if (value.is_boolean())
        {
            if (parameter->kind != ParameterKind::toggle)
                error = "true/false is only for on/off parameters";
            v = value.get<bool>() ? 1.0f : 0.0f;
        }
        else if (value.is_string())
        {
            error = parameter->parse (value.get<std::string>(), v);
        }
        else
        {
            error = "must be a number";
        }

        if (! error.empty())
            fail (source, where + ": parameter '" + paramId + "': " + error);
        return v;
    }

    /** A plugin slot's "plugin" object: which plugin, and its own state. */
    PluginReference pluginOf (const nlohmann::ordered_json& j, const std::string& named, const std::string& source)
    {
        if (! j.is_object())
            fail (source, named + ": \"plugin\" must be an object with \"format\" and \"id\"");
        PluginReference p;
        const auto text = [&] (const char* key, bool required)
        {
            if (! j.contains (key))
            {
                if (required)
                    fail (source, named + ": the plugin's \"" + key + "\" is missing");
                return std::string();
            }
            if (! j[key].is_string())
                fail (source, named + ": the plugin's \"" + key + "\" must be text");
            return j[key].get<std::string>();
        };
        p.format = text ("format", true);
        p.id = text ("id", true);
        p.name = text ("name", false);
        p.version = text ("version", false);
        p.state = text ("state", false);
        if (p.format != ids::pluginFormats::lv2 && p.format != ids::pluginFormats::vst3)
            fail (source, named + ": unknown plugin format '" + p.format + "' (known: lv2, vst3)");
        if (p.id.empty())
            fail (source, named + ": the plugin's \"id\" is empty");
        juce::MemoryOutputStream decoded;
        if (! juce::Base64::convertFromBase64 (decoded, juce::String (p.state)))
            fail (source, named + ": the plugin's \"state\" is not base64");
        for (const auto& [key, value] : j.items())
            if (key != "format" && key != "id" && key != "name" && key != "version" && key != "state")
                fail (source, named + ": unknown plugin key '" + key + "'");
        return p;
    }
} // namespace

ChainDescription ChainFile::parse (const std::string& text, const std::string& source)
{
    nlohmann::ordered_json doc;
    try
    {
        doc = nlohmann::ordered_json::parse (text);
    }
    catch (const nlohmann::json::parse_error& e)
    {
        // Turn the byte offset into a line and column a person can find.
        size_t line = 1, column = 1;
        for (size_t i = 0; i + 1 < e.byte && i < text.size(); ++i)
        {
            if (text[i] == '\n')
            {
                ++line;
                column = 1;
            }
            else
            {
                ++column;
            }
        }
        std::string what = e.what();
        if (const auto pos = what.find ("syntax error"); pos != std::string::npos)
            what = what.substr (pos);
        fail (source, "not valid JSON at line " + std::to_string (line) + ", column " + std::to_string (column) + ": " + what);
    }

    if (! doc.is_object())
        fail (source, "a chain file is a JSON object with \"format\": \"crest-chain\"");
    if (doc.value ("format", std::string()) != formatName)
        fail (source, "not a Crest chain file (\"format\" must be \"crest-chain\")");
    if (! doc.contains ("version") || ! doc["version"].is_number_integer())
        fail (source, "\"version\" is missing or not a whole number");
    const int version = doc["version"].get<int>();
    if (version > currentVersion)
        fail (source, "chain file version " + std::to_string (version) + " is newer than this Crest understands (up to "
                          + std::to_string (currentVersion) + "); update Crest");
    if (version < 1)
        fail (source, "chain file version " + std::to_string (version) + " does not exist");
    if (! doc.contains ("modules") || ! doc["modules"].is_array())
        fail (source, "\"modules\" must be an array");

    ChainDescription chain;
    std::set<std::string> ids;
    int index = 0;
    for (const auto& m : doc["modules"])
    {
        ++index;
        const std::string where = "module " + std::to_string (index);
        if (! m.is_object())
            fail (source, where + " is not an object");
        if (! m.contains ("id") || ! m["id"].is_string() || m["id"].get<std::string>().empty())
            fail (source, where + ": \"id\" is missing or empty");
        if (! m.contains ("type") || ! m["type"].is_string())
            fail (source, where + ": \"type\" is missing");

        ModuleDescription d;
        d.id = m["id"].get<std::string>();
        d.type = m["type"].get<std::string>();
        const std::string named = where + " ('" + d.id + "')";
        if (! ids.insert (d.id).second)
            fail (source, named + ": the id '" + d.id + "' is used twice; ids must be unique");

        const bool isPlugin = d.type == ids::types::plugin;
        if (! isPlugin && findModuleType (d.type) == nullptr)
        {
            std::string known;
            for (const auto& t : moduleTypes())
                known += (known.empty() ? "" : ", ") + t.type;
            fail (source, named + ": unknown module type '" + d.type + "' (known: " + known + ", " + ids::types::plugin + ")");
        }
        if (isPlugin != m.contains ("plugin"))
            fail (source, named + (isPlugin ? ": a plugin slot needs a \"plugin\" object" : ": \"plugin\" is only for type \"plugin\""));
        if (isPlugin)
            d.plugin = pluginOf (m["plugin"], named, source);
        // A plugin missing on this machine has no table: its values are kept as saved, unchecked.
        const auto* table = parameterTableOf (d);

        if (m.contains ("bypass"))
        {
            if (! m["bypass"].is_boolean())
                fail (source, named + ": \"bypass\" must be true or false");
            d.bypass = m["bypass"].get<bool>();
        }

        for (const auto& [key, value] : m.items())
            if (key != "id" && key != "type" && key != "bypass" && key != "params" && key != "plugin")
                fail (source, named + ": unknown key '" + key + "'");

        if (m.contains ("params"))
        {
            if (! m["params"].is_object())
                fail (source, named + ": \"params\" must be an object");
            for (const auto& [paramId, value] : m["params"].items())
            {
                if (table != nullptr)
                    d.params.emplace_back (paramId, checkedValue (*table, isPlugin ? displayNameOf (d) : d.type, named, paramId, value, source));
                else if (value.is_number() && std::isfinite (value.get<float>()))
                    d.params.emplace_back (paramId, value.get<float>());
                else
                    fail (source, named + ": parameter '" + paramId + "' of a missing plugin must be a number");
            }
        }
        chain.modules.push_back (std::move (d));
    }
    return chain;
}

ChainDescription ChainFile::load (const std::string& path)
{
    const juce::File file = juce::File::getCurrentWorkingDirectory().getChildFile (juce::String (path));
    if (! file.existsAsFile())
        throw ChainFileError (path + ": no such chain file");
    if (const auto problem = fileKindProblem (file.getFullPathName().toStdString()); ! problem.empty())
        throw ChainFileError (path + ": " + problem); // a FIFO or a device would hang the read
    juce::MemoryBlock data;
    if (! file.loadFileAsData (data))
        throw ChainFileError (path + ": cannot be read");
    return parse (data.toString().toStdString(), path);
}

std::string ChainFile::toJson (const ChainDescription& chain)
{
    nlohmann::ordered_json doc;
    doc["format"] = formatName;
    doc["version"] = currentVersion;
    doc["modules"] = nlohmann::ordered_json::array();
    for (const auto& m : chain.modules)
    {
        nlohmann::ordered_json j;
        j["id"] = m.id;
        j["type"] = m.type;
        j["bypass"] = m.bypass;
        if (m.type == ids::types::plugin)
        {
            nlohmann::ordered_json p;
            p["format"] = m.plugin.format;
            p["id"] = m.plugin.id;
            p["name"] = m.plugin.name;
            p["version"] = m.plugin.version;
            p["state"] = m.plugin.state;
            j["plugin"] = p;
        }
        nlohmann::ordered_json params = nlohmann::ordered_json::object();
        if (const auto* table = parameterTableOf (m))
        {
            // Every parameter written out: the value set (constrained as a module would hold
            // it), else the default.
            std::vector<float> values;
            for (const auto& spec : *table)
                values.push_back (spec.defaultValue);
            for (const auto& [id, value] : m.params)
                if (const int index = table->indexOf (id); index >= 0 && std::isfinite (value))
                    values[(size_t) index] = (*table)[(size_t) index].constrain (value);
            for (size_t i = 0; i < values.size(); ++i)
            {
                const auto& spec = (*table)[i];
                const auto asIndex = (int) (values[i] + 0.5f); // as Parameter::getIndex() reads it
                if (spec.kind == ParameterKind::choice)
                    params[spec.id] = spec.choices.at ((size_t) asIndex);
                else if (spec.kind == ParameterKind::toggle)
                    params[spec.id] = asIndex != 0;
                else
                    params[spec.id] = values[i];
            }
        }
        else
        {
            // A plugin missing here: its values exactly as they were read.
            for (const auto& [id, value] : m.params)
                params[id] = value;
        }
        j["params"] = params;
        doc["modules"].push_back (j);
    }
    return doc.dump (2) + "\n";
}

void ChainFile::save (const ChainDescription& chain, const std::string& path)
{
    std::string error;
    if (! writeFileAtomically (path, toJson (chain), error))
        throw ChainFileError (error);
}

void ChainFile::applyOverride (ChainDescription& chain, const std::string& assignment)
{
    const auto equals = assignment.find ('=');
    const auto dot = assignment.find ('.');
    if (equals == std::string::npos || dot == std::string::npos || dot > equals)
        throw ChainFileError ("--set " + assignment + ": expected ID.PARAM=VALUE");

    const auto id = assignment.substr (0, dot);
    const auto paramId = assignment.substr (dot + 1, equals - dot - 1);
    const auto text = assignment.substr (equals + 1);

    auto* module = chain.find (id);
    if (module == nullptr)
    {
        std::string known;
        for (const auto& m : chain.modules)
            known += (known.empty() ? "" : ", ") + m.id;
        throw ChainFileError ("--set " + assignment + ": no module with id '" + id + "' in the chain (ids: " + known + ")");
    }

    if (paramId == "bypass")
    {
        if (text != "true" && text != "false" && text != "on" && text != "off")
            throw ChainFileError ("--set " + assignment + ": bypass is true or false");
        module->bypass = text == "true" || text == "on";
        return;
    }

    const auto* table = parameterTableOf (*module);
    if (table == nullptr)
        throw ChainFileError ("--set " + assignment + ": module '" + id + "' has an unknown type '" + module->type
                              + "' or its plugin is not on this machine");
    // Given as text, so that a choice named "4" is the choice, not index 4 (ParameterSpec::parse
    // tries names first, then numbers).
    const nlohmann::ordered_json value = text;
    const float v = checkedValue (*table, module->type == ids::types::plugin ? displayNameOf (*module) : module->type, "module '" + id + "'", paramId, value, "--set " + assignment);

    for (auto& [existing, existingValue] : module->params)
        if (existing == paramId)
        {
            existingValue = v;
            return;
        }
    module->params.emplace_back (paramId, v);
}

} // namespace crest::engine
