#pragma once

#include "dsp/Biquad.h"
#include "dsp/LinearSmoother.h"
#include "dsp/Oversampler.h"

#include <array>
#include <vector>

namespace crest::dsp
{

/** Stereo saturation for mastering: tape (symmetric soft saturation with a touch of
    high-frequency softening) or tube (asymmetric, so even harmonics, with the DC that
    creates removed), oversampled so that the harmonics it makes do not fold back as aliases.

    Design: the curve runs at 8x below 50 kHz (4x below 100 kHz, 2x above) through linear-phase
    oversampling, so the wet signal is a pure delay of what it would be without oversampling
    and the dry path is delayed by exactly the same amount. The curves are analytic (tanh), so
    their harmonics fall off exponentially and nothing survives far enough up to alias at that
    rate. The wet signal is formed as dry + (distortion residual), and only the residual is
    DC-blocked: the programme's own low end passes untouched.

    Drive: the curve's input is the signal times s = 0.25 * 10^(drive/20) (full scale sits
    12 dB below the knee at 0 dB), and its output is divided by s, so quiet material keeps its
    level and drive shapes the peaks. Drive 0 dB is clean by definition: the saturation fades
    in over the first 6 dB of drive, so the defaults (drive 0, any mix, output 0 dB) are
    bit-exact apart from the delay.

    Speed: the curve is a branch-free tanh (within 4e-7 of it, exactly odd; see
    tapeCurve()) evaluated a block of oversampled points at a time, vectorised, with the
    per-point scale and its inverse shared by both channels; the oversampler's filters are
    vectorised too, and both channels' filters of the mix run in one loop. Clones for AVX-512,
    AVX2 and plain x86-64 all give the same bits (no fused multiply-adds).

    Must never: allocate, lock or do I/O in process(); let a NaN or infinity reach its filter
    memory (non-finite input samples are treated as silence).
*/
class Saturator
{
public:
    /** The kind of curve. */
    enum class Character
    {
        tape,
        tube
    };

    /** The oversampling factor used at a sample rate. */
    static int oversamplingFor (double sampleRate) noexcept;

    /** The tape curve (symmetric, unity slope at zero): tanh, as process() computes it,
        within 4e-7 of it relative to its value and exactly odd. */
    static float tapeCurve (float x) noexcept;

    /** The tube curve (asymmetric, unity slope and zero output at zero), from tapeCurve(). */
    static float tubeCurve (float x) noexcept;

    /** Designs the oversampling and filters. Not realtime-safe. */
    void prepare (double sampleRate, int maxBlockSize);

    /** Clears all signal memory and jumps every setting to its target. */
    void reset() noexcept;

    /** The curve; a change crossfades between the two curves. */
    void setCharacter (Character c) noexcept;

    /** Drive in dB (0 = clean). Smoothed. */
    void setDriveDb (float db) noexcept;

    /** Wet amount, 0..1. Smoothed. */
    void setMix (float mix) noexcept;

    /** Output level in dB. Smoothed. */
    void setOutputDb (float db) noexcept;

    /** Processes a stereo block in place (any length). */
    void process (float* left, float* right, int numSamples) noexcept;

    /** Delay added, in samples (the oversampling round trip). */
    int latencySamples() const noexcept { return latency; }

    /** The oversampling factor in use. */
    int getOversampling() const noexcept { return factor; }

private:
    static constexpr int chunk = 256;

    void processChunk (float* const* channels, int n) noexcept;

    double sampleRate = 48000.0;
    int factor = 8, latency = 0;
    std::array<Oversampler, 2> oversamplers;
    std::array<std::vector<float>, 2> dryDelay; // ring buffers for the dry path
    int delayMask = 0, delayWrite = 0;
    std::array<Biquad, 2> shelves; // tape's high-frequency softening
    std::array<double, 2> dcInput {}, dcOutput {}; // residual DC blocker state
    double dcPole = 0.999;

    LinearSmoother drive, mix, output, tubeBlend;
    float driveTarget = 0.0f, mixTarget = 0.0f, outputTarget = 1.0f, blendTarget = 0.0f;

    // Per-sample settings of the current chunk, shared by both channels.
    std::array<float, chunk + 1> scale {}; // curve input scale s, one extra for interpolation
    std::array<float, chunk> amount {}, softening {}, blend {}, gain {};
    float lastScale = 0.25f;
    // ... and per oversampled point: the scale, its inverse and the blend.
    std::array<float, chunk * 8> pointScales {}, pointInverses {}, pointBlends {};
    std::array<std::array<float, chunk>, 2> input {}, wet {}; // per channel; input becomes the dry path
};

} // namespace crest::dsp
