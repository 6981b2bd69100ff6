// LV2 plugins from Debian's packages in Crest's chain (issue 13): a gain plugin's level change,
// x42's limiter ceiling by Crest's own true-peak meter, state saved and restored, latency
// reported and compensated (live chain and offline render), the module contract where the
// plugin allows it, and nothing allocated or locked on the audio thread while plugins play and
// the chain is reordered under them. The plugins are those Installers/install-deps.sh installs
// (x42-plugins); a test fails, it does not skip, when one is missing.

#include "AllocationCounter.h"
#include "ChainReorderRun.h"
#include "IndependentTruePeak.h"
#include "LockCounter.h"
#include "ModuleTestHelpers.h"
#include "analysis/TruePeakMeter.h"
#include "engine/ChainFile.h"
#include "engine/ModuleIds.h"
#include "engine/OfflineRenderer.h"
#include "engine/PluginSlots.h"
#include "engine/ProcessingChain.h"
#include "live/ChainHost.h"
#include "plugins/PluginHosting.h"
#include "session/SessionEditor.h"
#include "session/SessionFile.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <cmath>
#include <thread>

using namespace crest;

namespace
{
    constexpr double rate = 48000.0;
    const std::string balance = "http://gareus.org/oss/lv2/balance";  // x42 stereo balance: "trim" is a gain in dB
    const std::string limiter = "http://gareus.org/oss/lv2/dpl#stereo"; // x42 digital peak limiter
    const std::string equaliser = "http://gareus.org/oss/lv2/fil4#stereo"; // x42 parametric EQ

    using Settings = std::vector<std::pair<std::string, float>>;

    engine::ModuleDescription slot (const std::string& id, const std::string& uri, Settings params = {})
    {
        engine::ModuleDescription m;
        m.id = id;
        m.type = engine::ids::types::plugin;
        m.plugin.format = engine::ids::pluginFormats::lv2;
        m.plugin.id = uri;
        m.params = std::move (params);
        return m;
    }

    engine::ChainDescription chainOf (std::vector<engine::ModuleDescription> modules)
    {
        engine::ChainDescription c;
        c.modules = std::move (modules);
        return c;
    }

    /** A plugin module with settings, prepared; fails the test when the plugin is not here. */
    std::unique_ptr<engine::Module> plugin (const std::string& uri, const Settings& settings, int maxBlock = 512)
    {
        std::string note;
        auto m = engine::createModuleFor (slot ("p", uri), note);
        INFO (note);
        REQUIRE (m != nullptr);
        REQUIRE (note.empty()); // loaded, not a placeholder
        for (const auto& [id, value] : settings)
            test::setParameter (*m, id, value);
        m->prepare (rate, maxBlock);
        return m;
    }

    test::Buffer through (const engine::ChainDescription& description, const test::Buffer& input, int block = 512)
    {
        std::string error;
        auto chain = engine::ProcessingChain::build (description, rate, block, error);
        INFO (error);
        REQUIRE (chain != nullptr);
        auto out = input;
        for (int at = 0; at < out.getNumSamples(); at += block)
        {
            const int n = std::min (block, out.getNumSamples() - at);
            chain->process (out.getWritePointer (0, at), out.getWritePointer (1, at), n);
        }
        return out;
    }

    double truePeakDb (const test::Buffer& b, int start)
    {
        analysis::TruePeakMeter meter;
        meter.prepare (rate, 2);
        const float* channels[] = { b.getReadPointer (0, start), b.getReadPointer (1, start) };
        meter.process (channels, b.getNumSamples() - start);
        meter.flush();
        return 20.0 * std::log10 (std::max (meter.getPeak (0), meter.getPeak (1)));
    }

    double samplePeakDb (const test::Buffer& b, int start)
    {
        float peak = 0.0f;
        for (int c = 0; c < 2; ++c)
            for (int i = start; i < b.getNumSamples(); ++i)
                peak = std::max (peak, std::abs (b.getSample (c, i)));
        return 20.0 * std::log10 (peak);
    }

    int loudestSample (const test::Buffer& b, int channel)
    {
        int at = 0;
        for (int i = 1; i < b.getNumSamples(); ++i)
            if (std::abs (b.getSample (channel, i)) > std::abs (b.getSample (channel, at)))
                at = i;
        return at;
    }
} // namespace

