// SaturationModule ("saturation"): aliasing of a hard-driven 10 kHz sine below -90 dB, tape
// odd and tube even harmonics, DC removed, neutral defaults bit-exact, dry path aligned,
// block sizes while every parameter moves, smooth parameter changes, bad input. Block-size
// independence at a fixed drive is checked with every type in ModuleContractTests.

#include "AllocationCounter.h"
#include "ModuleTestHelpers.h"
#include "dsp/Saturator.h"
#include "engine/ModuleRegistry.h"
#include "engine/SaturationModule.h"

#include <catch2/catch.hpp>
#include <fftw3.h>

#include <cmath>
#include <cstring>
#include <iterator>
#include <limits>
#include <random>

using namespace crest;

namespace
{
std::unique_ptr<engine::Module> makeSaturation (
    double rate, int character, float driveDb, float mixPct = 100.0f, int maxBlock = 4096)
{
    auto m = engine::createModule ("saturation");
    REQUIRE (m != nullptr);
    test::setParameter (*m, "character", (float) character);
    test::setParameter (*m, "drive_db", driveDb);
    test::setParameter (*m, "mix_pct", mixPct);
    m->prepare (rate, maxBlock);
    return m;
}

/** Amplitude spectrum (linear, 1.0 = full-scale sine) of n samples: rectangular window,
        so callers analyse whole periods and every component lands on a bin. */
std::vector<double> spectrum (const float* x, int n)
{
    std::vector<float> in (x, x + n);
    std::vector<fftwf_complex> out ((size_t) n / 2 + 1);
    auto plan = fftwf_plan_dft_r2c_1d (n, in.data(), out.data(), FFTW_ESTIMATE);
    fftwf_execute (plan);
    fftwf_destroy_plan (plan);
    std::vector<double> magnitude (out.size());
    for (size_t k = 0; k < out.size(); ++k)
        magnitude[k] = std::hypot ((double) out[k][0], (double) out[k][1]) * (k == 0 ? 1.0 : 2.0) / n;
    return magnitude;
}

double db (double v)
{
    return 20.0 * std::log10 (std::max (v, 1.0e-20));
}

struct Aliasing
{
    double worstDb = -300.0; ///< largest non-harmonic component, dB re the fundamental
    double totalDb = -300.0; ///< all non-harmonic power together, dB re the fundamental
    double harmonicDb[3] {}; ///< DC, 2nd and 3rd harmonic (if below Nyquist), dB re the fundamental
};

/** Drives a sine through the module and measures one second of steady state with 1 Hz bins. */
Aliasing measureAliasing (double rate, int character, float driveDb, double frequency, double levelDb)
{
    auto module = makeSaturation (rate, character, driveDb);
    const auto input = test::sine (rate, 2, 1.6, frequency, levelDb);
    const auto out = test::processThrough (*module, input, 512);
    const int n = (int) rate; // 1 Hz bins: every harmonic and every alias of one lands on a bin
    const auto s = spectrum (out.getReadPointer (0, out.getNumSamples() - n), n);
    const auto fundamentalBin = (size_t) std::lround (frequency);
    const double fundamental = s[fundamentalBin];

    Aliasing a;
    double power = 0.0;
    for (size_t k = 0; k < s.size(); ++k)
    {
        const bool harmonic = k % fundamentalBin == 0;
        if (harmonic)
            continue;
        a.worstDb = std::max (a.worstDb, db (s[k] / fundamental));
        power += s[k] * s[k];
    }
    a.totalDb = 10.0 * std::log10 (std::max (power / (fundamental * fundamental), 1.0e-40));
    a.harmonicDb[0] = db (s[0] / fundamental);
    a.harmonicDb[1] = 2 * fundamentalBin < s.size() ? db (s[2 * fundamentalBin] / fundamental) : -300.0;
    a.harmonicDb[2] = 3 * fundamentalBin < s.size() ? db (s[3 * fundamentalBin] / fundamental) : -300.0;
    return a;
}

double largestStep (const test::Buffer& b, int channel, int start, int end)
{
    double worst = 0.0;
    for (int i = start + 1; i < end; ++i)
        worst = std::max (worst, (double) std::fabs (b.getSample (channel, i) - b.getSample (channel, i - 1)));
    return worst;
}
} // namespace

