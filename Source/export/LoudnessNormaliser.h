#pragma once

// The loudness/ceiling stage of a delivery pipeline: a gain to reach an integrated-loudness
// target, then the chain's own true-peak limiter only if that gain would push the true peak
// over the ceiling.
//
// Design note: loudness is measured before the stage (analysis::TrackAnalyser over the track,
// and over the whole album for album mode) and the stage only applies what the plan says, so
// it streams with fixed memory. Per track, every track gets its own gain to the target;
// for the album, every track gets the same gain (target minus the album's integrated
// loudness), so the relative levels the engineer set survive. The limiter is
// dsp::TruePeakLimiter, the same kernel as the chain's limiter module; it runs only when
// needsLimiter() says the gain takes the true peak to the ceiling, and its latency is removed,
// so the stage's output lines up sample for sample with its input and has the same length. A
// track limited hard loses a little loudness; settleTrackGainDb() measures the stage's output
// and corrects the gain until the target is met.
//
// A gain of 0 dB or less (normalisation off, or an album turned down) cannot push a peak up,
// so then the limiter runs only when the master itself measures over the ceiling, and a master
// that its own chain limited to the ceiling is delivered as it is, bit for bit: the audio the
// player plays. Were the margin applied there too, the limiter would run over such a master
// (it measures just under the ceiling) and, since its main stage aims 0.02 dB under the
// ceiling, trim the inter-sample peaks the chain's limiter left between that aim and the
// ceiling: by about 1e-5 dB, which on real music put a -117.6 dBFS difference between the
// player and the 24-bit streaming file where the two are otherwise bit-exact.

#include "analysis/TrackAnalyser.h"
#include "dsp/TruePeakLimiter.h"
#include "engine/AudioStream.h"

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace crest::delivery
{

/** How the loudness target applies across an album. */
enum class LoudnessMode
{
    perTrack, ///< every track to the target
    album ///< one gain for all: the album as a whole to the target, relative levels kept
};

/** The gains (dB) that bring tracks to a target. Tracks without a measured loudness (silence)
    get 0 dB per track; in album mode everything gets target - albumLufs (0 dB without it). */
std::vector<double> loudnessGainsDb (
    const std::vector<std::optional<double>>& trackLufs, std::optional<double> albumLufs, double targetLufs, LoudnessMode mode);

/** Measures a whole stream with analysis::TrackAnalyser (in one-second blocks). Empty with
    `error` set when the stream fails or is cancelled. */
std::optional<analysis::TrackAnalysis> analyseStream (
    engine::AudioStream& source, std::string& error, const std::atomic<bool>* cancel = nullptr);

/** The stage: gain, then the true-peak limiter when needed. Output has the source's rate,
    channels and length. Not thread-safe; one reader. */
class LoudnessNormaliser : public engine::AudioStream
{
public:
    /** For a gain above 0 dB, the limiter engages when truePeak + gain > ceiling - this,
        covering the measuring meter's worst-case under-read (about 0.15 dB at 8x) with room
        to spare. */
    static constexpr double limiterMarginDb = 0.2;

    /** Look-ahead of the limiter when it runs, in milliseconds (a transparent mastering value). */
    static constexpr double lookaheadMs = 5.0;

    /** @param source               the track; when the limiter is needed it must have 1 or 2
                                    channels, or read() fails saying so
        @param gainDb               gain to apply
        @param ceilingDbtp          true-peak ceiling
        @param measuredTruePeakDbtp the source's true peak before the gain (empty: silent) */
    LoudnessNormaliser (
        engine::AudioStream& source, double gainDb, double ceilingDbtp, std::optional<double> measuredTruePeakDbtp);

    /** True when the limiter runs (the gain would otherwise put the true peak near the ceiling). */
    bool isLimiting() const noexcept { return limiting; }

    /** The one rule for whether the stage limits: a measured true peak plus the gain within
        limiterMarginDb of the ceiling when the gain raises the level; over the ceiling itself
        when it does not (0 dB or less: see the note at the top). No peak (silence): never. */
    static bool needsLimiter (std::optional<double> measuredTruePeakDbtp, double gainDb, double ceilingDbtp) noexcept;

    double sampleRate() const override { return source.sampleRate(); }
    int numChannels() const override { return source.numChannels(); }
    int64_t lengthInSamples() const override { return source.lengthInSamples(); }
    int read (float* const* channels, int numSamples) override;
    const char* error() const override { return message.c_str(); }

private:
    bool refill();

    engine::AudioStream& source;
    float gain = 1.0f;
    bool limiting = false, sourceEnded = false, refused = false;
    std::unique_ptr<dsp::TruePeakLimiter> limiter;
    static constexpr int block = 4096;
    std::vector<float> left, right;
    int pendingStart = 0, pendingEnd = 0;
    int64_t latencyToSkip = 0, produced = 0;
    std::string message;
};

/** Finds the gain that brings one track, through the stage, to the target within `toleranceLu`:
    starts from target - measured, then measures the stage's output and corrects by the miss
    (a hard-limited track needs a little more gain), at most `passes` times.

    @param openTrack  opens a fresh stream of the track each time it is called (nullptr: error)
    @returns the gain in dB, or empty with `error` set */
std::optional<double> settleTrackGainDb (const std::function<std::unique_ptr<engine::AudioStream>()>& openTrack,
    const analysis::TrackAnalysis& measured, double targetLufs, double ceilingDbtp, std::string& error, double toleranceLu = 0.05,
    int passes = 4, const std::atomic<bool>* cancel = nullptr);

} // namespace crest::delivery
