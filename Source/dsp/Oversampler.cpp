#include "dsp/ReproducibleFloat.h" // first: see there

#include "dsp/Oversampler.h"
#include "dsp/VectorDispatch.h"

#include "dsp/FirDesign.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <cstdint>
#include <cstring>
#include <stdexcept>

namespace crest::dsp
{
namespace
{
    constexpr double pi = 3.14159265358979323846;

    /** In-place iterative radix-2 FFT (design time only, so plain and double precision). */
    void fft (std::vector<std::complex<double>>& a, bool inverse)
    {
        const size_t n = a.size();
        for (size_t i = 1, j = 0; i < n; ++i)
        {
            size_t bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1)
                j ^= bit;
            j ^= bit;
            if (i < j)
                std::swap (a[i], a[j]);
        }

        for (size_t length = 2; length <= n; length <<= 1)
        {
            const double angle = (inverse ? 2.0 : -2.0) * pi / (double) length;
            const std::complex<double> step (std::cos (angle), std::sin (angle));
            for (size_t start = 0; start < n; start += length)
            {
                std::complex<double> w (1.0, 0.0);
                for (size_t k = 0; k < length / 2; ++k)
                {
                    const auto even = a[start + k];
                    const auto odd = a[start + k + length / 2] * w;
                    a[start + k] = even + odd;
                    a[start + k + length / 2] = even - odd;
                    w *= step;
                }
            }
        }

        if (inverse)
            for (auto& x : a)
                x /= (double) n;
    }

    /** Low-frequency group delay of a filter, in its own samples. */
    double dcGroupDelay (const std::vector<double>& h)
    {
        double moment = 0.0, sum = 0.0;
        for (size_t n = 0; n < h.size(); ++n)
        {
            moment += (double) n * h[n];
            sum += h[n];
        }
        return moment / sum;
    }
} // namespace

//==============================================================================
namespace
{
    /** `lanes` consecutive outputs of a FIR. Each lane's sum runs in tap order, and the lanes
        are independent, so the compiler keeps them in vector registers without reassociating
        anything: every output gets the same arithmetic whichever width computes it. */
    template <int lanes>
    inline void firLanes (const float* window, const float* taps, int numTaps, float* out) noexcept
    {
        // Sixteen-float vectors rather than a float array: GCC zeroed the array with `rep stos`
        // for every group (8 % of the FIR's time) before moving it into registers. The same
        // multiplies and adds per lane, in the same order.
        // Each vector is also stored on its own: copying the whole array out made GCC keep it
        // in memory, cleared by a `rep stos` for every group (7 % of the FIR's time, most of
        // it for the short later stages).
        // Sixteen lanes per vector: one AVX-512 register in that clone, which halves the
        // loads and arithmetic instructions per tap (the loop is bound by them); two AVX
        // registers in the AVX2 clone, as eight-float vectors were.
        static_assert (lanes % 16 == 0);
        vec::F16 acc[lanes / 16];
        for (int v = 0; v < lanes / 16; ++v)
            acc[v] = vec::F16 {};
        for (int i = 0; i < numTaps; ++i)
        {
            const float c = taps[i];
            const float* x = window + i;
            for (int v = 0; v < lanes / 16; ++v)
                acc[v] += c * vec::loadFloats16 (x + 16 * v);
        }
        for (int v = 0; v < lanes / 16; ++v)
            std::memcpy (out + 16 * v, &acc[v], sizeof (vec::F16));
    }

    /** Inputs a FIR may read past the last one: the lanes of a partial group. */
    constexpr int firSlack = 64;

