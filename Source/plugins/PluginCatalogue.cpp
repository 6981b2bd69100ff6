#include "plugins/PluginCatalogue.h"

#include "engine/AtomicFile.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <sys/stat.h>

namespace crest::plugins
{

std::string PluginCatalogue::defaultFile()
{
    std::string folder;
    if (const char* own = std::getenv ("CREST_USER_DATA"); own != nullptr && *own != 0)
        folder = own;
    else if (const char* xdg = std::getenv ("XDG_DATA_HOME"); xdg != nullptr && *xdg != 0)
        folder = std::string (xdg) + "/crest";
    else if (const char* home = std::getenv ("HOME"); home != nullptr)
        folder = std::string (home) + "/.local/share/crest";
    else
        folder = ".";
    return folder + "/plugins.json";
}

PluginCatalogue PluginCatalogue::load (const std::string& file)
{
    PluginCatalogue c;
    std::ifstream in (file, std::ios::binary);
    if (! in)
        return c;
    std::stringstream text;
    text << in.rdbuf();
    nlohmann::ordered_json doc;
    try
    {
        doc = nlohmann::ordered_json::parse (text.str());
        for (const auto& f : doc.value ("folders", nlohmann::ordered_json::array()))
            c.folders.push_back (f.get<std::string>());
        for (const auto& p : doc.value ("plugins", nlohmann::ordered_json::array()))
        {
            ScannedPlugin s;
            s.format = p.at ("format").get<std::string>();
            s.id = p.at ("id").get<std::string>();
            s.name = p.value ("name", std::string());
            s.version = p.value ("version", std::string());
            s.bundle = p.value ("bundle", std::string());
            s.latencySamples = p.value ("latency_samples", 0);
            s.parameters = p.value ("params", nlohmann::ordered_json::array());
            c.plugins.push_back (std::move (s));
        }
        for (const auto& p : doc.value ("blacklisted", nlohmann::ordered_json::array()))
            c.blacklisted.push_back ({ p.at ("format").get<std::string>(), p.at ("id").get<std::string>(),
                p.value ("bundle", std::string()), p.value ("reason", std::string()) });
    }
    catch (const nlohmann::json::exception& e)
    {
        throw std::runtime_error (file + ": not a plugin list Crest can read (" + e.what() + "); delete it and scan again");
    }
    return c;
}

nlohmann::ordered_json PluginCatalogue::toJson() const
{
    nlohmann::ordered_json doc;
    doc["format"] = "crest-plugins";
    doc["version"] = 1;
    doc["folders"] = folders;
    doc["plugins"] = nlohmann::ordered_json::array();
    for (const auto& p : plugins)
    {
        nlohmann::ordered_json j;
        j["format"] = p.format;
        j["id"] = p.id;
        j["name"] = p.name;
        j["version"] = p.version;
        j["bundle"] = p.bundle;
        j["latency_samples"] = p.latencySamples;
        j["params"] = p.parameters;
        doc["plugins"].push_back (j);
    }
    doc["blacklisted"] = nlohmann::ordered_json::array();
    for (const auto& b : blacklisted)
        doc["blacklisted"].push_back ({ { "format", b.format }, { "id", b.id }, { "bundle", b.bundle }, { "reason", b.reason } });
    return doc;
}

void PluginCatalogue::save (const std::string& file) const
{
    if (const auto slash = file.rfind ('/'); slash != std::string::npos && slash > 0)
    {
        // mkdir -p of the data folder (two levels at most: ~/.local/share/crest).
        const auto folder = file.substr (0, slash);
        for (size_t at = 1; at != std::string::npos;)
        {
            at = folder.find ('/', at + 1);
            ::mkdir (folder.substr (0, at).c_str(), 0755);
        }
    }
    std::string error;
    if (! engine::writeFileAtomically (file, toJson().dump (2) + "\n", error))
        throw std::runtime_error (error);
}

const BlacklistedPlugin* PluginCatalogue::findBlacklisted (const std::string& format, const std::string& id) const
{
    for (const auto& b : blacklisted)
        if (b.format == format && b.id == id)
            return &b;
    return nullptr;
}

const ScannedPlugin* PluginCatalogue::find (const std::string& format, const std::string& id) const
{
    for (const auto& p : plugins)
        if (p.format == format && p.id == id)
            return &p;
    return nullptr;
}

} // namespace crest::plugins
