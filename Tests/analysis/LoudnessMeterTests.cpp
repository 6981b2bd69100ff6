// EBU Tech 3341 (loudness metering: the 'EBU Mode'), cases 1-6, 9 and 12, synthesised at
// 44.1, 48 and 96 kHz. Tolerances as in the specification: +/-0.1 LU.

#include "TestSignals.h"
#include "analysis/LoudnessMeter.h"

#include <catch2/catch.hpp>

#include <cmath>

using namespace crest;

namespace
{
    /** Feeds a buffer in blocks and records every momentary and short-term value. */
    struct Run
    {
        analysis::LoudnessMeter meter;
        std::vector<std::optional<double>> momentary, shortTerm;

        Run (const test::Buffer& b, double rate, std::vector<double> weights = {})
        {
            if (weights.empty())
                meter.prepare (rate, b.getNumChannels());
            else
                meter.prepare (rate, weights);

            const int block = 1000; // deliberately not a divisor of the 100 ms step
            for (int offset = 0; offset < b.getNumSamples(); offset += block)
            {
                const int n = std::min (block, b.getNumSamples() - offset);
                std::vector<const float*> pointers;
                for (int c = 0; c < b.getNumChannels(); ++c)
                    pointers.push_back (b.getReadPointer (c, offset));

                // Cut at step ends so that each step's values are seen.
                int done = 0;
                while (done < n)
                {
                    const int piece = std::min (n - done, meter.samplesUntilStepEnd());
                    std::vector<const float*> at;
                    for (auto* p : pointers)
                        at.push_back (p + done);
                    const auto before = meter.stepsCompleted();
                    meter.process (at.data(), piece);
                    if (meter.stepsCompleted() > before)
                    {
                        momentary.push_back (meter.momentaryLufs());
                        shortTerm.push_back (meter.shortTermLufs());
                    }
                    done += piece;
                }
            }
        }
    };

    const double rates[] = { 44100.0, 48000.0, 96000.0 };
} // namespace

TEST_CASE ("Tech 3341 case 1: -23 dBFS sine reads -23 LUFS momentary, short-term and integrated", "[analysis][loudness][tech3341]")
{
    for (double rate : rates)
    {
        INFO ("rate " << rate);
        Run r (test::toneSequence (rate, { { 20.0, -23.0 } }), rate);
        const auto s = r.meter.getSnapshot();
        REQUIRE (s.integratedLufs);
        CHECK (*s.integratedLufs == Approx (-23.0).margin (0.1));
        CHECK (*s.momentaryMaxLufs == Approx (-23.0).margin (0.1));
        CHECK (*s.shortTermMaxLufs == Approx (-23.0).margin (0.1));
        CHECK (*r.meter.momentaryLufs() == Approx (-23.0).margin (0.1));
        CHECK (*r.meter.shortTermLufs() == Approx (-23.0).margin (0.1));
    }
}

TEST_CASE ("Tech 3341 case 2: -33 dBFS sine reads -33 LUFS", "[analysis][loudness][tech3341]")
{
    for (double rate : rates)
    {
        INFO ("rate " << rate);
        Run r (test::toneSequence (rate, { { 20.0, -33.0 } }), rate);
        const auto s = r.meter.getSnapshot();
        CHECK (*s.integratedLufs == Approx (-33.0).margin (0.1));
        CHECK (*s.momentaryMaxLufs == Approx (-33.0).margin (0.1));
        CHECK (*s.shortTermMaxLufs == Approx (-33.0).margin (0.1));
    }
}

TEST_CASE ("Tech 3341 cases 3 to 5: relative gating", "[analysis][loudness][tech3341]")
{
    for (double rate : rates)
    {
        INFO ("rate " << rate);
        CHECK (*Run (test::toneSequence (rate, { { 10.0, -36.0 }, { 60.0, -23.0 }, { 10.0, -36.0 } }), rate).meter.integratedLufs()
               == Approx (-23.0).margin (0.1));
        CHECK (*Run (test::toneSequence (rate, { { 10.0, -72.0 }, { 10.0, -36.0 }, { 60.0, -23.0 }, { 10.0, -36.0 }, { 10.0, -72.0 } }),
                     rate)
                    .meter.integratedLufs()
               == Approx (-23.0).margin (0.1));
        CHECK (*Run (test::toneSequence (rate, { { 20.0, -26.0 }, { 20.1, -20.0 }, { 20.0, -26.0 } }), rate).meter.integratedLufs()
               == Approx (-23.0).margin (0.1));
    }
}

