// LimiterModule ("limiter"): Tech 3341 true-peak cases, white noise and programme driven
// +12 dB into -1 dBTP stay under the ceiling by an independent 8x reconstruction at 44.1, 48 and
// 96 kHz; exact latency; smooth parameter changes; bad input; bit-exact when nothing needs
// limiting. Block-size independence at +12 dB is checked with every type in ModuleContractTests.

#include "IndependentTruePeak.h"
#include "ModuleTestHelpers.h"
#include "engine/LimiterModule.h"
#include "engine/ModuleRegistry.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

using namespace crest;

namespace
{
std::unique_ptr<engine::Module> makeLimiter (double rate, float inputGainDb = 0.0f, int maxBlock = 4096)
{
    auto m = engine::createModule ("limiter");
    REQUIRE (m != nullptr);
    test::setParameter (*m, "input_gain_db", inputGainDb);
    m->prepare (rate, maxBlock);
    return m;
}

/** Largest sample-to-sample change of a channel over a range. */
double largestStep (const test::Buffer& b, int channel, int start, int end)
{
    double worst = 0.0;
    for (int i = start + 1; i < end; ++i)
        worst = std::max (worst, (double) std::fabs (b.getSample (channel, i) - b.getSample (channel, i - 1)));
    return worst;
}

/** The input followed by enough silence for the limiter to deliver all of it. */
test::Buffer withTail (const test::Buffer& input, int tail)
{
    test::Buffer b (input.getNumChannels(), input.getNumSamples() + tail);
    b.clear();
    for (int c = 0; c < input.getNumChannels(); ++c)
        b.copyFrom (c, 0, input, c, 0, input.getNumSamples());
    return b;
}

test::Buffer dc (double rate, double seconds, float left, float right)
{
    test::Buffer b (2, (int) std::lround (rate * seconds));
    std::fill (b.getWritePointer (0), b.getWritePointer (0) + b.getNumSamples(), left);
    std::fill (b.getWritePointer (1), b.getWritePointer (1) + b.getNumSamples(), right);
    return b;
}
} // namespace

TEST_CASE ("Limiter module: type, parameters and registry", "[engine][limiter]")
{
    engine::LimiterModule limiter;
    CHECK (limiter.type() == "limiter");
    const auto* info = []() -> const engine::ModuleTypeInfo*
    {
        for (const auto& t : engine::moduleTypes())
            if (t.type == "limiter")
                return &t;
        return nullptr;
    }();
    REQUIRE (info != nullptr);
    CHECK (info->name == "Limiter");

    const struct
    {
        const char* id;
        float minimum, maximum, defaultValue;
        bool changesLatency;
    } expected[] = { { "input_gain_db", 0.0f, 24.0f, 0.0f, false }, { "ceiling_dbtp", -12.0f, 0.0f, -1.0f, false },
        { "lookahead_ms", 0.5f, 10.0f, 2.0f, true }, { "release_ms", 1.0f, 1000.0f, 60.0f, false },
        { "auto_release", 0.0f, 1.0f, 1.0f, false }, { "stereo_unlink_pct", 0.0f, 100.0f, 0.0f, false } };
    for (const auto& e : expected)
    {
        const auto* p = limiter.findParameter (e.id);
        REQUIRE (p != nullptr);
        INFO (e.id);
        CHECK (p->spec().minimum == e.minimum);
        CHECK (p->spec().maximum == e.maximum);
        CHECK (p->spec().defaultValue == e.defaultValue);
        CHECK (p->spec().changesLatency == e.changesLatency);
    }
    CHECK (limiter.findParameter ("auto_release")->spec().kind == engine::ParameterKind::toggle);
}