    /** out[m] = sum_i taps[i] * x[m - numTaps + 1 + i] for m in [0, n): taps oldest first,
        x[-numTaps + 1 .. -1] is history, and x[n .. n + firSlack) must be readable.

        Outputs are computed in groups of 64 (four independent sixteen-lane accumulators, eight
        in the AVX2 clone, hide the adder latency; a single output's sum would be one long chain of dependent additions).
        A last partial group is a full group ending at the last output, recomputing some
        already computed; a block of fewer than 64 outputs is the first lanes of a group of
        16, 32 or 64 (reading past the end). Every output gets the same arithmetic whichever
        group computed it, so results do not depend on block sizes. */
    CREST_WIDE_VECTOR_CLONES
    void fir (const float* x, const float* taps, int numTaps, float* out, int n) noexcept
    {
        const float* window = x - (numTaps - 1);
        if (n >= 64)
        {
            int m = 0;
            for (; m + 64 <= n; m += 64)
                firLanes<64> (window + m, taps, numTaps, out + m);
            if (m < n)
                firLanes<64> (window + n - 64, taps, numTaps, out + n - 64);
            return;
        }

        float group[64];
        if (n > 32)
            firLanes<64> (window, taps, numTaps, group);
        else if (n > 16)
            firLanes<32> (window, taps, numTaps, group);
        else
            firLanes<16> (window, taps, numTaps, group);
        for (int m = 0; m < n; ++m)
            out[m] = group[m];
    }

    /** Sixteen FIR outputs and the sixteen samples of the other branch, interleaved into out[0 .. 32). */
    inline void storeInterleaved (const vec::F16& even, const float* odd, float* out) noexcept
    {
        const vec::F16 o = vec::loadFloats16 (odd);
#if defined(__clang__)
        for (int k = 0; k < 16; ++k)
        {
            out[2 * k] = even[k];
            out[2 * k + 1] = o[k];
        }
#else
        const vec::F16 low = __builtin_shuffle (even, o, vec::I16 { 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23 });
        const vec::F16 high = __builtin_shuffle (even, o, vec::I16 { 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31 });
        std::memcpy (out, &low, sizeof low);
        std::memcpy (out + 16, &high, sizeof high);
#endif
    }

    /** fir() for the even phase of an up stage whose odd phase is the input itself, delayed
        (the half-band's centre tap at unity gain): out[2m] = the FIR's output m, out[2m + 1] =
        odd[m]. Writing both phases from the FIR's registers saves a pass over the block and the
        scratch buffer between them; the FIR's arithmetic is fir()'s, group by group. */
    CREST_WIDE_VECTOR_CLONES
    void firInterleaved (const float* x, const float* taps, int numTaps, const float* odd, float* out, int n) noexcept
    {
        const float* window = x - (numTaps - 1);
        const auto group = [&] (int m)
        {
            constexpr int count = 4; // 64 outputs
            vec::F16 acc[count];
            for (int v = 0; v < count; ++v)
                acc[v] = vec::F16 {};
            for (int i = 0; i < numTaps; ++i)
            {
                const float c = taps[i];
                const float* w = window + m + i;
                for (int v = 0; v < count; ++v)
                    acc[v] += c * vec::loadFloats16 (w + 16 * v);
            }
            for (int v = 0; v < count; ++v)
                storeInterleaved (acc[v], odd + m + 16 * v, out + 2 * (m + 16 * v));
        };
        int m = 0;
        for (; m + 64 <= n; m += 64)
            group (m);
        if (m < n)
            group (n - 64); // a full group ending at the last output, as fir() does
    }

    CREST_WIDE_VECTOR_CLONES
    void interleave (const float* even, const float* odd, float* out, int n) noexcept
    {
        for (int m = 0; m < n; ++m)
        {
            out[2 * m] = even[m];
            out[2 * m + 1] = odd[m];
        }
    }

    CREST_WIDE_VECTOR_CLONES
    void deinterleave (const float* in, float* even, float* odd, int n) noexcept
    {
        for (int m = 0; m < n; ++m)
        {
            even[m] = in[2 * m];
            odd[m] = in[2 * m + 1];
        }
    }

    /** out[m] = gain * x[m] (accumulate: out[m] += gain * x[m]). */
    template <bool accumulate>
    CREST_WIDE_VECTOR_CLONES void scaled (const float* x, float gain, float* out, int n) noexcept
    {
        for (int m = 0; m < n; ++m)
        {
            if constexpr (accumulate)
                out[m] += gain * x[m];
            else
                out[m] = gain * x[m];
        }
    }

