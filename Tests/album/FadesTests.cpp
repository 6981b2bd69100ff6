#include "album/Fades.h"

#include <catch2/catch.hpp>

#include <cmath>

using crest::album::curveGain;
using crest::album::fadeInGain;
using crest::album::fadeOutGain;
using crest::session::FadeCurve;

namespace
{
constexpr double pi = 3.14159265358979323846;
}

TEST_CASE ("Fade curves hit their formulas at exact sample positions", "[album][fades]")
{
    const int64_t L = 1000;
    // Sample i of an L-sample fade-in sits at x = i / L.
    CHECK (fadeInGain (FadeCurve::linear, 250, L) == Approx (0.25).margin (1e-15));
    CHECK (fadeInGain (FadeCurve::equalPower, 500, L) == Approx (std::sin (pi / 4.0)).margin (1e-15));
    CHECK (fadeInGain (FadeCurve::equalPower, 250, L) == Approx (std::sin (0.25 * pi / 2.0)).margin (1e-15));
    CHECK (fadeInGain (FadeCurve::logarithmic, 500, L) == Approx (std::pow (10.0, -30.0 / 20.0)).margin (1e-15));
    CHECK (fadeInGain (FadeCurve::logarithmic, 750, L) == Approx (std::pow (10.0, -15.0 / 20.0)).margin (1e-15));
    CHECK (fadeInGain (FadeCurve::sCurve, 250, L) == Approx ((1.0 - std::cos (0.25 * pi)) / 2.0).margin (1e-15));
    CHECK (fadeInGain (FadeCurve::sCurve, 500, L) == Approx (0.5).margin (1e-15));

    for (auto curve : { FadeCurve::linear, FadeCurve::equalPower, FadeCurve::logarithmic, FadeCurve::sCurve })
    {
        INFO ("curve " << (int) curve);
        CHECK (fadeInGain (curve, 0, L) == 0.0);   // a fade-in starts from silence
        CHECK (fadeInGain (curve, L, L) == 1.0);   // and is done after L samples
        CHECK (fadeOutGain (curve, 0, L) == 1.0);  // a fade-out starts at full gain
        CHECK (fadeOutGain (curve, L, L) == 0.0);  // and is silent after L samples
        // Fade-out is the fade-in read backwards: out(i) = in(L - i).
        for (int64_t i : { 1, 17, 333, 999 })
            CHECK (fadeOutGain (curve, i, L) == Approx (fadeInGain (curve, L - i, L)).margin (1e-15));
        // Monotonic.
        for (int64_t i = 1; i < L; ++i)
            REQUIRE (fadeInGain (curve, i, L) > fadeInGain (curve, i - 1, L));
    }
}

TEST_CASE ("Crossfade pairs: linear sums to 1, equal-power to constant power", "[album][fades]")
{
    const int64_t L = 4410;
    for (int64_t i = 0; i < L; ++i)
    {
        REQUIRE (fadeInGain (FadeCurve::linear, i, L) + fadeOutGain (FadeCurve::linear, i, L) == Approx (1.0).margin (1e-12));
        const double a = fadeInGain (FadeCurve::equalPower, i, L), b = fadeOutGain (FadeCurve::equalPower, i, L);
        REQUIRE (a * a + b * b == Approx (1.0).margin (1e-12));
        REQUIRE (fadeInGain (FadeCurve::sCurve, i, L) + fadeOutGain (FadeCurve::sCurve, i, L) == Approx (1.0).margin (1e-12));
    }
}

TEST_CASE ("applyFade scales samples by the fade's gain", "[album][fades]")
{
    float x[8] = { 1, 1, 1, 1, 1, 1, 1, 1 };
    crest::album::applyFade (x, 8, 2, 8, FadeCurve::linear, true); // samples 2..9 of an 8-sample fade-in
    CHECK (x[0] == Approx (2.0 / 8.0));
    CHECK (x[5] == Approx (7.0 / 8.0));
    CHECK (x[6] == 1.0f); // past the fade
    float y[4] = { 1, 1, 1, 1 };
    crest::album::applyFade (y, 4, 6, 8, FadeCurve::linear, false);
    CHECK (y[0] == Approx (2.0 / 8.0));
    CHECK (y[1] == Approx (1.0 / 8.0));
    CHECK (y[2] == 0.0f);
}
