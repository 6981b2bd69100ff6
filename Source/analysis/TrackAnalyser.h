#pragma once

#include "analysis/LoudnessMeter.h"
#include "analysis/SampleStatistics.h"
#include "analysis/SpectrumAnalyser.h"
#include "analysis/StepClock.h"
#include "analysis/StereoFieldMeter.h"
#include "analysis/TruePeakMeter.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace crest::analysis
{

/** Converts a linear magnitude to dB, or empty for zero (never -inf). */
std::optional<double> toDecibels (double linear) noexcept;

/** Everything Crest measures about one programme, as plain values. Missing values (silence,
    mono) are empty optionals; series hold NaN where a value does not exist yet. */
struct TrackAnalysis
{
    double sampleRate = 0.0;
    int numChannels = 0;
    int64_t lengthInSamples = 0;
    double durationSeconds() const noexcept { return sampleRate > 0.0 ? (double) lengthInSamples / sampleRate : 0.0; }

    // Loudness (BS.1770 / R128)
    std::optional<double> integratedLufs, loudnessRangeLu, momentaryMaxLufs, shortTermMaxLufs;

    /** Values every 100 ms (step k ends at (k + 1) / 10 s); NaN before a window fills or
        under the absolute gate. */
    std::vector<float> momentarySeries, shortTermSeries;

    /** Largest true peak over all channels in each 100 ms step, linear (see TruePeakMeter). */
    std::vector<float> truePeakSeries;

    /** Phase correlation of the 400 ms window ending with each step (NaN: silent or mono). */
    std::vector<float> correlationSeries;

    // Peaks and levels
    std::vector<double> truePeakPerChannel, samplePeakPerChannel, dcOffsetPerChannel, rmsPerChannel;
    std::optional<double> truePeakDbtp, samplePeakDbfs, dcOffsetDbfs, rmsDbfs;
    std::optional<double> plrDb;         ///< true peak minus integrated loudness
    std::optional<double> crestFactorDb; ///< sample peak minus RMS
    int64_t clippedSamples = 0, clipRuns = 0, firstClipSample = -1;
    int oversampling = 0;

    // Stereo (first two channels; empty for mono)
    std::optional<double> correlation, correlationMin, lowBandCorrelation;
    double correlationMinSeconds = 0.0;
    std::optional<double> sideToMidDb, balanceDb, monoFoldDownDb, lowBandMonoFoldDownDb;

    // Integrity and edges
    int64_t nonFiniteSamples = 0, firstNonFiniteSample = -1;
    int64_t firstAudibleSample = -1, lastAudibleSample = -1;
    double headPeak = 0.0, tailPeak = 0.0;
    int effectiveBits = 0;

    // Long-term spectrum
    SpectrumAnalyser spectrum;
};

/** Runs every meter over a programme block by block and collects a TrackAnalysis.

    Design: the same meters a live meter bridge uses, fed in pieces cut at the loudness
    meter's 100 ms steps so each step's series values line up exactly. Memory: the meters'
    fixed state plus three floats per 100 ms of programme.

    The meters fall into two lanes that share nothing but the input: the level lane (loudness,
    sample statistics, stereo field) and the peak lane (true peak, spectrum). Each lane cuts
    its own pieces at the same step ends, so with useSecondThread() the peak lane runs on a
    worker thread and every figure, series included, is the same bit for bit as on one thread.
    (Splitting the programme in time instead would not be: the K-weighting and low-band
    filters' state at the seam, and the spectrum's frame grid, cannot be recreated exactly.)
*/
class TrackAnalyser
{
public:
    TrackAnalyser();
    ~TrackAnalyser();
    TrackAnalyser (const TrackAnalyser&) = delete;
    TrackAnalyser& operator= (const TrackAnalyser&) = delete;

    /** Which meters run. */
    enum class Scope
    {
        everything, ///< every figure of TrackAnalysis
        loudnessAndPeaks ///< no spectrum and no stereo field (an export report's figures): cheaper
    };

    /** Prepares the meters of `scope` (and stops a second thread if one was running). Not
        realtime-safe. */
    void prepare (double sampleRate, int numChannels, Scope scope = Scope::everything);

    /** Runs the peak lane (true peak, spectrum) on a worker thread from now until finish().
        process() then copies each block for the worker (which holds up to four) and returns
        once the level lane is done, so the caller fetches the next block while the worker
        measures this one.
        Call after prepare(). Not realtime-safe: starts a thread and may allocate in process(). */
    void useSecondThread();

    /** Measures a block of non-interleaved channels. Non-finite samples are counted and then
        replaced by silence in place, so one bad sample cannot poison every later reading. */
    void process (float* const* channels, int numSamples);

    /** Finishes (flushes the true-peak interpolator) and returns the results. */
    TrackAnalysis finish();

private:
    struct Worker;

    void processLevels (const float* const* channels, int numSamples);
    void processPeaks (const float* const* channels, int numSamples);
    void stopWorker();

    double sampleRate = 0.0;
    int numChannels = 0;
    int64_t samplesSeen = 0;
    bool everything = true;

    // Level lane (the calling thread)
    std::vector<const float*> levelPointers;
    LoudnessMeter loudness;
    SampleStatistics statistics;
    StereoFieldMeter stereo;

    // Peak lane (the calling thread, or the worker between process() and finish())
    std::vector<const float*> peakPointers;
    StepClock peakSteps;
    TruePeakMeter truePeak;
    SpectrumAnalyser spectrum;
    std::vector<float> truePeakSeries;

    std::unique_ptr<Worker> worker;
    TrackAnalysis result;
};

} // namespace crest::analysis