TEST_CASE ("Limiter module: +12 dB into -1 dBTP stays at or under -0.95 dBTP (independent 8x)", "[engine][limiter]")
{
    const test::IndependentTruePeak reference (8);
    for (double rate : { 44100.0, 48000.0, 96000.0 })
    {
        for (int number = 15; number <= 23; ++number)
        {
            auto limiter = makeLimiter (rate, 12.0f);
            // Cases 20-23 stop abruptly: the silence after them lets that edge through too.
            const auto input = withTail (test::truePeakCase (number, rate), limiter->latencySamples() + 500);
            const auto out = test::processThrough (*limiter, input, 4096);
            // Both channels of these cases are identical, and so is the limiter's treatment of them.
            REQUIRE (
                std::memcmp (out.getReadPointer (0), out.getReadPointer (1), sizeof (float) * (size_t) out.getNumSamples()) == 0);
            const double peak = 20.0 * std::log10 (reference.peak (out.getReadPointer (0), out.getNumSamples()));
            INFO ("Tech 3341 case " << number << " at " << rate << " Hz: " << peak << " dBTP, gain reduction "
                                    << limiter->gainReductionDb() << " dB");
            CHECK (peak <= -0.95);
            CHECK (peak > -1.5); // limited to the ceiling, not below it
        }

        const std::pair<const char*, test::Buffer> programmes[]
            = { { "white noise", test::whiteNoise (rate, 2, 3.0, -12.0, 21) }, { "music-like", test::musicLike (rate, 4.0) } };
        for (const auto& [name, programme] : programmes)
        {
            auto limiter = makeLimiter (rate, 12.0f);
            const auto input = withTail (programme, limiter->latencySamples() + 500);
            const auto out = test::processThrough (*limiter, input, 4096);
            const double peak = reference.peakDb (out);
            INFO (name << " at " << rate << " Hz: input " << reference.peakDb (input) + 12.0 << " dBTP after gain, output "
                       << peak << " dBTP");
            CHECK (peak <= -0.95);
            CHECK (peak > -1.5);
        }
    }
}

TEST_CASE ("Limiter module: an impulse under the ceiling comes out exactly latencySamples() later", "[engine][limiter]")
{
    for (double rate : { 44100.0, 48000.0, 96000.0 })
        for (float lookahead : { 0.5f, 2.0f, 10.0f })
        {
            auto limiter = engine::createModule ("limiter");
            test::setParameter (*limiter, "lookahead_ms", lookahead);
            limiter->prepare (rate, 512);
            const int latency = limiter->latencySamples();
            test::Buffer impulse (2, latency + 2000);
            impulse.clear();
            impulse.setSample (0, 777, 0.25f);
            impulse.setSample (1, 777, -0.5f);
            const auto out = test::processThrough (*limiter, impulse, 441);
            INFO (rate << " Hz, look-ahead " << lookahead << " ms: latency " << latency);
            CHECK (latency > (int) (lookahead * 0.001 * rate));
            int wrong = 0;
            for (int i = 0; i < out.getNumSamples(); ++i)
            {
                const bool at = i == 777 + latency;
                wrong += out.getSample (0, i) != (at ? 0.25f : 0.0f) || out.getSample (1, i) != (at ? -0.5f : 0.0f) ? 1 : 0;
            }
            CHECK (wrong == 0);
        }
}

TEST_CASE ("Limiter module: neutral when nothing needs limiting (bit-exact after the delay)", "[engine][limiter]")
{
    for (double rate : { 44100.0, 96000.0 })
    {
        auto input = test::musicLike (rate, 2.0);
        input.applyGain (std::pow (10.0f, -6.0f / 20.0f)); // far under -1 dBTP
        auto limiter = makeLimiter (rate);
        const auto out = test::processThrough (*limiter, input, 512);
        const int latency = limiter->latencySamples();
        CHECK (test::differenceDb (input, out, 0, input.getNumSamples() - latency, latency) == -300.0);
        CHECK (limiter->gainReductionDb() == 0.0f);
    }
}

