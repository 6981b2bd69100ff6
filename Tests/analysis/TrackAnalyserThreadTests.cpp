// The peak lane on a second thread: every figure the same bit for bit as on one thread.

#include "TestSignals.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <limits>

using namespace crest;

namespace
{
    analysis::TrackAnalysis analyseWith (const test::Buffer& input, double rate, int blockSize, bool secondThread)
    {
        analysis::TrackAnalyser analyser;
        analyser.prepare (rate, input.getNumChannels());
        if (secondThread)
            analyser.useSecondThread();
        test::Buffer scratch (input.getNumChannels(), blockSize);
        for (int offset = 0; offset < input.getNumSamples(); offset += blockSize)
        {
            const int n = std::min (blockSize, input.getNumSamples() - offset);
            for (int c = 0; c < input.getNumChannels(); ++c)
                scratch.copyFrom (c, 0, input, c, offset, n);
            analyser.process (scratch.getArrayOfWritePointers(), n);
            scratch.clear(); // the analyser must not read the caller's block after process()
        }
        return analyser.finish();
    }

    /** Equal bit patterns (so NaN equals NaN where both series have no value). */
    template <typename T>
    bool sameBits (const std::vector<T>& a, const std::vector<T>& b)
    {
        return a.size() == b.size() && (a.empty() || std::memcmp (a.data(), b.data(), a.size() * sizeof (T)) == 0);
    }

    void checkIdentical (const analysis::TrackAnalysis& a, const analysis::TrackAnalysis& b)
    {
        CHECK (a.lengthInSamples == b.lengthInSamples);
        CHECK (a.integratedLufs == b.integratedLufs);
        CHECK (a.loudnessRangeLu == b.loudnessRangeLu);
        CHECK (a.momentaryMaxLufs == b.momentaryMaxLufs);
        CHECK (a.shortTermMaxLufs == b.shortTermMaxLufs);
        CHECK (sameBits (a.momentarySeries, b.momentarySeries));
        CHECK (sameBits (a.shortTermSeries, b.shortTermSeries));
        CHECK (sameBits (a.truePeakSeries, b.truePeakSeries));
        CHECK (sameBits (a.correlationSeries, b.correlationSeries));
        CHECK (a.truePeakPerChannel == b.truePeakPerChannel);
        CHECK (a.samplePeakPerChannel == b.samplePeakPerChannel);
        CHECK (a.dcOffsetPerChannel == b.dcOffsetPerChannel);
        CHECK (a.rmsPerChannel == b.rmsPerChannel);
        CHECK (a.truePeakDbtp == b.truePeakDbtp);
        CHECK (a.plrDb == b.plrDb);
        CHECK (a.clippedSamples == b.clippedSamples);
        CHECK (a.clipRuns == b.clipRuns);
        CHECK (a.firstClipSample == b.firstClipSample);
        CHECK (a.correlation == b.correlation);
        CHECK (a.correlationMin == b.correlationMin);
        CHECK (a.correlationMinSeconds == b.correlationMinSeconds);
        CHECK (a.lowBandCorrelation == b.lowBandCorrelation);
        CHECK (a.sideToMidDb == b.sideToMidDb);
        CHECK (a.balanceDb == b.balanceDb);
        CHECK (a.monoFoldDownDb == b.monoFoldDownDb);
        CHECK (a.lowBandMonoFoldDownDb == b.lowBandMonoFoldDownDb);
        CHECK (a.nonFiniteSamples == b.nonFiniteSamples);
        CHECK (a.firstNonFiniteSample == b.firstNonFiniteSample);
        CHECK (a.firstAudibleSample == b.firstAudibleSample);
        CHECK (a.lastAudibleSample == b.lastAudibleSample);
        CHECK (a.headPeak == b.headPeak);
        CHECK (a.tailPeak == b.tailPeak);
        CHECK (a.effectiveBits == b.effectiveBits);
        CHECK (sameBits (a.spectrum.averageSpectrumDb(), b.spectrum.averageSpectrumDb()));
    }
} // namespace

TEST_CASE ("A second thread changes no figure, not even in the last bit", "[analysis][threads]")
{
    auto music = test::musicLike (48000.0, 20.0);
    music.applyGain (0, 96000, 48000, 4.0f); // a clipped second, for the clip counts and true peak
    for (int i = 0; i < 96000; ++i)
        for (int c = 0; c < 2; ++c)
            music.setSample (c, i, std::clamp (music.getSample (c, i), -1.0f, 1.0f));
    music.setSample (1, 300001, std::numeric_limits<float>::quiet_NaN());

    struct Case
    {
        const char* name;
        test::Buffer buffer;
        double rate;
    };
    const Case cases[] = {
        { "music at 48 kHz", music, 48000.0 },
        { "pink noise, 6 channels at 44.1 kHz", test::pinkNoise (44100.0, 6, 7.3, -20.0), 44100.0 },
        { "mono sine at 11.025 kHz", test::sine (11025.0, 1, 5.5, 997.0, -3.0), 11025.0 },
        { "transients at 96 kHz", test::transients (96000.0, 6.0), 96000.0 },
    };

    for (const auto& c : cases)
    {
        for (int block : { 333, 4096, 4801, (int) c.rate })
        {
            INFO (c.name << ", blocks of " << block);
            const auto one = analyseWith (c.buffer, c.rate, block, false);
            const auto two = analyseWith (c.buffer, c.rate, block, true);
            REQUIRE (one.momentarySeries.size() > 50);
            checkIdentical (one, two);
        }
    }
}

TEST_CASE ("An analyser with a second thread can be prepared again and dropped unfinished", "[analysis][threads]")
{
    const auto music = test::musicLike (48000.0, 3.0);
    analysis::TrackAnalyser analyser;
    for (int round = 0; round < 3; ++round)
    {
        analyser.prepare (48000.0, 2);
        analyser.useSecondThread();
        test::Buffer scratch (music);
        analyser.process (scratch.getArrayOfWritePointers(), scratch.getNumSamples());
        if (round == 2)
            CHECK (analyser.finish().truePeakSeries.size() == 30);
    }
    analysis::TrackAnalyser dropped;
    dropped.prepare (48000.0, 2);
    dropped.useSecondThread();
    test::Buffer scratch (music);
    dropped.process (scratch.getArrayOfWritePointers(), scratch.getNumSamples());
}
