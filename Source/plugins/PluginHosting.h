#pragma once

#include "engine/PluginSlots.h"

namespace crest::plugins
{

/** Installs Crest's plugin host into the engine (engine::installPluginFormats): LV2 plugins
    through lilv, found on the search path of Lv2World::shared(), and VST3 plugins through
    Crest's own VST3 host, found by the last scan's list or in the VST3 folders; plugins that the last scan
    blacklisted are not loaded (their slots become placeholders, with the scan's reason). Call
    once at start-up, before any chain or session is read; the CLI, the app and the tests do. */
void installPluginHosting();

/** Makes the next plugin load read the scan's list (blacklist included) again, for a scan that
    ran while this process was running: a plugin it just blacklisted is not loaded. Message thread. */
void reloadPluginList();

/** Adds a folder to look for VST3 bundles in, besides the standard ones and the scan list's
    (tests, and bundles the user points at before scanning). Message thread. */
void addVst3Folder (const std::string& folder);

/** The reference a new slot for a plugin starts from: format, ID, name, version and the state a
    fresh instance saves. Empty ID when the plugin is not on this machine. Message thread. */
engine::PluginReference referenceFor (const std::string& format, const std::string& id);

} // namespace crest::plugins
