// Equaliser band design and the linear-phase convolver: the digital sections follow their
// analog prototypes (within 0.1 dB to 20 kHz at 48 kHz and above, within stated bounds at
// 44.1 kHz), are stable and minimum phase; the convolver is symmetric, exactly timed and
// independent of the block size.

#include "AllocationCounter.h"
#include "dsp/EqualiserFilters.h"
#include "dsp/LinearPhaseConvolver.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <complex>
#include <limits>
#include <random>
#include <vector>

using namespace crest;
using dsp::EqBand;
using dsp::EqBandType;

namespace
{
constexpr double pi = 3.14159265358979323846;

const char* typeName (EqBandType t)
{
    static const char* names[] = { "off", "bell", "low shelf", "high shelf", "low cut", "high cut", "notch", "tilt" };
    return names[(int) t];
}

/** Which settings a grid search covers. */
struct Range
{
    double f0Max = 20000.0;
    double qMin = 0.1, qMax = 24.0;
    double gainMax = 24.0;
    int minSlope = 6;
    double floorDb = -100.0; ///< ignore frequencies where the target is deeper than this
    double f0StepOctaves = 1.0 / 3.0; ///< spacing of the centre/corner frequencies tried
    double evaluationStepOctaves = 1.0 / 12.0; ///< spacing of the frequencies compared
    double evaluationTop = 20000.0; ///< highest frequency compared (always included)
};

struct Worst
{
    double errorDb = 0.0;
    EqBand band;
    double frequency = 0.0;
};

/** The largest |digital - analog| in dB over 20 Hz .. evaluationTop for every band of a type
        on a grid of settings: f0 from 20 Hz in steps of f0StepOctaves (and f0Max itself), gains
        from 1 to 24 dB either way, Q from 0.1 to 24, every slope. */
Worst worstError (EqBandType type, double rate, const Range& range)
{
    std::vector<double> frequencies;
    for (double f = 20.0; f < range.evaluationTop; f *= std::exp2 (range.evaluationStepOctaves))
        frequencies.push_back (f);
    frequencies.push_back (range.evaluationTop);

    std::vector<double> f0s;
    for (double f = 20.0; f < range.f0Max; f *= std::exp2 (range.f0StepOctaves))
        f0s.push_back (f);
    f0s.push_back (range.f0Max);

    const bool cut = type == EqBandType::lowCut || type == EqBandType::highCut;
    const bool usesGain
        = type == EqBandType::bell || type == EqBandType::lowShelf || type == EqBandType::highShelf || type == EqBandType::tilt;
    const bool usesQ = ! cut && type != EqBandType::tilt;

    std::vector<double> gains { 0.0 }, qs { 0.7071 };
    std::vector<int> slopes { 12 };
    if (usesGain)
    {
        gains.clear();
        for (double g : { 1.0, 3.0, 6.0, 12.0, 18.0, 24.0 })
            if (g <= range.gainMax)
            {
                gains.push_back (g);
                gains.push_back (-g);
            }
    }
    if (usesQ)
    {
        qs.clear();
        for (double q : { 0.1, 0.2, 0.3, 0.5, 0.7071, 1.0, 1.4, 2.0, 3.0, 5.0, 7.0, 10.0, 15.0, 24.0 })
            if (q >= range.qMin && q <= range.qMax)
                qs.push_back (q);
    }
    if (cut)
    {
        slopes.clear();
        for (int s : { 6, 12, 18, 24, 36, 48 })
            if (s >= range.minSlope)
                slopes.push_back (s);
    }

    Worst worst;
    for (double f0 : f0s)
        for (double g : gains)
            for (double q : qs)
                for (int slope : slopes)
                {
                    EqBand band;
                    band.type = type;
                    band.frequencyHz = f0;
                    band.gainDb = g;
                    band.q = q;
                    band.slopeDbPerOctave = slope;
                    const auto cascade = dsp::designEqBand (band, rate);
                    for (double f : frequencies)
                    {
                        const double target = dsp::analogMagnitudeDb (band, f);
                        if (target < range.floorDb)
                            continue;
                        const double e = std::fabs (dsp::cascadeMagnitudeDb (cascade, rate, f) - target);
                        if (! (e <= worst.errorDb)) // also catches NaN
                        {
                            worst.errorDb = e;
                            worst.band = band;
                            worst.frequency = f;
                        }
                    }
                }
    return worst;
}

/** A 16 kHz, +12 dB, Q 1 bell: at 48 kHz the bilinear transform cramps it and one section
    cannot follow its upper skirt. */
EqBand highBell()
{
    EqBand band;
    band.type = EqBandType::bell;
    band.frequencyHz = 16000.0;
    band.gainDb = 12.0;
    band.q = 1.0;
    return band;
}

/** The largest |cascade - prototype| in dB from `from` to 20 kHz in 1/24 octaves. */
double worstAgainstPrototype (const dsp::EqCascade& cascade, const EqBand& band, double rate, double from)
{
    double worst = 0.0;
    for (double f = from; f <= 20000.0; f *= std::exp2 (1.0 / 24.0))
        worst = std::max (worst, std::fabs (dsp::cascadeMagnitudeDb (cascade, rate, f) - dsp::analogMagnitudeDb (band, f)));
    return worst;
}

std::string describe (const Worst& w)
{
    return std::string (typeName (w.band.type)) + ": worst " + std::to_string (w.errorDb) + " dB at "
        + std::to_string (w.frequency) + " Hz (f0 " + std::to_string (w.band.frequencyHz) + " Hz, gain "
        + std::to_string (w.band.gainDb) + " dB, Q " + std::to_string (w.band.q) + ", slope "
        + std::to_string (w.band.slopeDbPerOctave) + ")";
}

double largestRoot (double c0, double c1, double c2)
{
    if (c0 == 0.0)
        return 0.0;
    const auto d = std::sqrt (std::complex<double> (c1 * c1 - 4.0 * c0 * c2));
    return std::max (std::abs ((-c1 + d) / (2.0 * c0)), std::abs ((-c1 - d) / (2.0 * c0)));
}

/** The textbook bilinear-transform peaking filter (pre-warped at f0), for comparison. */
double bilinearBellDb (double rate, double f0, double gainDb, double q, double f)
{
    const double a = std::pow (10.0, gainDb / 40.0), w0 = 2.0 * pi * f0 / rate, alpha = std::sin (w0) / (2.0 * q);
    dsp::EqCascade c;
    c.numSections = 1;
    const double a0 = 1.0 + alpha / a;
    c.sections[0] = { (1.0 + alpha * a) / a0, -2.0 * std::cos (w0) / a0, (1.0 - alpha * a) / a0, -2.0 * std::cos (w0) / a0,
        (1.0 - alpha / a) / a0 };
    return dsp::cascadeMagnitudeDb (c, rate, f);
}

std::vector<float> noise (int n, unsigned seed)
{
    std::mt19937 generator (seed);
    std::normal_distribution<float> d (0.0f, 0.1f);
    std::vector<float> v ((size_t) n);
    for (auto& x : v)
        x = d (generator);
    return v;
}

void runInBlocks (dsp::LinearPhaseConvolver& c, std::vector<float>& l, std::vector<float>& r, int block)
{
    for (size_t i = 0; i < l.size(); i += (size_t) block)
    {
        const int n = (int) std::min ((size_t) block, l.size() - i);
        c.process (l.data() + i, r.data() + i, n);
    }
}

/** A convolver loaded with a bell (1 kHz, +6 dB, Q 1) on both channels. */
void loadBell (dsp::LinearPhaseConvolver& c, double rate, bool immediately)
{
    EqBand band;
    band.type = EqBandType::bell;
    band.frequencyHz = 1000.0;
    band.gainDb = 6.0;
    band.q = 1.0;
    const dsp::AnalogEqResponse response (band);
    double* s = c.designSpectrum (0, 0);
    for (int k = 0; k <= c.designSize() / 2; ++k)
        s[k] = std::sqrt (response.magnitudeSquared (k * rate / c.designSize()));
    c.commitDesign (dsp::LinearPhaseConvolver::Layout::shared, immediately);
}

double dftMagnitudeDb (const std::vector<float>& x, double rate, double f)
{
    double re = 0.0, im = 0.0;
    for (size_t i = 0; i < x.size(); ++i)
    {
        const double phase = -2.0 * pi * f * (double) i / rate;
        re += x[i] * std::cos (phase);
        im += x[i] * std::sin (phase);
    }
    return 10.0 * std::log10 (re * re + im * im);
}
} // namespace

