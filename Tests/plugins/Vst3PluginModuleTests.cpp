// VST3 plugins in Crest's chain through Crest's own VST3 host (issue 13): the project's test
// plugin (Tests/plugins/TestGainPlugin, a gain with a latency parameter built with JUCE's plugin
// client) is loaded, its gain checked to 0.01 dB, its state saved and restored, its latency
// reported and compensated offline and through the live chain host, the chain reordered under
// it during playback with nothing allocated on the audio thread, and a scan of deliberately
// broken VST3 bundles survived.

#include "AllocationCounter.h"
#include "ChainReorderRun.h"
#include "LockCounter.h"
#include "ModuleTestHelpers.h"
#include "engine/AudioFileInput.h"
#include "engine/ChainFile.h"
#include "engine/ModuleIds.h"
#include "engine/OfflineRenderer.h"
#include "engine/PluginSlots.h"
#include "engine/ProcessingChain.h"
#include "live/ChainHost.h"
#include "plugins/PluginHosting.h"
#include "plugins/Vst3Library.h"
#include "plugins/Vst3PluginModule.h"
#include "session/SessionEditor.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <link.h>

using namespace crest;

namespace
{
constexpr double rate = 48000.0;
using Settings = std::vector<std::pair<std::string, float>>;

/** The test plugin's class ID, read from its factory; the bundle is made known to the
        host (and to the CLI children, through VST3_PATH) on first use. */
const std::string& testPluginId()
{
    static const std::string id = []
    {
        plugins::addVst3Folder (CREST_TEST_VST3);
        ::setenv ("VST3_PATH", CREST_TEST_VST3, 1);
        std::string reason;
        auto library = plugins::Vst3Library::open (CREST_TEST_VST3, reason);
        INFO (reason);
        REQUIRE (library != nullptr);
        REQUIRE (library->classes().size() == 1);
        return library->classes()[0].id;
    }();
    return id;
}

/** Marks the test plugin's machine code as foreign for AllocationCounter: JUCE 7.0.5's VST3
        wrapper (Debian's, which builds the test plugin) allocates in every process() call, in
        its own code (ClientBufferMapperData::setUpInputChannels copies each bus's channel
        mapping, a std::vector, by value). That is the plugin's allocation, counted apart;
        Crest's host must add none. */
void markPluginCodeForeign()
{
    testPluginId(); // loaded
    static const bool marked = []
    {
        uintptr_t range[2] = { 0, 0 };
        dl_iterate_phdr (
            [] (dl_phdr_info* info, size_t, void* data)
            {
                const std::string name = info->dlpi_name != nullptr ? info->dlpi_name : "";
                if (name.find ("CrestTestGain.so") == std::string::npos)
                    return 0;
                auto* r = static_cast<uintptr_t*> (data);
                for (int i = 0; i < info->dlpi_phnum; ++i)
                    if (info->dlpi_phdr[i].p_type == PT_LOAD && (info->dlpi_phdr[i].p_flags & PF_X) != 0)
                    {
                        r[0] = info->dlpi_addr + info->dlpi_phdr[i].p_vaddr;
                        r[1] = r[0] + info->dlpi_phdr[i].p_memsz;
                    }
                return 1;
            },
            range);
        REQUIRE (range[1] > range[0]);
        test::AllocationCounter::setForeignCode (range[0], range[1]);
        return true;
    }();
    (void) marked;
}

/** The plugin's gain and latency as Crest's values: JUCE's plugins expose normalised
        parameters (gain -24..+24 dB, latency 0..4800 samples). */
float gainValue (double db)
{
    return (float) ((db + 24.0) / 48.0);
}
float latencyValue (int samples)
{
    return (float) samples / 4800.0f;
}

engine::ModuleDescription slot (const std::string& id, Settings params = {})
{
    engine::ModuleDescription m;
    m.id = id;
    m.type = engine::ids::types::plugin;
    m.plugin.format = engine::ids::pluginFormats::vst3;
    m.plugin.id = testPluginId();
    m.params = std::move (params);
    return m;
}

engine::ChainDescription chainOf (std::vector<engine::ModuleDescription> modules)
{
    engine::ChainDescription c;
    c.modules = std::move (modules);
    return c;
}

std::unique_ptr<engine::Module> plugin (const Settings& settings, int maxBlock = 512, const std::string& state = {})
{
    auto description = slot ("p");
    description.plugin.state = state;
    std::string note;
    auto m = engine::createModuleFor (description, note);
    INFO (note);
    REQUIRE (m != nullptr);
    REQUIRE (note.empty()); // the plugin, not a placeholder
    for (const auto& [id, value] : settings)
        test::setParameter (*m, id, value);
    m->prepare (rate, maxBlock);
    return m;
}

int loudestSample (const test::Buffer& b, int channel)
{
    int at = 0;
    for (int i = 1; i < b.getNumSamples(); ++i)
        if (std::abs (b.getSample (channel, i)) > std::abs (b.getSample (channel, at)))
            at = i;
    return at;
}

test::Buffer impulseAt (int at, int length)
{
    test::Buffer b (2, length);
    b.clear();
    b.setSample (0, at, 0.25f);
    b.setSample (1, at, 0.25f);
    return b;
}
} // namespace

