#include "AllocationCounter.h"
#include "ModuleTestHelpers.h"
#include "engine/ImagerModule.h"
#include "engine/ModuleRegistry.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <complex>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>

using namespace crest;
using crest::test::Buffer;

namespace
{
constexpr double pi = 3.14159265358979323846;

bool printFigures()
{
    return std::getenv ("CREST_TEST_FIGURES") != nullptr;
}

std::unique_ptr<engine::Module> makeImager (double rate, int maxBlock = 4096)
{
    auto m = engine::createModule ("imager");
    REQUIRE (m != nullptr);
    m->prepare (rate, maxBlock);
    return m;
}

/** Mid and side of a stereo buffer: channel 0 mid, channel 1 side. */
Buffer midSide (const Buffer& b)
{
    Buffer ms (2, b.getNumSamples());
    for (int i = 0; i < b.getNumSamples(); ++i)
    {
        ms.setSample (0, i, 0.5f * (b.getSample (0, i) + b.getSample (1, i)));
        ms.setSample (1, i, 0.5f * (b.getSample (0, i) - b.getSample (1, i)));
    }
    return ms;
}

/** Level of one frequency in a stretch of a channel, dB re. a full-scale sine. */
double toneDb (const Buffer& b, int channel, int start, int length, double frequency, double rate)
{
    std::complex<double> acc = 0.0;
    for (int n = start; n < start + length; ++n)
        acc += (double) b.getSample (channel, n) * std::polar (1.0, -2.0 * pi * frequency * n / rate);
    return 20.0 * std::log10 (std::max (2.0 * std::abs (acc) / length, 1e-15));
}

std::complex<double> responseAt (const Buffer& b, int channel, double frequency, double rate)
{
    const std::complex<double> step = std::polar (1.0, -2.0 * pi * frequency / rate);
    std::complex<double> rotation = 1.0, acc = 0.0;
    for (int n = 0; n < b.getNumSamples(); ++n)
    {
        acc += (double) b.getSample (channel, n) * rotation;
        rotation *= step;
        if ((n & 1023) == 1023)
            rotation /= std::abs (rotation);
    }
    return acc;
}

/** A tone in the mid and another in the side. */
Buffer midAndSideTones (double rate, double seconds, double midHz, double midDb, double sideHz, double sideDb)
{
    const int n = (int) (rate * seconds);
    Buffer b (2, n);
    const double am = std::pow (10.0, midDb / 20.0), as = std::pow (10.0, sideDb / 20.0);
    for (int i = 0; i < n; ++i)
    {
        const double m = am * std::sin (2.0 * pi * midHz * i / rate), s = as * std::sin (2.0 * pi * sideHz * i / rate);
        b.setSample (0, i, (float) (m + s));
        b.setSample (1, i, (float) (m - s));
    }
    return b;
}

Buffer lowTones (double rate, double seconds)
{
    const int n = (int) (rate * seconds);
    Buffer b (2, n);
    for (int i = 0; i < n; ++i)
    {
        const double t = i / rate;
        const double a = 0.35 * std::sin (2.0 * pi * 60.0 * t), c = 0.2 * std::sin (2.0 * pi * 230.0 * t);
        b.setSample (0, i, (float) (a + c));
        b.setSample (1, i, (float) (0.5 * a - c));
    }
    return b;
}

} // namespace

TEST_CASE ("Imager module is registered with its parameters", "[engine][imager]")
{
    auto m = engine::createModule ("imager");
    REQUIRE (m != nullptr);
    CHECK (m->type() == "imager");
    for (const char* id : { "bands", "crossover1_hz", "crossover2_hz", "crossover3_hz", "band1_width_pct", "band2_width_pct",
             "band3_width_pct", "band4_width_pct", "mid_side_balance_db", "mono_below", "mono_below_hz" })
        CHECK (m->findParameter (id) != nullptr);
    bool listed = false;
    for (const auto& t : engine::moduleTypes())
        listed = listed || (t.type == "imager" && t.name == "Stereo imager");
    CHECK (listed);
}

