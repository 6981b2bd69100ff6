// dsp::PcmQuantiser::toIntegers, the writers' block path, gives toInteger()'s integers for
// every kind of float sample (ties, tiny and huge values, NaN, infinities), at every depth.

#include "dsp/PcmQuantiser.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

using namespace crest;

namespace
{
    /** Samples that stress the rounding: every tie and its neighbours near full scale and near
        zero, denormals, values beyond full scale, non-finite values, and random bit patterns. */
    std::vector<float> hardSamples (int bits)
    {
        std::vector<float> s;
        const double scale = std::ldexp (1.0, bits - 1);
        for (int k = -40; k <= 40; ++k)
            for (const double base : { 0.0, scale / 2.0, scale - 40.0, -scale / 2.0, -scale + 40.0 })
            {
                const auto tie = (float) ((base + k + 0.5) / scale);
                s.insert (s.end(), { tie, std::nextafter (tie, 2.0f), std::nextafter (tie, -2.0f) });
            }
        for (const float v : { 0.0f, -0.0f, 1.0f, -1.0f, 1.5f, -1.5f, 1.0e30f, -1.0e30f, std::numeric_limits<float>::denorm_min(),
                 -std::numeric_limits<float>::denorm_min(), std::numeric_limits<float>::min(), 0.49999997f / (float) scale,
                 std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(),
                 std::numeric_limits<float>::quiet_NaN() })
            s.push_back (v);
        std::mt19937 random (7);
        for (int i = 0; i < 200000; ++i)
        {
            uint32_t word = random();
            float f;
            std::memcpy (&f, &word, sizeof (f));
            s.push_back (f);
            s.push_back (std::ldexp ((float) (int) (random() % 4000000) - 2000000.0f, -20) / 2.0f); // many exact ties
        }
        return s;
    }
} // namespace

TEST_CASE ("PcmQuantiser's block path gives its per-sample integers, for every tie rule", "[dsp][quantiser]")
{
    for (const int bits : { 16, 24, 32 })
        for (const auto ties : { dsp::TieRounding::awayFromZero, dsp::TieRounding::toEven, dsp::TieRounding::up })
        {
            INFO (bits << " bits, tie rule " << (int) ties);
            const auto samples = hardSamples (bits);
            std::vector<int32_t> words (samples.size());
            const dsp::PcmQuantiser one (bits, ties);
            for (const int shift : { 0, 32 - bits })
            {
                one.toIntegers (samples.data(), words.data(), (int) samples.size(), shift);
                int wrong = 0;
                for (size_t i = 0; i < samples.size(); ++i)
                    if (words[i] != (int32_t) ((int64_t) one.toInteger (samples[i]) * ((int64_t) 1 << shift)))
                        ++wrong;
                CHECK (wrong == 0);
            }
        }
}