TEST_CASE ("Every band type follows its analog prototype within 0.1 dB at 192 kHz", "[dsp][eq]")
{
    // The whole range: f0 20 Hz - 20 kHz, +/-24 dB, Q 0.1 - 24, every slope, wherever the
    // target is above -100 dB (cuts and notches included deep into their stop band).
    for (auto type : { EqBandType::bell, EqBandType::lowShelf, EqBandType::highShelf, EqBandType::lowCut, EqBandType::highCut,
             EqBandType::notch, EqBandType::tilt })
    {
        const auto w = worstError (type, 192000.0, {});
        INFO (describe (w));
        CHECK (w.errorDb < 0.1);
    }
}

TEST_CASE ("At 48 kHz typical mastering moves stay within 0.1 dB of the analog prototype", "[dsp][eq]")
{
    // Where the response has already settled well below Nyquist, 48 kHz is as exact as 192.
    struct Case
    {
        EqBandType type;
        Range range;
    };
    const Case cases[] = {
        { EqBandType::bell, { 2000.0, 0.5, 10.0, 12.0, 6, -100.0 } },
        { EqBandType::lowShelf, { 2000.0, 0.3, 2.0, 12.0, 6, -100.0 } },
        { EqBandType::highShelf, { 2000.0, 0.3, 2.0, 12.0, 6, -100.0 } },
        { EqBandType::lowCut, { 8000.0, 0.1, 24.0, 24.0, 6, -60.0 } },
        { EqBandType::highCut, { 2000.0, 0.1, 24.0, 24.0, 12, -30.0 } }, // stop band below -30 dB: up to 0.22 dB
        { EqBandType::notch, { 4000.0, 0.5, 24.0, 24.0, 6, -60.0 } },
        { EqBandType::tilt, { 4000.0, 0.1, 24.0, 24.0, 6, -100.0 } },
    };
    for (const auto& c : cases)
    {
        const auto w = worstError (c.type, 48000.0, c.range);
        INFO (describe (w));
        CHECK (w.errorDb < 0.1);
    }
}

