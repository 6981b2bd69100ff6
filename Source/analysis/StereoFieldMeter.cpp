#include "dsp/ReproducibleFloat.h" // first: see there

#include "analysis/StereoFieldMeter.h"

#include "dsp/VectorDispatch.h"

#include <algorithm>
#include <cmath>

namespace crest::analysis
{
namespace
{
    /** Second-order Butterworth low-pass (bilinear, pre-warped). Two in series make a
        fourth-order Linkwitz-Riley low band. */
    dsp::BiquadCoefficients butterworthLowPass (double sampleRate, double frequency)
    {
        constexpr double pi = 3.14159265358979323846;
        const double k = std::tan (pi * frequency / sampleRate);
        const double q = 1.0 / std::sqrt (2.0);
        const double norm = 1.0 / (1.0 + k / q + k * k);
        dsp::BiquadCoefficients c;
        c.b0 = k * k * norm;
        c.b1 = 2.0 * c.b0;
        c.b2 = c.b0;
        c.a1 = 2.0 * (k * k - 1.0) * norm;
        c.a2 = (1.0 - k / q + k * k) * norm;
        return c;
    }

    constexpr double silentWindowEnergy = 1.0e-7; // -70 dBFS mean square

    /** Sums of LL, RR and LR over a block, in four double lanes each (a product of two floats
        is exact in a double, so only the sums' last bits depend on the order). */
    CREST_VECTOR_CLONES
    void sumProducts (const float* left, const float* right, int n, double& ll, double& rr, double& lr) noexcept
    {
        using namespace dsp::vec;
        V4 sumLL {}, sumRR {}, sumLR {};
        int i = 0;
        for (; i + 4 <= n; i += 4)
        {
            const V4 l = __builtin_convertvector (loadFloats4 (left + i), V4);
            const V4 r = __builtin_convertvector (loadFloats4 (right + i), V4);
            sumLL += l * l;
            sumRR += r * r;
            sumLR += l * r;
        }
        for (int lane = 0; lane < 4; ++lane)
        {
            ll += sumLL[lane];
            rr += sumRR[lane];
            lr += sumLR[lane];
        }
        for (; i < n; ++i)
        {
            const double l = left[i], r = right[i];
            ll += l * l;
            rr += r * r;
            lr += l * r;
        }
    }