TEST_CASE ("Crest's VST3 host loads the test plugin and lists its parameters", "[plugins][vst3]")
{
    std::string reason;
    const auto d = plugins::describeVst3 (CREST_TEST_VST3, testPluginId(), reason);
    INFO (reason);
    REQUIRE (d != nullptr);
    CHECK (d->unsupported.empty());
    CHECK (d->name == "CrestTestGain");
    CHECK (d->version == "1.2.0");
    REQUIRE (d->parameters.size() == 2); // JUCE's bypass parameter is the chain's business, not listed
    CHECK (d->parameters[0].id == "gain");
    CHECK (d->parameters[1].id == "latency");
    CHECK_FALSE (d->parameters[0].changesLatency);
    CHECK (d->parameters[1].changesLatency); // found by the survey: the chain rebuilds for it

    const auto ref = plugins::referenceFor (engine::ids::pluginFormats::vst3, testPluginId());
    CHECK (ref.id == testPluginId());
    CHECK (ref.name == "CrestTestGain");
    CHECK_FALSE (ref.state.empty());
}

TEST_CASE ("A VST3 gain plugin changes the level by the set amount to 0.01 dB", "[plugins][vst3]")
{
    const auto tone = test::sine (rate, 2, 2.0, 997.0, -20.0);
    for (const double gainDb : { 6.0, -7.5, 12.0 })
    {
        auto m = plugin ({ { "gain", gainValue (gainDb) } });
        CHECK (m->latencySamples() == 0);
        const auto out = test::processThrough (*m, tone);
        for (int c = 0; c < 2; ++c)
        {
            const double change = test::rmsDb (out, c, 0, tone.getNumSamples()) - test::rmsDb (tone, c, 0, tone.getNumSamples());
            INFO ("gain " << gainDb << " dB, channel " << c << ": measured " << change << " dB");
            CHECK (std::abs (change - gainDb) < 0.01);
        }
    }
}

TEST_CASE ("A VST3 plugin's saved state restores the same settings and output", "[plugins][vst3][state]")
{
    const auto music = test::musicLike (rate, 2.0);
    auto first = plugin ({ { "gain", gainValue (-3.25) }, { "latency", latencyValue (240) } });
    const auto state = first->pluginState();
    REQUIRE_FALSE (state.empty());
    const auto a = test::processThrough (*first, music);

    // A new instance from the state alone: same values, same latency, same samples.
    auto second = plugin ({}, 512, state);
    CHECK (second->findParameter ("gain")->get() == Approx (gainValue (-3.25)).margin (1e-6));
    CHECK (second->latencySamples() == 240);
    const auto b = test::processThrough (*second, music);
    CHECK (test::differenceDb (a, b, 0, music.getNumSamples()) < -200.0);
    CHECK (second->pluginState() == state);

    // Through a chain file: the slot's state and values survive byte for byte.
    auto chain = chainOf ({ slot ("g", { { "gain", gainValue (-3.25) } }) });
    chain.modules[0].plugin.state = state;
    const auto json = engine::ChainFile::toJson (chain);
    CHECK (engine::ChainFile::toJson (engine::ChainFile::parse (json, "vst3.json")) == json);
}

