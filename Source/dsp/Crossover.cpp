#include "dsp/ReproducibleFloat.h" // first: see there

#include "dsp/Crossover.h"

#include "dsp/FftwPlanner.h"
#include "dsp/VectorDispatch.h"

#include "dsp/FirDesign.h"

#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <vector>

namespace crest::dsp
{
namespace
{
    constexpr double pi = 3.14159265358979323846;
    constexpr double butterworthQ = 0.70710678118654752;
    constexpr double minimumFrequency = 10.0;

    /** Stop-band attenuation of the linear-phase low-passes. Leakage between bands at this
        level is inaudible after compression, and the sum is exact whatever it is. */
    constexpr double linearPhaseAttenuationDb = 60.0;

    /** FFTW's planner is not thread-safe; every plan is made and destroyed under this lock. */
    /** 1 up to 50 kHz, 2 up to 100 kHz, 4 up to 200 kHz, 8 above: filter lengths scale with
        the rate so that the transition bands stay about 80 Hz wide at any rate. */
    int rateFactor (double sampleRate) noexcept
    {
        int factor = 1;
        while (factor < 8 && sampleRate > 50000.0 * factor)
            factor *= 2;
        return factor;
    }

    using Complex = std::complex<float>;

    using vec::load;
    using vec::M4;
    using vec::store;
    using vec::V4;

    /** x, or 0 for an infinity or NaN (a non-finite value would never leave the filters'
        memory); decided on the exponent bits, without a branch. */
    inline double finiteOrZero (float x) noexcept
    {
        uint32_t bits;
        std::memcpy (&bits, &x, sizeof (bits));
        return (bits & 0x7f800000u) == 0x7f800000u ? 0.0 : (double) x;
    }

    /*  The Linkwitz-Riley tree as steps of four lanes: lanes 0 and 1 hold two sections (two
        "kinds") for channel 0, lanes 2 and 3 the same for channel 1, so that handing a kind's
        output on to the next step never crosses the vectors' 128-bit halves (one cycle, where
        a crossing costs three or four on the chain every sample passes). Every band is a
        cascade: band 0 = LP0 LP0 AP1 AP2, band 1 = HP0 HP0 LP1 LP1 AP2, band 2 = HP0 HP0 HP1
        HP1 LP2 LP2, band 3 = HP0 HP0 HP1 HP1 HP2 HP2 (LPk, HPk: Butterworth sections at split
        k; APk: its all-pass). Sections in a cascade commute, so the all-passes go wherever a
        step has room. With three splits (kinds 0 | 1):

          step 0: HP0 | LP0      on the input
          step 1: HP0 | LP0      on step 0
          step 2: HP1 | LP1      on step 1's HP, both kinds
          step 3: HP1 | LP1      on step 2
          step 4: HP2 | LP2      on step 3's HP, both kinds
          step 5: AP2 | AP1      on step 3's LP (band 1) | step 1's LP (band 0)
          step 6: HP2 | LP2      on step 4: bands 3 | 2
          step 7: AP2 | AP2      on step 5's AP1 (band 0), duplicated

        With two splits: steps 0 to 3 as above (step 3 gives bands 2 | 1), and step 4 is
        AP1 | AP1 on step 1's LP (band 0). With one split: steps 0 and 1 (bands 1 | 0). */
    struct LaneKind
    {
        int split;
        StateVariableSection::Output output;
    };

    constexpr int stepCount (int numSplits) noexcept
    {
        return numSplits == 1 ? 2 : (numSplits == 2 ? 5 : 8);
    }