TEST_CASE ("Imager at 100 % width is bit-exact", "[engine][imager]")
{
    const double rate = 44100.0;
    auto input = test::musicLike (rate, 2.0);
    input.setSample (0, 500, std::numeric_limits<float>::quiet_NaN()); // identity means identity

    auto m = makeImager (rate);
    auto out = test::processThrough (*m, input);
    for (int c = 0; c < 2; ++c)
        CHECK (
            std::memcmp (out.getReadPointer (c), input.getReadPointer (c), sizeof (float) * (size_t) input.getNumSamples()) == 0);

    // Four bands, all at 100 %, other crossovers: still untouched.
    auto four = makeImager (rate);
    test::setParameter (*four, "bands", 3.0f);
    test::setParameter (*four, "crossover1_hz", 90.0f);
    test::setParameter (*four, "mono_below_hz", 100.0f); // while mono below is off
    four->reset();
    out = test::processThrough (*four, input);
    for (int c = 0; c < 2; ++c)
        CHECK (
            std::memcmp (out.getReadPointer (c), input.getReadPointer (c), sizeof (float) * (size_t) input.getNumSamples()) == 0);

    // Back to neutral after processing: bit-exact again once the crossfade is over.
    auto back = makeImager (rate);
    test::setParameter (*back, "band1_width_pct", 150.0f);
    back->reset();
    input.setSample (0, 500, 0.0f);
    Buffer processed;
    processed.makeCopyOf (input);
    for (int offset = 0; offset < input.getNumSamples(); offset += 512)
    {
        if (offset == 512 * 40)
            test::setParameter (*back, "band1_width_pct", 100.0f);
        back->process (processed.getWritePointer (0, offset), processed.getWritePointer (1, offset),
            std::min (512, input.getNumSamples() - offset));
    }
    const int settled = 512 * 40 + (int) (0.05 * rate);
    CHECK (test::differenceDb (processed, input, settled, input.getNumSamples() - settled) == -300.0);
}

TEST_CASE ("Imager at 0 % width gives mono with the mid intact", "[engine][imager]")
{
    const double rate = 48000.0;
    const auto input = test::musicLike (rate, 1.5);
    for (int bands : { 0, 3 })
    {
        auto m = makeImager (rate);
        test::setParameter (*m, "bands", (float) bands);
        for (int b = 1; b <= 4; ++b)
            test::setParameter (*m, "band" + std::to_string (b) + "_width_pct", 0.0f);
        m->reset();
        const auto out = test::processThrough (*m, input);
        for (int i = 0; i < out.getNumSamples(); ++i)
            REQUIRE (out.getSample (0, i) == out.getSample (1, i));
        // The mid only went through an all-pass: its level is unchanged.
        const auto inMs = midSide (input);
        CHECK (
            test::rmsDb (out, 0, 0, out.getNumSamples()) == Approx (test::rmsDb (inMs, 0, 0, out.getNumSamples())).margin (0.05));
    }
}

TEST_CASE ("Mono below removes the side under its frequency and keeps it above", "[engine][imager]")
{
    for (double rate : { 44100.0, 96000.0 })
    {
        auto m = makeImager (rate);
        test::setParameter (*m, "mono_below", 1.0f);
        test::setParameter (*m, "mono_below_hz", 150.0f);
        m->reset();

        // Side at 50 Hz (a typical out-of-phase bass) and mid at 50 Hz.
        const auto bass = midAndSideTones (rate, 1.5, 50.0, -10.0, 50.0, -10.0);
        const auto out = midSide (test::processThrough (*m, bass));
        const int start = (int) (0.5 * rate), length = (int) rate;
        const double sideDown = -10.0 - toneDb (out, 1, start, length, 50.0, rate);
        CHECK (sideDown > 40.0);
        CHECK (toneDb (out, 0, start, length, 50.0, rate) == Approx (-10.0).margin (0.05));

        // Side well above the frequency (4x and more) keeps its level.
        for (double f : { 600.0, 1000.0, 5000.0 })
        {
            auto n = makeImager (rate);
            test::setParameter (*n, "mono_below", 1.0f);
            test::setParameter (*n, "mono_below_hz", 150.0f);
            n->reset();
            const auto high = midSide (test::processThrough (*n, midAndSideTones (rate, 1.0, 1000.0, -10.0, f, -10.0)));
            INFO (f << " Hz at " << rate);
            CHECK (toneDb (high, 1, (int) (0.3 * rate), (int) (0.5 * rate), f, rate) == Approx (-10.0).margin (0.05));
        }
        if (printFigures())
            std::printf ("imager mono below 150 Hz at %.0f Hz: side at 50 Hz down %.1f dB\n", rate, sideDown);
    }
}