TEST_CASE ("At 48 kHz every setting follows its analog prototype within 0.1 dB up to 20 kHz", "[dsp][eq]")
{
    // f0 20 Hz - 20 kHz, +/-24 dB, Q 0.1 - 24, all slopes, targets above -60 dB. A single
    // section cannot do this (its response must level off at Nyquist while the analog one is
    // still moving at 20 kHz: 0.5 - 2.6 dB off); the band section paired with the top section
    // can. The worst cases are the resonant (Q 24) shelves, at about 0.096 dB.
    for (auto type : { EqBandType::bell, EqBandType::lowShelf, EqBandType::highShelf, EqBandType::lowCut, EqBandType::highCut,
             EqBandType::notch, EqBandType::tilt })
    {
        Range range;
        range.f0Max = 20000.0;
        range.floorDb = -60.0;
        const auto w = worstError (type, 48000.0, range);
        INFO (describe (w));
        CHECK (w.errorDb < 0.1);
    }
}

TEST_CASE ("Without the top section a band is its single-section design", "[dsp][eq]")
{
    // The cheap design (for dynamic bands): same structure (an identity top section, so the
    // module can glide between designs), the single-section accuracy.
    const auto band = highBell();
    const auto full = dsp::designEqBand (band, 48000.0), cheap = dsp::designEqBand (band, 48000.0, false);
    REQUIRE (full.numSections == 2);
    REQUIRE (cheap.numSections == 2);
    const auto& top = cheap.sections[1];
    CHECK ((top.b0 == 1.0 && top.b1 == 0.0 && top.b2 == 0.0 && top.a1 == 0.0 && top.a2 == 0.0));
    const double worstFull = worstAgainstPrototype (full, band, 48000.0, 20.0);
    const double worstCheap = worstAgainstPrototype (cheap, band, 48000.0, 20.0);
    INFO ("with the top section " << worstFull << " dB, without " << worstCheap << " dB");
    CHECK (worstFull < 0.05);
    CHECK (worstCheap > 0.1);
    CHECK (worstCheap < 0.6);
}

