#pragma once

#include "engine/PluginSlots.h"

namespace crest::plugins
{

/** Installs Crest's plugin host into the engine (engine::installPluginFormats): LV2 plugins
    through lilv, found on the search path of Lv2World::shared(); plugins that the last scan
    blacklisted are not loaded (their slots become placeholders, with the scan's reason). Call
    once at start-up, before any chain or session is read; the CLI, the app and the tests do. */
void installPluginHosting();

/** The reference a new slot for a plugin starts from: format, ID, name, version and the state a
    fresh instance saves. Empty ID when the plugin is not on this machine. Message thread. */
engine::PluginReference referenceFor (const std::string& format, const std::string& id);

} // namespace crest::plugins
