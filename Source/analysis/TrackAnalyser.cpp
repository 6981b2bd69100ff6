#include "analysis/TrackAnalyser.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <thread>

namespace crest::analysis
{

std::optional<double> toDecibels (double linear) noexcept
{
    if (! (linear > 0.0) || ! std::isfinite (linear))
        return std::nullopt;
    return 20.0 * std::log10 (linear);
}

/** The peak lane's thread and a small ring of copied blocks, taken in order. With several
    blocks in hand the worker rarely waits for the caller or the caller for the worker, so a
    busy machine's scheduling delays are not paid at every block. */
struct TrackAnalyser::Worker
{
    static constexpr int slots = 4;

    struct Block
    {
        std::vector<std::vector<float>> channels; // copies: the caller may reuse its buffer at once
        std::vector<const float*> pointers;
        int length = 0;
    };

    std::mutex lock;
    std::condition_variable changed;
    std::array<Block, slots> ring;
    int64_t queued = 0, done = 0; // blocks handed over and blocks measured
    bool quit = false;
    std::thread thread;
};

TrackAnalyser::TrackAnalyser() = default;

TrackAnalyser::~TrackAnalyser()
{
    stopWorker();
}

void TrackAnalyser::prepare (double rate, int channels, Scope scope)
{
    stopWorker();
    everything = scope == Scope::everything;
    sampleRate = rate;
    numChannels = channels;
    samplesSeen = 0;
    levelPointers.assign ((size_t) channels, nullptr);
    peakPointers.assign ((size_t) channels, nullptr);
    loudness.prepare (rate, channels);
    statistics.prepare (rate, channels);
    stereo.prepare (rate);
    peakSteps.reset (rate);
    truePeak.prepare (rate, channels);
    spectrum.prepare (rate, channels);
    truePeakSeries.clear();
    result = {};
    result.sampleRate = rate;
    result.numChannels = channels;
}

void TrackAnalyser::useSecondThread()
{
    if (worker != nullptr)
        return;

    worker = std::make_unique<Worker>();
    for (auto& block : worker->ring)
    {
        block.channels.resize ((size_t) numChannels);
        block.pointers.resize ((size_t) numChannels);
    }
    worker->thread = std::thread ([this, &w = *worker] {
        std::unique_lock<std::mutex> hold (w.lock);
        for (;;)
        {
            w.changed.wait (hold, [&w] { return w.done < w.queued || w.quit; });
            if (w.done == w.queued)
                return; // quitting, with nothing left in hand
            auto& block = w.ring[(size_t) (w.done % Worker::slots)];
            hold.unlock();
            processPeaks (block.pointers.data(), block.length);
            hold.lock();
            ++w.done;
            w.changed.notify_all();
        }
    });
}

void TrackAnalyser::stopWorker()
{
    if (worker == nullptr)
        return;
    {
        std::lock_guard<std::mutex> hold (worker->lock);
        worker->quit = true; // the worker measures every block in hand first
    }
    worker->changed.notify_all();
    worker->thread.join();
    worker.reset();
}

void TrackAnalyser::process (float* const* channels, int numSamples)
{
    for (int c = 0; c < numChannels; ++c)
    {
        int first = -1;
        result.nonFiniteSamples += SampleStatistics::replaceNonFinite (channels[c], numSamples, &first);
        if (first >= 0 && (result.firstNonFiniteSample < 0 || result.firstNonFiniteSample > samplesSeen + first))
            result.firstNonFiniteSample = samplesSeen + first;
    }

    if (worker != nullptr)
    {
        {
            std::unique_lock<std::mutex> hold (worker->lock);
            worker->changed.wait (hold, [this] { return worker->queued - worker->done < Worker::slots; });
            auto& block = worker->ring[(size_t) (worker->queued % Worker::slots)];
            hold.unlock(); // the worker never touches a slot that is not queued

            for (int c = 0; c < numChannels; ++c)
            {
                auto& copy = block.channels[(size_t) c];
                if ((int) copy.size() < numSamples)
                    copy.resize ((size_t) numSamples);
                std::copy (channels[c], channels[c] + numSamples, copy.begin());
                block.pointers[(size_t) c] = copy.data();
            }
            block.length = numSamples;

            hold.lock();
            ++worker->queued;
        }
        worker->changed.notify_all();
        processLevels (channels, numSamples);
    }
    else
    {
        processLevels (channels, numSamples);
        processPeaks (channels, numSamples);
    }
    samplesSeen += numSamples;
}

void TrackAnalyser::processLevels (const float* const* channels, int numSamples)
{
    constexpr float none = std::numeric_limits<float>::quiet_NaN();
    for (int offset = 0; offset < numSamples;)
    {
        const int n = std::min (numSamples - offset, loudness.samplesUntilStepEnd());
        for (int c = 0; c < numChannels; ++c)
            levelPointers[(size_t) c] = channels[c] + offset;

        const auto stepsBefore = loudness.stepsCompleted();
        loudness.process (levelPointers.data(), n);
        statistics.process (levelPointers.data(), n);
        if (numChannels >= 2 && everything)
            stereo.process (levelPointers[0], levelPointers[1], n);

        if (loudness.stepsCompleted() > stepsBefore)
        {
            result.momentarySeries.push_back ((float) loudness.momentaryLufs().value_or (none));
            result.shortTermSeries.push_back ((float) loudness.shortTermLufs().value_or (none));
            result.correlationSeries.push_back (numChannels >= 2 && everything ? (float) stereo.latestWindowCorrelation().value_or (none) : none);
        }
        offset += n;
    }
}

void TrackAnalyser::processPeaks (const float* const* channels, int numSamples)
{
    for (int offset = 0; offset < numSamples;)
    {
        const int n = std::min (numSamples - offset, peakSteps.samplesUntilStepEnd());
        for (int c = 0; c < numChannels; ++c)
            peakPointers[(size_t) c] = channels[c] + offset;

        truePeak.process (peakPointers.data(), n);
        if (everything)
            spectrum.process (peakPointers.data(), n);

        if (peakSteps.advance (n))
        {
            float peak = 0.0f;
            for (int c = 0; c < numChannels; ++c)
                peak = std::max (peak, truePeak.takeRecentPeak (c));
            truePeakSeries.push_back (peak);
        }
        offset += n;
    }
}

TrackAnalysis TrackAnalyser::finish()
{
    stopWorker();
    truePeak.flush();
    result.truePeakSeries = std::move (truePeakSeries);

    auto& r = result;
    r.lengthInSamples = samplesSeen;
    r.oversampling = truePeak.getOversampling();

    const auto snapshot = loudness.getSnapshot();
    r.integratedLufs = snapshot.integratedLufs;
    r.loudnessRangeLu = snapshot.loudnessRangeLu;
    r.momentaryMaxLufs = snapshot.momentaryMaxLufs;
    r.shortTermMaxLufs = snapshot.shortTermMaxLufs;

    double maxTruePeak = 0.0, maxSamplePeak = 0.0, maxDc = 0.0, sumSquares = 0.0;
    for (int c = 0; c < numChannels; ++c)
    {
        const auto& s = statistics.channels()[(size_t) c];
        const double count = std::max<double> (1.0, (double) samplesSeen);
        r.truePeakPerChannel.push_back (truePeak.getPeak (c));
        r.samplePeakPerChannel.push_back (s.peak);
        r.dcOffsetPerChannel.push_back (s.sum / count);
        r.rmsPerChannel.push_back (std::sqrt (s.sumOfSquares / count));
        maxTruePeak = std::max (maxTruePeak, (double) truePeak.getPeak (c));
        maxSamplePeak = std::max (maxSamplePeak, (double) s.peak);
        maxDc = std::max (maxDc, std::fabs (s.sum / count));
        sumSquares += s.sumOfSquares / count;
        r.clippedSamples += s.clippedSamples;
        r.clipRuns += s.clipRuns;
        if (s.firstClipSample >= 0 && (r.firstClipSample < 0 || s.firstClipSample < r.firstClipSample))
            r.firstClipSample = s.firstClipSample;
    }

    // The true peak can never honestly read below the sample peak.
    maxTruePeak = std::max (maxTruePeak, maxSamplePeak);
    r.truePeakDbtp = toDecibels (maxTruePeak);
    r.samplePeakDbfs = toDecibels (maxSamplePeak);
    r.dcOffsetDbfs = toDecibels (maxDc);
    r.rmsDbfs = toDecibels (std::sqrt (sumSquares / std::max (1, numChannels)));
    if (r.truePeakDbtp && r.integratedLufs)
        r.plrDb = *r.truePeakDbtp - *r.integratedLufs;
    if (r.samplePeakDbfs && r.rmsDbfs)
        r.crestFactorDb = *r.samplePeakDbfs - *r.rmsDbfs;

    if (numChannels >= 2 && everything)
    {
        r.correlation = stereo.correlation();
        r.correlationMin = stereo.minimumCorrelation();
        r.correlationMinSeconds = (double) stereo.minimumCorrelationSample() / sampleRate;
        r.lowBandCorrelation = stereo.lowBandCorrelation();
        r.sideToMidDb = stereo.sideToMidDb();
        r.balanceDb = stereo.balanceDb();
        r.monoFoldDownDb = stereo.monoFoldDownDb();
        r.lowBandMonoFoldDownDb = stereo.lowBandMonoFoldDownDb();
    }

    r.firstAudibleSample = statistics.firstAudibleSample();
    r.lastAudibleSample = statistics.lastAudibleSample();
    r.headPeak = statistics.headPeak();
    r.tailPeak = statistics.tailPeak();
    r.effectiveBits = statistics.effectiveBits();
    r.spectrum = std::move (spectrum);

    return std::move (result);
}

} // namespace crest::analysis