TEST_CASE ("The matched design does not cramp where the bilinear transform does", "[dsp][eq]")
{
    // A 16 kHz bell at 48 kHz: the bilinear transform squeezes its upper skirt into Nyquist.
    const auto band = highBell();
    const double worstMatched = worstAgainstPrototype (dsp::designEqBand (band, 48000.0), band, 48000.0, 1000.0);
    double worstBilinear = 0.0;
    for (double f = 1000.0; f <= 20000.0; f *= std::exp2 (1.0 / 12.0))
    {
        const double target = dsp::analogMagnitudeDb (band, f);
        worstBilinear = std::max (worstBilinear, std::fabs (bilinearBellDb (48000.0, 16000.0, 12.0, 1.0, f) - target));
    }
    INFO ("matched " << worstMatched << " dB, bilinear " << worstBilinear << " dB");
    CHECK (worstBilinear > 3.0);
    CHECK (worstMatched < 0.05);
}

TEST_CASE ("Band sections are stable and minimum phase at every rate", "[dsp][eq]")
{
    for (double rate : { 44100.0, 48000.0, 96000.0, 192000.0 })
        for (int t = 1; t <= 7; ++t)
            for (double f0 = 10.0; f0 <= 0.48 * rate; f0 *= 1.5)
                for (double g : { -24.0, -6.0, 0.5, 12.0, 24.0 })
                    for (double q : { 0.1, 0.7071, 3.0, 24.0 })
                        for (int slope : { 6, 18, 48 })
                        {
                            EqBand band;
                            band.type = (EqBandType) t;
                            band.frequencyHz = f0;
                            band.gainDb = g;
                            band.q = q;
                            band.slopeDbPerOctave = slope;
                            const auto cascade = dsp::designEqBand (band, rate);
                            REQUIRE (cascade.numSections >= 1);
                            for (int i = 0; i < cascade.numSections; ++i)
                            {
                                const auto& c = cascade.sections[(size_t) i];
                                INFO (typeName (band.type) << " at " << rate << " Hz: f0 " << f0 << " gain " << g << " Q " << q);
                                REQUIRE (std::isfinite (c.b0 + c.b1 + c.b2 + c.a1 + c.a2));
                                CHECK (largestRoot (1.0, c.a1, c.a2) < 1.0);
                                // Zeros may sit on the circle only where the prototype has them
                                // there: a cut's zeros at DC or Nyquist, a notch's at its centre.
                                CHECK (largestRoot (c.b0, c.b1, c.b2) <= 1.0 + 1.0e-9);
                            }
                        }
}

TEST_CASE ("A cut is the exact mirror of the same boost", "[dsp][eq]")
{
    for (auto type : { EqBandType::bell, EqBandType::lowShelf, EqBandType::highShelf, EqBandType::tilt })
        for (double f0 : { 50.0, 1000.0, 12000.0 })
        {
            EqBand boost;
            boost.type = type;
            boost.frequencyHz = f0;
            boost.gainDb = 9.0;
            boost.q = 2.0;
            auto cut = boost;
            cut.gainDb = -9.0;
            const auto up = dsp::designEqBand (boost, 48000.0), down = dsp::designEqBand (cut, 48000.0);
            for (double f : { 30.0, 300.0, 3000.0, 20000.0 })
                CHECK (dsp::cascadeMagnitudeDb (up, 48000.0, f) + dsp::cascadeMagnitudeDb (down, 48000.0, f)
                    == Approx (0.0).margin (1e-9));
        }
}