TEST_CASE ("An LV2 gain plugin changes the level by the set amount to 0.01 dB", "[plugins][lv2]")
{
    const auto tone = test::sine (rate, 2, 2.0, 997.0, -20.0);
    for (float gainDb : { 6.0f, -7.5f, 12.0f })
    {
        auto m = plugin (balance, { { "trim", gainDb } });
        CHECK (m->latencySamples() == 0);
        const auto out = test::processThrough (*m, tone);
        const int start = (int) rate; // the last second: past any parameter smoothing
        for (int c = 0; c < 2; ++c)
        {
            const double change = test::rmsDb (out, c, start, (int) rate) - test::rmsDb (tone, c, start, (int) rate);
            INFO ("trim " << gainDb << " dB, channel " << c << ": measured " << change << " dB");
            CHECK (std::abs (change - gainDb) < 0.01);
        }
    }
}

TEST_CASE ("x42's limiter holds its ceiling by Crest's true-peak meter", "[plugins][lv2]")
{
    auto music = test::musicLike (rate, 6.0);
    for (const float ceiling : { -1.0f, -3.0f })
    {
        // truepeak = 1: dpl limits the inter-sample peak; gain = +12 dB drives it hard.
        auto m = plugin (limiter, { { "threshold", ceiling }, { "gain", 12.0f }, { "truepeak", 1.0f } });
        const auto out = test::processThrough (*m, music);
        const double tp = truePeakDb (out, m->latencySamples());
        INFO ("ceiling " << ceiling << " dBTP: true peak " << tp << " dBTP, sample peak " << samplePeakDb (out, 0) << " dBFS, latency "
                         << m->latencySamples());
        // dpl's true-peak mode holds the *sample* peak at its threshold and lets the true peak
        // pass it a little: its own inter-sample estimate reads low. Measured on musicLike (after
        // the latency and 0.1 s) by the independent sinc interpolator of IndependentTruePeak.h,
        // the same at 4x, 8x and 16x, so not a matter of Crest's meter reading 8x: +0.003 dB at
        // +6 dB drive, +0.115 dB at +12, up to +0.16 dB (8x) at +20; the sample peak at -1.000
        // throughout. Configured right, the threshold is set 0.2 dB under the ceiling (next test).
        CHECK (tp <= ceiling + 0.1); // Crest's meter reads +0.07 dB here (from the latency on)
        CHECK (tp > ceiling - 1.0); // it limits, it does not just turn the level down
    }
}

TEST_CASE ("x42's limiter with its threshold 0.2 dB under the ceiling holds -1 dBTP by an independent meter", "[plugins][lv2]")
{
    // The configuration a mastering chain should use for a -1 dBTP delivery with dpl: threshold
    // -1.2 dB, true-peak mode; judged by 16x band-limited interpolation that shares nothing with
    // dpl or with Crest's meter.
    auto music = test::musicLike (rate, 6.0);
    for (const float drive : { 6.0f, 12.0f, 20.0f })
    {
        auto m = plugin (limiter, { { "threshold", -1.2f }, { "gain", drive }, { "truepeak", 1.0f } });
        const auto out = test::processThrough (*m, music);
        const double tp = test::IndependentTruePeak (16).peakDb (out, m->latencySamples());
        INFO ("drive +" << drive << " dB: true peak " << tp << " dBTP (16x)");
        CHECK (tp <= -1.0);
        CHECK (tp > -1.5);
    }
}

TEST_CASE ("x42's limiter in sample-peak mode holds the sample peak, not the true peak", "[plugins][lv2]")
{
    // The negative control: with truepeak off dpl is a digital-peak limiter, so samples stay at
    // the ceiling while the true peak between them may pass it.
    auto music = test::musicLike (rate, 6.0);
    auto m = plugin (limiter, { { "threshold", -1.0f }, { "gain", 12.0f }, { "truepeak", 0.0f } });
    const auto out = test::processThrough (*m, music);
    const double sp = samplePeakDb (out, 0), tp = truePeakDb (out, 0);
    INFO ("sample peak " << sp << " dBFS, true peak " << tp << " dBTP");
    CHECK (sp <= -1.0 + 0.01);
    CHECK (tp >= sp);
}