    /** The largest magnitude among x[0 .. n). Non-negative floats are ordered like their bit
        patterns, so this is an integer maximum, which vectorises (a NaN comes out as a NaN,
        which no comparison passes). */
    CREST_WIDE_VECTOR_CLONES
    float largestMagnitude (const float* x, int n) noexcept
    {
        std::uint32_t largest = 0;
        for (int i = 0; i < n; ++i)
        {
            std::uint32_t bits;
            std::memcpy (&bits, x + i, sizeof bits);
            bits &= 0x7fffffffu;
            largest = bits > largest ? bits : largest;
        }
        float result;
        std::memcpy (&result, &largest, sizeof result);
        return result;
    }

    CREST_WIDE_VECTOR_CLONES
    void add (const float* x, float* out, int n) noexcept
    {
        for (int m = 0; m < n; ++m)
            out[m] += x[m];
    }
} // namespace

//==============================================================================
namespace oversampling
{
    /** One polyphase branch: out[m] = sum_j tap[j] * x[m - j]. A branch with a single
        non-zero tap (the half-band's centre) is a scaled delay: one multiply, or none at unity
        gain. */
    struct Branch
    {
        std::vector<float> reversed; // taps, oldest first, so the dot product runs forwards
        int length = 0; // taps including leading zeros (how much history it needs)
        int deltaDelay = -1; // >= 0: the branch is deltaGain * x[m - deltaDelay]
        float deltaGain = 0.0f;

        void build (const std::vector<double>& taps)
        {
            int nonZero = 0, last = 0;
            for (size_t j = 0; j < taps.size(); ++j)
                if (taps[j] != 0.0)
                {
                    ++nonZero;
                    last = (int) j;
                }

            length = std::max (1, (int) taps.size());
            reversed.clear();
            deltaDelay = -1;
            if (nonZero == 1)
            {
                deltaDelay = last;
                deltaGain = (float) taps[(size_t) last];
                return;
            }
            for (int i = 0; i < length; ++i)
                reversed.push_back ((float) taps[(size_t) (length - 1 - i)]);
        }

        /** The branch's n outputs for inputs x[0 .. n) (history before them): either a
            pointer into x itself (a delay at unity gain) or `scratch`, filled. */
        const float* run (const float* x, float* scratch, int n) const noexcept
        {
            if (deltaDelay < 0)
            {
                fir (x, reversed.data(), length, scratch, n);
                return scratch;
            }
            if (deltaGain == 1.0f)
                return x - deltaDelay;
            scaled<false> (x - deltaDelay, deltaGain, scratch, n);
            return scratch;
        }

        /** out[m] = the branch's output. */
        void write (const float* x, float* out, int n) const noexcept
        {
            if (deltaDelay < 0)
                fir (x, reversed.data(), length, out, n);
            else
                scaled<false> (x - deltaDelay, deltaGain, out, n);
        }

        /** out[m] += the branch's output. */
        void accumulate (const float* x, float* scratch, float* out, int n) const noexcept
        {
            if (deltaDelay >= 0)
                scaled<true> (x - deltaDelay, deltaGain, out, n);
            else
                add (run (x, scratch, n), out, n);
        }
    };

    /** A filter's input line: `history` old samples, then the new ones. The line is longer
        than one block and shifted back only when full, so the history is not copied on every
        call. */
    struct Line
    {
        std::vector<float> data;
        int history = 0, position = 0, capacity = 0;

        void prepare (int historyLength, int maxInput)
        {
            history = historyLength;
            capacity = history + 4 * std::max (1, maxInput);
            data.assign ((size_t) (capacity + firSlack), 0.0f); // a FIR may read a little past the end
            position = history;
        }

        void reset() noexcept
        {
            std::fill (data.begin(), data.end(), 0.0f);
            position = history;
        }

        /** Where the next n samples go (history stays in front of them). */
        float* next (int n) noexcept
        {
            if (position + n > capacity)
            {
                std::copy (data.begin() + (position - history), data.begin() + position, data.begin());
                position = history;
            }
            return data.data() + position;
        }

        /** The n samples written at next (n) become history. */
        void commit (int n) noexcept { position += n; }
    };

} // namespace oversampling

/** One 2x stage, either direction. */
struct Oversampler::Stage
{
    using Branch = oversampling::Branch;
    using Line = oversampling::Line;

    Branch a, b; // up: output phases 0 and 1; down: even and odd inputs
    Line inA, inB; // up: the input (inA only); down: even and odd inputs
    std::vector<float> scratchA, scratchB;

