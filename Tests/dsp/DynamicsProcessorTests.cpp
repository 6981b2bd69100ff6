#include "AllocationCounter.h"
#include "TestSignals.h"
#include "dsp/Crossover.h"
#include "dsp/DynamicsProcessor.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <vector>

using crest::dsp::DetectionMode;
using crest::dsp::DynamicsProcessor;
using crest::dsp::DynamicsSettings;
using crest::dsp::StereoMode;

namespace
{
constexpr double pi = 3.14159265358979323846;

/** Measured figures go to stdout when CREST_TEST_FIGURES is set (for reports). */
bool printFigures()
{
    return std::getenv ("CREST_TEST_FIGURES") != nullptr;
}

struct Stereo
{
    std::vector<float> left, right;
    explicit Stereo (size_t n = 0) : left (n, 0.0f), right (n, 0.0f) { }
    size_t size() const { return left.size(); }
};

Stereo constant (size_t n, float l, float r)
{
    Stereo s (n);
    std::fill (s.left.begin(), s.left.end(), l);
    std::fill (s.right.begin(), s.right.end(), r);
    return s;
}

void run (DynamicsProcessor& p, Stereo& s, int blockSize = 512)
{
    for (size_t offset = 0; offset < s.size(); offset += (size_t) blockSize)
    {
        const int n = (int) std::min<size_t> ((size_t) blockSize, s.size() - offset);
        p.process (s.left.data() + offset, s.right.data() + offset, n);
    }
}

/** The gain computer as textbooks write it (Giannoulis, Massberg and Reiss, JAES 2012):
    output level against input level, written independently of the code under test. */
double expectedOutputDb (double x, double t, double r, double w)
{
    if (2.0 * (x - t) < -w)
        return x;
    if (2.0 * std::abs (x - t) <= w && w > 0.0)
        return x + (1.0 / r - 1.0) * (x - t + w / 2.0) * (x - t + w / 2.0) / (2.0 * w);
    return t + (x - t) / r;
}

double gainDb (float out, float in)
{
    return 20.0 * std::log10 (std::abs ((double) out / (double) in));
}

DynamicsSettings compressing()
{
    DynamicsSettings s;
    s.thresholdDb = -20.0f;
    s.ratio = 4.0f;
    s.kneeDb = 0.0f;
    s.attackMs = 10.0f;
    s.releaseMs = 100.0f;
    return s;
}

/** First index at or after `from` where pred holds, or -1. */
template <typename Pred>
long firstIndex (const std::vector<float>& v, size_t from, Pred pred)
{
    for (size_t i = from; i < v.size(); ++i)
        if (pred (i))
            return (long) i;
    return -1;
}
} // namespace

TEST_CASE ("Compressor static curve matches threshold, ratio and knee", "[dsp][dynamics]")
{
    const double rate = 48000.0;
    struct Curve
    {
        float threshold, ratio, knee;
    };
    double worst = 0.0;
    for (const auto& c : { Curve { -20.0f, 4.0f, 0.0f }, Curve { -20.0f, 4.0f, 12.0f }, Curve { -30.0f, 2.0f, 6.0f },
             Curve { -10.0f, 20.0f, 3.0f }, Curve { -24.0f, 1.5f, 24.0f } })
    {
        for (auto detection : { DetectionMode::peak, DetectionMode::rms })
        {
            for (double level = -60.0; level <= 6.0; level += 2.0)
            {
                // A constant level (DC) is the same for both detectors: the steady state is
                // then exactly the static curve.
                DynamicsSettings s;
                s.thresholdDb = c.threshold;
                s.ratio = c.ratio;
                s.kneeDb = c.knee;
                s.attackMs = 1.0f;
                s.releaseMs = 20.0f;
                s.detection = detection;
                DynamicsProcessor p;
                p.prepare (rate, s);
                const auto in = (float) std::pow (10.0, level / 20.0);
                auto signal = constant ((size_t) (0.25 * rate), in, -in);
                run (p, signal);

                const double expected = expectedOutputDb (level, c.threshold, c.ratio, c.knee) - level;
                const double measured = gainDb (signal.left.back(), in);
                INFO ("threshold " << c.threshold << " ratio " << c.ratio << " knee " << c.knee << " level " << level);
                CHECK (measured == Approx (expected).margin (0.1));
                CHECK (gainDb (signal.right.back(), -in) == Approx (measured).margin (1e-6));
                worst = std::max (worst, std::abs (measured - expected));
            }
        }
    }
    if (printFigures())
        std::printf ("compressor static curve: worst error %.2e dB\n", worst);

    // The published function is the same curve.
    CHECK (DynamicsProcessor::staticGainReductionDb (-5.0, -20.0, 4.0, 0.0) == Approx (11.25));
    CHECK (DynamicsProcessor::staticGainReductionDb (-20.0, -20.0, 4.0, 12.0) == Approx (0.75 * 36.0 / 24.0));
    CHECK (DynamicsProcessor::staticGainReductionDb (-30.0, -20.0, 4.0, 12.0) == 0.0);
}