TEST_CASE (
    "A VST3 plugin's latency is reported and compensated, offline and through the live chain host", "[plugins][vst3][latency]")
{
    const int latency = 480, at = 30000;
    auto m = plugin ({ { "latency", latencyValue (latency) } });
    REQUIRE (m->latencySamples() == latency);
    const auto impulse = impulseAt (at, 48000);
    CHECK (loudestSample (test::processThrough (*m, impulse), 0) == at + latency);

    // Offline: the render takes the latency off again.
    const auto chain
        = chainOf ({ slot ("g", { { "latency", latencyValue (latency) } }), { "lim", engine::ids::types::limiter, false, {} } });
    std::string error;
    const auto built = engine::ProcessingChain::build (chain, rate, 512, error);
    INFO (error);
    REQUIRE (built != nullptr);
    CHECK (built->latencySamples() == latency + built->module (1).latencySamples());
    const auto dir = test::tempDir();
    const auto source = test::writeWav (dir + "/vst3-impulse.wav", impulse, rate, 32);
    engine::RenderOptions options;
    options.bitsPerSample = 32;
    const auto result = engine::renderFile (source, dir + "/vst3-impulse-out.wav", chain, options, error);
    INFO (error);
    REQUIRE (result);
    CHECK (result->latencySamples == built->latencySamples());
    auto input = engine::AudioFileInput::open (dir + "/vst3-impulse-out.wav", error);
    REQUIRE (input);
    test::Buffer rendered (2, (int) input->info().lengthInSamples);
    input->read (rendered, rendered.getNumSamples());
    CHECK (rendered.getNumSamples() == impulse.getNumSamples());
    CHECK (loudestSample (rendered, 0) == at);
    CHECK (std::abs (rendered.getSample (0, at) - 0.25f) < 0.001f);

    // Live: the chain host reports the latency of what is heard, and the impulse is heard
    // exactly that late, processed and (time-aligned) unprocessed alike.
    for (const bool unprocessed : { false, true })
    {
        live::ChainHost host;
        host.prepare (rate, 256);
        REQUIRE (host.setChain (chainOf ({ slot ("g", { { "latency", latencyValue (latency) } }) }), error));
        host.setCompareUnprocessed (unprocessed);
        host.reset(); // takes the chain at once, as a track's start does
        auto live = impulse;
        for (int i = 0; i < live.getNumSamples(); i += 256)
            host.process (live.getWritePointer (0, i), live.getWritePointer (1, i), std::min (256, live.getNumSamples() - i));
        INFO ("unprocessed " << unprocessed);
        CHECK (host.latencySamples() == latency);
        CHECK (loudestSample (live, 0) == at + host.latencySamples());
    }
}

TEST_CASE ("The VST3 test plugin keeps the module contract", "[plugins][vst3][contract]")
{
    // Crest Test Gain applies its gain per block without smoothing: with a constant gain it is
    // block-size independent and reset() is exact; a gain change lands at a block boundary.
    const auto music = test::musicLike (rate, 2.0);
    const Settings settings { { "gain", gainValue (4.0) }, { "latency", latencyValue (100) } };
    auto big = plugin (settings, 512);
    auto small = plugin (settings, 512);
    const auto a = test::processThrough (*big, music, 512);
    const auto b = test::processThrough (*small, music, 37);
    CHECK (test::differenceDb (a, b, 0, music.getNumSamples()) < -200.0);
    big->reset();
    const auto again = test::processThrough (*big, music, 512);
    CHECK (test::differenceDb (a, again, 0, music.getNumSamples()) < -200.0);

    // process() allocates nothing (processThrough's own buffer: one allocation); the plugin's
    // own code (JUCE 7.0.5's VST3 wrapper) allocates once per block, counted apart. The wrapper
    // also takes its processor's callback lock in every process() call (uncontended): that
    // lock is the plugin's, reported, not Crest's (Crest's host takes none).
    markPluginCodeForeign();
    test::AllocationCounter allocations;
    test::LockCounter locks;
    const auto out = test::processThrough (*big, music, 512);
    const int blocks = (music.getNumSamples() + 511) / 512;
    CHECK (allocations.count() <= 1);
    CHECK (allocations.foreignCount() == blocks);
    WARN ("Crest Test Gain (JUCE 7.0.5's VST3 wrapper) allocated " << allocations.foreignCount() << " times in " << blocks
                                                                   << " blocks");
    if (locks.count() != 0)
        WARN ("Crest Test Gain (JUCE's VST3 wrapper) locked "
            << locks.count() << " times in " << (music.getNumSamples() / 512 + 1) << " blocks: its own callback lock");
}