    using Out = StateVariableSection::Output;
    constexpr LaneKind routes[3][8][2] = {
        { { { 0, Out::high }, { 0, Out::low } }, { { 0, Out::high }, { 0, Out::low } } },
        { { { 0, Out::high }, { 0, Out::low } }, { { 0, Out::high }, { 0, Out::low } }, { { 1, Out::high }, { 1, Out::low } },
            { { 1, Out::high }, { 1, Out::low } }, { { 1, Out::allPass }, { 1, Out::allPass } } },
        { { { 0, Out::high }, { 0, Out::low } }, { { 0, Out::high }, { 0, Out::low } }, { { 1, Out::high }, { 1, Out::low } },
            { { 1, Out::high }, { 1, Out::low } }, { { 2, Out::high }, { 2, Out::low } },
            { { 2, Out::allPass }, { 1, Out::allPass } }, { { 2, Out::high }, { 2, Out::low } },
            { { 2, Out::allPass }, { 2, Out::allPass } } },
    };

    /** The tree over n <= inputChunk samples. Per sample, sink (i, r0, r1) receives the bands
        in record order: r0 = band 0, band 1 of channel 0, then of channel 1; r1 the same for
        bands 2 and 3 (zero where unused). channel1Scale is 0 for one channel, so that the
        second channel's lanes rest at zero. lanes is scratch for the input, four per sample. */
    template <int numSplits, bool direct, class Sink>
    CREST_WIDE_VECTOR_CLONES void runLinkwitzRiley (const SectionStep* c, SectionState* state, const float* in0, const float* in1,
        double channel1Scale, double* lanes, int n, Sink& sink) noexcept
    {
        // The input first, in the lanes of step 0 (x0, x0, x1, x1), so that the loop below
        // starts every sample with one load rather than a chain of conversions.
        for (int i = 0; i < n; ++i)
        {
            const double x0 = finiteOrZero (in0[i]), x1 = finiteOrZero (in1[i]) * channel1Scale;
            lanes[4 * i] = lanes[4 * i + 1] = x0;
            lanes[4 * i + 2] = lanes[4 * i + 3] = x1;
        }

        constexpr int numSteps = stepCount (numSplits);
        V4 ic1[numSteps], ic2[numSteps];
        for (int s = 0; s < numSteps; ++s)
        {
            ic1[s] = load (state[s].s1);
            ic2[s] = load (state[s].s2);
        }
        // Steps are either high | low (the two sections of each split) or all-passes, which
        // in direct form have a cheaper formula of their own.
        const auto step = [] (const SectionStep& k, V4& a, V4& b, const V4& x)
        {
            if constexpr (direct)
                return k.direct (a, b, x);
            else
                return k.stateVariable (a, b, x);
        };
        const auto allPassStep = [] (const SectionStep& k, V4& a, V4& b, const V4& x)
        {
            if constexpr (direct)
                return k.directAllPass (a, b, x);
            else
                return k.stateVariable (a, b, x);
        };

        const V4 zero {};
        for (int i = 0; i < n; ++i)
        {
            const V4 y1 = step (c[1], ic1[1], ic2[1], step (c[0], ic1[0], ic2[0], load (lanes + 4 * i)));
            V4 r0, r1;
            if constexpr (numSplits == 1)
            {
                r0 = vec::shuffle (y1, M4 { 1, 0, 3, 2 });
                r1 = zero;
            }
            else
            {
                const V4 y3 = step (c[3], ic1[3], ic2[3], step (c[2], ic1[2], ic2[2], vec::shuffle (y1, M4 { 0, 0, 2, 2 })));
                if constexpr (numSplits == 2)
                {
                    const V4 y4 = allPassStep (c[4], ic1[4], ic2[4], vec::shuffle (y1, M4 { 1, 1, 3, 3 }));
                    r0 = vec::shuffle (y4, y3, M4 { 0, 5, 2, 7 });
                    r1 = vec::shuffle (y3, zero, M4 { 0, 4, 2, 6 });
                }
                else
                {
                    const V4 y4 = step (c[4], ic1[4], ic2[4], vec::shuffle (y3, M4 { 0, 0, 2, 2 }));
                    const V4 y5 = allPassStep (c[5], ic1[5], ic2[5], vec::shuffle (y3, y1, M4 { 1, 5, 3, 7 }));
                    const V4 y6 = step (c[6], ic1[6], ic2[6], y4);
                    const V4 y7 = allPassStep (c[7], ic1[7], ic2[7], vec::shuffle (y5, M4 { 1, 1, 3, 3 }));
                    r0 = vec::shuffle (y7, y5, M4 { 0, 4, 2, 6 });
                    r1 = vec::shuffle (y6, M4 { 1, 0, 3, 2 });
                }
            }
            sink (i, r0, r1);
        }

        for (int s = 0; s < numSteps; ++s)
        {
            store (state[s].s1, ic1[s]);
            store (state[s].s2, ic2[s]);
        }
    }
} // namespace

//==============================================================================
struct Crossover::LinearPhase
{
    LinearPhase (double sampleRate, int channels, int filterCount)
        : rate (sampleRate), numChannels (channels), numFilters (filterCount), length (linearPhaseFilterLength (sampleRate)),
          partition (linearPhasePartitionSize (sampleRate)), fftSize (2 * partition), bins (partition + 1),
          delay ((length - 1) / 2)
    {
        numPartitions = (length + partition - 1) / partition;

        {
            std::lock_guard<std::mutex> lock (fftwPlannerMutex());
            timeIn = fftwf_alloc_real ((size_t) fftSize);
            freqOut = fftwf_alloc_complex ((size_t) bins);
            freqIn = fftwf_alloc_complex ((size_t) bins);
            timeOut = fftwf_alloc_real ((size_t) fftSize);
            forward = fftwf_plan_dft_r2c_1d (fftSize, timeIn, freqOut, FFTW_ESTIMATE);
            inverse = fftwf_plan_dft_c2r_1d (fftSize, freqIn, timeOut, FFTW_ESTIMATE);
        }

        window.resize ((size_t) length);
        const double beta = kaiserBetaForAttenuation (linearPhaseAttenuationDb);
        const double i0Beta = besselI0 (beta);
        for (int n = 0; n < length; ++n)
        {
            const double r = (double) (n - delay) / (double) delay;
            window[(size_t) n] = besselI0 (beta * std::sqrt (std::max (0.0, 1.0 - r * r))) / i0Beta;
        }
        taps.resize ((size_t) length);

        const size_t spectrumSize = (size_t) numFilters * (size_t) numPartitions * (size_t) bins;
        spectra[0].assign (spectrumSize, Complex {});
        spectra[1].assign (spectrumSize, Complex {});

        historySize = 1;
        while (historySize < delay + 2 * partition)
            historySize *= 2;

        for (int c = 0; c < numChannels; ++c)
        {
            auto& ch = channel[c];
            ch.inputBlock.assign ((size_t) fftSize, 0.0f);
            ch.delayLine.assign ((size_t) numPartitions * (size_t) bins, Complex {});
            ch.history.assign ((size_t) historySize, 0.0f);
            ch.outputs.assign ((size_t) (numFilters + 1) * (size_t) partition, 0.0f);
        }
        lows.assign ((size_t) numFilters * (size_t) partition, 0.0f);
        fadeScratch.assign ((size_t) partition, 0.0f);
    }

