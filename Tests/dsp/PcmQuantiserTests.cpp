// The one float -> integer PCM rule: rounding, the three tie rules, and clipping at the rails.

#include "dsp/PcmQuantiser.h"

#include <catch2/catch.hpp>

#include <limits>

using namespace crest;
using dsp::PcmQuantiser;
using dsp::TieRounding;

TEST_CASE ("PcmQuantiser rounds to the nearest step and names how it breaks ties", "[dsp][quantiser]")
{
    const PcmQuantiser away (16, TieRounding::awayFromZero), even (16, TieRounding::toEven), up (16, TieRounding::up);
    CHECK (away.fullScale() == 32768.0);
    for (const auto* q : { &away, &even, &up })
    {
        CHECK (q->toInteger (0.0f) == 0);
        CHECK (q->toInteger (100.4f / 32768.0f) == 100);
        CHECK (q->toInteger (100.6f / 32768.0f) == 101);
        CHECK (q->toInteger (-100.6f / 32768.0f) == -101);
    }
    // Exactly halfway: 2.5 and -2.5 steps.
    CHECK (away.roundSteps (2.5) == 3.0);
    CHECK (away.roundSteps (-2.5) == -3.0);
    CHECK (even.roundSteps (2.5) == 2.0);
    CHECK (even.roundSteps (3.5) == 4.0);
    CHECK (even.roundSteps (-2.5) == -2.0);
    CHECK (up.roundSteps (2.5) == 3.0);
    CHECK (up.roundSteps (-2.5) == -2.0);
}

TEST_CASE ("PcmQuantiser clips at the rails, and NaN becomes silence", "[dsp][quantiser]")
{
    for (const int bits : { 16, 24 })
        for (const auto ties : { TieRounding::awayFromZero, TieRounding::toEven, TieRounding::up })
        {
            const PcmQuantiser q (bits, ties);
            const int32_t top = (int32_t) ((int64_t { 1 } << (bits - 1)) - 1), bottom = -top - 1;
            CHECK (q.toInteger (1.0f) == top); // +1.0 is one step beyond the largest word
            CHECK (q.toInteger (1.5f) == top);
            CHECK (q.toInteger (-1.0f) == bottom);
            CHECK (q.toInteger (-1.5f) == bottom);
            CHECK (q.toInteger (std::numeric_limits<float>::infinity()) == top);
            CHECK (q.toInteger (-std::numeric_limits<float>::infinity()) == bottom);
            CHECK (q.toInteger (std::numeric_limits<float>::quiet_NaN()) == 0);
            CHECK (q.toInteger ((float) top / (float) q.fullScale()) == top);
        }
}

TEST_CASE ("PcmQuantiser stores every 24-bit word exactly", "[dsp][quantiser]")
{
    const PcmQuantiser q (24, TieRounding::awayFromZero);
    int mismatches = 0;
    for (int32_t k = -(1 << 23); k < (1 << 23); k += 997)
        mismatches += q.toInteger ((float) k / 8388608.0f) != k;
    CHECK (mismatches == 0);

    float samples[3] = { 0.25f, -0.5f, 0.75f };
    int32_t words[3] = {};
    q.toIntegers (samples, words, 3);
    CHECK (words[0] == 1 << 21);
    CHECK (words[1] == -(1 << 22));
    CHECK (words[2] == 3 << 21);
}
