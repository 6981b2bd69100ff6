// `crest check` findings on crafted faulty mixes, and silence on a healthy one.

#include "TestSignals.h"
#include "analysis/MixCheck.h"
#include "engine/FileAnalysis.h"

#include <juce_audio_formats/juce_audio_formats.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <limits>

using namespace crest;
using analysis::Severity;

namespace
{
    constexpr double rate = 44100.0;

    std::vector<analysis::Finding> check (const test::Buffer& b, double sampleRate = rate, analysis::DeliveryFormat format = {})
    {
        if (format.formatName.empty())
            format.formatName = "WAV";
        return analysis::checkMix (test::analyse (b, sampleRate), format);
    }

    const analysis::Finding* find (const std::vector<analysis::Finding>& findings, const std::string& code)
    {
        for (const auto& f : findings)
            if (f.code == code)
                return &f;
        return nullptr;
    }

    std::string codes (const std::vector<analysis::Finding>& findings)
    {
        std::string s;
        for (const auto& f : findings)
            s += f.code + " (" + analysis::severityName (f.severity) + "): " + f.message + "\n";
        return s;
    }

    /** The demo mix with 1 s of silence either side trimmed to a gentle start: a healthy mix. */
    test::Buffer healthyMix (double sampleRate = rate)
    {
        auto b = test::musicLike (sampleRate, 30.0);
        b.applyGain (test::dbToGain (-3.0)); // peaks around -4 dBFS
        return b;
    }
} // namespace

TEST_CASE ("A healthy mix has no warnings or serious findings", "[analysis][check]")
{
    const auto findings = check (healthyMix());
    INFO (codes (findings));
    CHECK (analysis::worstSeverity (findings).value_or (Severity::info) == Severity::info);
}

TEST_CASE ("Clipping is serious, with its position", "[analysis][check]")
{
    auto b = healthyMix();
    b.applyGain (test::dbToGain (9.0));
    for (int c = 0; c < 2; ++c)
        for (int i = 0; i < b.getNumSamples(); ++i)
            b.setSample (c, i, std::clamp (b.getSample (c, i), -1.0f, 1.0f));

    const auto findings = check (b);
    INFO (codes (findings));
    const auto* clip = find (findings, "clipping");
    REQUIRE (clip != nullptr);
    CHECK (clip->severity == Severity::serious);
    REQUIRE (clip->timeSeconds);
    CHECK (*clip->timeSeconds < 30.0);
    CHECK (find (findings, "inter-sample-overs") != nullptr);
    CHECK (findings.front().severity == Severity::serious);
}

TEST_CASE ("Inter-sample overs are found with their time", "[analysis][check]")
{
    // Samples below full scale, waveform at +3 dBTP, starting at 2 s.
    test::Buffer b (2, (int) (rate * 12.0));
    b.clear();
    const auto over = test::truePeakCase (19, rate);
    for (int c = 0; c < 2; ++c)
        b.copyFrom (c, (int) (rate * 2.0), over, c, 0, over.getNumSamples());
    const auto findings = check (b);
    INFO (codes (findings));
    const auto* f = find (findings, "inter-sample-overs");
    REQUIRE (f != nullptr);
    REQUIRE (f->timeSeconds);
    CHECK (*f->timeSeconds == Approx (2.0).margin (0.11));
    CHECK (find (findings, "clipping") == nullptr);
}

TEST_CASE ("DC offset is found", "[analysis][check]")
{
    auto b = healthyMix();
    for (int i = 0; i < b.getNumSamples(); ++i)
        b.addSample (1, i, 0.02f); // -34 dBFS on the right channel
    const auto findings = check (b);
    INFO (codes (findings));
    const auto* f = find (findings, "dc-offset");
    REQUIRE (f != nullptr);
    CHECK (f->message.find ("Channel 2") != std::string::npos);
}