TEST_CASE ("Compressor reads a sine by its peak or its RMS level", "[dsp][dynamics]")
{
    const double rate = 48000.0;
    for (auto detection : { DetectionMode::peak, DetectionMode::rms })
    {
        for (double level : { -12.0, -6.0, 0.0 })
        {
            auto s = compressing();
            s.detection = detection;
            s.releaseMs = 200.0f;
            DynamicsProcessor p;
            p.prepare (rate, s);
            const size_t n = (size_t) rate;
            Stereo signal (n);
            const double a = std::pow (10.0, level / 20.0);
            for (size_t i = 0; i < n; ++i)
                signal.left[i] = signal.right[i] = (float) (a * std::sin (2.0 * pi * 1000.0 * (double) i / rate));
            const Stereo input = signal;
            run (p, signal);

            double inPeak = 0.0, outPeak = 0.0;
            for (size_t i = n - (size_t) (0.1 * rate); i < n; ++i)
            {
                inPeak = std::max (inPeak, (double) std::abs (input.left[i]));
                outPeak = std::max (outPeak, (double) std::abs (signal.left[i]));
            }
            const double detected = detection == DetectionMode::peak ? level : level - 3.0103;
            INFO ((detection == DetectionMode::peak ? "peak" : "rms") << " level " << level);
            CHECK (20.0 * std::log10 (outPeak / inPeak)
                == Approx (-DynamicsProcessor::staticGainReductionDb (detected, -20.0, 4.0, 0.0)).margin (0.1));
        }
    }
}

TEST_CASE ("Compressor attack and release follow their time constants", "[dsp][dynamics]")
{
    const double rate = 48000.0;
    // From well below the threshold to 0 dBFS (15 dB of reduction at -20 dB, 4:1) and back.
    struct Times
    {
        float attack, release;
    };
    for (const auto& t : { Times { 1.0f, 50.0f }, Times { 10.0f, 100.0f }, Times { 10.0f, 500.0f }, Times { 30.0f, 300.0f },
             Times { 50.0f, 1000.0f } })
    {
        auto s = compressing();
        s.attackMs = t.attack;
        s.releaseMs = t.release;
        DynamicsProcessor p;
        p.prepare (rate, s);

        const size_t quiet = (size_t) (0.1 * rate), loud = (size_t) (0.6 * rate + 8.0 * t.attack * 0.001 * rate),
                     after = (size_t) (6.0 * t.release * 0.001 * rate);
        Stereo signal (quiet + loud + after);
        for (size_t i = 0; i < signal.size(); ++i)
            signal.left[i] = signal.right[i] = i >= quiet && i < quiet + loud ? 1.0f : 0.01f;
        const Stereo input = signal;
        run (p, signal, 441);

        const auto reduction = [&] (size_t i) { return -gainDb (signal.left[i], input.left[i]); };
        CHECK (reduction (quiet + loud - 1) == Approx (15.0).margin (0.01));

        const double attackTarget = 15.0 * (1.0 - std::exp (-1.0));
        const long attackAt = firstIndex (signal.left, quiet, [&] (size_t i) { return reduction (i) >= attackTarget; });
        const double attackMs = (double) (attackAt - (long) quiet + 1) / rate * 1000.0;

        const double releaseTarget = 15.0 * std::exp (-1.0);
        const long releaseAt = firstIndex (signal.left, quiet + loud, [&] (size_t i) { return reduction (i) <= releaseTarget; });
        const double releaseMs = (double) (releaseAt - (long) (quiet + loud) + 1) / rate * 1000.0;

        INFO ("attack " << t.attack << " ms, release " << t.release << " ms: measured " << attackMs << ", " << releaseMs);
        CHECK (attackMs == Approx (t.attack).epsilon (0.01).margin (2000.0 / rate));
        CHECK (releaseMs == Approx (t.release).epsilon (0.01).margin (2000.0 / rate));
        if (printFigures())
            std::printf (
                "compressor attack %.1f ms -> %.3f ms, release %.1f ms -> %.3f ms\n", t.attack, attackMs, t.release, releaseMs);
    }

    CHECK (DynamicsProcessor::holdReleaseSeconds (0.1, 0.05) == 0.0);
}