TEST_CASE ("An LV2 plugin's latency is reported and compensated, live and offline", "[plugins][lv2][latency]")
{
    auto m = plugin (limiter, { { "truepeak", 1.0f } });
    const int latency = m->latencySamples();
    INFO ("dpl latency at 48 kHz: " << latency);
    REQUIRE (latency > 0);

    // An impulse well under the ceiling comes out `latency` samples later from the module alone
    // (at 40000: after fil4's fade-in when it is switched on, about 0.1 s),
    const int at = 40000;
    test::Buffer impulse (2, 60000);
    impulse.clear();
    impulse.setSample (0, at, 0.25f);
    impulse.setSample (1, at, 0.25f);
    const auto direct = test::processThrough (*m, impulse);
    CHECK (loudestSample (direct, 0) == at + latency);

    // ... the chain reports it (for the live player's compensation),
    const auto chain = chainOf ({ slot ("eq", equaliser), slot ("lim", limiter, { { "truepeak", 1.0f } }) });
    std::string error;
    const auto built = engine::ProcessingChain::build (chain, rate, 512, error);
    REQUIRE (built != nullptr);
    CHECK (built->latencySamples() == latency + built->module (0).latencySamples());

    // ... and an offline render puts it back exactly where it was.
    const auto dir = test::tempDir();
    const auto source = test::writeWav (dir + "/impulse.wav", impulse, rate, 32);
    engine::RenderOptions options;
    options.bitsPerSample = 32;
    const auto result = engine::renderFile (source, dir + "/impulse-out.wav", chain, options, error);
    INFO (error);
    REQUIRE (result);
    CHECK (result->latencySamples == built->latencySamples());
    auto input = engine::AudioFileInput::open (dir + "/impulse-out.wav", error);
    REQUIRE (input);
    test::Buffer rendered (2, (int) input->info().lengthInSamples);
    input->read (rendered, rendered.getNumSamples());
    CHECK (rendered.getNumSamples() == impulse.getNumSamples());
    CHECK (loudestSample (rendered, 0) == at);
    CHECK (std::abs (rendered.getSample (0, at) - 0.25f) < 0.001f);
}

TEST_CASE ("An LV2 slot's settings and state survive a chain file and give the same output", "[plugins][lv2][state]")
{
    const auto music = test::musicLike (rate, 3.0);
    auto first = chainOf ({ slot ("eq", equaliser, { { "gain1", 4.0f }, { "freq1", 250.0f } }),
        slot ("lim", limiter, { { "threshold", -2.0f }, { "gain", 6.0f }, { "truepeak", 1.0f } }) });
    // The state a fresh instance saves, as a new slot carries it.
    for (auto& m : first.modules)
    {
        std::string note;
        m.plugin.state = engine::createModuleFor (m, note)->pluginState();
    }
    const auto json = engine::ChainFile::toJson (first);
    const auto reread = engine::ChainFile::parse (json, "round-trip");
    REQUIRE (reread.modules.size() == 2);
    CHECK (reread.modules[1].plugin == first.modules[1].plugin);
    CHECK (engine::ChainFile::toJson (reread) == json); // saving again changes no byte

    const auto a = through (first, music);
    const auto b = through (reread, music);
    CHECK (test::differenceDb (a, b, 0, music.getNumSamples()) < -200.0); // identical
    CHECK (test::differenceDb (a, music, 0, music.getNumSamples()) > -40.0); // and the chain did something
}

