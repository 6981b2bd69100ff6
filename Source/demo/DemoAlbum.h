#pragma once

// Crest's bundled demo album: three short synthesised tracks of different character and a
// session for them, written at build time so the GUI and the tests have a licence-clean album
// to open (never downloaded).

#include <juce_audio_basics/juce_audio_basics.h>

#include <string>

namespace crest::demo
{

/** The demo album's tracks and session. Deterministic: the same call gives the same samples. */
class DemoAlbum
{
public:
    /** Number of tracks on the demo album. */
    static constexpr int numTracks = 3;

    /** Renders track `index` (0: a full-band groove from DemoMix, 1: a slow, quiet ambient
        pad, 2: a plucked arpeggio with a soft pulse), stereo, peaking near -1 dBFS (the pad
        lower, as a quiet piece is mixed). */
    static juce::AudioBuffer<float> renderTrack (int index, double sampleRate = 44100.0);

    /** The title of track `index`. */
    static std::string title (int index);

    /** Writes the tracks as 24-bit 44.1 kHz WAVs into `folder` and `crest-demo.crest` beside
        them: titles, performer, ISRCs, a UPC, fades, one crossfade, `chainPath`'s chain (the
        gentle-master preset) and deliverable targets. Returns an empty string on success,
        otherwise the reason. */
    static std::string write (const std::string& folder, const std::string& chainPath);
};

} // namespace crest::demo
