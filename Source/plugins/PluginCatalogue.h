#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace crest::plugins
{

/** One plugin the scan loaded, instantiated and ran without trouble. */
struct ScannedPlugin
{
    std::string format;  ///< "lv2" or "vst3"
    std::string id;      ///< LV2 URI or VST3 class ID
    std::string name, version;
    std::string bundle;  ///< the folder it was loaded from
    int latencySamples = 0; ///< as reported at 48 kHz with its default settings
    nlohmann::ordered_json parameters = nlohmann::ordered_json::array(); ///< [{id, name, unit, min, max, default}]
};

/** One plugin the scan refused, and why (crashed, hung, cannot be hosted). */
struct BlacklistedPlugin
{
    std::string format, id, bundle, reason;
};

/** What the last `crest plugins scan` found, remembered between runs: the good plugins, the
    blacklisted ones with their reasons, and the folders the user added to the standard ones.
    Kept as JSON in the user's data folder (PluginCatalogue::defaultFile()); written atomically. */
struct PluginCatalogue
{
    std::vector<std::string> folders; ///< added by the user, scanned after the standard locations
    std::vector<ScannedPlugin> plugins;
    std::vector<BlacklistedPlugin> blacklisted;

    /** $CREST_USER_DATA, else $XDG_DATA_HOME/crest, else ~/.local/share/crest; plus "plugins.json". */
    static std::string defaultFile();

    /** Reads a catalogue; an absent file is an empty catalogue. Throws std::runtime_error naming
        the file when it exists but cannot be read. */
    static PluginCatalogue load (const std::string& file);

    /** Writes it atomically. Throws std::runtime_error naming the file. */
    void save (const std::string& file) const;

    /** The catalogue as JSON. */
    nlohmann::ordered_json toJson() const;

    /** The blacklist entry of a plugin, or nullptr. */
    const BlacklistedPlugin* findBlacklisted (const std::string& format, const std::string& id) const;

    /** A good plugin by format and ID, or nullptr. */
    const ScannedPlugin* find (const std::string& format, const std::string& id) const;
};

} // namespace crest::plugins