    void prepareUp (const std::vector<double>& h, int maxInput)
    {
        std::vector<double> even, odd;
        for (size_t k = 0; k < h.size(); ++k)
            (k % 2 == 0 ? even : odd).push_back (2.0 * h[k]); // zero-stuffing halves the level
        a.build (even);
        b.build (odd);
        inA.prepare (std::max (a.length, b.length), maxInput);
        inB.prepare (0, 0);
        scratchA.assign ((size_t) maxInput, 0.0f);
        scratchB.assign ((size_t) maxInput, 0.0f);
    }

    void prepareDown (const std::vector<double>& h, int maxOutput)
    {
        std::vector<double> even, odd { 0.0 }; // odd inputs are one low-rate sample older
        for (size_t k = 0; k < h.size(); ++k)
            (k % 2 == 0 ? even : odd).push_back (h[k]);
        a.build (even);
        b.build (odd);
        inA.prepare (a.length, maxOutput);
        inB.prepare (b.length, maxOutput);
        scratchA.assign ((size_t) maxOutput, 0.0f);
        scratchB.assign ((size_t) maxOutput, 0.0f);
    }

    void reset() noexcept
    {
        inA.reset();
        inB.reset();
    }

    /** The n inputs written at inA.next (n) -> 2n outputs; only those of inputs [from, n)
        are computed. */
    void up (float* out, int n, int from = 0) noexcept
    {
        const float* x = inA.data.data() + inA.position + from;
        const int m = n - from;
        if (m >= 64 && a.deltaDelay < 0 && b.deltaDelay >= 0 && b.deltaGain == 1.0f)
            firInterleaved (x, a.reversed.data(), a.length, x - b.deltaDelay, out + 2 * from, m);
        else
            interleave (a.run (x, scratchA.data(), m), b.run (x, scratchB.data(), m), out + 2 * from, m);
        inA.commit (n);
    }

    /** History an output needs, in inputs. */
    int span() const noexcept { return std::max (a.length, b.length); }

    /** The 2n inputs written (deinterleaved) at inA.next (n) and inB.next (n) -> n outputs:
        y[m] = sum_k h[k] u[2m - k]. */
    void down (float* out, int n) noexcept
    {
        const float* e = inA.data.data() + inA.position;
        const float* o = inB.data.data() + inB.position;
        a.write (e, out, n);
        b.accumulate (o, scratchB.data(), out, n);
        inA.commit (n);
        inB.commit (n);
    }
};

//==============================================================================
Oversampler::Oversampler() = default;
Oversampler::~Oversampler() = default;
Oversampler::Oversampler (Oversampler&&) noexcept = default;
Oversampler& Oversampler::operator= (Oversampler&&) noexcept = default;

std::vector<double> Oversampler::designHalfBand (double transition, double stopbandDb)
{
    // Kaiser's length estimate, then the half-length made odd: the taps at even distances from
    // the centre are zero in a half-band, so an even half-length would waste its end taps.
    const double estimate = (stopbandDb - 7.95) / (2.285 * 2.0 * pi * transition);
    int c = std::max (1, (int) std::ceil (0.5 * estimate));
    if (c % 2 == 0)
        ++c;

    const double beta = kaiserBetaForAttenuation (stopbandDb);
    const double i0Beta = besselI0 (beta);
    std::vector<double> h ((size_t) (2 * c + 1), 0.0);
    h[(size_t) c] = 0.5;

    double oddSum = 0.0;
    for (int k = 1; k <= c; k += 2)
    {
        const double r = (double) k / (double) c;
        const double window = besselI0 (beta * std::sqrt (std::max (0.0, 1.0 - r * r))) / i0Beta;
        const double v = std::sin (0.5 * pi * k) / (pi * k) * window;
        h[(size_t) (c + k)] = h[(size_t) (c - k)] = v;
        oddSum += 2.0 * v;
    }

    // Both polyphase branches get a DC gain of exactly one half, so a constant comes out
    // constant (no residue at the old Nyquist frequency) and the centre branch stays a delta.
    for (int k = 1; k <= c; k += 2)
    {
        h[(size_t) (c + k)] *= 0.5 / oddSum;
        h[(size_t) (c - k)] *= 0.5 / oddSum;
    }
    return h;
}

