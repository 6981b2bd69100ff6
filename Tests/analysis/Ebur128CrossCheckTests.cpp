// Crest's loudness against libebur128, the reference implementation, on noise, music-like and
// transient programmes: integrated loudness and LRA agree within 0.05 LU.
//
// libebur128 takes the LRA's 3 s windows every 1 s, where Tech 3342 asks for at least 10 Hz
// (Crest's meter uses 10 Hz). For a like-for-like comparison, Crest's own short-term series
// is decimated to the same 1 s stepping and fed to Crest's own gating histogram.

#include "TestSignals.h"
#include "analysis/LoudnessHistogram.h"

#include <catch2/catch.hpp>
#include <ebur128.h>

#include <cmath>

using namespace crest;

namespace
{
    struct Reference
    {
        double integrated = 0.0, range = 0.0, truePeakDb = 0.0;
    };

    Reference libebur128 (const test::Buffer& b, double rate)
    {
        auto* st = ebur128_init ((unsigned) b.getNumChannels(), (unsigned long) rate,
                                 EBUR128_MODE_I | EBUR128_MODE_LRA | EBUR128_MODE_TRUE_PEAK);
        std::vector<float> interleaved ((size_t) b.getNumSamples() * (size_t) b.getNumChannels());
        for (int i = 0; i < b.getNumSamples(); ++i)
            for (int c = 0; c < b.getNumChannels(); ++c)
                interleaved[(size_t) i * (size_t) b.getNumChannels() + (size_t) c] = b.getSample (c, i);
        ebur128_add_frames_float (st, interleaved.data(), (size_t) b.getNumSamples());
        Reference r;
        ebur128_loudness_global (st, &r.integrated);
        ebur128_loudness_range (st, &r.range);
        double peak = 0.0;
        for (int c = 0; c < b.getNumChannels(); ++c)
        {
            double p = 0.0;
            ebur128_true_peak (st, (unsigned) c, &p);
            peak = std::max (peak, p);
        }
        r.truePeakDb = 20.0 * std::log10 (peak);
        ebur128_destroy (&st);
        return r;
    }

    double rangeAtOneHertz (const analysis::TrackAnalysis& a)
    {
        analysis::LoudnessHistogram h;
        // Short-term value k covers the 3 s ending at (k + 1) / 10 s; libebur128's windows end
        // at 3 s, 4 s, 5 s, ...
        for (size_t k = 29; k < a.shortTermSeries.size(); k += 10)
            if (std::isfinite (a.shortTermSeries[k]))
                h.add (analysis::lufsToEnergy (a.shortTermSeries[k]));
        return h.loudnessRange().value_or (0.0);
    }

    void compare (const test::Buffer& b, double rate)
    {
        const auto ours = test::analyse (b, rate);
        const auto theirs = libebur128 (b, rate);
        INFO ("Crest I " << *ours.integratedLufs << " LRA " << *ours.loudnessRangeLu << " TP " << *ours.truePeakDbtp);
        INFO ("libebur128 I " << theirs.integrated << " LRA " << theirs.range << " TP " << theirs.truePeakDb);
        CHECK (*ours.integratedLufs == Approx (theirs.integrated).margin (0.05));
        CHECK (rangeAtOneHertz (ours) == Approx (theirs.range).margin (0.05));
        // Crest's own 10 Hz LRA stays close too (the spec's stepping, not a copy of theirs).
        CHECK (*ours.loudnessRangeLu == Approx (theirs.range).margin (0.5));
        // 8x oversampling reads at least what 4x does (within float rounding), rarely much more.
        CHECK (*ours.truePeakDbtp >= theirs.truePeakDb - 0.02);
        CHECK (*ours.truePeakDbtp <= theirs.truePeakDb + 0.7);
    }
} // namespace

TEST_CASE ("Agrees with libebur128 on pink noise", "[analysis][loudness][crosscheck]")
{
    for (double rate : { 44100.0, 48000.0 })
    {
        INFO ("rate " << rate);
        auto noise = test::pinkNoise (rate, 2, 40.0, -20.0);
        // Give it some loudness movement for the LRA.
        for (int i = 0; i < noise.getNumSamples(); ++i)
        {
            const double t = i / rate;
            noise.applyGain (i, 1, (float) test::dbToGain (-8.0 + 8.0 * std::sin (2.0 * 3.14159265 * t / 17.0)));
        }
        compare (noise, rate);
    }
}

TEST_CASE ("Agrees with libebur128 on a music-like programme", "[analysis][loudness][crosscheck]")
{
    compare (test::musicLike (48000.0, 60.0), 48000.0);
    compare (test::musicLike (96000.0, 30.0), 96000.0);
}

TEST_CASE ("Agrees with libebur128 on transients", "[analysis][loudness][crosscheck]")
{
    compare (test::transients (44100.0, 60.0), 44100.0);
}
