#pragma once

#include "engine/Parameter.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace Steinberg
{
class IPluginFactory;
}

namespace crest::plugins
{

/** One VST3 audio effect class of a bundle, as the factory lists it. */
struct Vst3ClassInfo
{
    std::string id; ///< class ID, 32 hex digits
    std::string name, vendor, version, subCategories;
};

/** A VST3 bundle's shared library, loaded into this process, and its plugin factory.

    Design: a bundle is loaded once per process and never unloaded (ModuleExit is not called):
    many plugins keep threads or static objects alive past their last instance, and unloading
    such code while it runs crashes the host. Loading runs plugin code (ModuleEntry, static
    constructors), so only bundles the scan has tried in a child process should be opened in
    Crest itself; the scan's child opens the others. Message thread. */
class Vst3Library
{
public:
    /** The library of a bundle (a ".vst3" folder with Contents/x86_64-linux/NAME.so, or a
        single ".so"/".vst3" file), loaded on first use; nullptr with `reason` set when it is
        not a loadable VST3 plugin (no library, dlopen fails, no GetPluginFactory, ModuleEntry
        refuses, no factory). */
    static std::shared_ptr<Vst3Library> open (const std::string& bundle, std::string& reason);

    /** The bundle it was opened from. */
    const std::string& bundle() const noexcept { return path; }

    /** The plugin factory (owned by the library). */
    Steinberg::IPluginFactory* factory() const noexcept { return pluginFactory; }

    /** The audio effect classes it offers ("Audio Module Class"). */
    const std::vector<Vst3ClassInfo>& classes() const noexcept { return effectClasses; }

    /** A class by ID, or nullptr. */
    const Vst3ClassInfo* findClass (const std::string& id) const;

    ~Vst3Library();

private:
    Vst3Library() = default;
    std::string path;
    void* handle = nullptr;
    Steinberg::IPluginFactory* pluginFactory = nullptr;
    std::vector<Vst3ClassInfo> effectClasses;
};

/** The shared library file inside a bundle path (Contents/x86_64-linux/NAME.so), or the path
    itself when it is a file. */
std::string vst3LibraryFile (const std::string& bundle);

/** The VST3 folders Crest looks in, in order: $VST3_PATH (':'-separated), ~/.vst3,
    /usr/lib/vst3, /usr/local/lib/vst3, then the user's added folders; with `standard` false,
    only the added folders. */
std::vector<std::string> vst3SearchFolders (const std::vector<std::string>& userFolders, bool standard = true);

/** Every ".vst3" bundle (folder or file) in the folders and their subfolders (a bundle's own
    insides are not searched), sorted. */
std::vector<std::string> findVst3Bundles (const std::vector<std::string>& folders);

} // namespace crest::plugins
