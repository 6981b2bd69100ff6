// The contract every mastering module keeps (see engine::Module), checked once for every
// registered type instead of once per module file: it prepares at any rate and block size;
// silence in gives finite, denormal-free output; its output does not depend on the block size;
// reset() gives the output of a fresh module; latencySamples() is the delay an impulse measures;
// process() neither allocates nor locks, and stays finite, while every parameter sweeps its
// range; NaN or infinite input does not poison the output beyond the block it came out in.
//
// Each check runs at the defaults, at two settings derived from the parameter ranges alone (so
// a new module type is covered the day it is registered), and at the working settings listed
// below for types whose own tests chose one.

#include "AllocationCounter.h"
#include "LockCounter.h"
#include "ModuleTestHelpers.h"
#include "engine/ModuleRegistry.h"

#include <catch2/catch.hpp>

#include <cfloat>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

using namespace crest;

namespace
{
using Settings = std::vector<std::pair<std::string, float>>;

/** One setting a check runs at, with a name for the failure message. */
struct NamedSettings
{
    std::string name;
    Settings values;
};

/** Working settings of types whose own tests picked them (moved here with the block-size
    checks of those tests): each makes its module do real work on musicLike(). */
const std::map<std::string, std::vector<Settings>>& workingSettings()
{
    static const auto multiband = [] (float linearPhase)
    {
        Settings s { { "linear_phase", linearPhase }, { "auto_release", 1.0f }, { "band2_makeup_db", 3.0f }, { "mix_pct", 80.0f } };
        for (int b = 1; b <= 4; ++b)
        {
            s.push_back ({ "band" + std::to_string (b) + "_threshold_db", -30.0f });
            s.push_back ({ "band" + std::to_string (b) + "_ratio", 4.0f });
        }
        return s;
    };
    static const std::map<std::string, std::vector<Settings>> settings {
        { "compressor",
            { { { "threshold_db", -26.0f }, { "ratio", 3.0f }, { "auto_release", 1.0f }, { "detection", 1.0f },
                { "sidechain_hpf_hz", 80.0f }, { "mix_pct", 75.0f }, { "makeup_db", 3.0f } } } },
        { "imager",
            { { { "bands", 2.0f }, { "band1_width_pct", 60.0f }, { "band2_width_pct", 130.0f }, { "band3_width_pct", 110.0f },
                { "mono_below", 1.0f }, { "mid_side_balance_db", 1.5f } } } },
        { "limiter", { { { "input_gain_db", 12.0f }, { "stereo_unlink_pct", 40.0f } } } },
        { "multiband", { multiband (0.0f), multiband (1.0f) } },
        { "saturation", { { { "character", 1.0f }, { "drive_db", 15.0f }, { "mix_pct", 70.0f }, { "output_db", -3.0f } } } },
    };
    return settings;
}

/** Every parameter at the same fraction of its range (Parameter::set rounds choices and toggles). */
Settings atFraction (const engine::Module& module, float fraction)
{
    Settings s;
    for (const auto& p : module.parameters())
        s.push_back ({ p->spec().id, p->spec().minimum + fraction * (p->spec().maximum - p->spec().minimum) });
    return s;
}

/** The settings every check of a type runs at. */
std::vector<NamedSettings> settingsFor (const std::string& type)
{
    const auto probe = engine::createModule (type);
    std::vector<NamedSettings> all { { "defaults", {} }, { "every parameter at 30 %", atFraction (*probe, 0.3f) },
        { "every parameter at 70 %", atFraction (*probe, 0.7f) } };
    if (const auto found = workingSettings().find (type); found != workingSettings().end())
        for (size_t i = 0; i < found->second.size(); ++i)
            all.push_back ({ "working settings " + std::to_string (i + 1), found->second[i] });
    return all;
}

/** A module of a type with settings applied, prepared. */
std::unique_ptr<engine::Module> make (const std::string& type, const Settings& settings, double rate, int maxBlock)
{
    auto m = engine::createModule (type);
    REQUIRE (m != nullptr);
    for (const auto& [id, value] : settings)
        test::setParameter (*m, id, value);
    m->prepare (rate, maxBlock);
    return m;
}

/** Samples that are not finite, and finite ones in the denormal range, over a range. */
struct Badness
{
    int nonFinite = 0, denormal = 0, firstNonFinite = -1;
};

Badness inspect (const test::Buffer& b, int start = 0)
{
    Badness bad;
    for (int c = 0; c < b.getNumChannels(); ++c)
        for (int i = start; i < b.getNumSamples(); ++i)
        {
            const float v = b.getSample (c, i);
            if (! std::isfinite (v))
            {
                ++bad.nonFinite;
                if (bad.firstNonFinite < 0 || i < bad.firstNonFinite)
                    bad.firstNonFinite = i;
            }
            else if (v != 0.0f && std::fabs (v) < FLT_MIN)
                ++bad.denormal;
        }
    return bad;
}

/** Every registered type. */
std::vector<std::string> everyType()
{
    std::vector<std::string> types;
    for (const auto& t : engine::moduleTypes())
        types.push_back (t.type);
    return types;
}
} // namespace

