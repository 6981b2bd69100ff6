#include "plugins/PluginHosting.h"

#include "engine/ModuleIds.h"
#include "plugins/Lv2PluginModule.h"
#include "plugins/Lv2World.h"
#include "plugins/PluginCatalogue.h"
#include "plugins/Vst3PluginModule.h"

#include <mutex>
#include <optional>
#include <set>

namespace crest::plugins
{

std::vector<std::string>& extraVst3Folders();

namespace
{
    /** The engine's view of Crest's plugin formats. */
    class CrestPluginFormats final : public engine::PluginFormats
    {
    public:
        const engine::ParameterTable* parameters (const engine::PluginReference& plugin) override
        {
            if (blacklist().findBlacklisted (plugin.format, plugin.id) != nullptr)
                return nullptr; // a blacklisted plugin is treated as missing: its slot keeps its values untouched
            if (plugin.format == engine::ids::pluginFormats::vst3)
            {
                std::string reason;
                const auto d = vst3Description (plugin.id, reason);
                return d != nullptr && d->unsupported.empty() ? &d->parameters : nullptr;
            }
            if (plugin.format != engine::ids::pluginFormats::lv2)
                return nullptr;
            const auto d = surveyed (plugin.id);
            return d != nullptr && d->unsupported.empty() ? &d->parameters : nullptr;
        }

        std::unique_ptr<engine::Module> create (const engine::PluginReference& plugin, std::string& reason) override
        {
            if (plugin.format != engine::ids::pluginFormats::lv2 && plugin.format != engine::ids::pluginFormats::vst3)
            {
                reason = "Crest hosts LV2 and VST3 plugins, not " + plugin.format;
                return nullptr;
            }
            if (const auto* bad = blacklist().findBlacklisted (plugin.format, plugin.id))
            {
                reason = "blacklisted by the last plugin scan: " + bad->reason;
                return nullptr;
            }
            if (plugin.format == engine::ids::pluginFormats::vst3)
                return Vst3PluginModule::create (vst3Description (plugin.id, reason), plugin.state, reason);
            auto& world = Lv2World::shared();
            return Lv2PluginModule::create (world, surveyed (plugin.id), plugin.state, reason);
        }

        /** A VST3 class's description: its bundle from the last scan's list, else the first
            bundle in the VST3 folders (skipping bundles the scan blacklisted) that offers it. */
        std::shared_ptr<const Vst3Description> vst3Description (const std::string& classId, std::string& reason)
        {
            if (const auto* known = blacklist().find (engine::ids::pluginFormats::vst3, classId))
                return describeVst3 (known->bundle, classId, reason);
            if (notFound.count (classId) != 0)
            {
                reason = "not on this machine (no VST3 bundle in the VST3 folders offers class " + classId + ")";
                return nullptr;
            }
            // Bundles the scan saw are known by their classes (or blacklisted): only the others
            // are opened here, in this process.
            std::set<std::string> seen;
            for (const auto& b : blacklist().blacklisted)
                seen.insert (b.bundle);
            for (const auto& p : blacklist().plugins)
                seen.insert (p.bundle);
            auto folders = blacklist().folders;
            folders.insert (folders.end(), extraVst3Folders().begin(), extraVst3Folders().end());
            for (const auto& bundle : findVst3Bundles (vst3SearchFolders (folders)))
            {
                if (seen.count (bundle) != 0)
                    continue;
                std::string why;
                auto library = Vst3Library::open (bundle, why);
                if (library != nullptr && library->findClass (classId) != nullptr)
                    return describeVst3 (bundle, classId, reason);
            }
            notFound.insert (classId);
            reason = "not on this machine (no VST3 bundle in the VST3 folders offers class " + classId + ")";
            return nullptr;
        }

    private:
        std::set<std::string> notFound; // VST3 class IDs looked for in vain (this process)