TEST_CASE ("Butterworth cuts have the right section Qs, -3 dB corners and slopes", "[dsp][eq]")
{
    CHECK (dsp::butterworthSectionQ (2, 0) == Approx (0.70710678));
    CHECK (dsp::butterworthSectionQ (3, 0) == Approx (1.0));
    CHECK (dsp::butterworthSectionQ (4, 0) == Approx (0.54119610));
    CHECK (dsp::butterworthSectionQ (4, 1) == Approx (1.30656296));
    CHECK (dsp::butterworthSectionQ (8, 3) == Approx (2.56291545));

    for (int slope : { 6, 12, 18, 24, 36, 48 })
    {
        EqBand low;
        low.type = EqBandType::lowCut;
        low.frequencyHz = 200.0;
        low.slopeDbPerOctave = slope;
        auto high = low;
        high.type = EqBandType::highCut;
        high.frequencyHz = 2000.0;
        const auto lowCascade = dsp::designEqBand (low, 96000.0), highCascade = dsp::designEqBand (high, 96000.0);
        CHECK (lowCascade.numSections == (slope / 6 + 1) / 2 + 1); // and the top section
        CHECK (dsp::cascadeMagnitudeDb (lowCascade, 96000.0, 200.0) == Approx (-3.0103).margin (0.01));
        CHECK (dsp::cascadeMagnitudeDb (highCascade, 96000.0, 2000.0) == Approx (-3.0103).margin (0.01));
        // Two and three octaves into the stop band: the nominal slope.
        const double lowSlope
            = dsp::cascadeMagnitudeDb (lowCascade, 96000.0, 50.0) - dsp::cascadeMagnitudeDb (lowCascade, 96000.0, 25.0);
        const double highSlope
            = dsp::cascadeMagnitudeDb (highCascade, 96000.0, 8000.0) - dsp::cascadeMagnitudeDb (highCascade, 96000.0, 16000.0);
        CHECK (lowSlope == Approx (slope).margin (0.05 * slope));
        CHECK (highSlope == Approx (slope).margin (0.05 * slope));
    }
}

TEST_CASE ("Band design is realtime-safe: no allocation", "[dsp][eq][realtime]")
{
    EqBand band;
    band.type = EqBandType::highCut;
    band.slopeDbPerOctave = 48;
    double sink = 0.0;
    test::AllocationCounter allocations;
    for (int t = 1; t <= 7; ++t)
    {
        band.type = (EqBandType) t;
        for (double f = 20.0; f < 20000.0; f *= 1.5)
        {
            band.frequencyHz = f;
            band.gainDb = 6.0;
            sink += dsp::designEqBand (band, 48000.0).sections[0].b0;
            sink += dsp::designSidechainFilter (band, 48000.0).b0;
            sink += dsp::AnalogEqResponse (band).magnitudeSquared (1000.0);
        }
    }
    CHECK (allocations.count() == 0);
    CHECK (std::isfinite (sink));
}

TEST_CASE ("Linear-phase convolver: symmetric impulse response centred on its latency", "[dsp][eq]")
{
    dsp::LinearPhaseConvolver convolver;
    convolver.prepare (4095, 128);
    CHECK (convolver.latencySamples() == 128 + 2047);
    loadBell (convolver, 48000.0, true);

    for (int block : { 1, 100, 128, 1000 })
    {
        convolver.reset();
        std::vector<float> l (12000, 0.0f), r (12000, 0.0f);
        l[50] = 1.0f;
        r[50] = 1.0f;
        runInBlocks (convolver, l, r, block);

        const int centre = 50 + convolver.latencySamples();
        int peak = 0;
        for (int i = 0; i < (int) l.size(); ++i)
            if (std::fabs (l[(size_t) i]) > std::fabs (l[(size_t) peak]))
                peak = i;
        CHECK (peak == centre);
        double asymmetry = 0.0, outside = 0.0;
        for (int k = 1; k <= 2047; ++k)
            asymmetry = std::max (asymmetry, (double) std::fabs (l[(size_t) (centre + k)] - l[(size_t) (centre - k)]));
        for (int i = 0; i < (int) l.size(); ++i)
            if (std::abs (i - centre) > 2047)
                outside = std::max (outside, (double) std::fabs (l[(size_t) i]));
        CHECK (asymmetry < 1.0e-6);
        CHECK (outside < 1.0e-6);
        CHECK (r == l);

        // The reported taps are the filter that actually runs.
        const auto taps = convolver.currentTaps (0, 0);
        REQUIRE (taps.size() == 4095);
        double tapError = 0.0;
        for (int k = 0; k < 4095; ++k)
            tapError = std::max (tapError, (double) std::fabs (taps[(size_t) k] - l[(size_t) (centre - 2047 + k)]));
        CHECK (tapError < 1.0e-6);

        // The magnitude is the bell's.
        const std::vector<float> ir (l.begin() + centre - 2047, l.begin() + centre + 2048);
        for (double f : { 100.0, 500.0, 1000.0, 2000.0, 8000.0, 20000.0 })
        {
            EqBand bell;
            bell.type = EqBandType::bell;
            bell.frequencyHz = 1000.0;
            bell.gainDb = 6.0;
            bell.q = 1.0;
            CHECK (dftMagnitudeDb (ir, 48000.0, f) == Approx (dsp::analogMagnitudeDb (bell, f)).margin (0.05));
        }
    }
}

