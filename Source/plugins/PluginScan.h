#pragma once

#include "plugins/PluginCatalogue.h"

#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace crest::plugins
{

/** How to scan. */
struct ScanOptions
{
    std::string program;              ///< the crest executable that probes one plugin (`crest plugins probe ...`)
    std::vector<std::string> folders; ///< the user's added folders, scanned after the standard ones
    bool standardFolders = true;      ///< false: the added folders only (tests)
    double timeoutSeconds = 10.0;     ///< a probe that takes longer is taken to hang, killed and blacklisted
};

/** Scans for plugins out of process: every LV2 plugin on the search path is loaded, instantiated
    and run by a child process (`program plugins probe lv2 URI`), one per plugin, so that a
    plugin that crashes or hangs takes only its child down; it is then blacklisted with the
    reason (the signal, the time-out, or what the probe said). Reading the plugins' Turtle
    descriptions happens in this process: lilv parses, it never runs plugin code. Then every
    VST3 bundle in the VST3 folders (vst3SearchFolders) is probed by a child of its own
    (`program plugins probe vst3 BUNDLE`), which loads it and runs each audio effect class it
    offers; a bundle that cannot be loaded, crashes or hangs is blacklisted as a whole (ID =
    its path), a class that cannot be hosted by its class ID. `progress` hears one line per
    plugin. */
PluginCatalogue scanPlugins (const ScanOptions& options, const std::function<void (const std::string&)>& progress);

/** The child's side: loads, instantiates and runs one plugin (1 s of noise at 48 kHz, blocks of
    512) and writes its catalogue entry as one JSON object to `out`. Returns 0 when it ran, 3
    with a reason on `out` ({"error": ...}) when it cannot be hosted. For VST3, `id` is a
    bundle's path and the object lists every class: {"classes": [{id, name, ... | error}]}. */
int probePlugin (const std::string& format, const std::string& id, const std::string& searchPath, std::ostream& out);

} // namespace crest::plugins
