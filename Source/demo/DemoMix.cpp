#include "demo/DemoMix.h"

#include "engine/AtomicFile.h"

#include <juce_audio_formats/juce_audio_formats.h>

#include <cmath>
#include <random>

namespace crest::demo
{
namespace
{
    constexpr double pi = 3.14159265358979323846;

    /** A one-pole low-pass whose cut-off may move per sample. */
    struct OnePole
    {
        double state = 0.0;
        double process (double x, double cutoff, double rate)
        {
            const double a = 1.0 - std::exp (-2.0 * pi * cutoff / rate);
            state += a * (x - state);
            return state;
        }
    };

    double midiToHz (int note) { return 440.0 * std::pow (2.0, (note - 69) / 12.0); }

    /** A naive sawtooth with its discontinuity softened (good enough for a demo, and the
        filter after it removes most of the aliasing). */
    double saw (double phase) { return 2.0 * (phase - std::floor (phase)) - 1.0; }

    void addStereo (juce::AudioBuffer<float>& out, int i, double x, double pan)
    {
        // Constant-power pan: -1 left, 0 centre, +1 right.
        const double angle = (pan + 1.0) * pi / 4.0;
        out.addSample (0, i, (float) (x * std::cos (angle)));
        out.addSample (1, i, (float) (x * std::sin (angle)));
    }
} // namespace

juce::AudioBuffer<float> DemoMix::render (double rate, double seconds)
{
    const int length = (int) std::lround (rate * seconds);
    juce::AudioBuffer<float> out (2, length);
    out.clear();

    std::mt19937 random (20261122u);
    std::uniform_real_distribution<double> noise (-1.0, 1.0);

    const double beat = 0.5; // 120 bpm
    const int bassLine[] = { 36, 36, 43, 41, 38, 38, 45, 43 };
    const int chords[][3] = { { 60, 64, 67 }, { 57, 60, 64 }, { 53, 57, 60 }, { 55, 59, 62 } };
    const int melody[] = { 72, 74, 76, 79, 76, 74, 72, 71, 69, 71, 72, 74, 72, 71, 67, 69 };

    OnePole bassFilter, padFilterL, padFilterR, hatHighPass, snareTone;
    double bassPhase = 0.0, leadPhase = 0.0, padPhases[3][2] = {};
    double reverbL = 0.0, reverbR = 0.0;
    std::vector<float> delayL ((size_t) (rate * 0.375)), delayR ((size_t) (rate * 0.5));
    size_t delayIndexL = 0, delayIndexR = 0;

    for (int i = 0; i < length; ++i)
    {
        const double t = i / rate;
        const double beatPos = t / beat;
        const int beatIndex = (int) beatPos;
        const double inBeat = (beatPos - beatIndex) * beat; // seconds since the beat
        const int bar = beatIndex / 4;
        const double fadeIn = std::min (1.0, t / 0.5);
        const double fadeOut = std::min (1.0, (seconds - t) / 1.5);
        const double envelope = fadeIn * std::max (0.0, fadeOut);

        // Kick on every beat: a falling sine.
        const double kickFreq = 45.0 + 90.0 * std::exp (-inBeat * 30.0);
        const double kick = std::sin (2.0 * pi * (45.0 * inBeat + 90.0 * (1.0 - std::exp (-inBeat * 30.0)) / 30.0))
                            * std::exp (-inBeat * 9.0) * 0.9;
        juce::ignoreUnused (kickFreq);

        // Snare on 2 and 4: a noise burst with a tone.
        double snare = 0.0;
        if (beatIndex % 2 == 1)
        {
            const double n = noise (random);
            snare = (0.55 * n * std::exp (-inBeat * 18.0) + 0.35 * std::sin (2.0 * pi * 190.0 * inBeat) * std::exp (-inBeat * 25.0));
            snare = snareTone.process (snare, 7000.0, rate);
        }

        // Hats on every eighth: high-passed noise.
        const double eighth = std::fmod (t, beat / 2.0);
        const double hn = noise (random);
        const double hat = (hn - hatHighPass.process (hn, 6000.0, rate)) * std::exp (-eighth * 60.0) * 0.25;

        // Bass: a filtered saw following the line, one note per beat.
        const int bassNote = bassLine[(beatIndex / 2) % 8];
        bassPhase += midiToHz (bassNote) / rate;
        const double bassEnv = std::exp (-inBeat * 3.0);
        const double bass = bassFilter.process (saw (bassPhase), 250.0 + 900.0 * bassEnv, rate) * 0.55 * (0.6 + 0.4 * bassEnv);

        // Chords: detuned saws, one chord per bar, left and right voices.
        double padL = 0.0, padR = 0.0;
        const auto& chord = chords[bar % 4];
        for (int v = 0; v < 3; ++v)
        {
            const double f = midiToHz (chord[v]);
            padPhases[v][0] += f * 1.003 / rate;
            padPhases[v][1] += f * 0.997 / rate;
            padL += saw (padPhases[v][0]);
            padR += saw (padPhases[v][1]);
        }
        const double swell = 0.5 + 0.5 * std::sin (2.0 * pi * t / 8.0);
        padL = padFilterL.process (padL, 1400.0 + 1600.0 * swell, rate) * 0.09;
        padR = padFilterR.process (padR, 1400.0 + 1600.0 * swell, rate) * 0.09;

        // Lead: a sine-ish voice with vibrato from bar 4, an eighth note each.
        double lead = 0.0;
        if (bar >= 4)
        {
            const int note = melody[(int) (beatPos * 2.0) % 16];
            leadPhase += midiToHz (note) * (1.0 + 0.004 * std::sin (2.0 * pi * 5.5 * t)) / rate;
            const double noteTime = std::fmod (t, beat / 2.0);
            const double leadEnv = std::min (1.0, noteTime / 0.01) * std::exp (-noteTime * 4.0);
            lead = (std::sin (2.0 * pi * leadPhase) + 0.25 * std::sin (4.0 * pi * leadPhase)) * leadEnv * 0.22;
        }

        // A little stereo echo on the lead and snare, so the image is wide but mono-safe.
        const double sendL = delayL[delayIndexL], sendR = delayR[delayIndexR];
        delayL[delayIndexL] = (float) (0.5 * lead + 0.3 * snare + 0.35 * sendR);
        delayR[delayIndexR] = (float) (0.5 * lead + 0.3 * snare + 0.35 * sendL);
        delayIndexL = (delayIndexL + 1) % delayL.size();
        delayIndexR = (delayIndexR + 1) % delayR.size();
        reverbL = 0.6 * reverbL + 0.4 * sendL;
        reverbR = 0.6 * reverbR + 0.4 * sendR;

        // Arrangement: chords alone for two bars, then the band; a breakdown in bars 8-9.
        const bool breakdown = bar == 8 || bar == 9;
        const double drums = bar < 2 || breakdown ? 0.0 : 1.0;
        const double bassLevel = bar < 1 ? 0.0 : (breakdown ? 0.5 : 1.0);
        addStereo (out, i, (kick * drums + bass * bassLevel) * envelope, 0.0);
        addStereo (out, i, snare * drums * envelope, 0.05);
        addStereo (out, i, hat * (bar < 1 ? 0.0 : 1.0) * envelope, 0.35);
        addStereo (out, i, lead * envelope, -0.1);
        out.addSample (0, i, (float) ((padL + 0.3 * reverbL) * envelope));
        out.addSample (1, i, (float) ((padR + 0.3 * reverbR) * envelope));
    }

    // Peak near -1 dBFS, as a finished mix handed over for mastering might be.
    const float peak = out.getMagnitude (0, length);
    if (peak > 0.0f)
        out.applyGain (0.891f / peak);
    return out;
}

std::string DemoMix::writeWav (const std::string& path, double rate, double seconds)
{
    const auto target = juce::File::getCurrentWorkingDirectory().getChildFile (juce::String (path));
    if (! target.getParentDirectory().createDirectory())
        return "cannot create the directory " + target.getParentDirectory().getFullPathName().toStdString();

    const auto buffer = render (rate, seconds);
    engine::AtomicFile file (target.getFullPathName().toStdString());
    if (! file.isOpen())
        return file.reason();
    {
        auto stream = file.createOutputStream();
        juce::WavAudioFormat wav;
        std::unique_ptr<juce::AudioFormatWriter> writer (wav.createWriterFor (stream.get(), rate, 2, 24, {}, 0));
        if (writer == nullptr)
            return "cannot create a WAV writer";
        stream.release(); // the writer owns it now
        if (! writer->writeFromAudioSampleBuffer (buffer, 0, buffer.getNumSamples()))
            return file.reasonOr ("writing failed");
    } // the writer finalises the WAV header as it is destroyed

    if (! file.commit())
        return file.reason();
    return {};
}

} // namespace crest::demo