std::vector<double> Oversampler::minimumPhase (const std::vector<double>& prototype)
{
    // Real cepstrum: fold the anticausal part of log|H| onto the causal part, exponentiate.
    size_t size = 8192;
    while (size < 64 * prototype.size())
        size <<= 1;

    std::vector<std::complex<double>> spectrum (size);
    for (size_t n = 0; n < prototype.size(); ++n)
        spectrum[n] = prototype[n];
    fft (spectrum, false);

    for (auto& x : spectrum)
        x = std::log (std::max (std::abs (x), 1.0e-12)); // floor: stop-band zeros have no log
    fft (spectrum, true);

    for (size_t n = 1; n < size / 2; ++n)
    {
        spectrum[n] *= 2.0;
        spectrum[size - n] = 0.0;
    }
    fft (spectrum, false);
    for (auto& x : spectrum)
        x = std::exp (x);
    fft (spectrum, true);

    std::vector<double> result (prototype.size());
    double sum = 0.0, target = 0.0;
    for (size_t n = 0; n < result.size(); ++n)
    {
        result[n] = spectrum[n].real();
        sum += result[n];
        target += prototype[n];
    }
    for (auto& x : result)
        x *= target / sum; // keep the DC gain exactly
    return result;
}

const std::vector<double>& Oversampler::getStagePrototype (int stage) const noexcept
{
    return prototypes[(size_t) stage];
}

void Oversampler::prepare (const Options& options, int maxBlockSize)
{
    if (options.factor != 1 && options.factor != 2 && options.factor != 4 && options.factor != 8)
        throw std::invalid_argument ("oversampling factor must be 1, 2, 4 or 8");

    factor = options.factor;
    maxBlock = std::max (1, maxBlockSize);
    upStages.clear();
    downStages.clear();
    levels.clear();
    prototypes.clear();

    const double passband = std::clamp (options.passband, 0.05, 0.49);
    double upDelay = 0.0, downDelay = 0.0; // at the top rate
    int rate = 1; // stage output rate, in base rates
    while (rate < factor)
    {
        rate *= 2;
        // The band to keep ends at `passband` of the base rate; the half-band's transition is
        // symmetric about a quarter of this stage's rate, so that fixes its width.
        const double pass = passband / rate;
        auto h = designHalfBand (0.5 - 2.0 * pass, options.stopbandDb);
        double delay = 0.5 * (double) (h.size() - 1);
        if (options.phase == Phase::lowLatency)
        {
            h = minimumPhase (h);
            delay = dcGroupDelay (h);
        }
        prototypes.push_back (h);

        auto up = std::make_unique<Stage>();
        up->prepareUp (h, maxBlock * rate / 2);
        upStages.push_back (std::move (up));
        auto down = std::make_unique<Stage>();
        down->prepareDown (h, maxBlock * rate / 2);
        downStages.push_back (std::move (down));
        levels.emplace_back ((size_t) (maxBlock * rate / 2), 0.0f); // a down stage's output

        upDelay += delay * factor / rate;
        downDelay += delay * factor / rate;
    }

    // For upsampleReaching(): how much the stages after the first can raise a magnitude (the
    // largest L1 norm over the output phases of their combined response), and how many
    // first-stage outputs back an upsampled sample depends on.
    laterGain = 0.0f;
    laterSupport = 0;
    if (prototypes.size() > 1)
    {
        std::vector<double> combined { 1.0 }; // at the top rate
        int step = 1; // top-rate samples per sample of the stage being added
        for (size_t s = prototypes.size(); s-- > 1;)
        {
            std::vector<double> stuffed ((prototypes[s].size() - 1) * (size_t) step + 1, 0.0);
            for (size_t k = 0; k < prototypes[s].size(); ++k)
                stuffed[k * (size_t) step] = 2.0 * prototypes[s][k]; // as prepareUp() scales it
            std::vector<double> next (combined.size() + stuffed.size() - 1, 0.0);
            for (size_t i = 0; i < combined.size(); ++i)
                for (size_t j = 0; j < stuffed.size(); ++j)
                    next[i + j] += combined[i] * stuffed[j];
            combined = std::move (next);
            step *= 2;
        }
        double worst = 0.0;
        for (int phase = 0; phase < step; ++phase)
        {
            double sum = 0.0;
            for (size_t k = (size_t) phase; k < combined.size(); k += (size_t) step)
                sum += std::fabs (combined[k]);
            worst = std::max (worst, sum);
        }
        laterGain = (float) (worst * 1.001); // and a margin for float rounding
        laterSupport = (int) (combined.size() / (size_t) step) + 2;
    }

    // Pad each direction at the top rate to a whole number of base-rate samples.
    const auto pad = [this] (double delay, int& padding, int& latency)
    {
        const int top = (int) std::ceil (delay - 1.0e-9);
        latency = (top + factor - 1) / factor;
        padding = latency * factor - top;
    };
    pad (upDelay, upPad, upLatency);
    pad (downDelay, downPad, downLatency);

    // Deferred work is caught up over the last catchUpLength base-rate samples: enough for
    // the later stages' memory to be exact again (their first outputs after a long deferral
    // see stale history) with the lookback and the padding delay's memory after it. Each
    // later stage's input line keeps that much history, and the first one the first stage's
    // outputs the bound is taken over as well.
    catchUpLength = 0;
    if (upStages.size() > 1)
    {
        int stale = 0; // top-rate samples of a catch-up that may see stale history
        for (size_t s = 2; s < upStages.size(); ++s)
            stale += upStages[s]->span() << (upStages.size() - s);
        catchUpLength = (stale + lookback + upPad + factor - 1) / factor + 2;
        const int longest = std::max (maxBlock, catchUpLength); // base-rate samples per run
        for (size_t s = 1; s < upStages.size(); ++s)
        {
            upStages[s]->prepareUp (prototypes[s], longest << s);
            const int history = upStages[s]->span() + (catchUpLength << s) + (s == 1 ? laterSupport : 0);
            upStages[s]->inA.prepare (history, longest << s);
        }
    }
    caughtUp.assign ((size_t) (catchUpLength * factor), 0.0f);

    topUp.assign ((size_t) (lookback + upPad + maxBlock * factor), 0.0f);
    upHistory.assign ((size_t) std::max (1, upPad), 0.0f);
    downHistory.assign ((size_t) std::max (1, downPad), 0.0f);
    reset();
}

