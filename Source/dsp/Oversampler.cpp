#include "dsp/Oversampler.h"

#include "dsp/FirDesign.h"

#include <algorithm>
#include <cmath>
#include <complex>
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
/** One polyphase branch: out[m] = sum_j tap[j] * x[m - j]. A branch with a single non-zero
    tap (the half-band's centre) is a scaled delay and costs one multiply. */
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

    /** x points at the first new input; x[-length + 1 .. -1] must hold history. */
    template <bool accumulate>
    void run (const float* x, float* out, int stride, int n) const noexcept
    {
        if (deltaDelay >= 0)
        {
            for (int m = 0; m < n; ++m)
            {
                const float v = deltaGain * x[m - deltaDelay];
                if constexpr (accumulate)
                    out[m * stride] += v;
                else
                    out[m * stride] = v;
            }
            return;
        }

        // Eight outputs at a time: the lanes are independent, so the compiler can vectorise
        // them without reassociating any sum (the result stays bit-identical whatever the
        // block size).
        const float* c = reversed.data();
        const int taps = length;
        int m = 0;
        for (; m + 8 <= n; m += 8)
        {
            float acc[8] = {};
            const float* base = x + m - (taps - 1);
            for (int i = 0; i < taps; ++i)
            {
                const float ci = c[i];
                const float* xi = base + i;
                for (int l = 0; l < 8; ++l)
                    acc[l] += ci * xi[l];
            }
            for (int l = 0; l < 8; ++l)
            {
                if constexpr (accumulate)
                    out[(m + l) * stride] += acc[l];
                else
                    out[(m + l) * stride] = acc[l];
            }
        }
        for (; m < n; ++m)
        {
            // The same per-lane order of operations as above, so results do not depend on
            // where a block boundary falls.
            float acc = 0.0f;
            const float* base = x + m - (taps - 1);
            for (int i = 0; i < taps; ++i)
                acc += c[i] * base[i];
            if constexpr (accumulate)
                out[m * stride] += acc;
            else
                out[m * stride] = acc;
        }
    }
};

/** One 2x stage, either direction. */
struct Oversampler::Stage
{
    Branch a, b; // up: output phases 0 and 1; down: even and odd inputs
    int history = 0;
    std::vector<float> bufA, bufB;

    void prepareUp (const std::vector<double>& h, int maxInput)
    {
        std::vector<double> even, odd;
        for (size_t k = 0; k < h.size(); ++k)
            (k % 2 == 0 ? even : odd).push_back (2.0 * h[k]); // zero-stuffing halves the level
        a.build (even);
        b.build (odd);
        history = std::max (a.length, b.length);
        bufA.assign ((size_t) (history + maxInput), 0.0f);
        bufB.clear();
    }

    void prepareDown (const std::vector<double>& h, int maxOutput)
    {
        std::vector<double> even, odd { 0.0 }; // odd inputs are one low-rate sample older
        for (size_t k = 0; k < h.size(); ++k)
            (k % 2 == 0 ? even : odd).push_back (h[k]);
        a.build (even);
        b.build (odd);
        history = std::max (a.length, b.length);
        bufA.assign ((size_t) (history + maxOutput), 0.0f);
        bufB.assign ((size_t) (history + maxOutput), 0.0f);
    }

    void reset() noexcept
    {
        std::fill (bufA.begin(), bufA.end(), 0.0f);
        std::fill (bufB.begin(), bufB.end(), 0.0f);
    }

    /** n inputs -> 2n outputs. */
    void up (const float* in, float* out, int n) noexcept
    {
        std::copy (in, in + n, bufA.begin() + history);
        const float* x = bufA.data() + history;
        a.run<false> (x, out, 2, n);
        b.run<false> (x, out + 1, 2, n);
        std::copy (bufA.begin() + n, bufA.begin() + n + history, bufA.begin());
    }

    /** 2n inputs -> n outputs: y[m] = sum_k h[k] u[2m - k]. */
    void down (const float* in, float* out, int n) noexcept
    {
        float* e = bufA.data() + history;
        float* o = bufB.data() + history;
        for (int m = 0; m < n; ++m)
        {
            e[m] = in[2 * m];
            o[m] = in[2 * m + 1];
        }
        a.run<false> (e, out, 1, n);
        b.run<true> (o, out, 1, n);
        std::copy (bufA.begin() + n, bufA.begin() + n + history, bufA.begin());
        std::copy (bufB.begin() + n, bufB.begin() + n + history, bufB.begin());
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
    const double i0Beta = std::cyl_bessel_i (0.0, beta);
    std::vector<double> h ((size_t) (2 * c + 1), 0.0);
    h[(size_t) c] = 0.5;

    double oddSum = 0.0;
    for (int k = 1; k <= c; k += 2)
    {
        const double r = (double) k / (double) c;
        const double window = std::cyl_bessel_i (0.0, beta * std::sqrt (std::max (0.0, 1.0 - r * r))) / i0Beta;
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
        levels.emplace_back ((size_t) (maxBlock * rate), 0.0f);

        upDelay += delay * factor / rate;
        downDelay += delay * factor / rate;
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

    topUp.assign ((size_t) (maxBlock * factor), 0.0f);
    topDown.assign ((size_t) (maxBlock * factor), 0.0f);
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
    std::fill (upHistory.begin(), upHistory.end(), 0.0f);
    std::fill (downHistory.begin(), downHistory.end(), 0.0f);
}

float* Oversampler::upsample (const float* input, int numSamples) noexcept
{
    if (factor == 1)
    {
        std::copy (input, input + numSamples, topUp.begin());
        return topUp.data();
    }

    const float* source = input;
    int n = numSamples;
    for (size_t s = 0; s < upStages.size(); ++s)
    {
        upStages[s]->up (source, levels[s].data(), n);
        source = levels[s].data();
        n *= 2;
    }

    float* top = levels.back().data();
    if (upPad == 0)
        return top;

    // A delay of upPad < factor <= n samples: older samples first, then the new ones.
    std::copy (upHistory.begin(), upHistory.begin() + upPad, topUp.begin());
    std::copy (top, top + n - upPad, topUp.begin() + upPad);
    std::copy (top + n - upPad, top + n, upHistory.begin());
    return topUp.data();
}

void Oversampler::downsample (const float* oversampled, float* output, int numSamples) noexcept
{
    if (factor == 1)
    {
        std::copy (oversampled, oversampled + numSamples, output);
        return;
    }

    int n = numSamples * factor;
    const float* source = oversampled;
    if (downPad > 0)
    {
        std::copy (downHistory.begin(), downHistory.begin() + downPad, topDown.begin());
        std::copy (oversampled, oversampled + n - downPad, topDown.begin() + downPad);
        std::copy (oversampled + n - downPad, oversampled + n, downHistory.begin());
        source = topDown.data();
    }

    for (int s = (int) downStages.size() - 1; s >= 0; --s)
    {
        n /= 2;
        float* destination = s == 0 ? output : levels[(size_t) s - 1].data();
        downStages[(size_t) s]->down (source, destination, n);
        source = destination;
    }
}

} // namespace crest::dsp