TEST_CASE ("An inverted channel is serious, wide low end is a mono problem", "[analysis][check]")
{
    auto inverted = healthyMix();
    inverted.applyGain (1, 0, inverted.getNumSamples(), -1.0f);
    const auto findings = check (inverted);
    INFO (codes (findings));
    REQUIRE (find (findings, "phase-inverted") != nullptr);
    CHECK (find (findings, "phase-inverted")->severity == Severity::serious);
    CHECK (find (findings, "low-end-mono") != nullptr);

    // Bass panned hard apart with opposite polarity: only the low end is the problem.
    auto wideBass = healthyMix();
    const auto bass = test::sine (rate, 1, 30.0, 60.0, -12.0);
    wideBass.addFrom (0, 0, bass, 0, 0, bass.getNumSamples(), 1.0f);
    wideBass.addFrom (1, 0, bass, 0, 0, bass.getNumSamples(), -1.0f);
    const auto bassFindings = check (wideBass);
    INFO (codes (bassFindings));
    CHECK (find (bassFindings, "low-end-mono") != nullptr);
}

TEST_CASE ("A 16 kHz low-passed mix is recognised as a lossy source", "[analysis][check]")
{
    const auto mp3Like = test::lowPassed (test::pinkNoise (rate, 2, 12.0, -18.0), rate, 16000.0);
    const auto findings = check (mp3Like);
    INFO (codes (findings));
    const auto* f = find (findings, "lossy-source");
    REQUIRE (f != nullptr);
    CHECK (f->message.find ("16.") != std::string::npos);

    // Full-band noise is not.
    CHECK (find (check (test::pinkNoise (rate, 2, 12.0, -18.0)), "lossy-source") == nullptr);
}

TEST_CASE ("An upsampled 96 kHz file is recognised as fake high resolution", "[analysis][check]")
{
    const double hi = 96000.0;
    const auto upsampled = test::lowPassed (test::whiteNoise (hi, 2, 6.0, -20.0), hi, 22000.0, 511);
    const auto findings = check (upsampled, hi);
    INFO (codes (findings));
    CHECK (find (findings, "fake-high-resolution") != nullptr);

    const auto real = test::whiteNoise (hi, 2, 6.0, -20.0);
    CHECK (find (check (real, hi), "fake-high-resolution") == nullptr);
}

TEST_CASE ("Over-limited and already-limited mixes", "[analysis][check]")
{
    // Dense noise hard-clipped to +-0.5 and normalised: peak-to-loudness ratio about 3 dB.
    auto squashed = test::pinkNoise (rate, 2, 20.0, -6.0);
    for (int c = 0; c < 2; ++c)
        for (int i = 0; i < squashed.getNumSamples(); ++i)
            squashed.setSample (c, i, 0.89f * std::clamp (squashed.getSample (c, i), -0.5f, 0.5f) / 0.5f);
    const auto findings = check (squashed);
    INFO (codes (findings));
    CHECK (find (findings, "over-limited") != nullptr);
}

TEST_CASE ("Edges: leading silence, abrupt start and end", "[analysis][check]")
{
    test::Buffer b (2, (int) (rate * 15.0));
    b.clear();
    const auto tone = test::pinkNoise (rate, 2, 10.0, -20.0);
    for (int c = 0; c < 2; ++c)
        b.copyFrom (c, (int) (rate * 5.0), tone, c, 0, tone.getNumSamples()); // starts at 5 s, ends cut off
    const auto findings = check (b);
    INFO (codes (findings));
    CHECK (find (findings, "leading-silence") != nullptr);
    CHECK (find (findings, "abrupt-end") != nullptr);
    CHECK (find (findings, "abrupt-start") == nullptr); // it starts from silence

    const auto cut = check (tone);
    CHECK (find (cut, "abrupt-start") != nullptr);
}

