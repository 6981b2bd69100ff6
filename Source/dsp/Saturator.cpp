#include "dsp/Saturator.h"

#include <algorithm>
#include <cmath>

namespace crest::dsp
{
namespace
{
    constexpr double pi = 3.14159265358979323846;
    constexpr float baseScale = 0.25f; // curve input for a full-scale sample at 0 dB drive
    constexpr float fadeInDb = 6.0f; // drive over which the saturation fades in from clean
    constexpr float tubeBias = 0.35f; // offset into tanh that makes the tube curve asymmetric
    constexpr double shelfCornerHz = 8000.0; // tape softening: first-order shelf pole
    constexpr double shelfGainDb = -2.0; // ... and its high-frequency gain at full drive
    constexpr double dcCornerHz = 5.0; // the residual's DC blocker

    // Computed once at start-up, so the curve itself has no static-initialisation guard.
    const float tubeOffset = std::tanh (tubeBias);

    float dbToGain (float db)
    {
        return db == 0.0f ? 1.0f : std::pow (10.0f, db / 20.0f);
    }
} // namespace

int Saturator::oversamplingFor (double rate) noexcept
{
    // The top rate stays at 350 kHz or more: the curves' harmonics have decayed far below
    // -90 dB before they could fold back into the audio band.
    if (rate < 50000.0)
        return 8;
    if (rate < 100000.0)
        return 4;
    return 2;
}

float Saturator::tapeCurve (float x) noexcept
{
    return std::tanh (x);
}

float Saturator::tubeCurve (float x) noexcept
{
    // (tanh (x + b) - tanh (b)) / (1 - tanh^2 (b)), rewritten by the addition theorem so that
    // quiet signals do not lose their precision to the difference of two nearly equal values.
    const float t = std::tanh (x);
    return t / (1.0f + tubeOffset * t);
}

void Saturator::prepare (double rate, int)
{
    sampleRate = rate;
    factor = oversamplingFor (rate);
    Oversampler::Options options;
    options.factor = factor;
    options.phase = Oversampler::Phase::linear;
    for (auto& os : oversamplers)
        os.prepare (options, chunk);
    latency = oversamplers[0].latencySamples();

    int size = 1;
    while (size < latency + chunk + 1)
        size <<= 1;
    delayMask = size - 1;
    for (auto& d : dryDelay)
        d.assign ((size_t) size, 0.0f);

    // First-order high shelf by the bilinear transform, prewarped at its pole.
    const double t = std::tan (pi * shelfCornerHz / rate);
    const double g = std::pow (10.0, shelfGainDb / 20.0);
    BiquadCoefficients c;
    c.b0 = (g + t) / (1.0 + t);
    c.b1 = (t - g) / (1.0 + t);
    c.b2 = 0.0;
    c.a1 = (t - 1.0) / (1.0 + t);
    c.a2 = 0.0;
    for (auto& s : shelves)
        s.setCoefficients (c);

    dcPole = std::exp (-2.0 * pi * dcCornerHz / rate);

    drive.prepare (rate, 0.05, driveTarget);
    mix.prepare (rate, 0.02, mixTarget);
    output.prepare (rate, 0.02, outputTarget);
    tubeBlend.prepare (rate, 0.03, blendTarget);
    reset();
}

void Saturator::reset() noexcept
{
    for (auto& os : oversamplers)
        os.reset();
    for (auto& d : dryDelay)
        std::fill (d.begin(), d.end(), 0.0f);
    delayWrite = 0;
    for (auto& s : shelves)
        s.reset();
    dcInput.fill (0.0);
    dcOutput.fill (0.0);
    drive.reset (driveTarget);
    mix.reset (mixTarget);
    output.reset (outputTarget);
    tubeBlend.reset (blendTarget);
    lastScale = baseScale * dbToGain (driveTarget);
}

void Saturator::setCharacter (Character c) noexcept
{
    blendTarget = c == Character::tube ? 1.0f : 0.0f;
    tubeBlend.setTarget (blendTarget);
}

void Saturator::setDriveDb (float db) noexcept
{
    driveTarget = std::max (0.0f, db);
    drive.setTarget (driveTarget);
}

void Saturator::setMix (float m) noexcept
{
    mixTarget = std::clamp (m, 0.0f, 1.0f);
    mix.setTarget (mixTarget);
}

void Saturator::setOutputDb (float db) noexcept
{
    outputTarget = dbToGain (db);
    output.setTarget (outputTarget);
}

void Saturator::process (float* left, float* right, int numSamples) noexcept
{
    for (int offset = 0; offset < numSamples; offset += chunk)
    {
        float* channels[2] = { left + offset, right + offset };
        processChunk (channels, std::min (chunk, numSamples - offset));
    }
}

void Saturator::processChunk (float* const* channels, int n) noexcept
{
    // Settings, sample by sample, shared by both channels. Powers only while drive moves.
    scale[0] = lastScale;
    const bool driveMoving = drive.isSmoothing();
    float s = baseScale * dbToGain (drive.value());
    for (int i = 0; i < n; ++i)
    {
        const float d = drive.next();
        if (driveMoving)
            s = baseScale * dbToGain (d);
        const float b = tubeBlend.next();
        scale[(size_t) i + 1] = s;
        amount[(size_t) i] = mix.next() * std::min (1.0f, d / fadeInDb);
        softening[(size_t) i] = (1.0f - b) * d / 24.0f;
        blend[(size_t) i] = b;
        gain[(size_t) i] = output.next();
    }
    lastScale = scale[(size_t) n];

    const int dryLatency = latency;
    for (int ch = 0; ch < 2; ++ch)
    {
        float* x = channels[ch];
        for (int i = 0; i < n; ++i)
            input[(size_t) i] = std::isfinite (x[i]) ? x[i] : 0.0f;

        auto& os = oversamplers[(size_t) ch];
        float* up = os.upsample (input.data(), n);
        const float stepScale = 1.0f / (float) factor;
        for (int i = 0; i < n; ++i)
        {
            const float s0 = scale[(size_t) i], s1 = scale[(size_t) i + 1];
            const float b = blend[(size_t) i];
            float* u = up + i * factor;
            for (int k = 0; k < factor; ++k)
            {
                // The scale glides within the base-rate sample, so drive ramps stay smooth.
                const float sk = s0 + (s1 - s0) * (float) (k + 1) * stepScale;
                const float v = u[k] * sk;
                float y;
                if (b == 0.0f)
                    y = tapeCurve (v);
                else if (b == 1.0f)
                    y = tubeCurve (v);
                else
                {
                    const float tape = tapeCurve (v);
                    y = tape + b * (tubeCurve (v) - tape);
                }
                u[k] = y / sk;
            }
        }
        os.downsample (up, wet.data(), n);

        auto& delay = dryDelay[(size_t) ch];
        auto& shelf = shelves[(size_t) ch];
        double& dcIn = dcInput[(size_t) ch];
        double& dcOut = dcOutput[(size_t) ch];
        for (int i = 0; i < n; ++i)
        {
            const int w = delayWrite + i;
            delay[(size_t) (w & delayMask)] = input[(size_t) i];
            const float dry = delay[(size_t) ((w - dryLatency) & delayMask)];

            const float full = wet[(size_t) i];
            const double residual = (double) full - (double) dry;
            const double hp = residual - dcIn + dcPole * dcOut;
            dcIn = residual;
            dcOut = hp;
            const float softened = (float) (shelf.process (full) - (double) full);

            const float a = amount[(size_t) i];
            const float y = a == 0.0f ? dry : dry + a * ((float) hp + softening[(size_t) i] * softened);
            x[i] = gain[(size_t) i] * y;
        }

        shelf.flushDenormals();
        if (std::fabs (dcOut) < 1.0e-30)
            dcOut = 0.0;
    }
    delayWrite = (delayWrite + n) & delayMask;
}

} // namespace crest::dsp