TEST_CASE ("Module contract: every type prepares at any rate and block size, with a latency fixed by the rate",
    "[engine][contract]")
{
    for (const auto& type : everyType())
        for (const auto& setting : settingsFor (type))
        {
            INFO (type << ", " << setting.name);
            // One instance prepared again and again (as a device change does), and a fresh one each time.
            auto reused = engine::createModule (type);
            for (const auto& [id, value] : setting.values)
                test::setParameter (*reused, id, value);
            for (double rate : { 44100.0, 48000.0, 96000.0, 192000.0 })
            {
                const auto music = test::musicLike (rate, 0.1);
                int latencyAtFirstBlockSize = -1;
                for (int maxBlock : { 1, 64, 4096 })
                {
                    INFO (rate << " Hz, blocks of " << maxBlock);
                    reused->prepare (rate, maxBlock);
                    auto fresh = make (type, setting.values, rate, maxBlock);
                    CHECK (reused->latencySamples() == fresh->latencySamples());
                    CHECK (fresh->latencySamples() >= 0);
                    if (latencyAtFirstBlockSize < 0)
                        latencyAtFirstBlockSize = fresh->latencySamples();
                    CHECK (fresh->latencySamples() == latencyAtFirstBlockSize);
                    const auto a = test::processThrough (*reused, music, maxBlock);
                    const auto b = test::processThrough (*fresh, music, maxBlock);
                    CHECK (inspect (a).nonFinite == 0);
                    CHECK (test::differenceDb (a, b, 0, music.getNumSamples()) == -300.0); // prepare() forgets the past
                }
            }
        }
}

TEST_CASE ("Module contract: silence in gives finite output with no denormals, also after programme", "[engine][contract]")
{
    const double rate = 48000.0;
    for (const auto& type : everyType())
        for (const auto& setting : settingsFor (type))
        {
            INFO (type << ", " << setting.name);
            // Silence from the start, then programme followed by 4 s of silence for every tail
            // (filters, envelopes, delay lines) to decay through the denormal range.
            auto silentModule = make (type, setting.values, rate, 512);
            test::Buffer silence (2, (int) rate);
            silence.clear();
            const auto silentOut = test::processThrough (*silentModule, silence, 512);
            const auto silentBad = inspect (silentOut);
            CHECK (silentBad.nonFinite == 0);
            CHECK (silentBad.denormal == 0);

            auto m = make (type, setting.values, rate, 512);
            const auto music = test::musicLike (rate, 1.0);
            test::Buffer input (2, (int) (5.0 * rate));
            input.clear();
            for (int c = 0; c < 2; ++c)
                input.copyFrom (c, 0, music, c, 0, music.getNumSamples());
            const auto out = test::processThrough (*m, input, 512);
            const auto bad = inspect (out);
            CHECK (bad.nonFinite == 0);
            CHECK (bad.denormal == 0);
            CHECK (std::isfinite (m->gainReductionDb()));
        }
}

TEST_CASE ("Module contract: the output does not depend on the block size", "[engine][contract]")
{
    const double rate = 44100.0;
    const auto music = test::musicLike (rate, 3.0); // the longest the module tests used
    for (const auto& type : everyType())
        for (const auto& setting : settingsFor (type))
        {
            INFO (type << ", " << setting.name);
            const auto render = [&] (int blockSize)
            {
                auto m = make (type, setting.values, rate, 4096);
                return test::processThrough (*m, music, blockSize);
            };
            CHECK (test::blockSizeDifferenceDb ({ 32, 441, 4096 }, render) < -120.0);
        }
}

TEST_CASE ("Module contract: reset() gives the output of a fresh module", "[engine][contract]")
{
    const double rate = 48000.0;
    const auto before = test::musicLike (rate, 1.0);
    const auto after = test::pinkNoise (rate, 2, 1.0, -18.0);
    for (const auto& type : everyType())
        for (const auto& setting : settingsFor (type))
        {
            INFO (type << ", " << setting.name);
            auto used = make (type, setting.values, rate, 512);
            test::processThrough (*used, before, 512);
            used->reset();
            const auto fromReset = test::processThrough (*used, after, 512);
            auto fresh = make (type, setting.values, rate, 512);
            const auto fromFresh = test::processThrough (*fresh, after, 512);
            CHECK (test::differenceDb (fromReset, fromFresh, 0, after.getNumSamples()) == -300.0);
        }
}

