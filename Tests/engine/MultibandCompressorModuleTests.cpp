#include "AllocationCounter.h"
#include "ModuleTestHelpers.h"
#include "dsp/Crossover.h"
#include "engine/ModuleRegistry.h"
#include "engine/MultibandCompressorModule.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <complex>
#include <cstdio>
#include <cstdlib>
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

std::unique_ptr<engine::Module> makeMultiband (double rate, bool linearPhase = false, int maxBlock = 4096)
{
    auto m = engine::createModule ("multiband");
    REQUIRE (m != nullptr);
    test::setParameter (*m, "linear_phase", linearPhase ? 1.0f : 0.0f);
    m->prepare (rate, maxBlock);
    return m;
}

/** Every band ready to compress (4:1, 0 dB threshold) but nothing loud enough to reach it. */
void armAllBands (engine::Module& m, float thresholdDb = 0.0f)
{
    for (int b = 1; b <= 4; ++b)
    {
        test::setParameter (m, "band" + std::to_string (b) + "_threshold_db", thresholdDb);
        test::setParameter (m, "band" + std::to_string (b) + "_ratio", 4.0f);
    }
    m.reset();
}

std::complex<double> responseAt (const Buffer& b, int channel, int start, double frequency, double rate)
{
    const std::complex<double> step = std::polar (1.0, -2.0 * pi * frequency / rate);
    std::complex<double> rotation = 1.0, acc = 0.0;
    for (int n = start; n < b.getNumSamples(); ++n)
    {
        acc += (double) b.getSample (channel, n) * rotation;
        rotation *= step;
        if ((n & 1023) == 1023)
            rotation /= std::abs (rotation);
    }
    return acc;
}

/** Level of one frequency in a stretch of a channel, dB re. a full-scale sine. */
double toneDb (const Buffer& b, int channel, int start, int length, double frequency, double rate)
{
    std::complex<double> acc = 0.0;
    for (int n = start; n < start + length; ++n)
        acc += (double) b.getSample (channel, n) * std::polar (1.0, -2.0 * pi * frequency * n / rate);
    return 20.0 * std::log10 (2.0 * std::abs (acc) / length);
}

Buffer tones (double rate, double seconds, std::initializer_list<std::pair<double, double>> frequencyAndDb)
{
    const int n = (int) (rate * seconds);
    Buffer b (2, n);
    b.clear();
    for (const auto& [f, db] : frequencyAndDb)
    {
        const double a = std::pow (10.0, db / 20.0);
        for (int i = 0; i < n; ++i)
        {
            const auto v = (float) (a * std::sin (2.0 * pi * f * i / rate));
            b.addSample (0, i, v);
            b.addSample (1, i, v);
        }
    }
    return b;
}

using test::lowTones;
} // namespace

TEST_CASE ("Multiband module is registered with its parameters", "[engine][dynamics]")
{
    auto m = engine::createModule ("multiband");
    REQUIRE (m != nullptr);
    CHECK (m->type() == "multiband");
    for (const char* id : { "bands", "crossover1_hz", "crossover2_hz", "crossover3_hz", "linear_phase" })
        CHECK (m->findParameter (id) != nullptr);
    for (int b = 1; b <= 4; ++b)
        for (const char* suffix : { "_threshold_db", "_ratio", "_attack_ms", "_release_ms", "_makeup_db", "_solo", "_bypass" })
            CHECK (m->findParameter ("band" + std::to_string (b) + suffix) != nullptr);
    CHECK (m->findParameter ("linear_phase")->spec().changesLatency);
    bool listed = false;
    for (const auto& t : engine::moduleTypes())
        listed = listed || (t.type == "multiband" && t.name == "Multiband compressor");
    CHECK (listed);
}