TEST_CASE ("Auto release recovers short peaks fast and sustained compression slowly", "[dsp][dynamics]")
{
    const double rate = 48000.0;
    const auto recoveryMs = [rate] (bool autoRelease, double burstSeconds)
    {
        auto s = compressing();
        s.attackMs = 1.0f;
        s.releaseMs = 100.0f;
        s.autoRelease = autoRelease;
        DynamicsProcessor p;
        p.prepare (rate, s);
        const size_t lead = (size_t) (0.1 * rate), burst = (size_t) (burstSeconds * rate), tail = (size_t) (3.0 * rate);
        Stereo signal (lead + burst + tail);
        for (size_t i = 0; i < signal.size(); ++i)
            signal.left[i] = signal.right[i] = i >= lead && i < lead + burst ? 1.0f : 0.01f;
        const Stereo input = signal;
        run (p, signal);
        const size_t end = lead + burst;
        const double atEnd = -gainDb (signal.left[end - 1], input.left[end - 1]);
        const long at = firstIndex (
            signal.left, end, [&] (size_t i) { return -gainDb (signal.left[i], input.left[i]) <= atEnd * std::exp (-1.0); });
        return (double) (at - (long) end + 1) / rate * 1000.0;
    };

    const double manualShort = recoveryMs (false, 0.02), manualLong = recoveryMs (false, 2.0);
    const double autoShort = recoveryMs (true, 0.02), autoLong = recoveryMs (true, 2.0);
    if (printFigures())
        std::printf ("auto release: 20 ms burst recovers in %.1f ms, 2 s of compression in %.1f ms (manual %.1f, %.1f)\n",
            autoShort, autoLong, manualShort, manualLong);
    CHECK (manualShort == Approx (100.0).epsilon (0.02));
    CHECK (manualLong == Approx (100.0).epsilon (0.02));
    CHECK (autoShort < 150.0);
    CHECK (autoLong > 3.0 * autoShort);
}

TEST_CASE ("Stereo link shares the larger gain reduction", "[dsp][dynamics]")
{
    const double rate = 48000.0;
    for (float linkPct : { 0.0f, 50.0f, 100.0f })
    {
        auto s = compressing();
        s.stereoLinkPct = linkPct;
        DynamicsProcessor p;
        p.prepare (rate, s);
        auto signal = constant ((size_t) (0.5 * rate), 1.0f, 0.01f);
        run (p, signal);
        INFO ("link " << linkPct);
        CHECK (gainDb (signal.left.back(), 1.0f) == Approx (-15.0).margin (0.01));
        CHECK (gainDb (signal.right.back(), 0.01f) == Approx (-15.0 * linkPct / 100.0).margin (0.01));
        CHECK (p.gainReductionDb() == Approx (15.0).margin (0.01));
        if (linkPct == 0.0f)
            CHECK (signal.right.back() == 0.01f); // untouched, exactly
    }
}