    ~LinearPhase()
    {
        std::lock_guard<std::mutex> lock (fftwPlannerMutex());
        fftwf_destroy_plan (forward);
        fftwf_destroy_plan (inverse);
        fftwf_free (timeIn);
        fftwf_free (freqOut);
        fftwf_free (freqIn);
        fftwf_free (timeOut);
    }

    void reset() noexcept
    {
        for (int c = 0; c < numChannels; ++c)
        {
            auto& ch = channel[c];
            std::fill (ch.inputBlock.begin(), ch.inputBlock.end(), 0.0f);
            std::fill (ch.delayLine.begin(), ch.delayLine.end(), Complex {});
            std::fill (ch.history.begin(), ch.history.end(), 0.0f);
            std::fill (ch.outputs.begin(), ch.outputs.end(), 0.0f);
        }
        position = 0;
        head = 0;
        samplesIn = 0;
    }

    Complex* spectrum (int set, int filter, int part) noexcept
    {
        return spectra[set].data() + ((size_t) filter * (size_t) numPartitions + (size_t) part) * (size_t) bins;
    }

    /** Designs low-pass `filter` at `frequency` into spectrum set `set`. No allocation. */
    void design (int set, int filter, double frequency) noexcept
    {
        // Windowed sinc. The sine is advanced by rotation rather than evaluated per tap:
        // cheap enough to redesign on the audio thread while a crossover is being moved.
        const double w = 2.0 * pi * frequency / rate;
        const double cosW = std::cos (w), sinW = std::sin (w);
        double s = std::sin (-w * delay), c = std::cos (-w * delay);
        double sum = 0.0;
        for (int n = 0; n < length; ++n)
        {
            const int t = n - delay;
            const double sinc = t == 0 ? w / pi : s / (pi * t);
            taps[(size_t) n] = sinc * window[(size_t) n];
            sum += taps[(size_t) n];
            const double s2 = s * cosW + c * sinW;
            c = c * cosW - s * sinW;
            s = s2;
        }

        // Unity gain at DC, and the inverse FFT's missing 1 / N folded in.
        const double scale = 1.0 / (sum * fftSize);
        for (int p = 0; p < numPartitions; ++p)
        {
            std::fill (timeIn, timeIn + fftSize, 0.0f);
            for (int n = 0; n < partition; ++n)
            {
                const int tap = p * partition + n;
                if (tap < length)
                    timeIn[n] = (float) (taps[(size_t) tap] * scale);
            }
            fftwf_execute (forward);
            std::copy (reinterpret_cast<const Complex*> (freqOut), reinterpret_cast<const Complex*> (freqOut) + bins,
                spectrum (set, filter, p));
        }
    }