TEST_CASE ("Linear-phase convolver: the identity filter is a bit-exact delay", "[dsp][eq]")
{
    dsp::LinearPhaseConvolver convolver;
    convolver.prepare (1023, 64);
    auto l = noise (20000, 1), r = noise (20000, 2);
    const auto inL = l, inR = r;
    runInBlocks (convolver, l, r, 333);
    const int latency = convolver.latencySamples();
    bool exact = true;
    for (size_t i = 0; i < l.size(); ++i)
    {
        const float expectedL = i >= (size_t) latency ? inL[i - (size_t) latency] : 0.0f;
        const float expectedR = i >= (size_t) latency ? inR[i - (size_t) latency] : 0.0f;
        exact = exact && l[i] == expectedL && r[i] == expectedR;
    }
    CHECK (exact);
}

TEST_CASE ("Linear-phase convolver: output does not depend on the block size, also across a filter change", "[dsp][eq]")
{
    std::vector<std::vector<float>> outputs;
    for (int block : { 32, 441, 4096 })
    {
        dsp::LinearPhaseConvolver convolver;
        convolver.prepare (4095, 256);
        loadBell (convolver, 48000.0, true);
        auto l = noise (48000, 3), r = noise (48000, 4);
        // Change the filter at the same sample position in every run (a multiple of all three
        // block sizes would be too far; split the run instead).
        std::vector<float> l1 (l.begin(), l.begin() + 20000), r1 (r.begin(), r.begin() + 20000);
        std::vector<float> l2 (l.begin() + 20000, l.end()), r2 (r.begin() + 20000, r.end());
        runInBlocks (convolver, l1, r1, block);
        REQUIRE (convolver.readyForDesign());
        double* s = convolver.designSpectrum (0, 0);
        for (int k = 0; k <= convolver.designSize() / 2; ++k)
            s[k] = 0.5;
        convolver.commitDesign (dsp::LinearPhaseConvolver::Layout::shared);
        CHECK_FALSE (convolver.readyForDesign());
        runInBlocks (convolver, l2, r2, block);
        l1.insert (l1.end(), l2.begin(), l2.end());
        outputs.push_back (l1);
    }
    CHECK (outputs[0] == outputs[1]);
    CHECK (outputs[0] == outputs[2]);
}

TEST_CASE ("Linear-phase convolver: non-finite input does not poison later output", "[dsp][eq]")
{
    dsp::LinearPhaseConvolver convolver;
    convolver.prepare (2047, 128);
    loadBell (convolver, 48000.0, true);
    auto l = noise (30000, 5), r = noise (30000, 6);
    l[5000] = std::numeric_limits<float>::quiet_NaN();
    r[5001] = std::numeric_limits<float>::infinity();
    runInBlocks (convolver, l, r, 512);
    bool finite = true;
    for (size_t i = 0; i < l.size(); ++i)
        finite = finite && std::isfinite (l[i]) && std::isfinite (r[i]);
    CHECK (finite);
    // Well after the bad frame has left the delay line the output is normal programme again.
    double energy = 0.0;
    for (size_t i = 20000; i < l.size(); ++i)
        energy += (double) l[i] * l[i];
    CHECK (energy > 1.0);
}

