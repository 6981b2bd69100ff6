#include "plugins/Lv2World.h"

#include "plugins/PluginCatalogue.h"

#include <lv2/atom/atom.h>
#include <lv2/buf-size/buf-size.h>
#include <lv2/core/lv2.h>
#include <lv2/options/options.h>
#include <lv2/state/state.h>
#include <lv2/units/units.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdlib>

namespace crest::plugins
{

namespace
{
    /** A lilv node freed when it goes out of scope. */
    struct Node
    {
        LilvNode* node;
        explicit Node (LilvNode* n) : node (n) { }
        ~Node() { lilv_node_free (node); }
        Node (const Node&) = delete;
        Node& operator= (const Node&) = delete;
        operator const LilvNode*() const noexcept { return node; }
        std::string text() const { return node != nullptr ? lilv_node_as_string (node) : std::string(); }
    };

    float numberOr (const LilvNode* n, float fallback)
    {
        return n != nullptr && (lilv_node_is_float (n) || lilv_node_is_int (n)) ? lilv_node_as_float (n) : fallback;
    }
} // namespace

const std::vector<std::string>& supportedLv2Features()
{
    static const std::vector<std::string> features { LV2_URID__map, LV2_URID__unmap, LV2_OPTIONS__options,
        LV2_BUF_SIZE__boundedBlockLength, LV2_CORE__isLive, LV2_CORE_PREFIX "hardRTCapable", LV2_CORE__inPlaceBroken };
    return features;
}

std::string lv2SearchPath (const std::vector<std::string>& userFolders, bool standard)
{
    std::vector<std::string> folders;
    if (standard)
    {
        if (const char* env = std::getenv ("LV2_PATH"); env != nullptr)
        {
            std::string list = env;
            for (size_t start = 0; start <= list.size();)
            {
                const auto end = std::min (list.find (':', start), list.size());
                if (end > start)
                    folders.push_back (list.substr (start, end - start));
                start = end + 1;
            }
        }
        if (const char* home = std::getenv ("HOME"); home != nullptr)
            folders.push_back (std::string (home) + "/.lv2");
        folders.push_back ("/usr/lib/lv2");
        folders.push_back ("/usr/local/lib/lv2");
    }
    for (const auto& f : userFolders)
        folders.push_back (f);

    std::string path;
    std::vector<std::string> seen;
    for (const auto& f : folders)
        if (std::find (seen.begin(), seen.end(), f) == seen.end())
        {
            seen.push_back (f);
            path += (path.empty() ? "" : ":") + f;
        }
    return path;
}

Lv2World& Lv2World::shared()
{
    static Lv2World world (lv2SearchPath (PluginCatalogue::load (PluginCatalogue::defaultFile()).folders));
    return world;
}

Lv2World::Lv2World (const std::string& searchPath) : path (searchPath)
{
    mapFeature.handle = this;
    mapFeature.map = &Lv2World::mapUri;
    unmapFeature.handle = this;
    unmapFeature.unmap = &Lv2World::unmapUrid;

    world = lilv_world_new();
    LilvNode* pathNode = lilv_new_string (world, path.c_str());
    lilv_world_set_option (world, LILV_OPTION_LV2_PATH, pathNode);
    lilv_node_free (pathNode);
    lilv_world_load_all (world);
}

Lv2World::~Lv2World()
{
    lilv_world_free (world);
}

LV2_URID Lv2World::mapUri (LV2_URID_Map_Handle handle, const char* uri)
{
    return static_cast<Lv2World*> (handle)->urid (uri);
}

const char* Lv2World::unmapUrid (LV2_URID_Unmap_Handle handle, LV2_URID urid)
{
    auto& self = *static_cast<Lv2World*> (handle);
    const std::lock_guard<std::mutex> hold (self.uridLock);
    return urid >= 1 && urid <= self.uridNames.size() ? self.uridNames[urid - 1]->c_str() : nullptr;
}

uint32_t Lv2World::urid (const char* uri)
{
    const std::lock_guard<std::mutex> hold (uridLock);
    const auto found = urids.find (uri);
    if (found != urids.end())
        return found->second;
    uridNames.push_back (std::make_unique<std::string> (uri));
    const auto id = (uint32_t) uridNames.size();
    urids.emplace (uri, id);
    return id;
}

std::vector<std::string> Lv2World::pluginUris() const
{
    std::vector<std::string> uris;
    const auto* all = lilv_world_get_all_plugins (world);
    LILV_FOREACH (plugins, i, all)
        uris.push_back (lilv_node_as_uri (lilv_plugin_get_uri (lilv_plugins_get (all, i))));
    std::sort (uris.begin(), uris.end());
    return uris;
}

const LilvPlugin* Lv2World::find (const std::string& uri) const
{
    const Node node (lilv_new_uri (world, uri.c_str()));
    return lilv_plugins_get_by_uri (lilv_world_get_all_plugins (world), node);
}

void Lv2World::replace (std::shared_ptr<const Lv2Description> description)
{
    described[description->uri] = std::move (description);
}

std::string Lv2World::bundleOf (const std::string& uri) const
{
    const auto* plugin = find (uri);
    if (plugin == nullptr)
        return {};
    char* file = lilv_file_uri_parse (lilv_node_as_uri (lilv_plugin_get_bundle_uri (plugin)), nullptr);
    std::string folder = file != nullptr ? file : "";
    lilv_free (file);
    return folder;
}

std::shared_ptr<const Lv2Description> Lv2World::describe (const std::string& uri)
{
    if (const auto found = described.find (uri); found != described.end())
        return found->second;
    const auto* plugin = find (uri);
    if (plugin == nullptr)
        return nullptr;

    auto d = std::make_shared<Lv2Description>();
    d->uri = uri;
    d->name = Node (lilv_plugin_get_name (plugin)).text();
    {
        const Node minor (lilv_new_uri (world, LV2_CORE__minorVersion)), micro (lilv_new_uri (world, LV2_CORE__microVersion));
        const Node minorValue (lilv_world_get (world, lilv_plugin_get_uri (plugin), minor, nullptr));
        const Node microValue (lilv_world_get (world, lilv_plugin_get_uri (plugin), micro, nullptr));
        if (minorValue.node != nullptr)
            d->version = "0." + minorValue.text() + "." + (microValue.node != nullptr ? microValue.text() : "0");
    }

    // Required features Crest does not offer make the plugin unusable here: say which.
    if (LilvNodes* required = lilv_plugin_get_required_features (plugin))
    {
        LILV_FOREACH (nodes, i, required)
        {
            const std::string feature = lilv_node_as_uri (lilv_nodes_get (required, i));
            const auto& offered = supportedLv2Features();
            if (std::find (offered.begin(), offered.end(), feature) == offered.end())
                d->unsupported = "needs the LV2 feature " + feature + ", which Crest does not offer";
        }
        lilv_nodes_free (required);
    }

    const Node inputClass (lilv_new_uri (world, LV2_CORE__InputPort)), outputClass (lilv_new_uri (world, LV2_CORE__OutputPort)),
        audioClass (lilv_new_uri (world, LV2_CORE__AudioPort)), controlClass (lilv_new_uri (world, LV2_CORE__ControlPort)),
        atomClass (lilv_new_uri (world, LV2_ATOM__AtomPort)), toggled (lilv_new_uri (world, LV2_CORE__toggled)),
        optional (lilv_new_uri (world, LV2_CORE__connectionOptional)),
        unitProperty (lilv_new_uri (world, LV2_UNITS__unit)), unitSymbol (lilv_new_uri (world, LV2_UNITS__symbol));

    d->portCount = lilv_plugin_get_num_ports (plugin);
    if (lilv_plugin_has_latency (plugin))
        d->latencyPort = (int) lilv_plugin_get_latency_port_index (plugin);

    std::vector<engine::ParameterSpec> specs;
    for (uint32_t i = 0; i < d->portCount; ++i)
    {
        const auto* port = lilv_plugin_get_port_by_index (plugin, i);
        const bool input = lilv_port_is_a (plugin, port, inputClass), output = lilv_port_is_a (plugin, port, outputClass);
        if (lilv_port_is_a (plugin, port, audioClass))
        {
            (input ? d->audioInputs : d->audioOutputs).push_back (i);
        }
        else if (lilv_port_is_a (plugin, port, atomClass))
        {
            (input ? d->atomInputs : d->atomOutputs).push_back (i);
        }
        else if (lilv_port_is_a (plugin, port, controlClass) && output)
        {
            d->controlOutputs.push_back (i);
        }
        else if (lilv_port_is_a (plugin, port, controlClass) && input)
        {
            LilvNode *def = nullptr, *min = nullptr, *max = nullptr;
            lilv_port_get_range (plugin, port, &def, &min, &max);
            float lo = numberOr (min, 0.0f), hi = numberOr (max, 1.0f);
            float dv = numberOr (def, lo);
            lilv_node_free (def);
            lilv_node_free (min);
            lilv_node_free (max);
            if (! (hi > lo))
                hi = lo + 1.0f;
            dv = std::clamp (dv, lo, hi);

            const std::string symbol = lilv_node_as_string (lilv_port_get_symbol (plugin, port));
            const std::string label = Node (lilv_port_get_name (plugin, port)).text();
            engine::ParameterSpec spec;
            if (lilv_port_has_property (plugin, port, toggled))
            {
                spec = engine::specs::toggle (symbol, label);
                spec.defaultValue = dv >= 0.5f ? 1.0f : 0.0f;
            }
            else
            {
                std::string unit;
                if (LilvNodes* units = lilv_port_get_value (plugin, port, unitProperty))
                {
                    if (const LilvNode* u = lilv_nodes_get_first (units); u != nullptr && lilv_node_is_uri (u))
                        if (LilvNode* sym = lilv_world_get (world, u, unitSymbol, nullptr))
                        {
                            unit = lilv_node_as_string (sym);
                            lilv_node_free (sym);
                        }
                    lilv_nodes_free (units);
                }
                spec = engine::specs::number (symbol, label.empty() ? symbol : label, unit, lo, hi, dv);
            }
            specs.push_back (std::move (spec));
            d->parameterPorts.push_back (i);
        }
        else if (lilv_port_has_property (plugin, port, optional))
        {
            d->optionalPorts.push_back (i);
        }
        else if (d->unsupported.empty())
        {
            d->unsupported = "port '" + std::string (lilv_node_as_string (lilv_port_get_symbol (plugin, port)))
                             + "' is of a kind Crest does not host (only audio, control and atom ports)";
        }
    }
    d->parameters = engine::ParameterTable (std::move (specs));

    const auto ins = d->audioInputs.size(), outs = d->audioOutputs.size();
    if (ins == 1 && outs == 1)
        d->dualMono = true;
    else if (! (ins == 2 && outs == 2) && d->unsupported.empty())
        d->unsupported = "has " + std::to_string (ins) + " audio inputs and " + std::to_string (outs)
                         + " outputs; Crest hosts stereo (2 in, 2 out) or mono (1 in, 1 out, run as dual mono) plugins";

    described.emplace (uri, d);
    return d;
}

} // namespace crest::plugins