TEST_CASE ("Tonal balance: boomy, harsh and dull against a neutral spectrum", "[analysis][check]")
{
    // Neutral reference: the healthy mix has no tonal findings (checked above). Extreme ones:
    auto boomy = test::pinkNoise (rate, 2, 10.0, -30.0);
    const auto sub = test::lowPassed (test::pinkNoise (rate, 2, 10.0, -8.0, 9), rate, 120.0, 4095);
    for (int c = 0; c < 2; ++c)
        boomy.addFrom (c, 0, sub, c, 0, sub.getNumSamples());
    auto findings = check (boomy);
    INFO (codes (findings));
    CHECK (find (findings, "boomy") != nullptr);

    const auto dull = test::lowPassed (test::pinkNoise (rate, 2, 10.0, -18.0), rate, 3000.0);
    findings = check (dull);
    INFO (codes (findings));
    CHECK (find (findings, "dull") != nullptr);

    auto harsh = test::pinkNoise (rate, 2, 10.0, -30.0);
    const auto band = test::sine (rate, 2, 10.0, 3500.0, -14.0);
    for (int c = 0; c < 2; ++c)
        harsh.addFrom (c, 0, band, c, 0, band.getNumSamples());
    findings = check (harsh);
    INFO (codes (findings));
    CHECK (find (findings, "harsh") != nullptr);
}

TEST_CASE ("Delivery: 16-bit and lossy files, and 16 bits padded into 24", "[analysis][check]")
{
    const auto dir = test::tempDir();
    const auto mix = healthyMix();

    std::string error;
    const auto sixteen = engine::analyseFile (test::writeWav (dir + "/mix16.wav", mix, rate, 16), error);
    REQUIRE (sixteen);
    analysis::DeliveryFormat format { "WAV", 16, false, false };
    auto findings = analysis::checkMix (sixteen->analysis, format);
    INFO (codes (findings));
    CHECK (find (findings, "low-bit-depth") != nullptr);

    // The 16-bit audio written into a 24-bit file (as integers, the way a DAW pads it): the
    // container says 24, the audio says 16.
    const juce::File paddedFile (dir + "/mix24.wav");
    {
        std::vector<int> left ((size_t) mix.getNumSamples()), right ((size_t) mix.getNumSamples());
        for (int i = 0; i < mix.getNumSamples(); ++i)
        {
            left[(size_t) i] = (int) std::lround (mix.getSample (0, i) * 32767.0f) * 65536;
            right[(size_t) i] = (int) std::lround (mix.getSample (1, i) * 32767.0f) * 65536;
        }
        const int* channels[] = { left.data(), right.data(), nullptr };
        juce::WavAudioFormat wav;
        std::unique_ptr<juce::AudioFormatWriter> writer (wav.createWriterFor (paddedFile.createOutputStream().release(), rate, 2, 24, {}, 0));
        REQUIRE (writer);
        REQUIRE (writer->write (channels, mix.getNumSamples()));
    }
    const auto padded = engine::analyseFile (paddedFile.getFullPathName().toStdString(), error);
    REQUIRE (padded);
    CHECK (padded->analysis.effectiveBits == 16);
    findings = analysis::checkMix (padded->analysis, { "WAV", 24, false, false });
    CHECK (find (findings, "padded-bit-depth") != nullptr);

    findings = analysis::checkMix (sixteen->analysis, { "MP3", 16, false, true });
    CHECK (find (findings, "lossy-delivery") != nullptr);
    CHECK (find (findings, "low-bit-depth") == nullptr);
}

TEST_CASE ("NaN and silence", "[analysis][check]")
{
    auto b = healthyMix();
    b.setSample (0, 44100 * 3, std::numeric_limits<float>::quiet_NaN());
    auto findings = check (b);
    REQUIRE (find (findings, "non-finite-samples") != nullptr);
    CHECK (*find (findings, "non-finite-samples")->timeSeconds == Approx (3.0).margin (0.001));

    test::Buffer silence (2, 44100 * 5);
    silence.clear();
    findings = check (silence);
    CHECK (find (findings, "silent") != nullptr);
}