TEST_CASE ("Worst error against the analog prototype per band type at every rate", "[dsp][equaliser][accuracy]")
{
    // Every setting the module accepts: f0 in sixth octaves from 20 Hz up to its ceiling (0.48
    // of the rate, at most 40 kHz), +/-24 dB, Q 0.1 - 24, every slope; compared in 1/48
    // octaves from 20 Hz to 20 kHz or 0.45 of the rate, wherever the target is above -60 dB.
    //
    // Issue 3 asks for 0.1 dB at 48 and 192 kHz. The bounds below are the measured worst cases
    // plus a small margin, so they also catch regressions. At 44.1 kHz, where Nyquist is only
    // 2 kHz above the audible band, three extremes land just above 0.1 dB: a Q 24 shelf whose
    // upper resonance sits at 20-22 kHz (0.114), a low cut with its corner at 20.5 kHz (0.102),
    // and the widest notch centred at 21 kHz (0.093). A single section was 0.5 - 11 dB off.
    struct Case
    {
        double rate;
        EqBandType type;
        double f0Max; ///< 0: the module's ceiling at this rate
        double boundDb;
    };
    const Case cases[] = {
        { 192000.0, EqBandType::bell, 0.0, 0.01 },
        { 192000.0, EqBandType::lowShelf, 0.0, 0.01 },
        { 192000.0, EqBandType::highShelf, 0.0, 0.01 },
        { 192000.0, EqBandType::lowCut, 0.0, 0.01 },
        { 192000.0, EqBandType::highCut, 0.0, 0.01 },
        { 192000.0, EqBandType::notch, 0.0, 0.01 },
        { 192000.0, EqBandType::tilt, 0.0, 0.01 },
        { 96000.0, EqBandType::bell, 0.0, 0.03 },
        { 96000.0, EqBandType::lowShelf, 0.0, 0.03 },
        { 96000.0, EqBandType::highShelf, 0.0, 0.03 },
        { 96000.0, EqBandType::lowCut, 0.0, 0.03 },
        { 96000.0, EqBandType::highCut, 0.0, 0.03 },
        { 96000.0, EqBandType::notch, 0.0, 0.03 },
        { 96000.0, EqBandType::tilt, 0.0, 0.03 },
        { 48000.0, EqBandType::bell, 0.0, 0.1 },
        { 48000.0, EqBandType::lowShelf, 0.0, 0.1 },
        { 48000.0, EqBandType::highShelf, 0.0, 0.1 },
        { 48000.0, EqBandType::lowCut, 0.0, 0.1 },
        { 48000.0, EqBandType::highCut, 0.0, 0.1 },
        { 48000.0, EqBandType::notch, 0.0, 0.1 },
        { 48000.0, EqBandType::tilt, 0.0, 0.1 },
        { 44100.0, EqBandType::bell, 0.0, 0.07 },
        { 44100.0, EqBandType::lowShelf, 0.0, 0.12 },
        { 44100.0, EqBandType::highShelf, 0.0, 0.12 },
        { 44100.0, EqBandType::lowCut, 0.0, 0.11 },
        { 44100.0, EqBandType::highCut, 0.0, 0.06 },
        { 44100.0, EqBandType::notch, 0.0, 0.1 },
        { 44100.0, EqBandType::tilt, 0.0, 0.01 },
    };
    for (const auto& c : cases)
    {
        Range range;
        range.f0Max = c.f0Max > 0.0 ? c.f0Max : std::min (0.48 * c.rate, 40000.0);
        range.f0StepOctaves = 1.0 / 6.0;
        range.evaluationStepOctaves = 1.0 / 48.0;
        range.evaluationTop = std::min (0.45 * c.rate, 20000.0);
        range.floorDb = -60.0;
        const auto w = worstError (c.type, c.rate, range);
        INFO (c.rate << " Hz, f0 up to " << range.f0Max << " Hz, " << describe (w));
        CHECK (w.errorDb < c.boundDb);
    }
}