TEST_CASE ("A chain naming a plugin this machine lacks loads, passes audio and saves it back untouched",
    "[plugins][state][missing]")
{
    const std::string text = R"({
  "format": "crest-chain",
  "version": 1,
  "modules": [
    {
      "id": "far-away",
      "type": "plugin",
      "bypass": false,
      "plugin": {
        "format": "lv2",
        "id": "urn:crest:test:not-installed-anywhere",
        "name": "Someone's Favourite Compressor",
        "version": "0.3.1",
        "state": "QHByZWZpeCBzdGF0ZTogPGh0dHA6Ly9sdjJwbHVnLmluL25zL2V4dC9zdGF0ZSM+IC4K"
      },
      "params": {
        "threshold": -18.25,
        "ratio": 3.0
      }
    }
  ]
}
)";
    const auto chain = engine::ChainFile::parse (text, "missing.json");
    const auto missing = engine::missingPlugins (chain);
    REQUIRE (missing.size() == 1);
    CHECK (missing[0].find ("Someone's Favourite Compressor") != std::string::npos);

    // Saved again: every byte of the plugin's entry is what was read.
    CHECK (engine::ChainFile::toJson (chain) == text);

    // Audio passes through the placeholder unchanged, with no latency.
    const auto music = test::musicLike (rate, 1.0);
    std::string error;
    const auto built = engine::ProcessingChain::build (chain, rate, 512, error);
    REQUIRE (built != nullptr);
    CHECK (built->latencySamples() == 0);
    CHECK (built->module (0).pluginState() == chain.modules[0].plugin.state);
    const auto out = through (chain, music);
    CHECK (test::differenceDb (out, music, 0, music.getNumSamples()) < -300.0 + 1.0);
}

TEST_CASE ("LV2 plugin modules keep the module contract where the plugin allows it", "[plugins][lv2][contract]")
{
    // What each plugin allows, measured (blocks of 512 against blocks of 37):
    // - x42 balance: block-size independent and reset() exact from the first sample;
    // - x42 fil4: the same once its switch-on fade (its "enable" ramp, run per block) is over,
    //   about the first second; within -119 dBFS after it (float rounding of its per-block
    //   coefficient updates);
    // - x42 dpl: NOT block-size independent: its gain envelope is updated per run() call, so the
    //   output depends on the block size (about -26 dBFS of difference on musicLike at +9 dB);
    //   and LV2's only reset, deactivate() + activate(), does not clear all of its envelope
    //   (about -52 dBFS from a fresh instance). Checked here for the realtime rules only.
    const auto music = test::musicLike (rate, 3.0);
    struct Case
    {
        std::string uri;
        Settings settings;
        int settlesAfter; ///< samples after which output is block-size independent and reset() exact; -1: never
    };
    for (const auto& c : { Case { balance, { { "trim", 3.0f } }, 0 }, Case { equaliser, { { "gain1", 5.0f }, { "gain3", -4.0f } }, (int) rate },
             Case { limiter, { { "gain", 9.0f }, { "truepeak", 1.0f } }, -1 } })
    {
        INFO (c.uri);
        auto big = plugin (c.uri, c.settings, 512);
        auto small = plugin (c.uri, c.settings, 512);
        const auto a = test::processThrough (*big, music, 512);
        const auto b = test::processThrough (*small, music, 37);
        const int from = std::max (0, c.settlesAfter);
        const double blockDifference = test::differenceDb (a, b, from, music.getNumSamples() - from);
        INFO ("blocks of 512 against 37: largest difference " << blockDifference << " dBFS from sample " << from);
        if (c.settlesAfter >= 0)
            CHECK (blockDifference < -100.0);
        else
            WARN (c.uri << " is not block-size independent: " << blockDifference << " dBFS between blocks of 512 and 37");

        // reset() gives the output of a fresh module (after the same settling time).
        big->reset();
        const auto again = test::processThrough (*big, music, 512);
        const double resetDifference = test::differenceDb (a, again, from, music.getNumSamples() - from);
        INFO ("after reset(): largest difference " << resetDifference << " dBFS");
        if (c.settlesAfter >= 0)
            CHECK (resetDifference < -100.0);
        else
            WARN (c.uri << ": reset() leaves " << resetDifference << " dBFS of difference from a fresh instance");

        // process() allocates and locks nothing (processThrough's own buffer is made before the
        // first block: one allocation).
        {
            test::AllocationCounter allocations;
            test::LockCounter locks;
            const auto out = test::processThrough (*big, music, 512);
            CHECK (allocations.count() <= 1);
            CHECK (locks.count() == 0);
        }

        // Silence in: finite, denormal-free output.
        test::Buffer silence (2, 48000);
        silence.clear();
        const auto quiet = test::processThrough (*big, silence, 512);
        bool clean = true;
        for (int ch = 0; ch < 2; ++ch)
            for (int i = 0; i < quiet.getNumSamples(); ++i)
                clean = clean && std::isfinite (quiet.getSample (ch, i))
                        && (quiet.getSample (ch, i) == 0.0f || std::abs (quiet.getSample (ch, i)) >= 1.17549435e-38f);
        CHECK (clean);
    }
}