TEST_CASE ("Saturation module: type, parameters and registry", "[engine][saturation]")
{
    engine::SaturationModule saturation;
    CHECK (saturation.type() == "saturation");
    bool registered = false;
    for (const auto& t : engine::moduleTypes())
        registered = registered || (t.type == "saturation" && t.name == "Saturation");
    CHECK (registered);

    const auto* character = saturation.findParameter ("character");
    REQUIRE (character != nullptr);
    CHECK (character->spec().kind == engine::ParameterKind::choice);
    CHECK (character->spec().choices == std::vector<std::string> { "tape", "tube" });
    REQUIRE (saturation.findParameter ("drive_db") != nullptr);
    CHECK (saturation.findParameter ("drive_db")->spec().minimum == 0.0f);
    CHECK (saturation.findParameter ("drive_db")->spec().maximum == 24.0f);
    CHECK (saturation.findParameter ("drive_db")->spec().defaultValue == 0.0f);
    REQUIRE (saturation.findParameter ("mix_pct") != nullptr);
    CHECK (saturation.findParameter ("mix_pct")->spec().maximum == 100.0f);
    REQUIRE (saturation.findParameter ("output_db") != nullptr);
    CHECK (saturation.findParameter ("output_db")->spec().defaultValue == 0.0f);
    for (const auto& p : saturation.parameters())
        CHECK_FALSE (p->spec().changesLatency);
}

TEST_CASE ("Saturation module: a hard-driven 10 kHz sine aliases below -90 dB", "[engine][saturation]")
{
    // Every component that is not a harmonic of 10 kHz below the Nyquist frequency counts.
    for (double rate : { 44100.0, 48000.0 })
        for (int character : { 0, 1 })
            for (const auto& [drive, level] :
                { std::pair<float, double> { 18.0f, -1.0 }, std::pair<float, double> { 24.0f, 0.0 } })
            {
                const auto a = measureAliasing (rate, character, drive, 10000.0, level);
                INFO ((character == 0 ? "tape" : "tube")
                    << " at " << rate << " Hz, drive " << drive << " dB, sine at " << level << " dBFS: worst alias " << a.worstDb
                    << " dB, total " << a.totalDb << " dB (re fundamental); 2nd harmonic " << a.harmonicDb[1] << " dB");
                CHECK (a.worstDb < -90.0);
                CHECK (a.totalDb < -90.0);
            }
}

TEST_CASE ("Saturation module: tape is symmetric, tube makes even harmonics and no DC", "[engine][saturation]")
{
    const double rate = 48000.0;
    const auto tape = measureAliasing (rate, 0, 12.0f, 1000.0, -1.0);
    const auto tube = measureAliasing (rate, 1, 12.0f, 1000.0, -1.0);
    INFO ("tape: 2nd " << tape.harmonicDb[1] << " dB, 3rd " << tape.harmonicDb[2] << " dB; tube: 2nd " << tube.harmonicDb[1]
                       << " dB, 3rd " << tube.harmonicDb[2] << " dB, DC " << tube.harmonicDb[0] << " dB");
    CHECK (tape.harmonicDb[1] < -100.0); // symmetric: no even harmonics
    CHECK (tape.harmonicDb[2] > -40.0); // but clearly saturating
    CHECK (tube.harmonicDb[1] > -40.0); // asymmetric: a strong second harmonic
    CHECK (tube.harmonicDb[0] < -100.0); // and its DC removed
}

TEST_CASE ("Saturation module: tape softens the top end a touch, tube does not", "[engine][saturation]")
{
    // Quiet tones stay in the linear part of the curves: what is left is the tape's shelf.
    const double rate = 48000.0;
    for (int character : { 0, 1 })
    {
        auto module = makeSaturation (rate, character, 24.0f);
        const auto out = test::processThrough (*module, test::sine (rate, 2, 1.0, 15000.0, -50.0), 512);
        const double changeDb = test::rmsDb (out, 0, 24000, 24000) - (-50.0 - 3.0103);
        INFO ((character == 0 ? "tape" : "tube") << ": 15 kHz at -50 dBFS changes by " << changeDb << " dB at 24 dB drive");
        if (character == 0)
        {
            CHECK (changeDb < -0.5);
            CHECK (changeDb > -2.0);
        }
        else
        {
            CHECK (std::fabs (changeDb) < 0.05);
        }
    }
}

