#include "plugins/Vst3Library.h"

#include "plugins/Vst3HostObjects.h"

#include <algorithm>
#include <cstdlib>
#include <dirent.h>
#include <dlfcn.h>
#include <mutex>
#include <sys/stat.h>

using namespace Steinberg;

namespace crest::plugins
{

namespace
{
    bool isFolder (const std::string& p)
    {
        struct stat s
        {
        };
        return ::stat (p.c_str(), &s) == 0 && S_ISDIR (s.st_mode);
    }

    bool endsWith (const std::string& s, const std::string& tail)
    {
        return s.size() >= tail.size() && s.compare (s.size() - tail.size(), tail.size(), tail) == 0;
    }

    std::string fixed (const char* text, size_t size)
    {
        return std::string (text, strnlen (text, size));
    }

    void searchFolder (const std::string& folder, int depth, std::vector<std::string>& out)
    {
        DIR* dir = ::opendir (folder.c_str());
        if (dir == nullptr)
            return;
        while (const dirent* e = ::readdir (dir))
        {
            const std::string name = e->d_name;
            if (name == "." || name == "..")
                continue;
            const auto full = folder + "/" + name;
            if (endsWith (name, ".vst3"))
                out.push_back (full);
            else if (depth < 4 && isFolder (full))
                searchFolder (full, depth + 1, out);
        }
        ::closedir (dir);
    }
} // namespace

std::string vst3LibraryFile (const std::string& bundle)
{
    if (! isFolder (bundle))
        return bundle;
    auto name = bundle;
    while (! name.empty() && name.back() == '/')
        name.pop_back();
    name = name.substr (name.rfind ('/') + 1);
    if (endsWith (name, ".vst3"))
        name.resize (name.size() - 5);
    return bundle + "/Contents/x86_64-linux/" + name + ".so";
}

std::shared_ptr<Vst3Library> Vst3Library::open (const std::string& bundle, std::string& reason)
{
    static std::mutex lock; // the scan's probe and the app may open from more than one thread
    // Never destroyed: the libraries and the factory reference each holds live as long as the
    // process (see the class note). A map destroyed at exit would drop those references after the
    // plugins' own statics are gone (LeakSanitizer then reported every factory as leaked).
    static auto& opened = *new std::map<std::string, std::shared_ptr<Vst3Library>>();
    const std::lock_guard<std::mutex> guard (lock);
    if (const auto found = opened.find (bundle); found != opened.end())
        return found->second;

    const auto file = vst3LibraryFile (bundle);
    struct stat s
    {
    };
    if (::stat (file.c_str(), &s) != 0)
    {
        reason = "no plugin library at " + file;
        return nullptr;
    }
    void* handle = ::dlopen (file.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr)
    {
        const char* e = ::dlerror();
        reason = std::string ("cannot load ") + file + ": " + (e != nullptr ? e : "dlopen failed");
        return nullptr;
    }
    using GetFactory = IPluginFactory*(PLUGIN_API*) ();
    using ModuleEntry = bool (*) (void*);
    auto getFactory = reinterpret_cast<GetFactory> (::dlsym (handle, "GetPluginFactory"));
    if (getFactory == nullptr)
    {
        ::dlclose (handle); // none of its code has run but static constructors
        reason = file + " exports no GetPluginFactory: not a VST3 plugin";
        return nullptr;
    }
    if (auto entry = reinterpret_cast<ModuleEntry> (::dlsym (handle, "ModuleEntry")))
        if (! entry (handle))
        {
            reason = file + ": ModuleEntry refused to start the plugin";
            return nullptr;
        }
    IPluginFactory* factory = getFactory();
    if (factory == nullptr)
    {
        reason = file + ": GetPluginFactory returned no factory";
        return nullptr;
    }

    std::shared_ptr<Vst3Library> library (new Vst3Library());
    library->path = bundle;
    library->handle = handle;
    library->pluginFactory = factory;

    if (auto f3 = vst3::Ref<IPluginFactory>::query<IPluginFactory3> (factory, IPluginFactory3_iid))
        f3->setHostContext (vst3::HostApplication::shared());
    PFactoryInfo factoryInfo;
    factory->getFactoryInfo (&factoryInfo);
    auto f2 = vst3::Ref<IPluginFactory>::query<IPluginFactory2> (factory, IPluginFactory2_iid);
    const int32 count = factory->countClasses();
    for (int32 i = 0; i < count; ++i)
    {
        PClassInfo info;
        if (factory->getClassInfo (i, &info) != kResultOk
            || fixed (info.category, sizeof (info.category)) != kVstAudioEffectClass)
            continue;
        Vst3ClassInfo c;
        c.id = vst3::idToString (info.cid);
        c.name = fixed (info.name, sizeof (info.name));
        c.vendor = fixed (factoryInfo.vendor, sizeof (factoryInfo.vendor));
        PClassInfo2 info2;
        if (f2 && f2->getClassInfo2 (i, &info2) == kResultOk)
        {
            c.version = fixed (info2.version, sizeof (info2.version));
            c.subCategories = fixed (info2.subCategories, sizeof (info2.subCategories));
            if (const auto v = fixed (info2.vendor, sizeof (info2.vendor)); ! v.empty())
                c.vendor = v;
        }
        library->effectClasses.push_back (c);
    }
    opened[bundle] = library;
    return library;
}

Vst3Library::~Vst3Library() = default; // never unloaded (see the class note)

const Vst3ClassInfo* Vst3Library::findClass (const std::string& id) const
{
    for (const auto& c : effectClasses)
        if (c.id == id)
            return &c;
    return nullptr;
}

std::vector<std::string> vst3SearchFolders (const std::vector<std::string>& userFolders, bool standard)
{
    std::vector<std::string> folders;
    if (standard)
    {
        if (const char* env = std::getenv ("VST3_PATH"); env != nullptr)
        {
            std::string all = env;
            for (size_t at = 0; at <= all.size();)
            {
                const auto colon = std::min (all.find (':', at), all.size());
                if (colon > at)
                    folders.push_back (all.substr (at, colon - at));
                at = colon + 1;
            }
        }
        if (const char* home = std::getenv ("HOME"); home != nullptr)
            folders.push_back (std::string (home) + "/.vst3");
        folders.push_back ("/usr/lib/vst3");
        folders.push_back ("/usr/local/lib/vst3");
    }
    for (const auto& f : userFolders)
        if (std::find (folders.begin(), folders.end(), f) == folders.end())
            folders.push_back (f);
    return folders;
}

std::vector<std::string> findVst3Bundles (const std::vector<std::string>& folders)
{
    std::vector<std::string> bundles;
    for (const auto& f : folders)
    {
        const auto name = f.substr (f.find_last_of ('/') + 1);
        if (name.size() > 5 && endsWith (name, ".vst3"))
            bundles.push_back (f); // a bundle named directly (not a folder such as ~/.vst3)
        else
            searchFolder (f, 0, bundles);
    }
    std::sort (bundles.begin(), bundles.end());
    bundles.erase (std::unique (bundles.begin(), bundles.end()), bundles.end());
    return bundles;
}

} // namespace crest::plugins