TEST_CASE ("Limiter module: parameter steps glide (no discontinuity beyond the smoothing)", "[engine][limiter]")
{
    // Constant input makes every change of gain visible as a change of the output level.
    const double rate = 48000.0;
    const auto run = [rate] (const char* id, float before, float after, float left, float right, float gainDb)
    {
        auto limiter = makeLimiter (rate, gainDb, 480);
        test::setParameter (*limiter, "auto_release", 0.0f);
        test::setParameter (*limiter, "release_ms", 10.0f); // settled well before the end
        test::setParameter (*limiter, id, before);
        limiter->reset();
        auto b = dc (rate, 1.0, left, right);
        for (int offset = 0; offset < b.getNumSamples(); offset += 480)
        {
            if (offset == 24000)
                test::setParameter (*limiter, id, after);
            limiter->process (b.getWritePointer (0, offset), b.getWritePointer (1, offset), 480);
        }
        return b;
    };

    SECTION ("input gain 0 -> 24 dB")
    {
        const auto b = run ("input_gain_db", 0.0f, 24.0f, 0.1f, 0.1f, 0.0f);
        CHECK (b.getSample (0, 47000) == Approx (std::pow (10.0, -1.02 / 20.0)).epsilon (1.0e-3)); // limited at the end
        CHECK (largestStep (b, 0, 1000, b.getNumSamples()) < 0.005); // after the DC's own onset
    }
    SECTION ("ceiling -1 -> -9 dBTP")
    {
        const auto b = run ("ceiling_dbtp", -1.0f, -9.0f, 0.5f, 0.5f, 12.0f);
        CHECK (b.getSample (0, 47000) == Approx (std::pow (10.0, -9.02 / 20.0)).epsilon (1.0e-3));
        CHECK (largestStep (b, 0, 20000, b.getNumSamples()) < 0.002);
    }
    SECTION ("stereo unlink 0 -> 100 %")
    {
        const auto b = run ("stereo_unlink_pct", 0.0f, 100.0f, 0.5f, 0.05f, 12.0f);
        CHECK (b.getSample (1, 47000)
            == Approx (0.05 * std::pow (10.0, 12.0 / 20.0)).epsilon (1.0e-5)); // the quiet side is released
        CHECK (largestStep (b, 1, 20000, b.getNumSamples()) < 0.002);
    }
    SECTION ("release and auto release")
    {
        for (const char* id : { "release_ms", "auto_release" })
        {
            const bool isToggle = std::string (id) == "auto_release";
            // Limiting ends just before the change, so the change lands in the middle of a release.
            auto limiter = makeLimiter (rate, 12.0f, 480);
            test::setParameter (*limiter, id, isToggle ? 1.0f : 500.0f);
            auto b = dc (rate, 1.0, 0.5f, 0.5f);
            for (int i = 23000; i < b.getNumSamples(); ++i)
                b.setSample (0, i, 0.05f), b.setSample (1, i, 0.05f);
            for (int offset = 0; offset < b.getNumSamples(); offset += 480)
            {
                if (offset == 24000)
                    test::setParameter (*limiter, id, isToggle ? 0.0f : 5.0f);
                limiter->process (b.getWritePointer (0, offset), b.getWritePointer (1, offset), 480);
            }
            INFO (id);
            CHECK (largestStep (b, 0, 24000, b.getNumSamples()) < 0.002);
        }
    }
}

TEST_CASE ("Limiter module: NaN or infinite input does not poison later output", "[engine][limiter]")
{
    const double rate = 48000.0;
    auto limiter = makeLimiter (rate, 12.0f);
    auto input = withTail (test::musicLike (rate, 2.0), limiter->latencySamples() + 500);
    input.setSample (0, 1000, std::numeric_limits<float>::quiet_NaN());
    input.setSample (1, 1000, std::numeric_limits<float>::infinity());
    input.setSample (0, 5000, -std::numeric_limits<float>::infinity());
    const auto out = test::processThrough (*limiter, input, 512);
    int nonFinite = 0;
    for (int c = 0; c < 2; ++c)
        for (int i = 0; i < out.getNumSamples(); ++i)
            nonFinite += std::isfinite (out.getSample (c, i)) ? 0 : 1;
    CHECK (nonFinite == 0);
    CHECK (test::IndependentTruePeak (8).peakDb (out) <= -0.95);
    CHECK (std::isfinite (limiter->gainReductionDb()));
}

TEST_CASE ("Limiter module: gain reduction meter", "[engine][limiter]")
{
    const double rate = 44100.0;
    auto limiter = makeLimiter (rate, 6.0f);
    test::processThrough (*limiter, test::sine (rate, 2, 0.5, 440.0, -1.0), 512);
    // -1 dBFS + 6 dB into -1 dBTP: 6 dB, plus the 0.02 dB the limiter keeps in hand.
    CHECK (limiter->gainReductionDb() == Approx (6.02).margin (0.05));
    test::processThrough (*limiter, test::sine (rate, 2, 3.0, 440.0, -40.0), 512);
    CHECK (limiter->gainReductionDb() == 0.0f); // fully released
}
