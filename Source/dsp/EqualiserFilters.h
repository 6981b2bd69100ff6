#pragma once

#include "dsp/Biquad.h"

#include <array>

namespace crest::dsp
{

/*  Equaliser band design.

    What it is for: turning one equaliser band (bell, shelf, cut, notch, tilt) into a short
    cascade of minimum-phase IIR sections whose magnitude follows the band's *analog* prototype
    up to Nyquist, and describing that prototype exactly (for the linear-phase FIR design and
    for tests).

    Why not the bilinear transform: it squeezes the whole analog axis into 0..Nyquist, so a
    bell at 12 kHz at 44.1 kHz comes out narrower and a high shelf stops short ("cramping").
    Here each section is magnitude-matched instead, after the idea of M. Vicanek's "Matched
    Second Order Digital Filters": the poles come from impulse invariance (each analog pole
    s maps to e^(sT), so a resonance keeps its frequency and bandwidth however close to Nyquist
    it is), and the numerator is chosen in the squared-magnitude domain, where a biquad's
    response is linear in three numbers. Vicanek fixes those three by matching DC, Nyquist and
    one frequency; that is kept for the detector filters and as a fallback, but the band
    filters fit the two numbers other than the DC value by weighted least squares (relative,
    i.e. close to dB, error) on a grid that samples the prototype's sharp features and the
    top octaves, then take the minimum-phase spectral factor. That holds within 0.03 dB of
    the prototype from 20 Hz to 20 kHz at 192 kHz for every setting with f0 up to 20 kHz
    (0.14 dB for resonant shelves placed above the audio band), and high-Q shelves, whose
    zeros are as sharp as their poles, stay right where a three-point match fails by decibels.
    Bands whose sharp feature sits in the analog zeros (a bell cut, a high-shelf boost) are
    designed as the reciprocal of the mirrored band, so impulse invariance always models the
    sharp part and boost and cut are exact mirror images; a notch keeps its zeros exactly on
    the unit circle and fits its poles the same way.

    The top section. A digital response always levels off at Nyquist (its slope there is
    zero), an analog one need not, so at 44.1/48 kHz one section cannot follow bands whose
    skirts are still moving at 20 kHz (wide or high bands): it was 0.5 dB off for bells, notches
    and cuts and up to 2.6 dB for resonant shelves. Every band therefore ends with a second
    section whose double real pole sits at z = -1/2, fitted jointly with the band's own
    section: one quartic squared-magnitude fit over both pole pairs, factored back into two
    minimum-phase numerators (dsp/SquaredMagnitudeFit.h). Worst errors against the prototype,
    20 Hz - 20 kHz, every setting (f0 up to 0.48 of the rate, +/-24 dB, Q 0.1 - 24, all
    slopes): 0.096 dB at 48 kHz (resonant shelves; bells 0.03), 0.02 at 88.2/96 and 0.007 at
    176.4/192 kHz; at 44.1 kHz 0.114 for a Q 24 shelf resonating at 20-22 kHz and 0.06 or less
    for typical bands. The tests ([accuracy]) hold these per type and rate. The top section
    costs one biquad per band; a dynamic band, redesigned every sub-block while its dynamics
    move it, takes the design without it (an identity top section the module skips).

    What it must never do: allocate, lock or throw. designEqBand() runs on the audio thread
    while parameters glide (every few hundred microseconds), so it is a fixed amount of
    arithmetic on the stack (about 2 microseconds for the band's sections and 10 for the top
    section's fit).
*/

/** The kinds of band. The order is the order of the module's `type` choice. */
enum class EqBandType
{
    off = 0,
    bell,
    lowShelf,
    highShelf,
    lowCut,
    highCut,
    notch,
    tilt
};

/** One band's settings, in the units people use. */
struct EqBand
{
    EqBandType type = EqBandType::off;
    double frequencyHz = 1000.0; ///< centre (bell, notch, tilt), corner (cuts), mid-gain point (shelves)
    double gainDb = 0.0; ///< bell and shelves: peak/shelf gain; tilt: highs minus lows in total
    double q = 0.7071; ///< bell, notch, shelves (0.7071: no overshoot); ignored by cuts and tilt
    int slopeDbPerOctave = 12; ///< cuts only: 6, 12, 18, 24, 36 or 48 (Butterworth of order slope/6)
};

/** Most second-order sections a band needs (a 48 dB/oct Butterworth cut is 8th order, plus
    the top section). */
constexpr int maxEqSections = 5;

/** A band as a cascade of sections (first-order sections have b2 = a2 = 0). */
struct EqCascade
{
    int numSections = 0; ///< 0 means the band passes audio unchanged
    std::array<BiquadCoefficients, maxEqSections> sections {};
};

/** True when a band with these settings leaves the signal untouched (off, or a gain type at
    0 dB), so that callers can skip it and stay bit-exact. */
bool isIdentity (const EqBand& band) noexcept;

/** Designs the magnitude-matched minimum-phase cascade of a band: its sections, then the top
    section (the identity where the band needs none). Without `withTopSection` the band gets
    its sections alone: the cheap design, for a band whose gain the dynamics move every few
    hundred microseconds. The frequency must lie below Nyquist (callers clamp it; this function
    clamps to 0.49 of the rate as a last resort). Realtime-safe. */
EqCascade designEqBand (const EqBand& band, double sampleRate, bool withTopSection = true) noexcept;

/** A second-order filter that isolates what a band acts on, for the level detector of a
    dynamic band: a band-pass (bell, notch; unity gain at the centre), a low-pass (low shelf,
    low cut, tilt) or a high-pass (high shelf, high cut). Realtime-safe. */
BiquadCoefficients designSidechainFilter (const EqBand& band, double sampleRate) noexcept;

/** The analog prototype of a band, with its constants precomputed so that evaluating it on a
    dense frequency grid (the linear-phase design) is a handful of multiplications per point. */
class AnalogEqResponse
{
public:
    /** A flat response (an off band). */
    AnalogEqResponse() noexcept = default;

    /** Prepares the prototype of a band. Realtime-safe. */
    explicit AnalogEqResponse (const EqBand& band) noexcept;

    /** Squared magnitude at a frequency in Hz (any frequency >= 0). */
    double magnitudeSquared (double frequencyHz) const noexcept;

private:
    EqBandType type = EqBandType::off;
    int order = 0;
    double inverseFrequencySquared = 1.0, a = 1.0, q2 = 0.5, gainLinear = 1.0;
};

/** The analog prototype's magnitude in dB at a frequency in Hz: the target the digital
    design approximates (and the linear-phase mode reproduces). */
double analogMagnitudeDb (const EqBand& band, double frequencyHz) noexcept;

/** The magnitude in dB of a designed cascade at a frequency in Hz. */
double cascadeMagnitudeDb (const EqCascade& cascade, double sampleRate, double frequencyHz) noexcept;

/** The quality factor of second-order section `index` (0-based, lowest Q first) of a
    Butterworth filter of the given order; the odd order's extra section is first order. */
double butterworthSectionQ (int order, int index) noexcept;

} // namespace crest::dsp
