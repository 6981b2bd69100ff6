#include "live/LiveMeter.h"

#include "dsp/FftwPlanner.h"

#include <fftw3.h>

#include <algorithm>
#include <cmath>

namespace crest::live
{

namespace
{
    float toDb (float linear) noexcept
    {
        return linear > 0.0f ? 20.0f * std::log10 (linear) : MeterSnapshot::noReading;
    }

    std::optional<float> toFloat (const std::optional<double>& v) noexcept
    {
        return v ? std::optional<float> ((float) *v) : std::nullopt;
    }
} // namespace

struct LiveMeter::Fft : dsp::RealFftPlan
{
    using RealFftPlan::RealFftPlan;
};

LiveMeter::LiveMeter() = default;
LiveMeter::~LiveMeter() = default;

int LiveMeter::fftSizeFor (double rate) noexcept
{
    int size = 1024;
    while (size < rate * 0.08)
        size *= 2;
    return size;
}

void LiveMeter::setSpectrumOptions (float averaging, float slope, float peakFall) noexcept
{
    averagingSeconds.store (std::max (0.0f, averaging));
    slopeDbPerOctave.store (slope);
    peakFallDbPerSecond.store (std::max (0.0f, peakFall));
}

void LiveMeter::prepare (double rate, int)
{
    sampleRate = rate;
    publishInterval = std::max (1, (int) std::lround (rate / 60.0));
    loudnessMeter.prepare (rate, 2);
    truePeak.prepare (rate, 2);
    stereoField.prepare (rate);

    // PPM: charge toward |x| with a 1.5 ms time constant (a 10 ms 5 kHz burst then reads
    // -1 dB, as Type I asks); fall 20 dB in 1.5 s.
    ppmAttack = (float) (1.0 - std::exp (-1.0 / (0.0015 * rate)));
    ppmRelease = (float) std::pow (10.0, -20.0 / 20.0 / (1.5 * rate));

    fftSize = fftSizeFor (rate);
    hop = fftSize / 4;
    fft = std::make_unique<Fft> (fftSize);
    window.resize ((size_t) fftSize);
    for (int i = 0; i < fftSize; ++i)
        window[(size_t) i] = (float) (0.5 - 0.5 * std::cos (2.0 * M_PI * i / fftSize));
    frameLeft.assign ((size_t) fftSize, 0.0f);
    frameRight.assign ((size_t) fftSize, 0.0f);
    averagedPower.assign ((size_t) fftSize / 2 + 1, 0.0f);

    // Fine points: the largest bin within half a point's spacing either side, or, where the
    // points are closer than the bins (the low end), the interpolated level at the point.
    const int lastBin = fftSize / 2;
    const double binHz = rate / fftSize;
    const double halfStep = std::pow (
        (double) MeterSnapshot::spectrumHighHz / MeterSnapshot::spectrumLowHz, 0.5 / (MeterSnapshot::fineSpectrumSize - 1));
    for (int p = 0; p < MeterSnapshot::fineSpectrumSize; ++p)
    {
        const double f = std::min ((double) MeterSnapshot::fineSpectrumFrequency (p), rate * 0.5);
        fineExact[(size_t) p] = (float) (f / binHz);
        fineLow[(size_t) p] = std::clamp ((int) std::ceil (f / halfStep / binHz), 0, lastBin);
        fineHigh[(size_t) p] = std::clamp ((int) std::floor (f * halfStep / binHz), 0, lastBin);
    }
    // 1/3-octave bands: the bins whose centres fall between the band edges (at least one).
    for (int b = 0; b < MeterSnapshot::thirdOctaveSize; ++b)
    {
        const double fc = MeterSnapshot::thirdOctaveFrequency (b);
        const double low = fc * std::pow (2.0, -1.0 / 6.0), high = std::min (fc * std::pow (2.0, 1.0 / 6.0), rate * 0.5);
        bandLow[(size_t) b] = std::clamp ((int) std::ceil (low / binHz), 0, lastBin);
        bandHigh[(size_t) b] = std::clamp ((int) std::floor (high / binHz), 0, lastBin);
        if (bandHigh[(size_t) b] < bandLow[(size_t) b])
            bandHigh[(size_t) b] = bandLow[(size_t) b] = std::clamp ((int) std::lround (fc / binHz), 0, lastBin);
    }
    resetAll();
}

void LiveMeter::resetAll() noexcept
{
    loudnessMeter.reset();
    truePeak.reset();
    stereoField.reset();
    samplesMetered = 0;
    sinceLastPublish = 0;
    samplePeak = ppm = ppmHighest = holdLinear = intervalTruePeak = {};
    holdAge = {};
    clippedLatch = {};
    stepTruePeaks = {};
    currentStepTruePeak = 0.0f;
    stepTruePeakHead = 0;
    goniometer = {};
    goniometerHead = 0;
    momentaryHistory.fill (MeterSnapshot::noReading);
    shortTermHistory.fill (MeterSnapshot::noReading);
    historyHead = 0;
    std::fill (frameLeft.begin(), frameLeft.end(), 0.0f);
    std::fill (frameRight.begin(), frameRight.end(), 0.0f);
    std::fill (averagedPower.begin(), averagedPower.end(), 0.0f);
    fineDb.fill (MeterSnapshot::noReading);
    finePeakDb.fill (MeterSnapshot::noReading);
    bandDb.fill (MeterSnapshot::noReading);
    bandPeakDb.fill (MeterSnapshot::noReading);
    fill = 0;
    spectrumValid = false;
}

float LiveMeter::truePeakMaxDb() const noexcept
{
    return toDb (std::max (truePeak.getPeak (0), truePeak.getPeak (1)));
}

void LiveMeter::process (const float* left, const float* right, int n, MeterSnapshotBuffer& out) noexcept
{
    if (resetRequested.exchange (false, std::memory_order_acquire))
        resetAll();

    // Cut the block at the loudness meter's 100 ms steps, so the history and the 3 s peak ring
    // get one entry per step whatever the block size.
    int done = 0;
    while (done < n)
    {
        const int part = std::min (n - done, loudnessMeter.samplesUntilStepEnd());
        measure (left + done, right + done, part);
        done += part;
        const auto before = loudnessMeter.stepsCompleted();
        const float* channels[] = { left + done - part, right + done - part };
        loudnessMeter.process (channels, part);
        if (loudnessMeter.stepsCompleted() != before)
            completeLoudnessStep();
    }

    samplesMetered += n;
    sinceLastPublish += n;
    if (sinceLastPublish >= publishInterval)
        publish (out);
}

void LiveMeter::measure (const float* left, const float* right, int n) noexcept
{
    const float* channels[] = { left, right };
    truePeak.process (channels, n);
    stereoField.process (left, right, n);

    for (int c = 0; c < 2; ++c)
    {
        const float* x = channels[c];
        float peak = samplePeak[(size_t) c], level = ppm[(size_t) c], highest = ppmHighest[(size_t) c];
        for (int i = 0; i < n; ++i)
        {
            const float a = std::abs (x[i]);
            peak = std::max (peak, a);
            level = a > level ? level + ppmAttack * (a - level) : level * ppmRelease;
            highest = std::max (highest, level);
        }
        samplePeak[(size_t) c] = peak;
        ppm[(size_t) c] = level < 1.0e-9f ? 0.0f : level;
        ppmHighest[(size_t) c] = highest;
        const float tp = truePeak.takeRecentPeak (c);
        intervalTruePeak[(size_t) c] = std::max (intervalTruePeak[(size_t) c], tp);
        currentStepTruePeak = std::max (currentStepTruePeak, tp);
    }

    for (int i = 0; i < n; ++i)
    {
        goniometer[(size_t) goniometerHead] = { left[i], right[i] };
        if (++goniometerHead == MeterSnapshot::goniometerSize)
            goniometerHead = 0;
    }

    // The spectrum frame is a ring of fftSize samples (`fill` is the next write position);
    // every `hop` samples the last fftSize samples are transformed. hop divides fftSize.
    for (int done = 0; done < n;)
    {
        const int untilHop = hop - fill % hop;
        const int k = std::min (n - done, untilHop);
        std::copy (left + done, left + done + k, frameLeft.begin() + fill);
        std::copy (right + done, right + done + k, frameRight.begin() + fill);
        done += k;
        fill += k;
        if (fill == fftSize)
            fill = 0;
        if (fill % hop == 0)
            transformFrame();
    }
}

void LiveMeter::completeLoudnessStep() noexcept
{
    const auto m = loudnessMeter.momentaryLufs(), s = loudnessMeter.shortTermLufs();
    momentaryHistory[(size_t) historyHead] = m ? (float) *m : MeterSnapshot::noReading;
    shortTermHistory[(size_t) historyHead] = s ? (float) *s : MeterSnapshot::noReading;
    historyHead = (historyHead + 1) % MeterSnapshot::historySize;

    stepTruePeaks[(size_t) stepTruePeakHead] = currentStepTruePeak;
    stepTruePeakHead = (stepTruePeakHead + 1) % (int) stepTruePeaks.size();
    currentStepTruePeak = 0.0f;
}

void LiveMeter::transformFrame() noexcept
{
    const int start = fill; // oldest sample of the ring
    const float hopSeconds = (float) (hop / sampleRate);
    const float tau = averagingSeconds.load (std::memory_order_relaxed);
    const float keep = tau > 0.0f ? std::exp (-hopSeconds / tau) : 0.0f;
    const int bins = fftSize / 2 + 1;

    // Power of a full-scale sine at its peak bin is 1 with this scale (Hann: sum w = N / 2).
    const float scale = 16.0f / ((float) fftSize * (float) fftSize);
    for (int channel = 0; channel < 2; ++channel)
    {
        const auto& ring = channel == 0 ? frameLeft : frameRight;
        const int firstPart = fftSize - start;
        for (int i = 0; i < firstPart; ++i)
            fft->input[i] = ring[(size_t) (start + i)] * window[(size_t) i];
        for (int i = firstPart; i < fftSize; ++i)
            fft->input[i] = ring[(size_t) (i - firstPart)] * window[(size_t) i];
        fftwf_execute (fft->plan);
        for (int k = 0; k < bins; ++k)
        {
            const float re = fft->output[k][0], im = fft->output[k][1];
            const float power = 0.5f * scale * (re * re + im * im); // mean of the two channels
            auto& avg = averagedPower[(size_t) k];
            if (channel == 0)
                avg = keep * avg + (1.0f - keep) * power;
            else
                avg += (1.0f - keep) * power;
        }
    }

    const float slope = slopeDbPerOctave.load (std::memory_order_relaxed);
    const float fall = peakFallDbPerSecond.load (std::memory_order_relaxed) * hopSeconds;
    auto withSlope = [slope] (float db, float hz) { return db + slope * std::log2 (hz / 1000.0f); };
    auto hold = [fall] (float held, float now) { return std::max (now, held - fall); };

    for (int p = 0; p < MeterSnapshot::fineSpectrumSize; ++p)
    {
        float power = 0.0f;
        if (fineHigh[(size_t) p] >= fineLow[(size_t) p])
        {
            for (int k = fineLow[(size_t) p]; k <= fineHigh[(size_t) p]; ++k)
                power = std::max (power, averagedPower[(size_t) k]);
        }
        else
        {
            const float x = fineExact[(size_t) p];
            const int k = std::min ((int) x, bins - 2);
            const float t = x - (float) k;
            power = averagedPower[(size_t) k] + t * (averagedPower[(size_t) k + 1] - averagedPower[(size_t) k]);
        }
        const float db = power > 1.0e-20f ? withSlope (10.0f * std::log10 (power), MeterSnapshot::fineSpectrumFrequency (p))
                                          : MeterSnapshot::noReading;
        fineDb[(size_t) p] = db;
        finePeakDb[(size_t) p] = hold (finePeakDb[(size_t) p], db);
    }

    // Band power: the sum over the band's bins, divided by the Hann window's noise bandwidth
    // (1.5 bins), so a sine reads its level in its band.
    for (int b = 0; b < MeterSnapshot::thirdOctaveSize; ++b)
    {
        float power = 0.0f;
        for (int k = bandLow[(size_t) b]; k <= bandHigh[(size_t) b]; ++k)
            power += averagedPower[(size_t) k];
        power /= 1.5f;
        const float db = power > 1.0e-20f ? withSlope (10.0f * std::log10 (power), MeterSnapshot::thirdOctaveFrequency (b))
                                          : MeterSnapshot::noReading;
        bandDb[(size_t) b] = db;
        bandPeakDb[(size_t) b] = hold (bandPeakDb[(size_t) b], db);
    }
    spectrumValid = true;
}

void LiveMeter::publish (MeterSnapshotBuffer& out) noexcept
{
    auto& s = out.writeSlot();
    const double interval = sinceLastPublish / sampleRate;
    sinceLastPublish = 0;

    s.sequence = ++sequence;
    s.samplesMetered = samplesMetered;
    s.sampleRate = sampleRate;

    const auto loudness = loudnessMeter.getSnapshot();
    s.momentaryLufs = toFloat (loudness.momentaryLufs);
    s.shortTermLufs = toFloat (loudness.shortTermLufs);
    s.integratedLufs = toFloat (loudness.integratedLufs);
    s.loudnessRangeLu = toFloat (loudness.loudnessRangeLu);
    s.momentaryMaxLufs = toFloat (loudness.momentaryMaxLufs);
    s.shortTermMaxLufs = toFloat (loudness.shortTermMaxLufs);

    const float threshold = clipThreshold.load (std::memory_order_relaxed);
    s.clipThresholdDbtp = threshold;
    for (int c = 0; c < 2; ++c)
    {
        const auto i = (size_t) c;
        s.samplePeakDb[i] = toDb (samplePeak[i]);
        s.ppmDb[i] = toDb (ppmHighest[i]);
        ppmHighest[i] = ppm[i];
        s.truePeakDb[i] = toDb (intervalTruePeak[i]);
        holdAge[i] += interval;
        if (intervalTruePeak[i] >= holdLinear[i] || holdAge[i] > MeterSnapshot::peakHoldSeconds)
        {
            holdLinear[i] = intervalTruePeak[i];
            holdAge[i] = 0.0;
        }
        s.truePeakHoldDb[i] = toDb (holdLinear[i]);
        s.truePeakMaxDb[i] = toDb (truePeak.getPeak (c));
        if (s.truePeakMaxDb[i] > threshold)
            clippedLatch[i] = true;
        s.clipped[i] = clippedLatch[i];
        samplePeak[i] = 0.0f;
        intervalTruePeak[i] = 0.0f;
    }

    const float maxTp = std::max (s.truePeakMaxDb[0], s.truePeakMaxDb[1]);
    s.plrDb
        = s.integratedLufs && maxTp > MeterSnapshot::noReading ? std::optional<float> (maxTp - *s.integratedLufs) : std::nullopt;
    float recent = currentStepTruePeak;
    for (float v : stepTruePeaks)
        recent = std::max (recent, v);
    s.psrDb = s.shortTermLufs && recent > 0.0f ? std::optional<float> (toDb (recent) - *s.shortTermLufs) : std::nullopt;

    s.correlation = toFloat (stereoField.latestWindowCorrelation());

    // Rings are handed over oldest first, so the GUI draws them as they are.
    const auto g = (size_t) goniometerHead;
    std::copy (goniometer.begin() + (long) g, goniometer.end(), s.goniometer.begin());
    std::copy (goniometer.begin(), goniometer.begin() + (long) g, s.goniometer.begin() + (long) (goniometer.size() - g));
    const auto h = (size_t) historyHead;
    std::copy (momentaryHistory.begin() + (long) h, momentaryHistory.end(), s.momentaryHistory.begin());
    std::copy (momentaryHistory.begin(), momentaryHistory.begin() + (long) h,
        s.momentaryHistory.begin() + (long) (momentaryHistory.size() - h));
    std::copy (shortTermHistory.begin() + (long) h, shortTermHistory.end(), s.shortTermHistory.begin());
    std::copy (shortTermHistory.begin(), shortTermHistory.begin() + (long) h,
        s.shortTermHistory.begin() + (long) (shortTermHistory.size() - h));

    s.fineSpectrumDb = fineDb;
    s.fineSpectrumPeakDb = finePeakDb;
    s.thirdOctaveDb = bandDb;
    s.thirdOctavePeakDb = bandPeakDb;

    out.publish();
}

} // namespace crest::live