TEST_CASE ("Tech 3341 case 6: 5.0 channels with surround weighting", "[analysis][loudness][tech3341]")
{
    for (double rate : rates)
    {
        INFO ("rate " << rate);
        const double levels[] = { -28.0, -28.0, -24.0, -30.0, -30.0 }; // L R C Ls Rs
        const auto length = (int) std::lround (rate * 20.0);
        test::Buffer b (5, length);
        for (int c = 0; c < 5; ++c)
            b.copyFrom (c, 0, test::sine (rate, 1, 20.0, 1000.0, levels[c]), 0, 0, length);

        Run r (b, rate);
        CHECK (*r.meter.integratedLufs() == Approx (-23.0).margin (0.1));
    }
}

TEST_CASE ("5.1 files leave the LFE out of the loudness", "[analysis][loudness]")
{
    const double rate = 48000.0;
    const auto length = (int) std::lround (rate * 10.0);
    test::Buffer b (6, length);
    b.clear();
    b.copyFrom (0, 0, test::sine (rate, 1, 10.0, 1000.0, -23.0), 0, 0, length);
    b.copyFrom (1, 0, test::sine (rate, 1, 10.0, 1000.0, -23.0), 0, 0, length);
    b.copyFrom (3, 0, test::sine (rate, 1, 10.0, 60.0, -3.0), 0, 0, length); // a loud LFE
    CHECK (*Run (b, rate).meter.integratedLufs() == Approx (-23.0).margin (0.1));
}

namespace
{
    /** Tech 3341 cases 9 and 12: a tone alternating between -20 and -30 dBFS with a period
        equal to the meter's window reads a constant -23 LUFS once the window has filled. */
    void checkConstantReading (int repeats, double loud, double quiet, bool shortTerm, size_t firstFullStep, int minimumChecked)
    {
        for (double rate : rates)
        {
            INFO ("rate " << rate);
            std::vector<std::pair<double, double>> segments;
            for (int i = 0; i < repeats; ++i)
            {
                segments.push_back ({ loud, -20.0 });
                segments.push_back ({ quiet, -30.0 });
            }
            Run r (test::toneSequence (rate, segments), rate);
            const auto& series = shortTerm ? r.shortTerm : r.momentary;
            int checked = 0;
            for (size_t step = firstFullStep; step < series.size(); ++step)
            {
                REQUIRE (series[step]);
                CHECK (*series[step] == Approx (-23.0).margin (0.1));
                ++checked;
            }
            CHECK (checked >= minimumChecked);
        }
    }
} // namespace

TEST_CASE ("Tech 3341 case 9: short-term loudness is constant -23 after 3 s", "[analysis][loudness][tech3341]")
{
    checkConstantReading (5, 1.34, 1.66, true, 29, 100); // windows ending at 3.0 s and later
}

TEST_CASE ("Tech 3341 case 12: momentary loudness is constant -23 after 1 s", "[analysis][loudness][tech3341]")
{
    checkConstantReading (25, 0.18, 0.22, false, 9, 90); // windows ending at 1.0 s and later
}

TEST_CASE ("Silence has no loudness (not -inf) and never reaches the histograms", "[analysis][loudness]")
{
    test::Buffer silence (2, 48000 * 5);
    silence.clear();
    Run r (silence, 48000.0);
    const auto s = r.meter.getSnapshot();
    CHECK_FALSE (s.integratedLufs);
    CHECK_FALSE (s.loudnessRangeLu);
    CHECK_FALSE (s.momentaryLufs);
    CHECK_FALSE (s.shortTermMaxLufs);
}

TEST_CASE ("Odd sample rates keep 100 ms steps exact", "[analysis][loudness]")
{
    // 11025 Hz: a step is 1102.5 samples; steps alternate 1102 and 1103 so 10 steps are 1 s.
    const double rate = 11025.0;
    Run r (test::toneSequence (rate, { { 20.0, -23.0 } }), rate);
    CHECK (r.meter.stepsCompleted() == 200);
    CHECK (*r.meter.integratedLufs() == Approx (-23.0).margin (0.1));

    for (double lowOrHigh : { 8000.0, 384000.0 })
    {
        INFO ("rate " << lowOrHigh);
        Run edge (test::toneSequence (lowOrHigh, { { 10.0, -23.0 } }), lowOrHigh);
        CHECK (*edge.meter.integratedLufs() == Approx (-23.0).margin (0.1));
    }
}
