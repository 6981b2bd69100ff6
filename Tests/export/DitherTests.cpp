// The dither stage to 16 bits: a tone below one step survives as a tone, without distortion.

#include "BufferStream.h"
#include "SpectrumProbe.h"
#include "TestSignals.h"
#include "export/Dither.h"

#include <catch2/catch.hpp>

#include <complex>

using namespace crest;

namespace
{
    constexpr double rate = 44100.0;
    constexpr size_t fftSize = 1 << 22; // 95 s: the dither noise per bin sits near -153 dBFS

    test::Buffer quantised (const test::Buffer& in, delivery::DitherCurve curve, uint64_t seed = 1)
    {
        test::BufferStream source (in, rate);
        delivery::DitherStage stage (source, curve, seed);
        return test::readStream (stage);
    }

    /** Truncation (round towards -inf), what a writer that just drops bits does. */
    test::Buffer truncated (const test::Buffer& in)
    {
        test::Buffer out (in);
        for (int i = 0; i < out.getNumSamples(); ++i)
            out.setSample (0, i, (float) (std::floor (in.getSample (0, i) * 32768.0) / 32768.0));
        return out;
    }

    struct ToneCheck
    {
        double toneDbfs, worstHarmonicDbfs;
    };

    ToneCheck measure (const test::Buffer& out)
    {
        const float* y = out.getReadPointer (0);
        const double amplitude = test::sineAmplitude (y, fftSize, rate, 997.0);
        const auto spectrum = test::spectrumDbfs (y, fftSize);
        double worst = -400.0;
        for (int h = 2; h <= 20; ++h)
        {
            const double f = 997.0 * h;
            if (f >= rate / 2)
                break;
            const auto bin = (long) std::lround (f * (double) fftSize / rate);
            for (long b = bin - 4; b <= bin + 4; ++b)
                worst = std::max (worst, spectrum[(size_t) b]);
        }
        return { 20.0 * std::log10 (amplitude + 1e-300), worst };
    }

    bool onGrid (const test::Buffer& b)
    {
        for (int c = 0; c < b.getNumChannels(); ++c)
            for (int i = 0; i < b.getNumSamples(); ++i)
            {
                const double k = b.getSample (c, i) * 32768.0;
                if (k != std::floor (k) || k < -32768 || k > 32767)
                    return false;
            }
        return true;
    }
} // namespace

TEST_CASE ("Dither: 997 Hz at -100 dBFS stays a -100 dBFS tone with no harmonics above -140 dBFS, truncation fails",
           "[export][dither]")
{
    const auto in = test::sine (rate, 1, (double) fftSize / rate + 0.1, 997.0, -100.0);

    const auto tpdf = quantised (in, delivery::DitherCurve::tpdf);
    REQUIRE (onGrid (tpdf));
    const auto good = measure (tpdf);
    INFO ("TPDF: tone " << good.toneDbfs << " dBFS, worst harmonic " << good.worstHarmonicDbfs << " dBFS");
    CHECK (good.toneDbfs == Approx (-100.0).margin (0.5));
    CHECK (good.worstHarmonicDbfs < -140.0);

    // The same check on plain truncation: the tone becomes a distorted pulse train.
    const auto bad = measure (truncated (in));
    INFO ("truncation: tone " << bad.toneDbfs << " dBFS, worst harmonic " << bad.worstHarmonicDbfs << " dBFS");
    CHECK (bad.worstHarmonicDbfs > -140.0);

    // And on rounding without dither: a tone under half a step vanishes altogether.
    const auto rounded = measure (quantised (in, delivery::DitherCurve::none));
    CHECK_FALSE (rounded.toneDbfs == Approx (-100.0).margin (0.5));
}

