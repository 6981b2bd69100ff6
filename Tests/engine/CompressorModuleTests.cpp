#include "AllocationCounter.h"
#include "ModuleTestHelpers.h"
#include "engine/CompressorModule.h"
#include "engine/ModuleRegistry.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <memory>

using namespace crest;
using crest::test::Buffer;

namespace
{
constexpr double pi = 3.14159265358979323846;

std::unique_ptr<engine::Module> makeCompressor (double rate, int maxBlock = 4096)
{
    auto m = engine::createModule ("compressor");
    REQUIRE (m != nullptr);
    m->prepare (rate, maxBlock);
    return m;
}

void compressHard (engine::Module& m)
{
    test::setParameter (m, "threshold_db", -30.0f);
    test::setParameter (m, "ratio", 4.0f);
    m.reset();
}

using test::lowTones;

/** A value far from the current one: the other end of the range, or the other choice. */
float otherValue (const engine::Parameter& p)
{
    const auto& s = p.spec();
    const float v = p.get();
    return (v - s.minimum > s.maximum - v) ? s.minimum : s.maximum;
}
} // namespace

TEST_CASE ("Compressor module is registered with its parameters", "[engine][dynamics]")
{
    auto m = engine::createModule ("compressor");
    REQUIRE (m != nullptr);
    CHECK (m->type() == "compressor");
    for (const char* id : { "threshold_db", "ratio", "knee_db", "attack_ms", "release_ms", "auto_release", "makeup_db",
             "detection", "stereo_link_pct", "mode", "sidechain_hpf_hz", "mix_pct" })
        CHECK (m->findParameter (id) != nullptr);
    bool listed = false;
    for (const auto& t : engine::moduleTypes())
        listed = listed || (t.type == "compressor" && t.name == "Compressor");
    CHECK (listed);

    float v = 0.0f;
    CHECK (m->findParameter ("detection")->spec().parse ("rms", v).empty());
    CHECK (v == 1.0f);
    CHECK (m->findParameter ("mode")->spec().parse ("mid_side", v).empty());
    CHECK (v == 1.0f);
}

TEST_CASE ("Compressor module at its defaults is bit-exact", "[engine][dynamics]")
{
    const double rate = 44100.0;
    auto m = makeCompressor (rate);
    const auto music = test::musicLike (rate, 2.0);
    const auto out = test::processThrough (*m, music);
    CHECK (test::differenceDb (out, music, 0, music.getNumSamples()) == -300.0);
    CHECK (m->gainReductionDb() == 0.0f);
    CHECK (m->latencySamples() == 0);
}

TEST_CASE ("Compressor module reports gain reduction", "[engine][dynamics]")
{
    const double rate = 48000.0;
    auto m = makeCompressor (rate);
    compressHard (*m);
    test::processThrough (*m, test::sine (rate, 2, 1.0, 1000.0, 0.0));
    CHECK (m->gainReductionDb() == Approx (22.5).margin (0.2)); // (0 - -30) * (1 - 1/4), knee 6 dB
}

TEST_CASE ("Compressor module parameter steps do not click", "[engine][dynamics]")
{
    const double rate = 48000.0;
    const auto input = lowTones (rate, 1.2);
    const int change = (int) (0.5 * rate);

    auto probe = makeCompressor (rate);
    for (const auto& parameter : probe->parameters())
    {
        const auto id = parameter->spec().id;
        auto m = makeCompressor (rate, 512);
        compressHard (*m);
        const float target = otherValue (*m->findParameter (id));

        const auto step = test::stepChange (*m, input, rate, change, id, target);
        INFO (id << " -> " << target << ": before " << step.before << ", during " << step.during << ", after " << step.after
                 << ", allowed " << step.allowed);
        CHECK (step.during <= step.allowed);
    }
}

TEST_CASE ("Compressor module survives NaN input", "[engine][dynamics]")
{
    const double rate = 48000.0;
    auto m = makeCompressor (rate);
    compressHard (*m);
    auto input = test::musicLike (rate, 1.0);
    input.setSample (0, 1000, std::numeric_limits<float>::quiet_NaN());
    input.setSample (1, 1500, std::numeric_limits<float>::infinity());
    Buffer out;
    out.makeCopyOf (input);
    crest::test::AllocationCounter allocations;
    for (int offset = 0; offset < out.getNumSamples(); offset += 512)
        m->process (
            out.getWritePointer (0, offset), out.getWritePointer (1, offset), std::min (512, out.getNumSamples() - offset));
    CHECK (allocations.count() == 0);
    for (int c = 0; c < 2; ++c)
        for (int i = 1501; i < out.getNumSamples(); ++i)
            REQUIRE (std::isfinite (out.getSample (c, i)));
    CHECK (std::isfinite (m->gainReductionDb()));
}

TEST_CASE ("Compressor module output does not depend on block sizes through parameter changes", "[engine][dynamics]")
{
    // Changes at sample positions every block size shares: glides run sample by sample and the
    // steady path takes over at the same sample whatever the blocks.
    const double rate = 48000.0;
    const auto music = test::musicLike (rate, 1.5);
    const test::ParameterChanges changes = {
        { 8192, { "threshold_db", -35.0f } },
        { 8192, { "ratio", 6.0f } },
        { 16384, { "mode", 1.0f } },
        { 16384, { "detection", 1.0f } },
        { 24576, { "sidechain_hpf_hz", 120.0f } },
        { 24576, { "auto_release", 1.0f } },
        { 32768, { "mix_pct", 40.0f } },
        { 32768, { "makeup_db", 3.0f } },
        { 40960, { "stereo_link_pct", 30.0f } },
        { 40960, { "release_ms", 40.0f } },
    };
    const auto render = [&] (int blockSize)
    {
        auto m = makeCompressor (rate, 4096);
        compressHard (*m);
        Buffer out;
        out.makeCopyOf (music);
        test::processWithChanges (*m, out, blockSize, changes);
        return out;
    };
    CHECK (test::blockSizeDifferenceDb ({ 32, 64, 256 }, render) == -300.0);
}