TEST_CASE ("The audio thread allocates and locks nothing while LV2 plugins play and the chain is reordered",
    "[plugins][lv2][realtime]")
{
    const int block = 256;
    const auto plugins = [] (size_t shift)
    {
        std::vector<engine::ModuleDescription> m { slot ("eq", equaliser, { { "gain2", 3.0f } }), slot ("gain", balance, { { "trim", -2.0f } }),
            slot ("lim", limiter, { { "truepeak", 1.0f } }), { "crest-limiter", engine::ids::types::limiter, false, {} } };
        std::rotate (m.begin(), m.begin() + (std::ptrdiff_t) (shift % m.size()), m.end());
        return chainOf (m);
    };
    live::ChainHost host;
    host.prepare (rate, block);
    std::string error;
    INFO (error);
    REQUIRE (host.setChain (plugins (0), error));

    const auto programme = test::musicLike (rate, 4.0);
    const auto run = test::playWhileReordering (host, programme, block, plugins, 8, 1500);
    CHECK (run.changes == 8);
    CHECK (run.allocations == 0);
    CHECK (run.locks == 0);
}

TEST_CASE ("A session naming a missing plugin saves its slot back byte for byte", "[plugins][session][missing]")
{
    // What another machine saved: the album chain holds a plugin this one does not have.
    const std::string plugin = R"({"format": "lv2", "id": "urn:crest:test:elsewhere", "name": "Elsewhere EQ", "version": "1.2.0",
        "state": "c3RhdGUgYnl0ZXMgdGhhdCBtdXN0IG5vdCBjaGFuZ2U="})";
    const std::string text = R"({"format": "crest-session", "version": 1, "chain": {"format": "crest-chain", "version": 1, "modules": [
        {"id": "eq", "type": "plugin", "plugin": )" + plugin + R"(, "params": {"band1_gain": 2.5, "mode": 1}}]}, "tracks": []})";
    const auto folder = test::tempDir();
    const auto session = session::SessionFile::parse (text, "elsewhere.crest", folder);
    REQUIRE (session.chain.modules.size() == 1);
    const auto path = folder + "/resaved.crest";
    session::SessionFile::save (session, path);
    const auto again = session::SessionFile::load (path);
    REQUIRE (again.chain.modules.size() == 1);
    const auto& slot = again.chain.modules[0];
    CHECK (slot.plugin == session.chain.modules[0].plugin);
    CHECK (slot.plugin.state == "c3RhdGUgYnl0ZXMgdGhhdCBtdXN0IG5vdCBjaGFuZ2U=");
    CHECK (slot.params == session.chain.modules[0].params);
    CHECK (slot.params == Settings { { "band1_gain", 2.5f }, { "mode", 1.0f } });
}

TEST_CASE ("A plugin slot is added, edited and undone like a built-in module", "[plugins][lv2][session]")
{
    const auto reference = plugins::referenceFor (engine::ids::pluginFormats::lv2, limiter);
    REQUIRE (reference.id == limiter);
    CHECK (reference.name.find ("dpl") != std::string::npos);

    session::SessionEditor editor;
    const auto id = editor.addPlugin (reference);
    REQUIRE (id == "plugin");
    CHECK (editor.setParameter (id, "threshold", -3.0f));
    CHECK (editor.parameterValue (id, "threshold") == -3.0f);
    CHECK_FALSE (editor.setParameter (id, "no_such_port", 1.0f));
    // truepeak does not change dpl's latency (both modes 64 samples): a live edit, no rebuild.
    CHECK (editor.setParameter (id, "truepeak", 1.0f));
    REQUIRE (editor.undo());
    REQUIRE (editor.undo());
    CHECK (editor.parameterValue (id, "threshold") == -1.0f);
    CHECK (editor.session().chain.modules[0].plugin == reference);

    // A plugin that is not here cannot be added.
    engine::PluginReference absent { engine::ids::pluginFormats::lv2, "urn:crest:test:absent", "", "", "" };
    CHECK (editor.addPlugin (absent).empty());
}
