// The one TPDF dither, on its own: reproducible, silent on silence, on the grid, and the same
// noise for the same seed from both generators. (Its audible behaviour, the -100 dBFS tone and
// the noise-shaping spectrum, is tested through the export's DitherStage in Tests/export.)

#include "dsp/TpdfDither.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <vector>

using namespace crest;
using dsp::DitherCurve;
using dsp::DitherNoise;
using dsp::TpdfDither;

TEST_CASE ("TpdfDither curves have their session names", "[dsp][dither]")
{
    CHECK (dsp::ditherCurveFromName ("none") == DitherCurve::none);
    CHECK (dsp::ditherCurveFromName ("tpdf") == DitherCurve::tpdf);
    CHECK (dsp::ditherCurveFromName ("shaped") == DitherCurve::shaped);
    CHECK (dsp::ditherCurveFromName ("lipshitz") == DitherCurve::shaped);
    CHECK_FALSE (dsp::ditherCurveFromName ("pow-r"));
}

TEST_CASE ("TpdfDither's triangular values span +/-1 LSB with a triangle's statistics", "[dsp][dither]")
{
    for (const auto noise : { DitherNoise::splitmix64, DitherNoise::mersenneTwister })
    {
        TpdfDither dither (DitherCurve::tpdf, 3, noise);
        constexpr int n = 200000;
        double sum = 0.0, squares = 0.0, low = 0.0, high = 0.0;
        int nearZero = 0, nearEdge = 0;
        for (int i = 0; i < n; ++i)
        {
            const double v = dither.nextTriangular();
            sum += v;
            squares += v * v;
            low = std::min (low, v);
            high = std::max (high, v);
            nearZero += std::abs (v) < 0.1;
            nearEdge += std::abs (v) > 0.9;
        }
        CHECK (low >= -1.0);
        CHECK (high <= 1.0);
        CHECK (std::abs (sum / n) < 0.01);
        CHECK (squares / n == Approx (1.0 / 6.0).margin (0.005)); // variance of a triangle on [-1, 1]
        CHECK (nearZero > 9 * nearEdge); // peaked in the middle: 0.19 vs 0.01 of the mass
    }
}

TEST_CASE ("TpdfDither quantises onto the 16-bit grid, reproducibly, and leaves silence silent", "[dsp][dither]")
{
    std::vector<float> in (4096);
    for (size_t i = 0; i < in.size(); ++i)
        in[i] = i >= 1000 && i < 2000 ? 0.0f : 0.3f * (float) std::sin (0.01 * (double) i);
    for (const auto curve : { DitherCurve::none, DitherCurve::tpdf, DitherCurve::shaped })
    {
        auto a = in, b = in;
        TpdfDither (curve, 9).quantise (a.data(), (int) a.size());
        TpdfDither first (curve, 9);
        first.quantise (b.data(), 1500); // cut in two blocks: the same result
        first.quantise (b.data() + 1500, (int) b.size() - 1500);
        CHECK (a == b);
        for (size_t i = 0; i < a.size(); ++i)
        {
            const double k = (double) a[i] * 32768.0;
            REQUIRE (k == std::floor (k));
            if (in[i] == 0.0f)
                REQUIRE (a[i] == 0.0f);
        }
    }
}

TEST_CASE ("TpdfDither adds the render's float noise: mt19937 drawn as before", "[dsp][dither]")
{
    // What `crest render --bits 16` has always added, spelt out with the standard library.
    std::mt19937 random (1);
    std::uniform_real_distribution<float> uniform (-0.5f, 0.5f);
    std::vector<float> expected (1000, 0.25f), got (1000, 0.25f);
    expected[10] = got[10] = 0.0f;
    for (auto& x : expected)
        if (x != 0.0f)
            x += (1.0f / 32768.0f) * (uniform (random) + uniform (random));

    TpdfDither dither (DitherCurve::tpdf, 1, DitherNoise::mersenneTwister);
    dither.addNoise (got.data(), 600);
    dither.addNoise (got.data() + 600, 400);
    CHECK (got == expected);
    CHECK (got[10] == 0.0f);
}