TEST_CASE ("Imager never widens more than the widest band asks", "[engine][imager]")
{
    const double rate = 48000.0;
    struct Setting
    {
        int bandsIndex;
        float widths[4];
    };
    for (const auto& s : { Setting { 1, { 0.0f, 200.0f, 100.0f, 100.0f } }, Setting { 3, { 50.0f, 150.0f, 80.0f, 120.0f } },
             Setting { 2, { 200.0f, 0.0f, 200.0f, 100.0f } } })
    {
        auto m = makeImager (rate);
        test::setParameter (*m, "bands", (float) s.bandsIndex);
        float widest = 0.0f, narrowest = 200.0f;
        for (int b = 0; b < 4; ++b)
        {
            test::setParameter (*m, "band" + std::to_string (b + 1) + "_width_pct", s.widths[b]);
            if (b <= s.bandsIndex)
            {
                widest = std::max (widest, s.widths[b]);
                narrowest = std::min (narrowest, s.widths[b]);
            }
        }
        m->reset();

        // A pure side impulse: the output side is the side path's impulse response.
        Buffer impulse (2, (int) rate);
        impulse.clear();
        impulse.setSample (0, 0, 0.25f);
        impulse.setSample (1, 0, -0.25f);
        const auto out = midSide (test::processThrough (*m, impulse));
        for (int k = 0; k < 120; ++k)
        {
            const double f = 10.0 * std::pow (2000.0, k / 119.0);
            const double gain = std::abs (responseAt (out, 1, f, rate)) / 0.25;
            INFO ("at " << f << " Hz: side gain " << gain);
            CHECK (gain <= widest / 100.0 * 1.0001);
            CHECK (gain >= narrowest / 100.0 * 0.9999);
        }
    }
}

TEST_CASE ("Mid/side balance only attenuates", "[engine][imager]")
{
    const double rate = 48000.0;
    const auto input = midAndSideTones (rate, 1.0, 300.0, -10.0, 1000.0, -10.0);
    const int start = (int) (0.3 * rate), length = (int) (0.5 * rate);
    for (float balance : { 6.0f, -6.0f })
    {
        auto m = makeImager (rate);
        test::setParameter (*m, "mid_side_balance_db", balance);
        m->reset();
        const auto out = midSide (test::processThrough (*m, input));
        CHECK (toneDb (out, 0, start, length, 300.0, rate) == Approx (balance < 0.0f ? -16.0 : -10.0).margin (0.05));
        CHECK (toneDb (out, 1, start, length, 1000.0, rate) == Approx (balance > 0.0f ? -16.0 : -10.0).margin (0.05));
    }
}

