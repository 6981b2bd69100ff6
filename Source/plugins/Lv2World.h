#pragma once

#include "engine/Parameter.h"

#include <lilv/lilv.h>
#include <lv2/urid/urid.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace crest::plugins
{

/** What Crest learned of one LV2 plugin from its Turtle description, without loading its code:
    its ports sorted into audio, control and atom ports, its parameters, and whether Crest can
    host it (and if not, why). */
struct Lv2Description
{
    std::string uri, name, version;
    engine::ParameterTable parameters { {} }; ///< one per control input port, ID = port symbol
    std::vector<uint32_t> parameterPorts;     ///< the port index of each parameter
    std::vector<uint32_t> audioInputs, audioOutputs, atomInputs, atomOutputs, controlOutputs, optionalPorts;
    uint32_t portCount = 0;
    int latencyPort = -1; ///< the control output port that reports latency, or -1
    bool dualMono = false; ///< one audio input and output: Crest runs two instances, left and right
    std::string unsupported; ///< empty when Crest can host it, else why not
};

/** The LV2 world of this process: every plugin found on the LV2 search path, a URID map the
    plugins share, and each plugin's description made once.

    Design: lilv reads only the plugins' Turtle files here, never their code, so building the
    world cannot crash on a broken plugin (the scan loads code in a child process). It is made on
    first use, on the message thread, from the search path of lv2SearchPath(). Everything but the
    URID map is for the message thread; the map locks, so a plugin that maps URIs in run() (none
    should: they map in instantiate) would break the realtime rule, not the program.
*/
class Lv2World
{
public:
    /** The world of this process, made on first use. */
    static Lv2World& shared();

    /** A world on a search path (folders joined with ':'). */
    explicit Lv2World (const std::string& searchPath);
    ~Lv2World();

    /** Every plugin URI found, sorted. */
    std::vector<std::string> pluginUris() const;

    /** A plugin by URI, or nullptr. */
    const LilvPlugin* find (const std::string& uri) const;

    /** The description of a plugin by URI (cached), or nullptr when it is not on this machine. */
    std::shared_ptr<const Lv2Description> describe (const std::string& uri);

    /** Replaces a plugin's description (for the latency survey: same plugin, parameters marked
        changesLatency). Modules made from the old one must be gone. */
    void replace (std::shared_ptr<const Lv2Description> description);

    /** The folder (bundle) a plugin lives in, or empty. */
    std::string bundleOf (const std::string& uri) const;

    /** The lilv world itself. */
    LilvWorld* lilv() const noexcept { return world; }

    /** The URID map and unmap features' data, shared by every plugin of this world. */
    LV2_URID_Map* map() noexcept { return &mapFeature; }
    LV2_URID_Unmap* unmap() noexcept { return &unmapFeature; }

    /** A URI's URID (mapping it if new). */
    uint32_t urid (const char* uri);

    /** The search path this world was made from. */
    const std::string& searchPath() const noexcept { return path; }

private:
    static LV2_URID mapUri (LV2_URID_Map_Handle, const char* uri);
    static const char* unmapUrid (LV2_URID_Unmap_Handle, LV2_URID urid);

    std::string path;
    LilvWorld* world = nullptr;
    std::map<std::string, std::shared_ptr<const Lv2Description>> described;

    std::mutex uridLock;
    std::map<std::string, uint32_t> urids;
    std::vector<std::unique_ptr<std::string>> uridNames; // index = URID - 1; stable pointers for unmap
    LV2_URID_Map mapFeature {};
    LV2_URID_Unmap unmapFeature {};
};

/** The LV2 search path Crest uses, in order: LV2_PATH, ~/.lv2, /usr/lib/lv2, /usr/local/lib/lv2,
    then the user's added folders; with `standard` false, only the added folders (tests). */
std::string lv2SearchPath (const std::vector<std::string>& userFolders, bool standard = true);

/** The features a host must offer for a plugin to run here (URIs), for the scan's reasons. */
const std::vector<std::string>& supportedLv2Features();

} // namespace crest::plugins