TEST_CASE ("Mid/side mode compresses mid and side separately", "[dsp][dynamics]")
{
    const double rate = 48000.0;
    auto s = compressing();
    s.stereoMode = StereoMode::midSide;
    s.stereoLinkPct = 0.0f;
    DynamicsProcessor p;
    p.prepare (rate, s);

    // Loud mid (1.0), quiet side (0.01): the mid is compressed by 15 dB, the side left alone.
    auto signal = constant ((size_t) (0.5 * rate), 1.01f, 0.99f);
    run (p, signal);
    const double mid = 0.5 * (signal.left.back() + signal.right.back());
    const double side = 0.5 * (signal.left.back() - signal.right.back());
    CHECK (20.0 * std::log10 (mid) == Approx (-15.0).margin (0.01));
    CHECK (side == Approx (0.01).epsilon (1e-5));

    // A mono signal stays mono.
    DynamicsProcessor q;
    q.prepare (rate, s);
    auto mono = constant ((size_t) (0.2 * rate), 0.7f, 0.7f);
    run (q, mono);
    for (size_t i = 0; i < mono.size(); ++i)
        REQUIRE (mono.left[i] == mono.right[i]);
}

TEST_CASE ("Side-chain high-pass keeps bass from driving the compressor", "[dsp][dynamics]")
{
    const double rate = 48000.0;
    const auto reductionWith = [rate] (float highPassHz)
    {
        auto s = compressing();
        s.sidechainHighPassHz = highPassHz;
        DynamicsProcessor p;
        p.prepare (rate, s);
        Stereo signal ((size_t) rate);
        for (size_t i = 0; i < signal.size(); ++i)
            signal.left[i] = signal.right[i] = (float) std::sin (2.0 * pi * 30.0 * (double) i / rate);
        run (p, signal);
        return p.gainReductionDb();
    };
    CHECK (reductionWith (0.0f) > 14.0f);
    CHECK (reductionWith (10.0f) > 14.0f); // below 20 Hz it is off
    CHECK (reductionWith (200.0f) < 1.0f);
}

TEST_CASE ("Parallel mix blends the dry signal in, aligned", "[dsp][dynamics]")
{
    const double rate = 44100.0;
    const auto music = crest::test::musicLike (rate, 1.0);
    Stereo input ((size_t) music.getNumSamples());
    std::copy (music.getReadPointer (0), music.getReadPointer (0) + music.getNumSamples(), input.left.begin());
    std::copy (music.getReadPointer (1), music.getReadPointer (1) + music.getNumSamples(), input.right.begin());

    auto s = compressing();
    s.thresholdDb = -30.0f;
    DynamicsProcessor wetOnly, half;
    wetOnly.prepare (rate, s);
    s.mixPct = 40.0f;
    half.prepare (rate, s);
    Stereo wet = input, mixed = input;
    run (wetOnly, wet);
    run (half, mixed);
    double worst = 0.0;
    for (size_t i = 0; i < input.size(); ++i)
        worst = std::max (worst, std::abs (mixed.left[i] - (0.4 * wet.left[i] + 0.6 * input.left[i])));
    CHECK (worst < 1.0e-6);
}

TEST_CASE ("Compressor output does not depend on block sizes", "[dsp][dynamics]")
{
    const double rate = 44100.0;
    const auto music = crest::test::musicLike (rate, 2.0);
    Stereo input ((size_t) music.getNumSamples());
    std::copy (music.getReadPointer (0), music.getReadPointer (0) + music.getNumSamples(), input.left.begin());
    std::copy (music.getReadPointer (1), music.getReadPointer (1) + music.getNumSamples(), input.right.begin());

    DynamicsSettings s;
    s.thresholdDb = -28.0f;
    s.ratio = 3.0f;
    s.kneeDb = 6.0f;
    s.attackMs = 5.0f;
    s.releaseMs = 120.0f;
    s.autoRelease = true;
    s.detection = DetectionMode::rms;
    s.stereoLinkPct = 60.0f;
    s.stereoMode = StereoMode::midSide;
    s.sidechainHighPassHz = 90.0f;
    s.mixPct = 80.0f;
    s.makeupDb = 4.0f;

    std::vector<Stereo> outputs;
    for (int blockSize : { 32, 441, 4096 })
    {
        DynamicsProcessor p;
        p.prepare (rate, s);
        Stereo out = input;
        run (p, out, blockSize);
        outputs.push_back (out);
    }
    for (size_t k = 1; k < outputs.size(); ++k)
        for (size_t i = 0; i < input.size(); ++i)
        {
            REQUIRE (std::abs (outputs[k].left[i] - outputs[0].left[i]) < 1.0e-6f);
            REQUIRE (std::abs (outputs[k].right[i] - outputs[0].right[i]) < 1.0e-6f);
        }
}