        /** A plugin's description once its latency-changing parameters are known: for a plugin
            with a latency port, each parameter is set to its minimum and maximum on a probe
            instance and the reported latency compared, so that the chain rebuilds (rather than
            misaligns) when such a parameter changes. Once per plugin and process. */
        std::shared_ptr<const Lv2Description> surveyed (const std::string& uri)
        {
            auto& world = Lv2World::shared();
            auto d = world.describe (uri);
            if (d == nullptr || ! surveyedUris.insert (uri).second || ! d->unsupported.empty() || d->latencyPort < 0)
                return d;
            std::vector<bool> changes (d->parameters.size(), false);
            {
                std::string reason;
                auto probe = Lv2PluginModule::create (world, d, {}, reason);
                if (probe == nullptr)
                    return d;
                probe->prepare (48000.0, 512);
                const int base = probe->latencySamples();
                const auto& values = probe->parameters();
                for (size_t i = 0; i < values.size(); ++i)
                {
                    for (const float v : { values[i]->spec().minimum, values[i]->spec().maximum })
                    {
                        values[i]->set (v);
                        probe->prepare (48000.0, 512);
                        changes[i] = changes[i] || probe->latencySamples() != base;
                    }
                    values[i]->setToDefault();
                }
            }
            auto marked = std::make_shared<Lv2Description> (*d);
            std::vector<engine::ParameterSpec> specs (d->parameters.begin(), d->parameters.end());
            for (size_t i = 0; i < specs.size(); ++i)
                specs[i].changesLatency = changes[i];
            marked->parameters = engine::ParameterTable (std::move (specs));
            world.replace (marked);
            return marked;
        }

    public:
        /** Reads the scan's list again when next needed (a scan just rewrote it). */
        void forgetCatalogue()
        {
            catalogue.reset();
            notFound.clear(); // the scan may have found the bundle that offers one
        }

    private:
        const PluginCatalogue& blacklist()
        {
            if (! catalogue)
            {
                try
                {
                    catalogue = PluginCatalogue::load (PluginCatalogue::defaultFile());
                }
                catch (const std::exception&)
                {
                    catalogue = PluginCatalogue {}; // an unreadable list blacklists nothing; `plugins scan` rewrites it
                }
            }
            return *catalogue;
        }

        std::optional<PluginCatalogue> catalogue;
        std::set<std::string> surveyedUris;
    };
} // namespace

std::vector<std::string>& extraVst3Folders()
{
    static std::vector<std::string> folders;
    return folders;
}

void addVst3Folder (const std::string& folder)
{
    extraVst3Folders().push_back (folder);
}

namespace
{
    std::weak_ptr<CrestPluginFormats>& installedFormats()
    {
        static std::weak_ptr<CrestPluginFormats> formats;
        return formats;
    }
} // namespace

void installPluginHosting()
{
    auto formats = std::make_shared<CrestPluginFormats>();
    installedFormats() = formats;
    engine::installPluginFormats (formats);
}

void reloadPluginList()
{
    if (auto formats = installedFormats().lock())
        formats->forgetCatalogue();
}

engine::PluginReference referenceFor (const std::string& format, const std::string& id)
{
    engine::PluginReference ref;
    if (format == engine::ids::pluginFormats::vst3)
    {
        std::string reason;
        auto* formats = dynamic_cast<CrestPluginFormats*> (engine::installedPluginFormats());
        const auto d = formats != nullptr ? formats->vst3Description (id, reason) : nullptr;
        if (d == nullptr || ! d->unsupported.empty())
            return ref;
        ref.format = format;
        ref.id = id;
        ref.name = d->name;
        ref.version = d->version;
        if (auto module = Vst3PluginModule::create (d, {}, reason))
            ref.state = module->pluginState();
        return ref;
    }
    if (format != engine::ids::pluginFormats::lv2)
        return ref;
    auto& world = Lv2World::shared();
    const auto d = world.describe (id);
    if (d == nullptr)
        return ref;
    ref.format = format;
    ref.id = id;
    ref.name = d->name;
    ref.version = d->version;
    std::string reason;
    if (auto module = Lv2PluginModule::create (world, d, {}, reason))
        ref.state = module->pluginState();
    return ref;
}

} // namespace crest::plugins