TEST_CASE ("Module contract: latencySamples() is the delay of an impulse at the defaults", "[engine][contract]")
{
    // At -40 dBFS every module is linear at its defaults. The impulse is band-limited (a
    // linear-phase low-pass, centred where it was) so an oversampler passes it whole.
    for (const auto& type : everyType())
        for (double rate : { 44100.0, 48000.0, 96000.0 })
        {
            INFO (type << " at " << rate << " Hz");
            auto m = make (type, {}, rate, 512);
            const int latency = m->latencySamples();
            const int at = 3000;
            test::Buffer impulse (2, at + latency + 3000);
            impulse.clear();
            impulse.setSample (0, at, 0.01f);
            impulse.setSample (1, at, -0.01f);
            impulse = test::lowPassed (impulse, rate, 0.4 * rate);
            const auto out = test::processThrough (*m, impulse, 256);
            for (int c = 0; c < 2; ++c)
            {
                int loudest = 0;
                for (int i = 0; i < out.getNumSamples(); ++i)
                    if (std::fabs (out.getSample (c, i)) > std::fabs (out.getSample (c, loudest)))
                        loudest = i;
                INFO ("channel " << c << ": latency " << latency << ", impulse out at " << loudest - at);
                CHECK (loudest - at == latency);
                // ...and it is the impulse, not a trace of it.
                CHECK (std::fabs (out.getSample (c, loudest)) == Approx (std::fabs (impulse.getSample (c, at))).epsilon (0.02));
            }
        }
}

TEST_CASE ("Module contract: sweeping every parameter while processing stays finite, allocates nothing, locks nothing",
    "[engine][contract][realtime]")
{
    const double rate = 48000.0;
    const int block = 256;
    const auto music = test::musicLike (rate, 2.0);
    for (const auto& type : everyType())
        for (const auto& setting : settingsFor (type))
        {
            INFO (type << ", " << setting.name);
            auto m = make (type, setting.values, rate, block);
            const auto& parameters = m->parameters();
            test::Buffer io (2, block);
            int nonFinite = 0;
            int64_t allocations = 0, locks = 0;
            const auto run = [&] (int blocks, auto&& beforeBlock)
            {
                for (int k = 0, offset = 0; k < blocks; ++k, offset = (offset + block) % (music.getNumSamples() - block))
                {
                    for (int c = 0; c < 2; ++c)
                        io.copyFrom (c, 0, music, c, offset, block);
                    test::AllocationCounter allocationCounter;
                    test::LockCounter lockCounter;
                    beforeBlock (k);
                    m->process (io.getWritePointer (0), io.getWritePointer (1), block);
                    allocations += allocationCounter.count();
                    locks += lockCounter.count();
                    nonFinite += inspect (io).nonFinite;
                }
            };
            const auto at = [] (const engine::Parameter& p, float fraction)
            { return p.spec().minimum + fraction * (p.spec().maximum - p.spec().minimum); };

            // Each parameter alone, min -> max over 16 blocks (about 85 ms), then back to where it was.
            for (const auto& p : parameters)
            {
                const float was = p->get();
                run (17, [&] (int k) { p->set (at (*p, k / 16.0f)); });
                p->set (was);
            }
            // All of them at once, min -> max, then max -> min.
            run (65, [&] (int k) { for (const auto& p : parameters) p->set (at (*p, k / 64.0f)); });
            run (65, [&] (int k) { for (const auto& p : parameters) p->set (at (*p, 1.0f - k / 64.0f)); });

            CHECK (nonFinite == 0);
            CHECK (allocations == 0);
            CHECK (locks == 0);
            CHECK (std::isfinite (m->gainReductionDb()));
        }
}

TEST_CASE ("Module contract: NaN or infinite input does not poison later output, and allocates nothing",
    "[engine][contract][badinput]")
{
    const double rate = 48000.0;
    auto input = test::musicLike (rate, 2.0);
    input.setSample (0, 1000, std::numeric_limits<float>::quiet_NaN());
    input.setSample (1, 1500, std::numeric_limits<float>::infinity());
    input.setSample (0, 2000, -std::numeric_limits<float>::infinity());
    for (const auto& type : everyType())
        for (const auto& setting : settingsFor (type))
        {
            INFO (type << ", " << setting.name);
            auto m = make (type, setting.values, rate, 512);
            test::Buffer out;
            out.makeCopyOf (input);
            test::AllocationCounter allocations;
            for (int offset = 0; offset < out.getNumSamples(); offset += 512)
                m->process (out.getWritePointer (0, offset), out.getWritePointer (1, offset),
                    std::min (512, out.getNumSamples() - offset));
            CHECK (allocations.count() == 0);
            // Once the bad samples have come out (after the module's delay), all is finite again
            // from the next block on (a module may check its state for NaN once a block).
            const int lastBadOut = 2000 + m->latencySamples();
            const auto bad = inspect (out, (lastBadOut / 512 + 1) * 512);
            INFO ("first non-finite output at " << bad.firstNonFinite);
            CHECK (bad.nonFinite == 0);
            CHECK (std::isfinite (m->gainReductionDb()));
        }
}