void Oversampler::reset() noexcept
{
    for (auto& s : upStages)
        s->reset();
    for (auto& s : downStages)
        s->reset();
    for (auto& l : levels)
        std::fill (l.begin(), l.end(), 0.0f);
    std::fill (topUp.begin(), topUp.end(), 0.0f);
    std::fill (upHistory.begin(), upHistory.end(), 0.0f);
    std::fill (downHistory.begin(), downHistory.end(), 0.0f);
    nextLookback.fill (0.0f);
    lookbackReady = false;
    deferred = 0;
}

float* Oversampler::upsample (const float* input, int numSamples) noexcept
{
    bool complete = true;
    return upsampleReaching (input, numSamples, 0.0f, complete); // no magnitude is under 0: nothing deferred
}

float* Oversampler::upsampleReaching (const float* input, int numSamples, float level, bool& complete) noexcept
{
    complete = true;
    float* block = topUp.data() + lookback; // what the caller gets; the lookback sits before it
    if (numSamples <= 0)
        return block;
    if (lookbackReady)
    {
        std::copy (nextLookback.begin(), nextLookback.end(), topUp.begin());
        lookbackReady = false;
    }
    if (factor == 1)
    {
        std::copy (input, input + numSamples, block);
        return finishTop (numSamples);
    }

    // The first stage always runs: its outputs are what the bound is taken over, and the
    // later stages' catch-up reads them.
    std::copy (input, input + numSamples, upStages[0]->inA.next (numSamples));
    const size_t stages = upStages.size();
    int n = 2 * numSamples;
    upStages[0]->up (stages > 1 ? upStages[1]->inA.next (n) : block + upPad, numSamples);
    if (stages == 1)
        return finishTop (n);

    // Every upsampled sample of this block depends on first-stage outputs within
    // laterSupport of it, all in the next stage's input line now. When the largest of them
    // times the later stages' gain bound cannot reach the level, their work is deferred.
    auto& line = upStages[1]->inA;
    if (largestMagnitude (line.data.data() + line.position - laterSupport, laterSupport + n) * laterGain < level)
    {
        line.commit (n);
        deferred = std::min (catchUpLength, deferred + numSamples);
        complete = false;
        return block;
    }

    if (deferred > 0)
        catchUp();
    for (size_t s = 1; s < stages; ++s)
    {
        upStages[s]->up (s + 1 < stages ? upStages[s + 1]->inA.next (2 * n) : block + upPad, n);
        n *= 2;
    }
    return finishTop (n);
}

