#include "plugins/PluginHosting.h"

#include "engine/ModuleIds.h"
#include "plugins/Lv2PluginModule.h"
#include "plugins/Lv2World.h"
#include "plugins/PluginCatalogue.h"

#include <optional>
#include <set>

namespace crest::plugins
{

namespace
{
    /** The engine's view of Crest's plugin formats. */
    class CrestPluginFormats final : public engine::PluginFormats
    {
    public:
        const engine::ParameterTable* parameters (const engine::PluginReference& plugin) override
        {
            if (plugin.format != engine::ids::pluginFormats::lv2 || blacklist().findBlacklisted (plugin.format, plugin.id) != nullptr)
                return nullptr; // a blacklisted plugin is treated as missing: its slot keeps its values untouched
            const auto d = surveyed (plugin.id);
            return d != nullptr && d->unsupported.empty() ? &d->parameters : nullptr;
        }

        std::unique_ptr<engine::Module> create (const engine::PluginReference& plugin, std::string& reason) override
        {
            if (plugin.format != engine::ids::pluginFormats::lv2)
            {
                reason = "Crest hosts " + plugin.format + " plugins only in a build with that format";
                return nullptr;
            }
            if (const auto* bad = blacklist().findBlacklisted (plugin.format, plugin.id))
            {
                reason = "blacklisted by the last plugin scan: " + bad->reason;
                return nullptr;
            }
            auto& world = Lv2World::shared();
            return Lv2PluginModule::create (world, surveyed (plugin.id), plugin.state, reason);
        }

    private:
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

void installPluginHosting()
{
    engine::installPluginFormats (std::make_shared<CrestPluginFormats>());
}

engine::PluginReference referenceFor (const std::string& format, const std::string& id)
{
    engine::PluginReference ref;
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
