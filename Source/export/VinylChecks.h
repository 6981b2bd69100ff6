#pragma once

// Vinyl pre-master checks: findings for the cutting engineer, never fixes.
//
// Design note: a lacquer is cut by a stylus that moves sideways for the mid and up and down
// for the side, so the checks look for what a cutter cannot cut or a pickup cannot trace:
//   - side length against diameter and speed (longer sides mean narrower grooves, so lower
//     level and less bass); the times are the common cutting-room guidance collected in
//     vinylSideLimits() (12-inch 33 1/3: about 18 min hot, 22 min at normal level, 24 min at
//     most; 12-inch 45: about 12 / 14:30 / 15), from DESIGN.md and pressing plants' published
//     spec sheets; treat them as rules of thumb, which is what they are;
//   - bass below 150 Hz that is not mono (vertical excursion: the groove can lift the stylus
//     or cut through the lacquer) and negative correlation below 300 Hz (the same, worse);
//   - sibilance (5-10 kHz bursts) and sustained energy above 10 kHz (tracing distortion on
//     playback, cutter-head current when cutting);
//   - content below 20 Hz (wasted groove space, tonearm resonance).
// The side is measured in one streaming pass, usually while its WAV is written
// (writeVinylSide()), with fixed memory: filters, per-window sums, and the low-band readings of
// each 400 ms window (reserved for an hour up front), which are judged at the end against the
// side's loudest bass so that quiet passages do not raise findings on their own.

#include "dsp/Biquad.h"
#include "dsp/EqualiserFilters.h"
#include "engine/AudioStream.h"
#include "export/DeliveryFinding.h"
#include "session/Session.h"

#include <array>
#include <atomic>
#include <optional>
#include <string>
#include <vector>

namespace crest::delivery
{

/** How long a side may run, in minutes, for a diameter and speed. */
struct VinylSideLimits
{
    double hotMinutes = 0.0; ///< up to here the side can be cut at full level
    double normalMinutes = 0.0; ///< up to here at a normal level
    double maximumMinutes = 0.0; ///< beyond this, most cutting rooms refuse or the level suffers badly
};

/** The limits for 7, 10 or 12 inch at 33 or 45 rpm; empty for any other combination. */
std::optional<VinylSideLimits> vinylSideLimits (int diameterInches, int rpm) noexcept;

/** One side of the record: which tracks it holds. */
struct VinylSide
{
    int number = 1; ///< 1-based (side A is 1)
    char letter = 'A';
    int firstTrack = 0; ///< 0-based, inclusive
    int lastTrack = 0; ///< 0-based, inclusive
};

/** The sides a plan makes of an album of `numTracks` tracks. Empty with `error` set when the
    side starts are not strictly increasing from 0 within the album. */
std::vector<VinylSide> vinylSides (const session::VinylPlan& plan, int numTracks, std::string& error);

/** What the vinyl meter measured over one side. Levels are RMS over a window, dBFS (-300 for
    silence); times are seconds from the side's start. */
struct VinylMeasurements
{
    double durationSeconds = 0.0;

    std::optional<double>
        lowCorrelationMin; ///< lowest correlation below 300 Hz over 400 ms windows with bass in them (see VinylThresholds)
    double lowCorrelationMinSeconds = 0.0;

    std::optional<double> lowSideToMidDb; ///< highest side-to-mid ratio below 150 Hz over 400 ms windows with bass
    double lowSideToMidSeconds = 0.0;

    int sibilanceBursts = 0; ///< runs of 10 ms windows where 5-10 kHz dominates at a high level
    double firstSibilanceSeconds = 0.0;
    double sibilanceMaxDbfs = -300.0; ///< loudest 10 ms of the 5-10 kHz band

    double highBandMaxDbfs = -300.0; ///< loudest 400 ms above 10 kHz
    double highBandMaxSeconds = 0.0;

    double subsonicMaxDbfs = -300.0; ///< loudest 400 ms below 20 Hz
    double subsonicMaxSeconds = 0.0;
};

/** Thresholds the findings use (dBFS RMS unless noted). */
struct VinylThresholds
{
    static constexpr double bassPresentDbfs = -45.0; ///< a window has bass worth judging above this ...
    static constexpr double bassRelativeGateDb = -20.0; ///< ... and within this of the side's loudest bass window
        ///< (quiet passages, e.g. a detuned pad alone, are not what the cutter struggles with)
    static constexpr double lowCorrelation
        = -0.1; ///< correlation below 300 Hz under this counts as negative (a margin for rounding near 0)
    static constexpr double lowSideToMidDb = -15.0; ///< bass below 150 Hz counts as "not mono" above this
    static constexpr double sibilanceDbfs = -20.0; ///< a 10 ms window of 5-10 kHz this loud ...
    static constexpr double sibilanceDominanceDb = -6.0; ///< ... and within this of the whole signal's level is a burst
    static constexpr double highBandDbfs = -24.0; ///< sustained >10 kHz energy above this is flagged
    static constexpr double subsonicDbfs = -40.0; ///< content below 20 Hz above this is flagged (kick drums leak to about -45)
};

/** Measures a side, block by block. Not realtime-bound, but allocation-free after prepare(). */
class VinylSideMeter
{
public:
    /** Designs the filters for a rate and channel count (1 or 2; mono has no stereo checks). */
    void prepare (double sampleRate, int numChannels);

    /** Measures a block of non-interleaved channels. */
    void process (const float* const* channels, int numSamples) noexcept;

    /** The measurements so far (call at the end of the side). */
    VinylMeasurements finish() const;

private:
    using Cascade = std::array<dsp::Biquad, dsp::maxEqSections>;
    struct Filter
    {
        Cascade sections;
        int count = 0;
        double process (double x) noexcept
        {
            for (int i = 0; i < count; ++i)
                x = sections[(size_t) i].process (x);
            return x;
        }
    };

    void closeLongWindow() noexcept;
    void closeShortWindow() noexcept;

    double rate = 44100.0;
    int channels = 2;
    int64_t samples = 0;
    int longWindow = 0, shortWindow = 0, longCount = 0, shortCount = 0;
    std::array<Filter, 2> below300, sibilanceHigh, sibilanceLow, above10k, below20;
    Filter midBelow150, sideBelow150;

    /** The low-band readings of one 400 ms window, judged at the end against the loudest. */
    struct BassWindow
    {
        float correlationLevelDb, correlation, monoLevelDb, sideToMidDb;
        double start;
    };
    std::vector<BassWindow> bassWindows; // 24 bytes per 400 ms: reserved for an hour at prepare()

    // Sums over the open windows.
    double lowLL = 0, lowRR = 0, lowLR = 0, mid150 = 0, side150 = 0, high = 0, sub = 0; // long
    double band = 0, broad = 0; // short
    bool inBurst = false;

    VinylMeasurements m;
};

/** The findings for one side: its length against the plan's diameter and speed, and every
    measurement over its threshold. `side` is 1-based. */
std::vector<DeliveryFinding> vinylFindings (int side, const VinylMeasurements& measured, const session::VinylPlan& plan);

/** Writes one side as a 24-bit WAV (temporary name, renamed when complete) and measures it in
    the same pass. Empty with `error` naming the file when anything fails. No dither: a vinyl
    pre-master at 24 bits keeps its own noise floor far below the lacquer's. */
std::optional<VinylMeasurements> writeVinylSide (
    engine::AudioStream& side, const std::string& path, std::string& error, const std::atomic<bool>* cancel = nullptr);

} // namespace crest::delivery