TEST_CASE ("Multiband with nothing compressing is flat", "[engine][dynamics]")
{
    for (double rate : { 44100.0, 48000.0, 96000.0 })
    {
        for (bool linearPhase : { false, true })
        {
            for (int bandsIndex : { 0, 1, 2 })
            {
                auto m = makeMultiband (rate, linearPhase);
                test::setParameter (*m, "bands", (float) bandsIndex);
                armAllBands (*m);

                // A -20 dBFS impulse never reaches a 0 dB threshold.
                Buffer impulse (2, (int) (rate * 0.5));
                impulse.clear();
                impulse.setSample (0, 0, 0.1f);
                impulse.setSample (1, 0, 0.1f);
                const auto out = test::processThrough (*m, impulse);
                CHECK (m->gainReductionDb() == 0.0f);

                double worst = 0.0;
                for (int k = 0; k < 150; ++k)
                {
                    const double f = 10.0 * std::pow (0.45 * rate / 10.0, k / 149.0);
                    const double db = 20.0 * std::log10 (std::abs (responseAt (out, 0, 0, f, rate)) / 0.1);
                    worst = std::max (worst, std::abs (db));
                }
                INFO ((linearPhase ? "linear phase " : "IIR ") << bandsIndex + 2 << " bands at " << rate);
                CHECK (worst < 0.05);
                if (printFigures())
                    std::printf ("multiband %s, %d bands at %.0f Hz: flat within %.2e dB, latency %d\n",
                        linearPhase ? "linear phase" : "Linkwitz-Riley", bandsIndex + 2, rate, worst, m->latencySamples());
            }
        }
    }
}

TEST_CASE ("Multiband at its defaults passes the input bit-exactly", "[engine][dynamics]")
{
    const double rate = 48000.0;
    const auto music = test::musicLike (rate, 2.0);

    auto iir = makeMultiband (rate, false);
    CHECK (iir->latencySamples() == 0);
    CHECK (test::differenceDb (test::processThrough (*iir, music), music, 0, music.getNumSamples()) == -300.0);

    // Linear phase: the input delayed by the reported latency, sample for sample.
    auto linear = makeMultiband (rate, true);
    const int latency = linear->latencySamples();
    CHECK (latency == dsp::Crossover::linearPhaseFilterLength (rate) / 2 + dsp::Crossover::linearPhasePartitionSize (rate));
    const auto delayed = test::processThrough (*linear, music);
    CHECK (test::differenceDb (music, delayed, 0, music.getNumSamples() - latency, latency) == -300.0);
}

TEST_CASE ("Multiband not compressing nulls against its crossover", "[engine][dynamics]")
{
    const double rate = 48000.0;
    auto music = test::musicLike (rate, 2.0);
    music.applyGain (0.25f); // far below the 0 dB thresholds

    // Linear phase: a pure delay of the reported latency.
    auto linear = makeMultiband (rate, true);
    armAllBands (*linear);
    const int latency = linear->latencySamples();
    const auto delayed = test::processThrough (*linear, music);
    CHECK (linear->gainReductionDb() == 0.0f);
    CHECK (test::differenceDb (music, delayed, 0, music.getNumSamples() - latency, latency) < -120.0);

    // Linkwitz-Riley: the crossover's all-pass, exactly as the crossover alone produces it.
    auto iir = makeMultiband (rate, false);
    armAllBands (*iir);
    const auto out = test::processThrough (*iir, music);
    dsp::Crossover x;
    x.prepare (rate, 2, 4, dsp::Crossover::Type::linkwitzRiley, { 120.0f, 1000.0f, 6000.0f });
    Buffer bands (8, music.getNumSamples());
    const float* in[2] = { music.getReadPointer (0), music.getReadPointer (1) };
    float* channels[4][2];
    float* const* outs[4];
    for (int b = 0; b < 4; ++b)
    {
        channels[b][0] = bands.getWritePointer (2 * b);
        channels[b][1] = bands.getWritePointer (2 * b + 1);
        outs[b] = channels[b];
    }
    x.process (in, outs, music.getNumSamples());
    Buffer allPassed (2, music.getNumSamples());
    allPassed.clear();
    for (int b = 0; b < 4; ++b)
    {
        allPassed.addFrom (0, 0, bands, 2 * b, 0, music.getNumSamples());
        allPassed.addFrom (1, 0, bands, 2 * b + 1, 0, music.getNumSamples());
    }
    CHECK (test::differenceDb (out, allPassed, 0, music.getNumSamples()) < -120.0);
}