TEST_CASE ("Imager parameter steps do not click", "[engine][imager]")
{
    const double rate = 48000.0;
    const auto input = lowTones (rate, 1.2);
    const int change = (int) (0.5 * rate);

    auto probe = makeImager (rate);
    for (bool fromNeutral : { true, false })
    {
        for (const auto& parameter : probe->parameters())
        {
            const auto id = parameter->spec().id;
            auto m = makeImager (rate, 512);
            if (! fromNeutral)
            {
                test::setParameter (*m, "bands", 3.0f);
                test::setParameter (*m, "crossover1_hz", 120.0f); // between the two tones
                test::setParameter (*m, "band1_width_pct", 40.0f);
                test::setParameter (*m, "band2_width_pct", 150.0f);
                test::setParameter (*m, "mono_below", 1.0f);
                test::setParameter (*m, "mono_below_hz", 50.0f);
                m->reset();
            }
            const auto& spec = m->findParameter (id)->spec();
            const float now = m->findParameter (id)->get();
            float target = (now - spec.minimum > spec.maximum - now) ? spec.minimum : spec.maximum;
            if (id == "crossover1_hz")
                target = fromNeutral ? 100.0f : 400.0f; // across a tone
            if (id == "mono_below_hz")
                target = 300.0f;

            const auto step = test::stepChange (*m, input, rate, change, id, target);
            INFO ((fromNeutral ? "from neutral: " : "from wide: ")
                << id << " -> " << target << ": before " << step.before << ", during " << step.during << ", after "
                << step.after << ", allowed " << step.allowed);
            CHECK (step.during <= step.allowed);
        }
    }
}

TEST_CASE ("Imager survives NaN input and allocates nothing", "[engine][imager]")
{
    const double rate = 48000.0;
    auto m = makeImager (rate, 512);
    test::setParameter (*m, "band1_width_pct", 140.0f);
    test::setParameter (*m, "mono_below", 1.0f);
    m->reset();
    auto input = test::musicLike (rate, 1.0);
    input.setSample (0, 1000, std::numeric_limits<float>::quiet_NaN());
    input.setSample (1, 1500, std::numeric_limits<float>::infinity());
    Buffer out;
    out.makeCopyOf (input);
    crest::test::AllocationCounter allocations;
    for (int offset = 0; offset < out.getNumSamples(); offset += 512)
    {
        if (offset == 10240)
        {
            test::setParameter (*m, "bands", 3.0f);
            test::setParameter (*m, "mono_below_hz", 250.0f);
        }
        m->process (
            out.getWritePointer (0, offset), out.getWritePointer (1, offset), std::min (512, out.getNumSamples() - offset));
    }
    CHECK (allocations.count() == 0);
    for (int c = 0; c < 2; ++c)
        for (int i = 1501; i < out.getNumSamples(); ++i)
            REQUIRE (std::isfinite (out.getSample (c, i)));
}

TEST_CASE ("Imager output does not depend on block sizes through parameter changes", "[engine][imager]")
{
    // Changes at sample positions every block size shares; every glide runs through the same
    // kernel as the steady state, so the output must match bit for bit.
    const double rate = 48000.0;
    const auto music = test::musicLike (rate, 1.5);
    const test::ParameterChanges changes = {
        { 8192, { "mono_below_hz", 250.0f } },
        { 8192, { "band2_width_pct", 150.0f } },
        { 16384, { "crossover1_hz", 400.0f } },
        { 16384, { "mid_side_balance_db", -3.0f } },
        { 24576, { "mono_below", 0.0f } },
        { 24576, { "bands", 1.0f } },
        { 32768, { "band1_width_pct", 100.0f } },
        { 32768, { "band2_width_pct", 100.0f } },
        { 32768, { "mid_side_balance_db", 0.0f } }, // neutral: fades to the untouched input
        { 49152, { "band4_width_pct", 50.0f } },
        { 49152, { "bands", 3.0f } },
    };
    const auto render = [&] (int blockSize)
    {
        auto m = makeImager (rate, 4096);
        test::setParameter (*m, "bands", 3.0f);
        test::setParameter (*m, "band1_width_pct", 60.0f);
        test::setParameter (*m, "band4_width_pct", 120.0f);
        test::setParameter (*m, "mono_below", 1.0f);
        m->reset();
        Buffer out;
        out.makeCopyOf (music);
        crest::test::AllocationCounter allocations;
        test::processWithChanges (*m, out, blockSize, changes);
        CHECK (allocations.count() == 0);
        return out;
    };
    CHECK (test::blockSizeDifferenceDb ({ 32, 64, 256 }, render) == -300.0);
}
