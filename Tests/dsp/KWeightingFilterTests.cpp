#include "dsp/KWeightingFilter.h"

#include <catch2/catch.hpp>

using crest::dsp::KWeightingFilter;

TEST_CASE ("K-weighting derived at 48 kHz reproduces the BS.1770 table", "[dsp][loudness]")
{
    const auto shelf = KWeightingFilter::shelfCoefficients (48000.0);
    CHECK (shelf.b0 == Approx (1.53512485958697).margin (1e-9));
    CHECK (shelf.b1 == Approx (-2.69169618940638).margin (1e-9));
    CHECK (shelf.b2 == Approx (1.19839281085285).margin (1e-9));
    CHECK (shelf.a1 == Approx (-1.69065929318241).margin (1e-9));
    CHECK (shelf.a2 == Approx (0.73248077421585).margin (1e-9));

    const auto highPass = KWeightingFilter::highPassCoefficients (48000.0);
    CHECK (highPass.b0 == 1.0);
    CHECK (highPass.b1 == -2.0);
    CHECK (highPass.b2 == 1.0);
    CHECK (highPass.a1 == Approx (-1.99004745483398).margin (1e-9));
    CHECK (highPass.a2 == Approx (0.99007225036621).margin (1e-9));
}

TEST_CASE ("K-weighting has the same response at every sample rate", "[dsp][loudness]")
{
    // Derived per rate, the curve below 15 kHz matches the 48 kHz one; reusing the 48 kHz
    // coefficients at 44.1 or 96 kHz would shift the shelf and the high-pass visibly.
    for (double rate : { 8000.0, 32000.0, 44100.0, 88200.0, 96000.0, 192000.0, 384000.0 })
    {
        for (double f : { 20.0, 40.0, 100.0, 500.0, 1000.0, 1500.0, 2000.0, 3000.0 })
        {
            if (f > rate * 0.3)
                continue;
            INFO ("rate " << rate << " frequency " << f);
            CHECK (KWeightingFilter::magnitudeDb (rate, f) == Approx (KWeightingFilter::magnitudeDb (48000.0, f)).margin (0.05));
        }
    }

    // The 1 kHz gain that the -0.691 dB offset of BS.1770 cancels.
    CHECK (KWeightingFilter::magnitudeDb (48000.0, 997.0) == Approx (0.691).margin (0.01));
}
