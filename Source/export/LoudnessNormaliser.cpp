#include "export/LoudnessNormaliser.h"

#include <algorithm>
#include <cmath>

namespace crest::delivery
{

std::vector<double> loudnessGainsDb (
    const std::vector<std::optional<double>>& trackLufs, std::optional<double> albumLufs, double targetLufs, LoudnessMode mode)
{
    std::vector<double> gains;
    for (const auto& lufs : trackLufs)
    {
        if (mode == LoudnessMode::album)
            gains.push_back (albumLufs ? targetLufs - *albumLufs : 0.0);
        else
            gains.push_back (lufs ? targetLufs - *lufs : 0.0);
    }
    return gains;
}

std::optional<analysis::TrackAnalysis> analyseStream (
    engine::AudioStream& source, std::string& error, const std::atomic<bool>* cancel)
{
    const int channels = source.numChannels();
    const int blockSize = std::max (1, (int) source.sampleRate());
    std::vector<std::vector<float>> storage ((size_t) channels, std::vector<float> ((size_t) blockSize));
    std::vector<float*> pointers;
    for (auto& c : storage)
        pointers.push_back (c.data());

    analysis::TrackAnalyser analyser;
    analyser.prepare (source.sampleRate(), channels);
    for (;;)
    {
        if (cancel != nullptr && cancel->load())
        {
            error = "cancelled";
            return std::nullopt;
        }
        const int n = source.read (pointers.data(), blockSize);
        if (n < 0)
        {
            error = source.error();
            return std::nullopt;
        }
        if (n == 0)
            break;
        analyser.process (pointers.data(), n);
    }
    return analyser.finish();
}

bool LoudnessNormaliser::needsLimiter (std::optional<double> truePeakDbtp, double gainDb, double ceilingDbtp) noexcept
{
    if (! truePeakDbtp)
        return false;
    const double peak = *truePeakDbtp + gainDb;
    return gainDb > 0.0 ? peak > ceilingDbtp - limiterMarginDb : peak > ceilingDbtp;
}

LoudnessNormaliser::LoudnessNormaliser (
    engine::AudioStream& s, double gainDb, double ceilingDbtp, std::optional<double> truePeakDbtp)
    : source (s), gain ((float) std::pow (10.0, gainDb / 20.0)), left ((size_t) block), right ((size_t) block)
{
    limiting = needsLimiter (truePeakDbtp, gainDb, ceilingDbtp);
    if (limiting && source.numChannels() > 2)
    {
        limiting = false;
        refused = true;
        message = "the true-peak limiter takes 1 or 2 channels, the audio has " + std::to_string (source.numChannels());
    }
    if (limiting)
    {
        limiter = std::make_unique<dsp::TruePeakLimiter>();
        limiter->prepare (source.sampleRate(), block, lookaheadMs);
        limiter->setCeilingDb ((float) ceilingDbtp);
        limiter->setInputGainDb (0.0f); // the gain is applied before, identically with or without the limiter
        limiter->reset(); // settings at their targets from the first sample
        latencyToSkip = limiter->latencySamples();
    }
}

bool LoudnessNormaliser::refill()
{
    const int channels = source.numChannels();
    float* pointers[2] = { left.data(), right.data() };
    int n = 0;
    if (! sourceEnded)
    {
        n = source.read (pointers, block);
        if (n < 0)
        {
            message = source.error();
            return false;
        }
        if (n == 0)
            sourceEnded = true;
    }
    if (sourceEnded)
    {
        // Silence after the end pushes the limiter's delayed last samples out.
        n = block;
        std::fill (left.begin(), left.end(), 0.0f);
        std::fill (right.begin(), right.end(), 0.0f);
    }
    for (int i = 0; i < n; ++i)
        left[(size_t) i] *= gain;
    if (channels == 2)
        for (int i = 0; i < n; ++i)
            right[(size_t) i] *= gain;
    else
        std::copy (left.begin(), left.begin() + n, right.begin());

    limiter->process (left.data(), right.data(), n);
    pendingStart = (int) std::min<int64_t> (latencyToSkip, n);
    latencyToSkip -= pendingStart;
    pendingEnd = n;
    return true;
}

int LoudnessNormaliser::read (float* const* channels, int numSamples)
{
    if (refused)
        return -1; // the ceiling cannot be kept, so nothing is delivered

    const int64_t remaining = source.lengthInSamples() - produced;
    numSamples = (int) std::min<int64_t> (numSamples, std::max<int64_t> (0, remaining));

    if (! limiting)
    {
        const int n = source.read (channels, numSamples);
        if (n <= 0)
            return n;
        for (int c = 0; c < source.numChannels(); ++c)
            for (int i = 0; i < n; ++i)
                channels[c][i] *= gain;
        produced += n;
        return n;
    }

    int written = 0;
    while (written < numSamples)
    {
        if (pendingStart == pendingEnd)
        {
            if (! refill())
                return -1;
            continue;
        }
        const int n = std::min (numSamples - written, pendingEnd - pendingStart);
        std::copy_n (left.data() + pendingStart, n, channels[0] + written);
        if (source.numChannels() == 2)
            std::copy_n (right.data() + pendingStart, n, channels[1] + written);
        pendingStart += n;
        written += n;
    }
    produced += written;
    return written;
}

std::optional<double> settleTrackGainDb (const std::function<std::unique_ptr<engine::AudioStream>()>& openTrack,
    const analysis::TrackAnalysis& measured, double targetLufs, double ceilingDbtp, std::string& error, double toleranceLu,
    int passes, const std::atomic<bool>* cancel)
{
    if (! measured.integratedLufs)
        return 0.0; // silence: nothing to aim
    double gain = targetLufs - *measured.integratedLufs;
    for (int pass = 0; pass < passes; ++pass)
    {
        if (! LoudnessNormaliser::needsLimiter (measured.truePeakDbtp, gain, ceilingDbtp))
            return gain; // no limiting: a pure gain moves loudness exactly
        auto track = openTrack();
        if (track == nullptr)
        {
            error = "the track could not be opened again";
            return std::nullopt;
        }
        LoudnessNormaliser stage (*track, gain, ceilingDbtp, measured.truePeakDbtp);
        const auto result = analyseStream (stage, error, cancel);
        if (! result)
            return std::nullopt;
        if (! result->integratedLufs)
            return gain;
        const double miss = targetLufs - *result->integratedLufs;
        if (std::abs (miss) <= toleranceLu)
            return gain;
        gain += miss;
    }
    return gain;
}

} // namespace crest::delivery
