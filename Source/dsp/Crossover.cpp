#include "dsp/Crossover.h"

#include "dsp/FftwPlanner.h"

#include "dsp/FirDesign.h"

#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdint>
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
        const double i0Beta = std::cyl_bessel_i (0.0, beta);
        for (int n = 0; n < length; ++n)
        {
            const double r = (double) (n - delay) / (double) delay;
            window[(size_t) n] = std::cyl_bessel_i (0.0, beta * std::sqrt (std::max (0.0, 1.0 - r * r))) / i0Beta;
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

    void process (const float* const* input, float* const* const* bands, int numSamples) noexcept
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
                {
                    const float* queued = ch.outputs.data() + (size_t) b * (size_t) partition + (size_t) position;
                    std::copy (queued, queued + take, bands[b][c] + done);
                }
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
    reset();
}

void Crossover::setFrequencies (const std::array<float, 3>& frequenciesHz) noexcept
{
    const auto f = sanitise (frequenciesHz);
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
        for (auto& s : splits[k])
        {
            s.first.reset();
            s.low.reset();
            s.high.reset();
            for (auto& a : s.allPassForBand)
                a.reset();
        }
    }
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
    for (auto& s : splits[split])
    {
        s.first.setCoefficients (c);
        s.low.setCoefficients (c);
        s.high.setCoefficients (c);
        for (auto& a : s.allPassForBand)
            a.setCoefficients (c);
    }
}

void Crossover::process (const float* const* input, float* const* const* bands, int numSamples) noexcept
{
    if (linear != nullptr)
        processLinearPhase (input, bands, numSamples);
    else
        processLinkwitzRiley (input, bands, numSamples);
}

void Crossover::processLinearPhase (const float* const* input, float* const* const* bands, int numSamples) noexcept
{
    linear->process (input, bands, numSamples);
}

void Crossover::processLinkwitzRiley (const float* const* input, float* const* const* bands, int numSamples) noexcept
{
    const int numSplits = bandCount - 1;
    for (int i = 0; i < numSamples; ++i)
    {
        for (int k = 0; k < numSplits; ++k)
            if (splitLog2[k].isSmoothing())
                updateSplit (k, std::exp2 ((double) splitLog2[k].next()));

        for (int c = 0; c < channelCount; ++c)
        {
            double out[maxBands];
            double rest = input[c][i];
            if (! std::isfinite (rest))
                rest = 0.0; // a NaN in the filter memory would never leave it
            for (int k = 0; k < numSplits; ++k)
            {
                auto& s = splits[k][c];
                // Bands already split off get this split's all-pass, so that they keep the
                // phase of the signal still to be split.
                for (int j = 0; j < k; ++j)
                {
                    s.allPassForBand[j].process (out[j]);
                    out[j] = s.allPassForBand[j].allPass();
                }
                s.first.process (rest);
                s.low.process (s.first.low());
                s.high.process (s.first.high());
                out[k] = s.low.low();
                rest = s.high.high();
            }
            out[numSplits] = rest;
            for (int b = 0; b <= numSplits; ++b)
                bands[b][c][i] = (float) out[b];
        }
    }

    for (int k = 0; k < numSplits; ++k)
        for (int c = 0; c < channelCount; ++c)
        {
            auto& s = splits[k][c];
            s.first.flushDenormals();
            s.low.flushDenormals();
            s.high.flushDenormals();
            for (int j = 0; j < k; ++j)
                s.allPassForBand[j].flushDenormals();
        }
}

} // namespace crest::dsp