    void designAll (const std::array<float, 3>& frequencies) noexcept
    {
        for (int f = 0; f < numFilters; ++f)
            design (current, f, frequencies[(size_t) f]);
        designed = wanted = frequencies;
    }

    /** One low-pass output for the newest partition of a channel into `out` (partition samples). */
    void convolve (int c, int set, int filter, float* out) noexcept
    {
        auto* acc = reinterpret_cast<Complex*> (freqIn);
        std::fill (acc, acc + bins, Complex {});
        const auto& ch = channel[c];
        for (int p = 0; p < numPartitions; ++p)
        {
            const int slot = (head - p + numPartitions) % numPartitions;
            const Complex* x = ch.delayLine.data() + (size_t) slot * (size_t) bins;
            const Complex* h = spectrum (set, filter, p);
            for (int k = 0; k < bins; ++k)
                acc[k] += x[k] * h[k];
        }
        fftwf_execute (inverse);
        // Overlap-save: the second half is the valid linear convolution.
        std::copy (timeOut + partition, timeOut + fftSize, out);
    }

    void runBlock() noexcept
    {
        // A pending frequency change: the new filters go into the spare spectrum set and the
        // low-pass outputs crossfade across this partition.
        bool changed[maxBands - 1] = {};
        bool fading = false;
        const int next = 1 - current;
        if (wanted != designed)
        {
            for (int f = 0; f < numFilters; ++f)
            {
                changed[f] = wanted[(size_t) f] != designed[(size_t) f];
                if (changed[f])
                    design (next, f, wanted[(size_t) f]);
                else
                    std::copy (spectrum (current, f, 0), spectrum (current, f, 0) + (size_t) numPartitions * (size_t) bins,
                        spectrum (next, f, 0));
                fading = fading || changed[f];
            }
        }

        head = (head + 1) % numPartitions;
        const int64_t blockStart = samplesIn - partition;
        const auto mask = (int64_t) historySize - 1;

        for (int c = 0; c < numChannels; ++c)
        {
            auto& ch = channel[c];
            std::copy (ch.inputBlock.begin(), ch.inputBlock.end(), timeIn);
            fftwf_execute (forward);
            std::copy (reinterpret_cast<const Complex*> (freqOut), reinterpret_cast<const Complex*> (freqOut) + bins,
                ch.delayLine.data() + (size_t) head * (size_t) bins);
            std::copy (ch.inputBlock.begin() + partition, ch.inputBlock.end(), ch.inputBlock.begin());

            for (int f = 0; f < numFilters; ++f)
            {
                float* low = lows.data() + (size_t) f * (size_t) partition;
                convolve (c, current, f, low);
                if (changed[f])
                {
                    convolve (c, next, f, fadeScratch.data());
                    for (int i = 0; i < partition; ++i)
                        low[i] += (float) (i + 1) / (float) partition * (fadeScratch[(size_t) i] - low[i]);
                }
            }

            // Bands as differences of adjacent low-passes: the sum telescopes to the delayed input.
            float* out = ch.outputs.data();
            for (int i = 0; i < partition; ++i)
            {
                const float delayed = ch.history[(size_t) ((blockStart + i - delay) & mask)];
                float below = 0.0f;
                for (int f = 0; f < numFilters; ++f)
                {
                    const float low = lows[(size_t) f * (size_t) partition + (size_t) i];
                    out[(size_t) f * (size_t) partition + (size_t) i] = low - below;
                    below = low;
                }
                out[(size_t) numFilters * (size_t) partition + (size_t) i] = delayed - below;
            }
        }

        if (fading)
        {
            current = next;
            designed = wanted;
        }
    }