TEST_CASE (
    "Nothing is allocated on the audio thread while a VST3 plugin plays and the chain is reordered", "[plugins][vst3][realtime]")
{
    const int block = 256;
    const auto modules = [] (size_t shift)
    {
        std::vector<engine::ModuleDescription> m {
            slot ("vst3", { { "gain", gainValue (-2.0) }, { "latency", latencyValue (64) } }),
            { "crest-limiter", engine::ids::types::limiter, false, {} }, { "crest-eq", engine::ids::types::equaliser, false, {} }
        };
        std::rotate (m.begin(), m.begin() + (std::ptrdiff_t) (shift % m.size()), m.end());
        return chainOf (m);
    };
    markPluginCodeForeign();
    live::ChainHost host;
    host.prepare (rate, block);
    std::string error;
    REQUIRE (host.setChain (modules (0), error));
    const auto programme = test::musicLike (rate, 4.0);
    const auto run = test::playWhileReordering (host, programme, block, modules, 6, 1200);
    CHECK (run.changes == 6);
    CHECK (run.allocations == 0); // Crest's: chain host, chain, the VST3 host
    CHECK (run.foreignAllocations > 0); // the plugin's own (JUCE 7.0.5's wrapper), one per process() call
    WARN (
        "the plugin's own code allocated " << run.foreignAllocations << " times on the audio thread (JUCE 7.0.5's VST3 wrapper)");
    if (run.locks != 0)
        WARN ("locks on the audio thread: " << run.locks << " (JUCE's VST3 wrapper's callback lock, one per process() call)");
}

TEST_CASE ("The plugin scan survives broken VST3 bundles and lists the good one", "[plugins][vst3][scan]")
{
    if (! test::haveProgram ("cc"))
        FAIL ("no C compiler (cc) to build the broken bundles");
    const std::string folder = test::tempDir() + "/vst3-bundles";
    const auto libraryFolder = [&] (const std::string& name)
    {
        const auto f = folder + "/" + name + ".vst3/Contents/x86_64-linux";
        REQUIRE (test::run ("mkdir -p " + test::quote (f)).first == 0);
        return f + "/" + name + ".so";
    };
    // Garbage where the library should be.
    std::ofstream (libraryFolder ("garbage"), std::ios::binary) << std::string (4096, '\x5a') << "not an ELF file";
    // A real library without GetPluginFactory.
    {
        const auto source = folder + "/nofactory.c";
        std::ofstream (source) << "int crest_not_a_plugin (void) { return 1; }\n";
        const auto built = test::run (
            "cc -shared -fPIC -o " + test::quote (libraryFolder ("nofactory")) + " " + test::quote (source) + " 2>&1");
        INFO (built.second);
        REQUIRE (built.first == 0);
    }
    // A factory that crashes the process that asks for it.
    {
        const auto source = folder + "/crasher.c";
        std::ofstream (source) << "void* GetPluginFactory (void) { volatile int* p = 0; *p = 1; return 0; }\n";
        const auto built
            = test::run ("cc -shared -fPIC -o " + test::quote (libraryFolder ("crasher")) + " " + test::quote (source) + " 2>&1");
        INFO (built.second);
        REQUIRE (built.first == 0);
    }
    // A bundle folder with no library at all, and the good plugin.
    REQUIRE (test::run ("mkdir -p " + test::quote (folder + "/empty.vst3")).first == 0);
    REQUIRE (test::run ("cp -r " + test::quote (CREST_TEST_VST3) + " " + test::quote (folder + "/")).first == 0);

    // A plugin list of this test's own, so that other scan tests' folders do not mix in.
    const std::string crest = "CREST_USER_DATA=" + test::quote (folder + "/user-data") + " " + test::quote (CREST_CLI_PATH);
    const auto scan = test::run (crest + " plugins scan --only-folders --folder " + test::quote (folder) + " --timeout 20 2>&1");
    INFO (scan.second);
    REQUIRE (scan.first == 0);

    const auto listed = test::run (crest + " plugins list --json");
    REQUIRE (listed.first == 0);
    const auto doc = nlohmann::json::parse (listed.second);
    std::vector<nlohmann::json> vst3;
    for (const auto& p : doc["plugins"])
        if (p["format"] == "vst3")
            vst3.push_back (p);
    REQUIRE (vst3.size() == 1);
    CHECK (vst3[0]["id"] == testPluginId());
    CHECK (vst3[0]["name"] == "CrestTestGain");
    CHECK (vst3[0]["params"].size() == 2);

    std::map<std::string, std::string> reasons;
    for (const auto& b : doc["blacklisted"])
        if (b["format"] == "vst3")
            reasons[b["bundle"].get<std::string>()] = b["reason"].get<std::string>();
    REQUIRE (reasons.size() == 4);
    CHECK (reasons[folder + "/garbage.vst3"].find ("cannot load") != std::string::npos);
    CHECK (reasons[folder + "/nofactory.vst3"].find ("GetPluginFactory") != std::string::npos);
    CHECK (reasons[folder + "/crasher.vst3"].find ("crashed") != std::string::npos);
    CHECK (reasons[folder + "/empty.vst3"].find ("no plugin library") != std::string::npos);

    // Headless: `crest render` finds the plugin through the scan's list and applies it (+6 dB,
    // 120 samples of latency taken off again).
    const std::string chainPath = folder + "/vst3-chain.json";
    std::ofstream (chainPath)
        << R"({"format": "crest-chain", "version": 1, "modules": [{"id": "g", "type": "plugin", "plugin": {"format": "vst3", "id": ")"
        << testPluginId() << R"("}, "params": {"gain": )" << gainValue (6.0) << R"(, "latency": )" << latencyValue (120)
        << "}}]}";
    const auto tone = test::sine (rate, 2, 1.0, 997.0, -20.0);
    const auto input = test::writeWav (folder + "/tone.wav", tone, rate, 32);
    const auto render = test::run ("VST3_PATH= " + crest + " render " + test::quote (input) + " -o "
        + test::quote (folder + "/tone-out.wav") + " --bits 32 --chain " + test::quote (chainPath) + " 2>&1");
    INFO (render.second);
    REQUIRE (render.first == 0);
    CHECK (render.second.find ("latency 120 samples compensated") != std::string::npos);
    std::string error;
    auto rendered = engine::AudioFileInput::open (folder + "/tone-out.wav", error);
    REQUIRE (rendered);
    test::Buffer out (2, (int) rendered->info().lengthInSamples);
    rendered->read (out, out.getNumSamples());
    REQUIRE (out.getNumSamples() == tone.getNumSamples());
    CHECK (std::abs (test::rmsDb (out, 0, 0, out.getNumSamples()) - test::rmsDb (tone, 0, 0, tone.getNumSamples()) - 6.0) < 0.01);
}