TEST_CASE ("Multiband compresses only the band that is over its threshold", "[engine][dynamics]")
{
    const double rate = 48000.0;
    for (bool linearPhase : { false, true })
    {
        auto m = makeMultiband (rate, linearPhase);
        test::setParameter (*m, "band1_threshold_db", -30.0f);
        test::setParameter (*m, "band1_ratio", 4.0f);
        test::setParameter (*m, "knee_db", 0.0f);
        for (int b = 2; b <= 4; ++b)
        {
            test::setParameter (*m, "band" + std::to_string (b) + "_threshold_db", -30.0f);
            test::setParameter (*m, "band" + std::to_string (b) + "_ratio", 1.0f);
        }
        m->reset();
        // 30 Hz lies well inside band 1 (below 120 Hz), 3 kHz well inside band 3.
        const auto input = tones (rate, 1.5, { { 30.0, -10.0 }, { 3000.0, -10.0 } });
        const auto out = test::processThrough (*m, input);
        const int start = (int) rate, length = (int) (0.48 * rate);
        INFO ((linearPhase ? "linear phase" : "IIR"));
        CHECK (toneDb (out, 0, start, length, 30.0, rate) == Approx (-10.0 - 15.0).margin (0.3));
        CHECK (toneDb (out, 0, start, length, 3000.0, rate) == Approx (-10.0).margin (0.05));
        CHECK (m->gainReductionDb() == Approx (15.0).margin (0.3));
        CHECK (static_cast<engine::MultibandCompressorModule&> (*m).bandGainReductionDb (0) == Approx (15.0).margin (0.3));
        CHECK (static_cast<engine::MultibandCompressorModule&> (*m).bandGainReductionDb (2) == 0.0f);
    }
}

TEST_CASE ("Multiband solo and bypass", "[engine][dynamics]")
{
    const double rate = 48000.0;
    const auto input = tones (rate, 1.5, { { 50.0, -10.0 }, { 3000.0, -10.0 } });
    const int start = (int) rate, length = (int) (0.48 * rate);

    auto m = makeMultiband (rate);
    test::setParameter (*m, "crossover2_hz", 300.0f);
    test::setParameter (*m, "crossover3_hz", 16000.0f);
    test::setParameter (*m, "band3_solo", 1.0f); // 300 Hz .. 16 kHz
    m->reset();
    auto out = test::processThrough (*m, input);
    CHECK (toneDb (out, 0, start, length, 50.0, rate) < -80.0);
    CHECK (toneDb (out, 0, start, length, 3000.0, rate) == Approx (-10.0).margin (0.1));

    // Bypass takes the band's compression (and makeup) away.
    auto b = makeMultiband (rate);
    test::setParameter (*b, "band1_threshold_db", -30.0f);
    test::setParameter (*b, "band1_ratio", 4.0f);
    test::setParameter (*b, "band1_makeup_db", 6.0f);
    test::setParameter (*b, "band1_bypass", 1.0f);
    b->reset();
    out = test::processThrough (*b, input);
    CHECK (toneDb (out, 0, start, length, 50.0, rate) == Approx (-10.0).margin (0.05));
    CHECK (b->gainReductionDb() == 0.0f);
}