    /** Sum of a short run of samples (one boxcar group), in four double lanes. */
    CREST_VECTOR_CLONES
    void sumPair (const float* left, const float* right, int n, double& sumLeft, double& sumRight) noexcept
    {
        using namespace dsp::vec;
        V4 l {}, r {};
        int i = 0;
        for (; i + 4 <= n; i += 4)
        {
            l += __builtin_convertvector (loadFloats4 (left + i), V4);
            r += __builtin_convertvector (loadFloats4 (right + i), V4);
        }
        for (; i < n; ++i)
        {
            sumLeft += left[i];
            sumRight += right[i];
        }
        sumLeft += (l[0] + l[1]) + (l[2] + l[3]);
        sumRight += (r[0] + r[1]) + (r[2] + r[3]);
    }
} // namespace

void StereoFieldMeter::prepare (double rate)
{
    sampleRate = rate;
    // The low band is measured at a reduced rate: means of `decimation` samples (a boxcar
    // whose nulls at multiples of ~3 kHz keep aliases out of the band below 150 Hz) feed the
    // Linkwitz-Riley low-pass, which then runs 16 times less often at 48 kHz.
    decimation = std::max (1, (int) (sampleRate / 3000.0));
    const auto c = butterworthLowPass (sampleRate / decimation, lowBandHz);
    for (auto* f : { &lowLeft[0], &lowLeft[1], &lowRight[0], &lowRight[1] })
        f->setCoefficients (c);
    reset();
}

void StereoFieldMeter::reset() noexcept
{
    samplesSeen = stepStart = steps = 0;
    nextStepEnd = std::llround (sampleRate / 10.0);
    total = lowTotal = step = {};
    window.fill ({});
    windowStarts.fill (0);
    for (auto* f : { &lowLeft[0], &lowLeft[1], &lowRight[0], &lowRight[1] })
        f->reset();
    minimum.reset();
    latestWindow.reset();
    minimumAt = 0;
    pendingLeft = pendingRight = 0.0;
    pendingCount = 0;
}

void StereoFieldMeter::process (const float* left, const float* right, int numSamples) noexcept
{
    int offset = 0;
    while (offset < numSamples)
    {
        const int n = (int) std::min<int64_t> (numSamples - offset, nextStepEnd - samplesSeen);
        Sums s;
        sumProducts (left + offset, right + offset, n, s.ll, s.rr, s.lr);

        Sums low;
        for (int i = offset; i < offset + n;)
        {
            const int take = std::min (offset + n - i, decimation - pendingCount);
            sumPair (left + i, right + i, take, pendingLeft, pendingRight);
            pendingCount += take;
            i += take;
            if (pendingCount < decimation)
                break;

            const double l = lowLeft[1].process (lowLeft[0].process (pendingLeft / decimation));
            const double r = lowRight[1].process (lowRight[0].process (pendingRight / decimation));
            low.ll += l * l;
            low.rr += r * r;
            low.lr += l * r;
            pendingLeft = pendingRight = 0.0;
            pendingCount = 0;
        }
        for (auto* f : { &lowLeft[0], &lowLeft[1], &lowRight[0], &lowRight[1] })
            f->flushDenormals();

        total.add (s);
        lowTotal.add (low);
        step.add (s);
        offset += n;
        samplesSeen += n;
        if (samplesSeen == nextStepEnd)
            completeStep();
    }
}

void StereoFieldMeter::completeStep() noexcept
{
    const auto slot = (size_t) (steps % 4);
    window[slot] = step;
    windowStarts[slot] = stepStart;
    step = {};
    ++steps;
    stepStart = samplesSeen;
    nextStepEnd = std::llround ((double) (steps + 1) * sampleRate / 10.0);

    latestWindow.reset();
    if (steps < 4)
        return;

    Sums w;
    for (const auto& s : window)
        w.add (s);

    const double windowSamples = (double) (samplesSeen - windowStarts[(size_t) (steps % 4)]);
    if (w.ll / windowSamples < silentWindowEnergy || w.rr / windowSamples < silentWindowEnergy)
        return;

    const auto c = correlationOf (w);
    latestWindow = c;
    if (c && (! minimum || *c < *minimum))
    {
        minimum = c;
        minimumAt = windowStarts[(size_t) (steps % 4)];
    }
}

std::optional<double> StereoFieldMeter::correlationOf (const Sums& s) noexcept
{
    if (! (s.ll > 0.0) || ! (s.rr > 0.0))
        return std::nullopt;
    return std::clamp (s.lr / std::sqrt (s.ll * s.rr), -1.0, 1.0);
}

std::optional<double> StereoFieldMeter::foldDownOf (const Sums& s) noexcept
{
    const double stereo = 0.5 * (s.ll + s.rr);
    if (! (stereo > 0.0))
        return std::nullopt;
    const double mono = 0.25 * (s.ll + s.rr + 2.0 * s.lr);
    return 10.0 * std::log10 (std::max (mono / stereo, 1.0e-12));
}

std::optional<double> StereoFieldMeter::sideToMidDb() const noexcept
{
    const double mid = 0.25 * (total.ll + total.rr + 2.0 * total.lr);
    const double side = 0.25 * (total.ll + total.rr - 2.0 * total.lr);
    if (! (mid > 0.0) && ! (side > 0.0))
        return std::nullopt;
    return 10.0 * std::log10 (std::max (side, 1.0e-30) / std::max (mid, 1.0e-30));
}

std::optional<double> StereoFieldMeter::balanceDb() const noexcept
{
    if (! (total.ll > 0.0) || ! (total.rr > 0.0))
        return std::nullopt;
    return 10.0 * std::log10 (total.ll / total.rr);
}

} // namespace crest::analysis
