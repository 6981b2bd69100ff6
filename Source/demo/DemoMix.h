#pragma once

#include <juce_audio_basics/juce_audio_basics.h>

#include <string>

namespace crest::demo
{

/** Crest's bundled demo material: a short stereo mix synthesised from code (kick, snare,
    hats, bass, chords and a lead at 120 bpm), so the demo is licence-clean and never
    downloaded. Deterministic: the same call always gives the same samples. */
class DemoMix
{
public:
    /** Renders the mix: `seconds` long at `sampleRate`, two channels, peaking near -1 dBFS. */
    static juce::AudioBuffer<float> render (double sampleRate = 44100.0, double seconds = 24.0);

    /** Renders the mix and writes it as a 24-bit WAV (through an engine::AtomicFile: a partial
        name, renamed when complete). Returns an empty string on success, otherwise the reason. */
    static std::string writeWav (const std::string& path, double sampleRate = 44100.0, double seconds = 24.0);
};

} // namespace crest::demo
