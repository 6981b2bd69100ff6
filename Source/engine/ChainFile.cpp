#include "engine/ChainFile.h"

#include "engine/AtomicFile.h"
#include "engine/FileKind.h"
#include "engine/ModuleRegistry.h"

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
    float checkedValue (const ModuleTypeInfo& type, const std::string& where, const std::string& paramId,
        const nlohmann::ordered_json& value, const std::string& source)
    {
        const auto* parameter = type.parameters.find (paramId);
        if (parameter == nullptr)
        {
            std::string known;
            for (const auto& spec : type.parameters)
                known += (known.empty() ? "" : ", ") + spec.id;
            fail (source, where + ": unknown parameter '" + paramId + "' for a " + type.type + " (known: " + known + ")");
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

        const auto* type = findModuleType (d.type);
        if (type == nullptr)
        {
            std::string known;
            for (const auto& t : moduleTypes())
                known += (known.empty() ? "" : ", ") + t.type;
            fail (source, named + ": unknown module type '" + d.type + "' (known: " + known + ")");
        }

        if (m.contains ("bypass"))
        {
            if (! m["bypass"].is_boolean())
                fail (source, named + ": \"bypass\" must be true or false");
            d.bypass = m["bypass"].get<bool>();
        }

        for (const auto& [key, value] : m.items())
            if (key != "id" && key != "type" && key != "bypass" && key != "params")
                fail (source, named + ": unknown key '" + key + "'");

        if (m.contains ("params"))
        {
            if (! m["params"].is_object())
                fail (source, named + ": \"params\" must be an object");
            for (const auto& [paramId, value] : m["params"].items())
                d.params.emplace_back (paramId, checkedValue (*type, named, paramId, value, source));
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
        nlohmann::ordered_json params = nlohmann::ordered_json::object();
        if (const auto* type = findModuleType (m.type))
        {
            // Every parameter written out: the value set (constrained as a module would hold
            // it), else the default.
            std::vector<float> values;
            for (const auto& spec : type->parameters)
                values.push_back (spec.defaultValue);
            for (const auto& [id, value] : m.params)
                if (const int index = type->parameters.indexOf (id); index >= 0 && std::isfinite (value))
                    values[(size_t) index] = type->parameters[(size_t) index].constrain (value);
            for (size_t i = 0; i < values.size(); ++i)
            {
                const auto& spec = type->parameters[i];
                const auto asIndex = (int) (values[i] + 0.5f); // as Parameter::getIndex() reads it
                if (spec.kind == ParameterKind::choice)
                    params[spec.id] = spec.choices.at ((size_t) asIndex);
                else if (spec.kind == ParameterKind::toggle)
                    params[spec.id] = asIndex != 0;
                else
                    params[spec.id] = values[i];
            }
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

    const auto* type = findModuleType (module->type);
    if (type == nullptr)
        throw ChainFileError ("--set " + assignment + ": module '" + id + "' has an unknown type '" + module->type + "'");
    // Given as text, so that a choice named "4" is the choice, not index 4 (ParameterSpec::parse
    // tries names first, then numbers).
    const nlohmann::ordered_json value = text;
    const float v = checkedValue (*type, "module '" + id + "'", paramId, value, "--set " + assignment);

    for (auto& [existing, existingValue] : module->params)
        if (existing == paramId)
        {
            existingValue = v;
            return;
        }
    module->params.emplace_back (paramId, v);
}

} // namespace crest::engine