TEST_CASE ("A mono VST3 plugin from Debian's zam-plugins runs as dual mono", "[plugins][vst3][zam]")
{
    // ZamEQ2 (zam-plugins, /usr/lib/vst3, built with DPF, not JUCE) is a mono effect: Crest runs
    // it as two instances, left and right, with the same parameters.
    const std::string zamEq2 = "2046504473616C633251455A00000000";
    plugins::addVst3Folder ("/usr/lib/vst3/ZamEQ2.vst3");
    auto description = slot ("eq");
    description.plugin.id = zamEq2;
    std::string note;
    auto m = engine::createModuleFor (description, note);
    INFO (note);
    REQUIRE (m != nullptr);
    REQUIRE (note.empty());
    test::setParameter (*m, "master_gain", 6.0f);
    m->prepare (rate, 512);
    CHECK (m->latencySamples() == 0);

    // A tone on the left only: +6 dB there, the right stays silent (the channels are apart).
    auto tone = test::sine (rate, 2, 2.0, 997.0, -20.0);
    tone.clear (1, 0, tone.getNumSamples());
    const auto out = test::processThrough (*m, tone);
    const int start = (int) rate / 2;
    const double change
        = test::rmsDb (out, 0, start, tone.getNumSamples() - start) - test::rmsDb (tone, 0, start, tone.getNumSamples() - start);
    INFO ("master gain +6 dB: measured " << change << " dB");
    CHECK (std::abs (change - 6.0) < 0.01);
    CHECK (out.getMagnitude (1, 0, out.getNumSamples()) < 1.0e-6f);

    // Its state (the first instance's) restores both.
    const auto state = m->pluginState();
    REQUIRE_FALSE (state.empty());
    description.plugin.state = state;
    auto again = engine::createModuleFor (description, note);
    REQUIRE (again != nullptr);
    CHECK (again->findParameter ("master_gain")->get() == Approx (6.0f).margin (1e-4));
}

TEST_CASE ("A VST3 slot is added, edited and undone in a session like a built-in module", "[plugins][vst3][session]")
{
    const auto reference = plugins::referenceFor (engine::ids::pluginFormats::vst3, testPluginId());
    REQUIRE (reference.id == testPluginId());
    session::SessionEditor editor;
    const auto id = editor.addPlugin (reference);
    REQUIRE_FALSE (id.empty());
    CHECK (editor.setParameter (id, "gain", gainValue (3.0)));
    CHECK (editor.parameterValue (id, "gain") == Approx (gainValue (3.0)));
    CHECK (editor.setParameter (id, "latency", latencyValue (32))); // changes latency: the chain rebuilds
    CHECK_FALSE (editor.setParameter (id, "no_such_parameter", 1.0f));
    REQUIRE (editor.undo());
    REQUIRE (editor.undo());
    CHECK (editor.parameterValue (id, "gain") == Approx (0.5f)); // 0 dB
    CHECK (editor.session().chain.modules[0].plugin == reference);
}