    /** Runs a block; out (band, channel, offset, samples, count) receives the bands. */
    template <class Output>
    void process (const float* const* input, int numSamples, Output&& out) noexcept
    {
        const auto mask = (int64_t) historySize - 1;
        int done = 0;
        while (done < numSamples)
        {
            const int take = std::min (numSamples - done, partition - position);
            for (int c = 0; c < numChannels; ++c)
            {
                auto& ch = channel[c];
                const float* in = input[c] + done;
                for (int i = 0; i < take; ++i)
                {
                    // A NaN would spread through every later spectrum: take it as silence.
                    const float x = std::isfinite (in[i]) ? in[i] : 0.0f;
                    ch.inputBlock[(size_t) (partition + position + i)] = x;
                    ch.history[(size_t) ((samplesIn + i) & mask)] = x;
                }
                for (int b = 0; b <= numFilters; ++b)
                    out (b, c, done, ch.outputs.data() + (size_t) b * (size_t) partition + (size_t) position, take);
            }
            position += take;
            samplesIn += take;
            done += take;
            if (position == partition)
            {
                runBlock();
                position = 0;
            }
        }
    }

    const double rate;
    const int numChannels, numFilters, length, partition, fftSize, bins, delay;
    int numPartitions = 1, historySize = 1;

    float* timeIn = nullptr;
    fftwf_complex* freqOut = nullptr;
    fftwf_complex* freqIn = nullptr;
    float* timeOut = nullptr;
    fftwf_plan forward = nullptr, inverse = nullptr;

    std::vector<double> window, taps;
    std::vector<Complex> spectra[2];
    int current = 0;
    std::array<float, 3> designed {}, wanted {};

    struct Channel
    {
        std::vector<float> inputBlock; // previous partition, then the one being filled
        std::vector<Complex> delayLine; // spectra of the last numPartitions input blocks
        std::vector<float> history; // input ring for the delayed top band
        std::vector<float> outputs; // bands of the partition being played out
    };
    Channel channel[maxChannels];
    std::vector<float> lows, fadeScratch;