void Oversampler::catchUp() noexcept
{
    // The later stages run again over the last catchUpLength base-rate samples before this
    // block: the first stage's outputs for them are all in its successor's input line, and
    // every later line is taken back to the start of that stretch (the part of it they had
    // already processed is recomputed identically). After a long deferral their first
    // outputs see stale history, which the stretch is long enough to flush.
    const size_t stages = upStages.size();
    for (size_t s = 1; s < stages; ++s)
    {
        const int behind = s == 1 ? catchUpLength : catchUpLength - deferred; // base-rate samples
        upStages[s]->inA.position -= behind << s;
    }
    int n = catchUpLength << 1;
    for (size_t s = 1; s < stages; ++s)
    {
        upStages[s]->up (s + 1 < stages ? upStages[s + 1]->inA.next (2 * n) : caughtUp.data(), n);
        n *= 2;
    }

    // The last samples are the lookback and the padding delay's memory, as finishTop() would
    // have left them.
    const float* last = caughtUp.data() + n - lookback - upPad;
    std::copy (last, last + lookback, topUp.begin());
    std::copy (last + lookback, last + lookback + upPad, upHistory.begin());
    deferred = 0;
}

float* Oversampler::finishTop (int n) noexcept
{
    // The padding delay (upPad < factor samples, so plain loops): the older samples in front
    // of the n new ones the last stage wrote, the newest kept for next time.
    float* block = topUp.data() + lookback;
    for (int k = 0; k < upPad; ++k)
        block[k] = upHistory[(size_t) k];
    for (int k = 0; k < upPad; ++k)
        upHistory[(size_t) k] = block[n + k];

    // The block's last samples (with the lookback before it when n is shorter) become the
    // next block's lookback, kept aside in case the caller processes the block in place.
    std::copy (block + n - lookback, block + n, nextLookback.begin());
    lookbackReady = true;
    return block;
}

void Oversampler::downsample (const float* oversampled, float* output, int numSamples) noexcept
{
    if (factor == 1 || numSamples <= 0)
    {
        std::copy (oversampled, oversampled + numSamples, output);
        return;
    }

    // The padding delay (downPad < factor samples) and the top stage's deinterleaving in one
    // pass: the input is read as downPad older samples followed by the new ones.
    const int total = numSamples * factor;
    {
        auto& top = *downStages.back();
        const int half = total / 2;
        float* even = top.inA.next (half);
        float* odd = top.inB.next (half);
        const auto delayed = [&] (int j) { return j < downPad ? downHistory[(size_t) j] : oversampled[j - downPad]; };
        const int head = std::min (half, (downPad + 1) / 2);
        for (int m = 0; m < head; ++m)
        {
            even[m] = delayed (2 * m);
            odd[m] = delayed (2 * m + 1);
        }
        deinterleave (oversampled + 2 * head - downPad, even + head, odd + head, half - head);
        for (int k = 0; k < downPad; ++k)
            downHistory[(size_t) k] = oversampled[total - downPad + k];
    }

    int n = total / 2;
    for (int s = (int) downStages.size() - 1; s >= 0; --s)
    {
        if (s == 0)
        {
            downStages[0]->down (output, n);
            break;
        }
        // This stage's output is the next one's input, split into its even and odd samples.
        float* level = levels[(size_t) s].data();
        downStages[(size_t) s]->down (level, n);
        auto& next = *downStages[(size_t) s - 1];
        deinterleave (level, next.inA.next (n / 2), next.inB.next (n / 2), n / 2);
        n /= 2;
    }
}

} // namespace crest::dsp