TEST_CASE ("Dither: the noise-shaped curve follows the Lipshitz filter's shape", "[export][dither]")
{
    const auto in = test::sine (rate, 1, 30.0, 997.0, -100.0);
    const auto tpdf = quantised (in, delivery::DitherCurve::tpdf, 7);
    const auto shaped = quantised (in, delivery::DitherCurve::shaped, 7);
    REQUIRE (onGrid (shaped));

    auto errorOf = [&] (const test::Buffer& out) {
        std::vector<double> e ((size_t) in.getNumSamples());
        for (size_t i = 0; i < e.size(); ++i)
            e[i] = (double) out.getSample (0, (int) i) - (double) in.getSample (0, (int) i);
        return e;
    };
    constexpr size_t segment = 4096;
    const auto flat = test::averagedPower (errorOf (tpdf), segment);
    const auto curve = test::averagedPower (errorOf (shaped), segment);

    // The noise transfer function E(z) = 1 - sum c_k z^-k of the error-feedback loop.
    auto expectedDb = [] (double f) {
        std::complex<double> e (1.0, 0.0);
        for (size_t k = 0; k < delivery::lipshitzNoiseShaping.size(); ++k)
            e -= delivery::lipshitzNoiseShaping[k] * std::polar (1.0, -2.0 * M_PI * f / rate * (double) (k + 1));
        return 20.0 * std::log10 (std::abs (e));
    };
    for (const double f : { 300.0, 3000.0, 4000.0, 8000.0, 12000.0, 16000.0, 19000.0 })
    {
        // A band of bins around f, away from the tone at 997 Hz.
        const auto centre = (size_t) std::lround (f * segment / rate);
        double a = 0, b = 0;
        for (size_t k = centre - 8; k <= centre + 8; ++k)
        {
            a += curve[k];
            b += flat[k];
        }
        const double measured = 10.0 * std::log10 (a / b);
        INFO (f << " Hz: shaped/TPDF " << measured << " dB, filter says " << expectedDb (f) << " dB");
        CHECK (measured == Approx (expectedDb (f)).margin (1.0));
    }
    // The point of it: quieter where the ear is most sensitive, louder where it is least.
    CHECK (expectedDb (3500.0) < -10.0);
    CHECK (expectedDb (20000.0) > 10.0);
}

TEST_CASE ("Dither: digital silence stays exactly zero, and renders are reproducible", "[export][dither]")
{
    auto in = test::sine (rate, 2, 2.0, 997.0, -60.0);
    for (int c = 0; c < 2; ++c)
        for (int i = 30000; i < 60000; ++i)
            in.setSample (c, i, 0.0f);

    for (const auto curve : { delivery::DitherCurve::tpdf, delivery::DitherCurve::shaped })
    {
        const auto a = quantised (in, curve, 42);
        const auto b = quantised (in, curve, 42);
        const auto other = quantised (in, curve, 43);
        bool silent = true, same = true, differs = false;
        for (int c = 0; c < 2; ++c)
        {
            for (int i = 30000; i < 60000; ++i)
                silent = silent && a.getSample (c, i) == 0.0f;
            for (int i = 0; i < a.getNumSamples(); ++i)
            {
                same = same && a.getSample (c, i) == b.getSample (c, i);
                differs = differs || a.getSample (c, i) != other.getSample (c, i);
            }
        }
        CHECK (silent);
        CHECK (same);
        CHECK (differs);
    }
}

TEST_CASE ("Dither: full-scale peaks clamp to the 16-bit range without upsetting the shaping loop", "[export][dither]")
{
    // One second that clips hard, then one second of quiet tone, in one stream.
    const auto loud = test::sine (rate, 1, 1.0, 997.0, 6.0);
    const auto quiet = test::sine (rate, 1, 1.0, 997.0, -20.0);
    test::Buffer in (1, 88200);
    in.copyFrom (0, 0, loud, 0, 0, 44100);
    in.copyFrom (0, 44100, quiet, 0, 0, 44100);

    const auto out = quantised (in, delivery::DitherCurve::shaped);
    REQUIRE (onGrid (out));
    CHECK (out.getSample (0, 11) == Approx (32767.0 / 32768.0)); // the peak near a quarter period is clamped

    // The quiet second is the tone plus shaped noise of a few steps, not an unstable loop.
    double errorPower = 0;
    for (int i = 44100 + 100; i < 88200; ++i)
        errorPower += std::pow ((out.getSample (0, i) - in.getSample (0, i)) * 32768.0, 2);
    const double errorRmsSteps = std::sqrt (errorPower / (44100 - 100));
    INFO ("error after clipping: " << errorRmsSteps << " steps rms");
    CHECK (errorRmsSteps < 4.0);
    CHECK (test::sineAmplitude (out.getReadPointer (0, 44100), 44100, rate, 997.0) == Approx (0.1).epsilon (0.001));
}