TEST_CASE ("Compressor at ratio 1:1 is bit-exact", "[dsp][dynamics]")
{
    const double rate = 48000.0;
    const auto noise = crest::test::whiteNoise (rate, 2, 0.5, -10.0);
    for (auto mode : { StereoMode::stereo, StereoMode::midSide })
    {
        DynamicsSettings s;
        s.thresholdDb = -40.0f;
        s.kneeDb = 6.0f;
        s.stereoMode = mode;
        DynamicsProcessor p;
        p.prepare (rate, s);
        Stereo signal ((size_t) noise.getNumSamples());
        std::copy (noise.getReadPointer (0), noise.getReadPointer (0) + noise.getNumSamples(), signal.left.begin());
        std::copy (noise.getReadPointer (1), noise.getReadPointer (1) + noise.getNumSamples(), signal.right.begin());
        const Stereo input = signal;
        run (p, signal);
        CHECK (signal.left == input.left);
        CHECK (signal.right == input.right);
        CHECK (p.gainReductionDb() == 0.0f);
    }
}

TEST_CASE ("A NaN or infinity does not poison later compressor output", "[dsp][dynamics]")
{
    const double rate = 48000.0;
    const auto noise = crest::test::whiteNoise (rate, 2, 1.0, -6.0);
    Stereo input ((size_t) noise.getNumSamples());
    std::copy (noise.getReadPointer (0), noise.getReadPointer (0) + noise.getNumSamples(), input.left.begin());
    std::copy (noise.getReadPointer (1), noise.getReadPointer (1) + noise.getNumSamples(), input.right.begin());
    const size_t bad = 20000;
    input.left[bad - 5000] = std::numeric_limits<float>::infinity();
    input.right[bad] = std::numeric_limits<float>::quiet_NaN();

    auto s = compressing();
    s.sidechainHighPassHz = 100.0f;
    s.detection = DetectionMode::rms;
    DynamicsProcessor p;
    p.prepare (rate, s);
    Stereo out = input;
    run (p, out);
    CHECK (out.left[bad] == 0.0f);
    for (size_t i = bad + 1; i < out.size(); ++i)
        REQUIRE ((std::isfinite (out.left[i]) && std::isfinite (out.right[i])));

    // After the bad sample it behaves like a processor that starts there.
    DynamicsProcessor fresh;
    fresh.prepare (rate, s);
    Stereo tail (input.size() - bad - 1);
    std::copy (input.left.begin() + (long) bad + 1, input.left.end(), tail.left.begin());
    std::copy (input.right.begin() + (long) bad + 1, input.right.end(), tail.right.begin());
    run (fresh, tail);
    for (size_t i = 0; i < tail.size(); ++i)
        REQUIRE (out.left[bad + 1 + i] == tail.left[i]);
}

TEST_CASE ("Compressor tails decay to exact zero and processing allocates nothing", "[dsp][dynamics]")
{
    const double rate = 48000.0;
    auto s = compressing();
    s.autoRelease = true;
    s.detection = DetectionMode::rms;
    s.sidechainHighPassHz = 50.0f;
    DynamicsProcessor p;
    p.prepare (rate, s);
    auto loud = constant ((size_t) (0.5 * rate), 1.0f, 1.0f);
    auto silence = constant ((size_t) (20.0 * rate), 0.0f, 0.0f);

    crest::test::AllocationCounter allocations;
    run (p, loud);
    s.thresholdDb = -30.0f;
    s.stereoMode = StereoMode::midSide;
    p.setSettings (s);
    run (p, silence);
    CHECK (allocations.count() == 0);

    // Envelopes are flushed to zero rather than creeping through denormals.
    CHECK (p.gainReductionDb() == 0.0f);
    CHECK (silence.left.back() == 0.0f);
}