TEST_CASE ("Multiband parameter steps do not click", "[engine][dynamics]")
{
    const double rate = 48000.0;
    const auto input = lowTones (rate, 1.2);
    const int change = (int) (0.5 * rate);

    auto probe = makeMultiband (rate);
    for (bool fromNeutral : { true, false })
    {
        for (const auto& parameter : probe->parameters())
        {
            const auto id = parameter->spec().id;
            auto m = makeMultiband (rate, false, 512);
            if (! fromNeutral)
                armAllBands (*m, -30.0f);
            test::setParameter (*m, "crossover1_hz", 150.0f); // between the two tones
            m->reset();
            const auto& spec = m->findParameter (id)->spec();
            const float now = m->findParameter (id)->get();
            float target = (now - spec.minimum > spec.maximum - now) ? spec.minimum : spec.maximum;
            if (id == "crossover1_hz")
                target = 40.0f; // sweeps across the 60 Hz tone
            if (fromNeutral && id.find ("threshold") != std::string::npos)
                test::setParameter (*m, id.substr (0, 6) + "ratio", 4.0f); // so that the threshold matters

            const auto step = test::stepChange (*m, input, rate, change, id, target);
            INFO ((fromNeutral ? "from neutral: " : "from armed: ")
                << id << " -> " << target << ": before " << step.before << ", during " << step.during << ", after "
                << step.after << ", allowed " << step.allowed);
            CHECK (step.during <= step.allowed);
        }
    }
}

TEST_CASE ("Multiband survives NaN input and allocates nothing", "[engine][dynamics]")
{
    const double rate = 48000.0;
    for (bool linearPhase : { false, true })
    {
        auto m = makeMultiband (rate, linearPhase, 512);
        armAllBands (*m, -30.0f);
        auto input = test::musicLike (rate, 1.0);
        input.setSample (0, 1000, std::numeric_limits<float>::quiet_NaN());
        input.setSample (1, 1500, -std::numeric_limits<float>::infinity());
        Buffer out;
        out.makeCopyOf (input);
        crest::test::AllocationCounter allocations;
        for (int offset = 0; offset < out.getNumSamples(); offset += 512)
        {
            if (offset == 10240)
            {
                test::setParameter (*m, "bands", 0.0f);
                test::setParameter (*m, "crossover1_hz", 300.0f);
                test::setParameter (*m, "band1_solo", 1.0f);
            }
            m->process (
                out.getWritePointer (0, offset), out.getWritePointer (1, offset), std::min (512, out.getNumSamples() - offset));
        }
        CHECK (allocations.count() == 0);
        for (int c = 0; c < 2; ++c)
            for (int i = 1501; i < out.getNumSamples(); ++i)
                REQUIRE (std::isfinite (out.getSample (c, i)));
    }
}

TEST_CASE ("Multiband output does not depend on block sizes through parameter changes", "[engine][dynamics]")
{
    // Changes at sample positions every block size shares: the fast and the general paths
    // must hand over at the same samples whatever the blocks.
    const double rate = 48000.0;
    const auto music = test::musicLike (rate, 1.5);
    const test::ParameterChanges changes = {
        { 8192, { "band2_threshold_db", -40.0f } },
        { 8192, { "crossover2_hz", 700.0f } },
        { 16384, { "bands", 1.0f } },
        { 16384, { "band3_solo", 1.0f } },
        { 24576, { "band3_solo", 0.0f } },
        { 24576, { "mode", 1.0f } },
        { 32768, { "bands", 2.0f } },
        { 32768, { "mix_pct", 60.0f } },
        { 40960, { "band1_bypass", 1.0f } },
        { 40960, { "auto_release", 1.0f } },
    };
    const auto render = [&] (int blockSize)
    {
        auto m = makeMultiband (rate, false, 4096);
        armAllBands (*m, -30.0f);
        Buffer out;
        out.makeCopyOf (music);
        crest::test::AllocationCounter allocations;
        test::processWithChanges (*m, out, blockSize, changes);
        CHECK (allocations.count() == 0);
        return out;
    };
    CHECK (test::blockSizeDifferenceDb ({ 32, 64, 256 }, render) == -300.0);
}