TEST_CASE ("Saturation module: neutral defaults null bit-exactly after the delay", "[engine][saturation]")
{
    for (double rate : { 44100.0, 96000.0 })
    {
        auto module = engine::createModule ("saturation");
        module->prepare (rate, 512);
        const auto input = test::musicLike (rate, 2.0);
        const auto out = test::processThrough (*module, input, 512);
        const int latency = module->latencySamples();
        INFO ("latency " << latency << " at " << rate << " Hz");
        CHECK (latency > 0);
        CHECK (test::differenceDb (input, out, 0, input.getNumSamples() - latency, latency) == -300.0);
    }
    // Mix 0 % is the dry path alone, whatever the drive.
    auto dry = makeSaturation (48000.0, 1, 18.0f, 0.0f);
    const auto input = test::musicLike (48000.0, 1.0);
    const auto out = test::processThrough (*dry, input, 512);
    CHECK (test::differenceDb (input, out, 0, input.getNumSamples() - dry->latencySamples(), dry->latencySamples()) == -300.0);
}

TEST_CASE ("Saturation module: an impulse comes out exactly latencySamples() later, wet and dry aligned", "[engine][saturation]")
{
    for (double rate : { 44100.0, 48000.0, 96000.0, 192000.0 })
    {
        // At low level the tube curve is linear (unity slope) and has no shelf, so wet = dry: any
        // misalignment of the two paths would show as a smeared or doubled impulse.
        auto module = makeSaturation (rate, 1, 12.0f, 50.0f);
        // Band-limited below the oversampler's pass-band edge, so the wet path passes it whole.
        test::Buffer impulse (2, 4000);
        impulse.clear();
        impulse.setSample (0, 2000, 1.0e-4f);
        impulse.setSample (1, 2000, 1.0e-4f);
        impulse = test::lowPassed (impulse, rate, 0.4 * rate);
        const auto out = test::processThrough (*module, impulse, 256);
        const int latency = module->latencySamples();
        int loudest = 0;
        for (int i = 0; i < out.getNumSamples(); ++i)
            if (std::fabs (out.getSample (0, i)) > std::fabs (out.getSample (0, loudest)))
                loudest = i;
        INFO (rate << " Hz: latency " << latency << ", oversampling " << dsp::Saturator::oversamplingFor (rate));
        CHECK (loudest == 2000 + latency);
        // -80 dB re the impulse: a misaligned dry path would leave a doubled impulse here.
        CHECK (test::differenceDb (impulse, out, 0, 4000 - latency, latency) < 20.0 * std::log10 (1.0e-4 * 0.4 * 2.0 * 1.0e-4));
    }
}

TEST_CASE ("Saturation module: parameter steps glide (no discontinuity beyond the smoothing)", "[engine][saturation]")
{
    // A low sine changes by at most 2 pi f / fs * amplitude per sample; a parameter that jumped
    // would add a step of the order of the amplitude itself.
    const double rate = 48000.0;
    const auto input = test::sine (rate, 2, 1.0, 100.0, -3.0);
    const double sineStep = 2.0 * 3.14159265358979 * 100.0 / rate * std::pow (10.0, -3.0 / 20.0);
    const struct
    {
        const char* id;
        float before, after;
    } steps[] = { { "drive_db", 0.0f, 24.0f }, { "drive_db", 24.0f, 0.0f }, { "character", 0.0f, 1.0f },
        { "mix_pct", 0.0f, 100.0f }, { "output_db", -12.0f, 12.0f } };
    for (const auto& s : steps)
    {
        auto module = makeSaturation (rate, 0, 12.0f, 100.0f, 480);
        test::setParameter (*module, s.id, s.before);
        module->reset();
        auto b = input;
        for (int offset = 0; offset < b.getNumSamples(); offset += 480)
        {
            if (offset == 24000)
                test::setParameter (*module, s.id, s.after);
            module->process (b.getWritePointer (0, offset), b.getWritePointer (1, offset), 480);
        }
        const double outputScale = std::string (s.id) == "output_db" ? std::pow (10.0, 12.0 / 20.0) : 1.0;
        const double worst = largestStep (b, 0, 2000, b.getNumSamples());
        INFO (s.id << " " << s.before << " -> " << s.after << ": largest step " << worst << " (a sine step is "
                   << sineStep * outputScale << ")");
        CHECK (worst < 1.2 * sineStep * outputScale + 0.002);
    }
}

