#include "analysis/TrackAnalyser.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace crest::analysis
{

std::optional<double> toDecibels (double linear) noexcept
{
    if (! (linear > 0.0) || ! std::isfinite (linear))
        return std::nullopt;
    return 20.0 * std::log10 (linear);
}

void TrackAnalyser::prepare (double rate, int channels)
{
    sampleRate = rate;
    numChannels = channels;
    samplesSeen = 0;
    pointers.assign ((size_t) channels, nullptr);
    loudness.prepare (rate, channels);
    truePeak.prepare (rate, channels);
    statistics.prepare (rate, channels);
    stereo.prepare (rate);
    spectrum.prepare (rate, channels);
    result = {};
    result.sampleRate = rate;
    result.numChannels = channels;
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

    int offset = 0;
    while (offset < numSamples)
    {
        const int n = std::min (numSamples - offset, loudness.samplesUntilStepEnd());
        for (int c = 0; c < numChannels; ++c)
            pointers[c] = channels[c] + offset;
        processPiece (pointers.data(), n);
        offset += n;
    }
}

void TrackAnalyser::processPiece (const float* const* channels, int n)
{
    const auto stepsBefore = loudness.stepsCompleted();
    loudness.process (channels, n);
    truePeak.process (channels, n);
    statistics.process (channels, n);
    if (numChannels >= 2)
        stereo.process (channels[0], channels[1], n);
    spectrum.process (channels, n);
    samplesSeen += n;

    if (loudness.stepsCompleted() > stepsBefore)
    {
        constexpr float none = std::numeric_limits<float>::quiet_NaN();
        result.momentarySeries.push_back ((float) loudness.momentaryLufs().value_or (none));
        result.shortTermSeries.push_back ((float) loudness.shortTermLufs().value_or (none));
        float peak = 0.0f;
        for (int c = 0; c < numChannels; ++c)
            peak = std::max (peak, truePeak.takeRecentPeak (c));
        result.truePeakSeries.push_back (peak);
        result.correlationSeries.push_back (numChannels >= 2 ? (float) stereo.latestWindowCorrelation().value_or (none) : none);
    }
}

TrackAnalysis TrackAnalyser::finish()
{
    truePeak.flush();

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

    if (numChannels >= 2)
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