    int position = 0, head = 0;
    int64_t samplesIn = 0;
};

//==============================================================================
StateVariableSection::Coefficients StateVariableSection::design (double sampleRate, double frequency, double q) noexcept
{
    Coefficients c;
    const double g = std::tan (pi * frequency / sampleRate);
    c.k = 1.0 / q;
    c.a1 = 1.0 / (1.0 + g * (g + c.k));
    c.a2 = g * c.a1;
    c.a3 = g * c.a2;
    return c;
}

StateVariableSection::StateSpace StateVariableSection::stateSpace (const Coefficients& c, Output output) noexcept
{
    // From process(): v1 = a1 ic1 + a2 (x - ic2), v2 = ic2 + a2 ic1 + a3 (x - ic2), and the
    // integrators move to 2 v1 - ic1 and 2 v2 - ic2; each output is a combination of x, v1, v2.
    StateSpace s;
    if (output == Output::identity)
        return s;
    s.p11 = 2.0 * c.a1 - 1.0;
    s.q1 = 2.0 * c.a2;
    s.q2 = 2.0 * c.a3;
    switch (output)
    {
        case Output::low: // v2
            s.dx = c.a3;
            s.d1 = c.a2;
            s.d2 = 1.0 - c.a3;
            break;
        case Output::high: // x - k v1 - v2
            s.dx = 1.0 - c.k * c.a2 - c.a3;
            s.d1 = -c.k * c.a1 - c.a2;
            s.d2 = c.k * c.a2 - 1.0 + c.a3;
            break;
        case Output::allPass: // x - 2 k v1
            s.dx = 1.0 - 2.0 * c.k * c.a2;
            s.d1 = -2.0 * c.k * c.a1;
            s.d2 = 2.0 * c.k * c.a2;
            break;
        case Output::identity:
            break;
    }
    return s;
}

StateVariableSection::DirectForm StateVariableSection::directForm (const StateSpace& s) noexcept
{
    // The state-space system ic <- P ic + q x, y = dx x + d.ic has the transfer function
    // dx + d (zI - P)^-1 q: its denominator is det (zI - P), and (s1, s2) = M ic with
    // M = [d; d P + a1 d] makes the direct form's outputs equal for every input.
    const double p11 = s.p11, p12 = -s.q1, p21 = s.q1, p22 = 1.0 - s.q2;
    DirectForm f;
    f.a1 = -(p11 + p22);
    f.a2 = p11 * p22 - p12 * p21;
    f.b0 = s.dx;
    f.b1 = s.dx * f.a1 + s.d1 * s.q1 + s.d2 * s.q2;
    f.b2 = s.dx * f.a2 + s.d1 * (p12 * s.q2 - p22 * s.q1) + s.d2 * (p21 * s.q1 - p11 * s.q2);

    const double m[4] = { s.d1, s.d2, s.d1 * p11 + s.d2 * p21 + f.a1 * s.d1, s.d1 * p12 + s.d2 * p22 + f.a1 * s.d2 };
    const double det = m[0] * m[3] - m[1] * m[2];
    if (det == 0.0)
        return f; // no state reaches the output (identity): both states rest at zero
    std::copy (m, m + 4, f.toDirect);
    f.toStateSpace[0] = m[3] / det;
    f.toStateSpace[1] = -m[1] / det;
    f.toStateSpace[2] = -m[2] / det;
    f.toStateSpace[3] = m[0] / det;
    return f;
}

//==============================================================================
void SectionStep::setLane (int lane, const StateVariableSection::Coefficients& c, StateVariableSection::Output output) noexcept
{
    const auto ss = StateVariableSection::stateSpace (c, output);
    const auto df = StateVariableSection::directForm (ss);
    p11[lane] = ss.p11;
    q1[lane] = ss.q1;
    q2[lane] = ss.q2;
    dx[lane] = ss.dx;
    d1[lane] = ss.d1;
    d2[lane] = ss.d2;
    b0[lane] = df.b0;
    b1[lane] = df.b1;
    b2[lane] = df.b2;
    negA1[lane] = -df.a1;
    negA2[lane] = -df.a2;
    for (int e = 0; e < 4; ++e)
    {
        toDirect[e][lane] = df.toDirect[e];
        toStateSpace[e][lane] = df.toStateSpace[e];
    }
}

void SectionState::convert (const SectionStep& step, bool toDirect) noexcept
{
    const auto& m = toDirect ? step.toDirect : step.toStateSpace;
    for (int lane = 0; lane < 4; ++lane)
    {
        const double a = s1[lane], b = s2[lane];
        s1[lane] = m[0][lane] * a + m[1][lane] * b;
        s2[lane] = m[2][lane] * a + m[3][lane] * b;
    }
}

void SectionState::flushDenormals() noexcept
{
    // Written without branches, so that it compiles to a few vector operations.
    for (int lane = 0; lane < 4; ++lane)
    {
        s1[lane] = std::abs (s1[lane]) < 1.0e-30 ? 0.0 : s1[lane];
        s2[lane] = std::abs (s2[lane]) < 1.0e-30 ? 0.0 : s2[lane];
    }
}

//==============================================================================
Crossover::Crossover() = default;
Crossover::~Crossover() = default;

int Crossover::linearPhaseFilterLength (double sampleRate) noexcept
{
    return 2048 * rateFactor (sampleRate) - 1;
}

int Crossover::linearPhasePartitionSize (double sampleRate) noexcept
{
    return 256 * rateFactor (sampleRate);
}

std::array<float, 3> Crossover::sanitise (const std::array<float, 3>& frequenciesHz) const noexcept
{
    std::array<float, 3> f {};
    const auto top = (float) (0.45 * sampleRate);
    float floor = (float) minimumFrequency;
    for (size_t k = 0; k < f.size(); ++k)
    {
        const float v = std::isfinite (frequenciesHz[k]) ? frequenciesHz[k] : floor;
        f[k] = std::clamp (v, floor, top);
        floor = f[k];
    }
    return f;
}

void Crossover::prepare (double rate, int numChannels, int numBands, Type t, const std::array<float, 3>& frequenciesHz)
{
    sampleRate = rate > 0.0 ? rate : 48000.0;
    channelCount = std::clamp (numChannels, 1, maxChannels);
    bandCount = std::clamp (numBands, 2, maxBands);
    kind = t;
    const auto f = sanitise (frequenciesHz);

    linear.reset();
    if (kind == Type::linearPhase)
    {
        linear = std::make_unique<LinearPhase> (sampleRate, channelCount, bandCount - 1);
        linear->designAll (f);
    }

    for (int k = 0; k < maxBands - 1; ++k)
    {
        splitLog2[k].prepare (sampleRate, glideSeconds, (float) std::log2 (f[(size_t) k]));
        updateSplit (k, f[(size_t) k]);
    }
    targets = f;
    reset();
}

void Crossover::setFrequencies (const std::array<float, 3>& frequenciesHz) noexcept
{
    const auto f = sanitise (frequenciesHz);
    if (f == targets)
        return; // the usual case: nothing moved, no logarithms to take
    targets = f;
    if (linear != nullptr)
    {
        linear->wanted = f;
        return;
    }
    for (int k = 0; k < bandCount - 1; ++k)
        splitLog2[k].setTarget ((float) std::log2 (f[(size_t) k]));
}

void Crossover::reset() noexcept
{
    for (int k = 0; k < maxBands - 1; ++k)
    {
        if (splitLog2[k].isSmoothing())
        {
            splitLog2[k].reset (splitLog2[k].targetValue());
            updateSplit (k, std::exp2 ((double) splitLog2[k].value()));
        }
    }
    for (auto& s : stepStates)
        s = SectionState {};
    directForm = true;
    untilFlush = flushInterval;
    if (linear != nullptr)
        linear->reset();
}

int Crossover::latencySamples() const noexcept
{
    return linear != nullptr ? linear->delay + linear->partition : 0;
}

void Crossover::updateSplit (int split, double frequency) noexcept
{
    const auto c = StateVariableSection::design (sampleRate, frequency, butterworthQ);
    const int numSplits = bandCount - 1;
    for (int s = 0; s < stepCount (numSplits); ++s)
    {
        for (int which = 0; which < 2; ++which)
        {
            const auto& route = routes[numSplits - 1][s][which];
            if (route.split != split)
                continue;
            steps[s].setLane (which, c, route.output); // channel 0
            steps[s].setLane (2 + which, c, route.output); // channel 1
        }
    }
}

void Crossover::convertStates (bool toDirect) noexcept
{
    for (int s = 0; s < stepCount (bandCount - 1); ++s)
        stepStates[s].convert (steps[s], toDirect);
    directForm = toDirect;
}

void Crossover::flushDenormals() noexcept
{
    for (auto& s : stepStates)
        s.flushDenormals();
}

void Crossover::process (const float* const* input, float* const* const* bands, int numSamples) noexcept
{
    if (linear != nullptr)
    {
        linear->process (input, numSamples,
            [bands] (int b, int c, int offset, const float* data, int count)
            { std::copy (data, data + count, bands[b][c] + offset); });
        return;
    }

    const int numBands = bandCount;
    const bool stereo = channelCount == 2;
    auto sink = [bands, numBands, stereo] (int i, const V4& r0, const V4& r1)
    {
        const double values[maxBands][2] = { { r0[0], r0[2] }, { r0[1], r0[3] }, { r1[0], r1[2] }, { r1[1], r1[3] } };
        for (int b = 0; b < numBands; ++b)
        {
            bands[b][0][i] = (float) values[b][0];
            if (stereo)
                bands[b][1][i] = (float) values[b][1];
        }
    };
    processLinkwitzRiley (input, numSamples, sink);
}

void Crossover::processRecords (const float* const* input, double* records, int numSamples) noexcept
{
    if (linear != nullptr)
    {
        std::fill (records, records + (size_t) numSamples * recordSize, 0.0);
        linear->process (input, numSamples,
            [records] (int b, int c, int offset, const float* data, int count)
            {
                for (int i = 0; i < count; ++i)
                    records[(size_t) (offset + i) * recordSize + (size_t) recordIndex (b, c)] = data[i];
            });
        return;
    }

    auto sink = [records] (int i, const V4& r0, const V4& r1)
    {
        store (records + (size_t) i * recordSize, r0);
        store (records + (size_t) i * recordSize + 4, r1);
    };
    processLinkwitzRiley (input, numSamples, sink);
}

template <class Sink>
void Crossover::processLinkwitzRiley (const float* const* input, int numSamples, Sink sink) noexcept
{
    const int numSplits = bandCount - 1;
    const float* in0 = input[0];
    const float* in1 = channelCount == 2 ? input[1] : input[0];
    const double scale1 = channelCount == 2 ? 1.0 : 0.0;

    const auto run = [&] (int offset, int n, auto direct)
    {
        constexpr bool d = decltype (direct)::value;
        auto shifted = [&sink, offset] (int i, const V4& r0, const V4& r1) { sink (offset + i, r0, r1); };
        if (numSplits == 1)
            runLinkwitzRiley<1, d> (steps, stepStates, in0 + offset, in1 + offset, scale1, inputLanes, n, shifted);
        else if (numSplits == 2)
            runLinkwitzRiley<2, d> (steps, stepStates, in0 + offset, in1 + offset, scale1, inputLanes, n, shifted);
        else
            runLinkwitzRiley<3, d> (steps, stepStates, in0 + offset, in1 + offset, scale1, inputLanes, n, shifted);
    };

    int i = 0;
    while (i < numSamples)
    {
        bool gliding = false;
        for (int k = 0; k < numSplits; ++k)
            gliding = gliding || splitLog2[k].isSmoothing();

        int take = 1;
        if (! gliding)
        {
            // The state-variable state left by a glide, under the final coefficients, becomes
            // direct-form state for the same system.
            if (! directForm)
                convertStates (true);
            take = std::min (numSamples - i, untilFlush);
            run (i, take, std::true_type {});
        }
        else
        {
            // A glide: state-variable form (converted under the coefficients it was running
            // with), one sample at a time with fresh coefficients.
            if (directForm)
                convertStates (false);
            for (int k = 0; k < numSplits; ++k)
                if (splitLog2[k].isSmoothing())
                    updateSplit (k, std::exp2 ((double) splitLog2[k].next()));
            run (i, 1, std::false_type {});
        }

        i += take;
        untilFlush -= take;
        if (untilFlush == 0)
        {
            flushDenormals();
            untilFlush = flushInterval;
        }
    }
}

} // namespace crest::dsp