namespace
{
/** The compressor written plainly for fixed settings: per sample, in double precision, with
    std::log10 and std::exp and envelopes flushed at every sample, as it ran before its steady
    path was vectorised. A model to check the polynomial logarithm and exponential, the passes
    and the link and mid/side handling against. */
class PlainCompressor
{
public:
    PlainCompressor (double sampleRate, const DynamicsSettings& s) : settings (s), rate (sampleRate)
    {
        const auto pole = [this] (double seconds) { return seconds > 0.0 ? std::exp (-1.0 / (seconds * rate)) : 0.0; };
        const double attack = std::max (0.01, (double) s.attackMs) * 0.001,
                     release = std::max (1.0, (double) s.releaseMs) * 0.001;
        attackCoeff = pole (attack);
        holdCoeff = pole (DynamicsProcessor::holdReleaseSeconds (attack, release));
        slowAttackCoeff = pole (DynamicsProcessor::autoReleaseBuildFactor * release);
        slowReleaseCoeff = pole (DynamicsProcessor::autoReleaseSlowFactor * release);
        rmsCoeff = pole (DynamicsProcessor::rmsSeconds);
        if (s.sidechainHighPassHz >= 20.0f)
        {
            const double k = std::tan (pi * s.sidechainHighPassHz / rate), norm = 1.0 / (1.0 + std::sqrt (2.0) * k + k * k);
            crest::dsp::BiquadCoefficients c;
            c.b0 = norm;
            c.b1 = -2.0 * norm;
            c.b2 = norm;
            c.a1 = 2.0 * (k * k - 1.0) * norm;
            c.a2 = (1.0 - std::sqrt (2.0) * k + k * k) * norm;
            highPass[0].setCoefficients (c);
            highPass[1].setCoefficients (c);
        }
    }

    void process (float& left, float& right)
    {
        const double l = left, r = right;
        double a = l, b = r;
        if (settings.sidechainHighPassHz >= 20.0f)
        {
            a = highPass[0].process (l);
            b = highPass[1].process (r);
        }
        const bool midSide = settings.stereoMode == StereoMode::midSide;
        if (midSide)
        {
            const double m = 0.5 * (a + b), s = 0.5 * (a - b);
            a = m;
            b = s;
        }

        const double input[2] = { a, b };
        double wanted[2];
        for (int c = 0; c < 2; ++c)
        {
            const double squared = input[c] * input[c];
            meanSquare[c] = flushed (rmsCoeff * meanSquare[c] + (1.0 - rmsCoeff) * squared);
            const double level = settings.detection == DetectionMode::rms ? meanSquare[c] : squared;
            wanted[c] = level > 0.0 ? DynamicsProcessor::staticGainReductionDb (
                            10.0 * std::log10 (level), settings.thresholdDb, settings.ratio, settings.kneeDb)
                                    : 0.0;
        }
        const double link = settings.stereoLinkPct * 0.01, larger = std::max (wanted[0], wanted[1]);
        double gain[2];
        for (int c = 0; c < 2; ++c)
        {
            const double g = wanted[c] + link * (larger - wanted[c]);
            hold[c] = std::max (g, holdCoeff * hold[c] + (1.0 - holdCoeff) * g);
            const double slowCoeff = g > slow[c] ? slowAttackCoeff : slowReleaseCoeff;
            slow[c] = slowCoeff * slow[c] + (1.0 - slowCoeff) * g;
            const double held = settings.autoRelease ? std::max (hold[c], slow[c]) : hold[c];
            envelope[c] = attackCoeff * envelope[c] + (1.0 - attackCoeff) * held;
            hold[c] = flushed (hold[c]);
            slow[c] = flushed (slow[c]);
            envelope[c] = flushed (envelope[c]);
            gain[c] = std::pow (10.0, (settings.makeupDb - envelope[c]) / 20.0);
        }

        double outL = l * gain[0], outR = r * gain[1];
        if (midSide)
        {
            const double m = 0.5 * (l + r), s = 0.5 * (l - r);
            outL = gain[0] * m + gain[1] * s;
            outR = gain[0] * m - gain[1] * s;
        }
        const double wet = settings.mixPct * 0.01;
        left = (float) (wet * outL + (1.0 - wet) * l);
        right = (float) (wet * outR + (1.0 - wet) * r);
    }

private:
    static double flushed (double v) { return v < 1.0e-12 ? 0.0 : v; }