TEST_CASE ("Saturation module: NaN or infinite input does not poison later output, no allocation", "[engine][saturation]")
{
    const double rate = 48000.0;
    auto module = makeSaturation (rate, 1, 12.0f, 100.0f, 512);
    auto input = test::musicLike (rate, 1.0);
    input.setSample (0, 1000, std::numeric_limits<float>::quiet_NaN());
    input.setSample (1, 2000, std::numeric_limits<float>::infinity());
    auto b = input;
    test::AllocationCounter allocations;
    for (int offset = 0; offset < b.getNumSamples(); offset += 512)
        module->process (
            b.getWritePointer (0, offset), b.getWritePointer (1, offset), std::min (512, b.getNumSamples() - offset));
    CHECK (allocations.count() == 0);
    int nonFinite = 0;
    for (int c = 0; c < 2; ++c)
        for (int i = 0; i < b.getNumSamples(); ++i)
            nonFinite += std::isfinite (b.getSample (c, i)) ? 0 : 1;
    CHECK (nonFinite == 0);
}

TEST_CASE ("Saturation module: the curves are tanh within 4e-7, exactly odd", "[engine][saturation]")
{
    // The tape curve is a fast tanh: within 4e-7 of it relative to its value from the tiniest
    // inputs to far into saturation, and exactly symmetric (no even harmonics of its own).
    const double offset = std::tanh (0.35); // the tube curve's bias (see Saturator)
    double worstTape = 0.0, worstTube = 0.0;
    bool odd = true;
    for (double x = 1.0e-30; x < 40.0; x *= 1.0002)
    {
        const float v = (float) x;
        const double t = std::tanh ((double) v);
        const float tape = dsp::Saturator::tapeCurve (v);
        worstTape = std::max (worstTape, std::fabs ((double) tape - t) / t);
        odd = odd && dsp::Saturator::tapeCurve (-v) == -tape;
        for (const double signedT : { t, -t })
        {
            const double tube = signedT / (1.0 + offset * signedT);
            worstTube = std::max (
                worstTube, std::fabs ((double) dsp::Saturator::tubeCurve (signedT > 0.0 ? v : -v) - tube) / std::fabs (tube));
        }
    }
    INFO ("worst relative error: tape " << worstTape << ", tube " << worstTube);
    CHECK (worstTape <= 4.0e-7);
    CHECK (worstTube <= 6.0e-7);
    CHECK (odd);
    CHECK (dsp::Saturator::tapeCurve (0.0f) == 0.0f);
    CHECK (dsp::Saturator::tubeCurve (0.0f) == 0.0f);
    CHECK (dsp::Saturator::tapeCurve (1.0e6f) == 1.0f);
}

TEST_CASE ("Saturation module: any block sizes give the same bits, while every parameter moves", "[engine][saturation]")
{
    // The kernel takes shortcuts per block (steady settings, tape or tube only, a steady drive's
    // scale): where block boundaries fall must not show in the output.
    const double rate = 44100.0;
    const auto input = test::musicLike (rate, 2.0);
    const struct
    {
        int at;
        const char* id;
        float value;
    } changes[] = { { 10000, "drive_db", 18.0f }, { 20000, "character", 1.0f }, { 30000, "mix_pct", 40.0f },
        { 45000, "output_db", -6.0f }, { 60000, "character", 0.0f }, { 70000, "drive_db", 0.0f } };

    const auto run = [&] (unsigned seed)
    {
        auto module = makeSaturation (rate, 0, 6.0f, 100.0f, 600);
        test::Buffer b = input;
        std::mt19937 random (seed);
        std::uniform_int_distribution<int> blockSize (1, 600);
        size_t change = 0;
        for (int offset = 0; offset < b.getNumSamples();)
        {
            while (change < std::size (changes) && changes[change].at == offset)
            {
                test::setParameter (*module, changes[change].id, changes[change].value);
                ++change;
            }
            int n = std::min (seed == 0 ? 600 : blockSize (random), b.getNumSamples() - offset);
            if (change < std::size (changes))
                n = std::min (n, changes[change].at - offset);
            module->process (b.getWritePointer (0, offset), b.getWritePointer (1, offset), n);
            offset += n;
        }
        return b;
    };

    const auto reference = run (0);
    for (unsigned seed : { 1u, 2u })
    {
        const auto got = run (seed);
        INFO ("block sizes from seed " << seed);
        for (int c = 0; c < 2; ++c)
            CHECK (std::memcmp (
                       got.getReadPointer (c), reference.getReadPointer (c), sizeof (float) * (size_t) input.getNumSamples())
                == 0);
    }
}
