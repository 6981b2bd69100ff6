#include "dsp/TruePeakLimiter.h"

#include <algorithm>
#include <cmath>

namespace crest::dsp
{
namespace
{
    constexpr double smoothingSeconds = 0.02; // input gain, ceiling and unlink changes glide
    constexpr double slowChargeMs = 100.0; // auto release: how fast sustained limiting is noticed
    constexpr double safetyReleaseMs = 10.0; // the safety stage's corrections are tiny; let them go soon
    // Detection filters are flat nearly to the Nyquist frequency, so full-band material's peaks
    // are seen; the safety stage's is the flattest (it has the last word). Images at -90 dB
    // move a peak by 0.0003 dB at most.
    constexpr double mainPassband = 0.485, safetyPassband = 0.49;
    constexpr double detectionStopbandDb = 90.0;

    float dbToGain (float db)
    {
        return db == 0.0f ? 1.0f : std::pow (10.0f, db / 20.0f);
    }

    float decayCoefficient (double ms, double rate)
    {
        return (float) std::exp (-1000.0 / (std::max (0.01, ms) * rate));
    }
} // namespace

//==============================================================================
void TruePeakLimiter::SlidingMax::prepare (int windowSize)
{
    size = std::max (1, windowSize);
    values.assign ((size_t) size + 1, 0.0f);
    positions.assign ((size_t) size + 1, 0);
    reset();
}

void TruePeakLimiter::SlidingMax::reset() noexcept
{
    head = count = 0;
    now = 0;
}

float TruePeakLimiter::SlidingMax::push (float v) noexcept
{
    // Values no larger than the newcomer can never be the maximum again: drop them from the
    // back, so the queue stays decreasing and its front is the window's maximum.
    const int capacity = (int) values.size();
    while (count > 0)
    {
        const int back = (head + count - 1) % capacity;
        if (values[(size_t) back] > v)
            break;
        --count;
    }
    const int slot = (head + count) % capacity;
    values[(size_t) slot] = v;
    positions[(size_t) slot] = now;
    ++count;

    while (positions[(size_t) head] <= now - size)
    {
        head = (head + 1) % capacity;
        --count;
    }
    ++now;
    return values[(size_t) head];
}

void TruePeakLimiter::RunningMean::prepare (int length)
{
    size = std::max (1, length);
    values.assign ((size_t) size, 0.0);
    reset();
}

void TruePeakLimiter::RunningMean::reset() noexcept
{
    std::fill (values.begin(), values.end(), 0.0);
    position = nonZero = 0;
    sum = 0.0;
}

double TruePeakLimiter::RunningMean::push (double v) noexcept
{
    const double old = values[(size_t) position];
    values[(size_t) position] = v;
    if (++position == size)
        position = 0;
    nonZero += (v != 0.0 ? 1 : 0) - (old != 0.0 ? 1 : 0);
    // Resetting the sum whenever the window is clear keeps rounding from ever accumulating
    // and makes "no limiting" exactly unity gain.
    sum = nonZero == 0 ? 0.0 : sum + (v - old);
    return sum / (double) size;
}

//==============================================================================
int TruePeakLimiter::detectionOversamplingFor (double rate) noexcept
{
    // 8x up to 96 kHz: white noise there is flat to 48 kHz, and a 4x grid could under-read
    // its inter-sample peaks. Above, programme material has little near the Nyquist frequency.
    if (rate < 100000.0)
        return 8;
    if (rate < 200000.0)
        return 4;
    return 2;
}

void TruePeakLimiter::Stage::prepare (double passband, int oversampling, int lookaheadSamples)
{
    factor = oversampling;
    lookahead = std::max (1, lookaheadSamples);

    Oversampler::Options options;
    options.factor = factor;
    options.phase = Oversampler::Phase::linear;
    options.passband = passband;
    options.stopbandDb = detectionStopbandDb;

    const int firstLength = (lookahead + 1) / 2;
    const int secondLength = lookahead + 1 - firstLength; // the two ramps add up to the look-ahead
    for (auto& c : channels)
    {
        c.detector.prepare (options, chunk);
        c.hold.prepare (lookahead + 2 * guardSamples);
        c.first.prepare (firstLength);
        c.second.prepare (secondLength);
    }
    // Detection completes a group one sample late (see detect()), hence the + 1.
    latency = channels[0].detector.upsamplingLatency() + 1 + lookahead - 1 + guardSamples;

    int size = 1;
    while (size < latency + chunk + 1)
        size <<= 1;
    delayMask = size - 1;
    for (auto& c : channels)
        c.delay.assign ((size_t) size, 0.0f);
    reset();
}

void TruePeakLimiter::Stage::reset() noexcept
{
    for (auto& c : channels)
    {
        c.detector.reset();
        c.hold.reset();
        c.first.reset();
        c.second.reset();
        std::fill (c.delay.begin(), c.delay.end(), 0.0f);
        c.release = c.fast = c.slow = 0.0f;
        c.before = c.centre = c.groupPeak = 0.0f;
    }
    delayWrite = 0;
}

void TruePeakLimiter::Stage::detect (const float* const* input, int n) noexcept
{
    // Per base-rate sample, the largest magnitude of the waveform from that sample up to the
    // next one. Each local maximum of the oversampled magnitude is refined by the parabola
    // through it and its neighbours. A maximum needs the next oversampled value, so a group
    // is complete only when the next one starts: results come one sample late.
    for (int ch = 0; ch < 2; ++ch)
    {
        auto& state = channels[(size_t) ch];
        const float* up = state.detector.upsample (input[ch], n);
        auto& p = peaks[(size_t) ch];
        float before = state.before, centre = state.centre, group = state.groupPeak;
        for (int i = 0; i < n; ++i)
        {
            const float* u = up + i * factor;
            for (int k = 0; k < factor; ++k)
            {
                const float after = u[k];
                float peak = std::fabs (centre);
                if (peak >= std::fabs (before) && peak >= std::fabs (after) && peak > 0.0f)
                {
                    const float sign = centre > 0.0f ? 1.0f : -1.0f;
                    const float ym = sign * before, yp = sign * after;
                    const float curvature = 2.0f * peak - ym - yp;
                    if (curvature > 0.0f)
                        peak += (yp - ym) * (yp - ym) / (8.0f * curvature);
                }
                if (k == 0)
                {
                    p[(size_t) i] = std::max (group, peak); // `centre` closed the previous group
                    group = 0.0f;
                }
                else
                {
                    group = std::max (group, peak);
                }
                before = centre;
                centre = after;
            }
        }
        state.before = before;
        state.centre = centre;
        state.groupPeak = group;
    }
}

float TruePeakLimiter::Stage::delayAndApply (int channel, int i, float input, float gain) noexcept
{
    auto& delay = channels[(size_t) channel].delay;
    const int write = delayWrite + i;
    delay[(size_t) (write & delayMask)] = input;
    return gain * delay[(size_t) ((write - latency) & delayMask)];
}

//==============================================================================
TruePeakLimiter::TruePeakLimiter()
{
    setCeilingDb (-1.0f);
}

void TruePeakLimiter::prepare (double rate, int, double lookaheadMs)
{
    sampleRate = rate;
    factor = detectionOversamplingFor (rate);
    main.prepare (mainPassband, factor, (int) std::lround (lookaheadMs * 0.001 * rate));
    safety.prepare (safetyPassband, factor, (int) std::lround (safetyLookaheadMs * 0.001 * rate));

    inputGain.prepare (rate, smoothingSeconds, inputTarget);
    ceiling.prepare (rate, smoothingSeconds, ceilingTarget);
    unlink.prepare (rate, smoothingSeconds, unlinkTarget);
    updateReleaseCoefficients();
    reset();
}

void TruePeakLimiter::reset() noexcept
{
    main.reset();
    safety.reset();
    inputGain.reset (inputTarget);
    ceiling.reset (ceilingTarget);
    unlink.reset (unlinkTarget);
    reduction.store (0.0f, std::memory_order_relaxed);
}

void TruePeakLimiter::setInputGainDb (float db) noexcept
{
    inputTarget = dbToGain (db);
    inputGain.setTarget (inputTarget);
}

void TruePeakLimiter::setCeilingDb (float dbtp) noexcept
{
    ceilingDb = dbtp;
    ceilingTarget = dbToGain (dbtp - safetyMarginDb);
    ceiling.setTarget (ceilingTarget);
}

void TruePeakLimiter::setReleaseMs (float ms) noexcept
{
    if (ms == releaseMs)
        return;
    releaseMs = ms;
    updateReleaseCoefficients();
}

void TruePeakLimiter::setAutoRelease (bool on) noexcept
{
    if (on == autoRelease)
        return;
    autoRelease = on;
    // Hand the envelope over where it is, so switching modes never jumps the gain.
    for (auto& c : main.channels)
    {
        const float now = std::max ({ c.release, c.fast, c.slow });
        if (on)
        {
            c.fast = now;
            c.slow = 0.0f;
        }
        else
        {
            c.release = now;
        }
    }
}

void TruePeakLimiter::setStereoUnlink (float amount) noexcept
{
    unlinkTarget = std::clamp (amount, 0.0f, 1.0f);
    unlink.setTarget (unlinkTarget);
}

void TruePeakLimiter::updateReleaseCoefficients() noexcept
{
    // Fixed release: the time given. Program-dependent: overshoots beyond the sustained
    // level recover four times faster, the sustained level itself twice slower.
    releaseCoefficient = decayCoefficient (releaseMs, sampleRate);
    fastCoefficient = decayCoefficient (std::max (1.0, releaseMs * 0.25), sampleRate);
    slowCoefficient = decayCoefficient (releaseMs * 2.0, sampleRate);
    slowCharge = 1.0f - decayCoefficient (slowChargeMs, sampleRate);
    safetyRelease = decayCoefficient (safetyReleaseMs, sampleRate);
}

void TruePeakLimiter::process (float* left, float* right, int numSamples) noexcept
{
    float lowest = 1.0f;
    for (int offset = 0; offset < numSamples; offset += chunk)
    {
        float* io[2] = { left + offset, right + offset };
        const int n = std::min (chunk, numSamples - offset);
        processChunk (io, n);
        for (int ch = 0; ch < 2; ++ch)
            for (int i = 0; i < n; ++i)
                lowest = std::min (lowest, gained[(size_t) ch][(size_t) i]); // holds the applied gain
    }
    reduction.store (lowest < 1.0f ? -20.0f * std::log10 (lowest) : 0.0f, std::memory_order_relaxed);
}

float TruePeakLimiter::gainFor (Channel& state, float needDb, bool useAutoRelease, float releaseCoeff) noexcept
{
    const float held = state.hold.push (needDb);

    float gr;
    if (useAutoRelease)
    {
        state.fast = std::max (held, state.fast * fastCoefficient);
        state.slow += held > state.slow ? (held - state.slow) * slowCharge : state.slow * (slowCoefficient - 1.0f);
        if (state.fast < 1.0e-6f)
            state.fast = 0.0f;
        if (state.slow < 1.0e-6f)
            state.slow = 0.0f;
        gr = std::max (state.fast, state.slow);
    }
    else
    {
        state.release = std::max (held, state.release * releaseCoeff);
        if (state.release < 1.0e-6f)
            state.release = 0.0f;
        gr = state.release;
    }

    const double q = gr > 0.0f ? 1.0 - std::pow (10.0, -0.05 * (double) gr) : 0.0;
    const double smoothed = state.second.push (state.first.push (q));
    return smoothed == 0.0 ? 1.0f : (float) (1.0 - smoothed);
}

void TruePeakLimiter::processChunk (float* const* io, int n) noexcept
{
    for (int i = 0; i < n; ++i)
    {
        const float g = inputGain.next();
        for (int ch = 0; ch < 2; ++ch)
        {
            const float v = io[ch][i];
            gained[(size_t) ch][(size_t) i] = std::isfinite (v) ? v * g : 0.0f;
        }
    }

    const float* mainInput[2] = { gained[0].data(), gained[1].data() };
    main.detect (mainInput, n);

    // The safety stage's ceiling sits a fixed ratio above the main stage's target.
    const float safetyRatio = dbToGain (safetyMarginDb - finalMarginDb);
    std::array<float, chunk> safetyCeiling, unlinkAmount;

    const auto needs = [] (const Stage& stage, int i, float c, float u, float* need)
    {
        for (int ch = 0; ch < 2; ++ch)
        {
            const float p = stage.peaks[(size_t) ch][(size_t) i];
            need[ch] = p > c ? 20.0f * std::log10 (p / c) : 0.0f;
        }
        const float linked = std::max (need[0], need[1]);
        for (int ch = 0; ch < 2; ++ch)
            need[ch] = linked + u * (need[ch] - linked);
    };

    for (int i = 0; i < n; ++i)
    {
        const float c = ceiling.next();
        const float u = unlink.next();
        safetyCeiling[(size_t) i] = c * safetyRatio;
        unlinkAmount[(size_t) i] = u;

        float need[2];
        needs (main, i, c, u, need);
        for (int ch = 0; ch < 2; ++ch)
        {
            const float gain = gainFor (main.channels[(size_t) ch], need[ch], autoRelease, releaseCoefficient);
            limited[(size_t) ch][(size_t) i] = main.delayAndApply (ch, i, gained[(size_t) ch][(size_t) i], gain);
            gained[(size_t) ch][(size_t) i] = gain; // the input is in the delay line now: keep the gain for the meter
        }
    }
    main.delayWrite = (main.delayWrite + n) & main.delayMask;

    const float* safetyInput[2] = { limited[0].data(), limited[1].data() };
    safety.detect (safetyInput, n);
    for (int i = 0; i < n; ++i)
    {
        float need[2];
        needs (safety, i, safetyCeiling[(size_t) i], unlinkAmount[(size_t) i], need);
        for (int ch = 0; ch < 2; ++ch)
        {
            const float gain = gainFor (safety.channels[(size_t) ch], need[ch], false, safetyRelease);
            io[ch][i] = safety.delayAndApply (ch, i, limited[(size_t) ch][(size_t) i], gain);
            gained[(size_t) ch][(size_t) i] *= gain;
        }
    }
    safety.delayWrite = (safety.delayWrite + n) & safety.delayMask;
}

} // namespace crest::dsp