    DynamicsSettings settings;
    double rate;
    double attackCoeff = 0.0, holdCoeff = 0.0, slowAttackCoeff = 0.0, slowReleaseCoeff = 0.0, rmsCoeff = 0.0;
    double meanSquare[2] = {}, hold[2] = {}, slow[2] = {}, envelope[2] = {};
    crest::dsp::Biquad highPass[2];
};

std::vector<DynamicsSettings> variedSettings()
{
    std::vector<DynamicsSettings> all;
    DynamicsSettings s;
    s.thresholdDb = -20.0f; // the chain bench's: stereo, peak, linked, 6 dB knee
    s.ratio = 2.0f;
    s.kneeDb = 6.0f;
    all.push_back (s);

    s.thresholdDb = -28.0f;
    s.ratio = 3.0f;
    s.kneeDb = 12.0f;
    s.attackMs = 5.0f;
    s.releaseMs = 120.0f;
    s.autoRelease = true;
    s.detection = DetectionMode::rms;
    s.stereoLinkPct = 60.0f;
    s.stereoMode = StereoMode::midSide;
    s.sidechainHighPassHz = 90.0f;
    s.makeupDb = 4.0f;
    s.mixPct = 80.0f;
    all.push_back (s);

    s = DynamicsSettings {};
    s.thresholdDb = -24.0f;
    s.ratio = 4.0f;
    s.kneeDb = 0.0f;
    s.attackMs = 0.5f;
    s.releaseMs = 40.0f;
    s.autoRelease = true;
    s.detection = DetectionMode::rms;
    s.stereoLinkPct = 0.0f;
    s.makeupDb = -3.0f;
    s.mixPct = 50.0f;
    all.push_back (s);

    s = DynamicsSettings {};
    s.thresholdDb = -40.0f;
    s.ratio = 20.0f;
    s.kneeDb = 3.0f;
    s.attackMs = 30.0f;
    s.releaseMs = 800.0f;
    s.stereoMode = StereoMode::midSide;
    s.sidechainHighPassHz = 150.0f;
    all.push_back (s);
    return all;
}
} // namespace

TEST_CASE ("Compressor matches a plain double-precision model", "[dsp][dynamics]")
{
    const double rate = 44100.0;
    const auto music = crest::test::musicLike (rate, 2.0);
    Stereo input ((size_t) music.getNumSamples());
    std::copy (music.getReadPointer (0), music.getReadPointer (0) + music.getNumSamples(), input.left.begin());
    std::copy (music.getReadPointer (1), music.getReadPointer (1) + music.getNumSamples(), input.right.begin());

    int index = 0;
    for (const auto& s : variedSettings())
    {
        DynamicsProcessor p;
        p.prepare (rate, s);
        Stereo out = input;
        run (p, out, 441);

        PlainCompressor model (rate, s);
        Stereo expected = input;
        for (size_t i = 0; i < expected.size(); ++i)
            model.process (expected.left[i], expected.right[i]);

        double worst = 0.0;
        for (size_t i = 0; i < input.size(); ++i)
            worst = std::max ({ worst, (double) std::abs (out.left[i] - expected.left[i]),
                (double) std::abs (out.right[i] - expected.right[i]) });
        INFO ("settings " << index << ": largest difference " << worst);
        CHECK (worst < 1.0e-6); // a few float roundings: -120 dBFS
        if (printFigures())
            std::printf ("compressor settings %d against the plain model: %.1f dBFS\n", index,
                20.0 * std::log10 (std::max (worst, 1e-15)));
        ++index;
    }
}

TEST_CASE ("Four compressors as the lanes of one vector match four run alone", "[dsp][dynamics]")
{
    const double rate = 48000.0;
    const auto music = crest::test::musicLike (rate, 1.5);
    const int n = music.getNumSamples();

    for (auto mode : { StereoMode::stereo, StereoMode::midSide })
    {
        // Four different bands' worth of settings (no side-chain filter: bands never have one).
        std::vector<DynamicsSettings> settings;
        for (auto s : variedSettings())
        {
            s.sidechainHighPassHz = 0.0f;
            s.stereoMode = mode;
            settings.push_back (s);
        }

        crest::dsp::Crossover x;
        x.prepare (rate, 2, 4, crest::dsp::Crossover::Type::linkwitzRiley, { 120.0f, 1000.0f, 6000.0f });
        std::vector<double> records ((size_t) n * crest::dsp::Crossover::recordSize);
        const float* in[2] = { music.getReadPointer (0), music.getReadPointer (1) };
        x.processRecords (in, records.data(), n);

        DynamicsProcessor together[4], alone[4];
        DynamicsProcessor* group[4];
        for (int b = 0; b < 4; ++b)
        {
            together[b].prepare (rate, settings[(size_t) b]);
            alone[b].prepare (rate, settings[(size_t) b]);
            group[b] = &together[b];
        }
        CHECK (DynamicsProcessor::canProcessBandSum (group));

        Stereo sum ((size_t) n), expected ((size_t) n);
        std::vector<double> expectedL ((size_t) n, 0.0), expectedR ((size_t) n, 0.0);
        double worstReduction = 0.0;
        const int block = 500;
        for (int offset = 0; offset < n; offset += block)
        {
            const int count = std::min (block, n - offset);
            REQUIRE (
                DynamicsProcessor::processBandSum (group, records.data() + (size_t) offset * crest::dsp::Crossover::recordSize,
                    sum.left.data() + offset, sum.right.data() + offset, count));
            for (int b = 0; b < 4; ++b)
            {
                Stereo band ((size_t) count);
                for (int i = 0; i < count; ++i)
                {
                    const double* r = records.data() + (size_t) (offset + i) * crest::dsp::Crossover::recordSize;
                    band.left[(size_t) i] = (float) r[crest::dsp::Crossover::recordIndex (b, 0)];
                    band.right[(size_t) i] = (float) r[crest::dsp::Crossover::recordIndex (b, 1)];
                }
                alone[b].process (band.left.data(), band.right.data(), count);
                for (int i = 0; i < count; ++i)
                {
                    expectedL[(size_t) (offset + i)] += band.left[(size_t) i];
                    expectedR[(size_t) (offset + i)] += band.right[(size_t) i];
                }
                worstReduction
                    = std::max (worstReduction, (double) std::abs (together[b].gainReductionDb() - alone[b].gainReductionDb()));
            }
        }

        double worst = 0.0;
        for (size_t i = 0; i < (size_t) n; ++i)
            worst = std::max ({ worst, std::abs (sum.left[i] - expectedL[i]), std::abs (sum.right[i] - expectedR[i]) });
        INFO ((mode == StereoMode::midSide ? "mid/side" : "stereo") << ": largest difference " << worst);
        CHECK (worst < 1.0e-5); // the bands alone were rounded to float first
        CHECK (worstReduction < 1.0e-3);
    }

    // A gliding processor is left to run on its own.
    DynamicsProcessor p[4];
    DynamicsProcessor* group[4] = { &p[0], &p[1], &p[2], &p[3] };
    for (auto& q : p)
        q.prepare (rate, variedSettings()[0]);
    auto changed = variedSettings()[0];
    changed.thresholdDb = -10.0f;
    p[2].setSettings (changed);
    CHECK_FALSE (DynamicsProcessor::canProcessBandSum (group));
    std::vector<double> records (64 * crest::dsp::Crossover::recordSize, 0.1);
    Stereo out (64);
    CHECK_FALSE (DynamicsProcessor::processBandSum (group, records.data(), out.left.data(), out.right.data(), 64));
}
