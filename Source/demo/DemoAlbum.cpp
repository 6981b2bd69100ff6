#include "demo/DemoAlbum.h"

#include "engine/AudioFileOutput.h"
#include "engine/ChainFile.h"
#include "demo/DemoMix.h"
#include "session/SessionFile.h"

#include <juce_core/juce_core.h>

#include <cmath>
#include <random>

namespace crest::demo
{
namespace
{
    constexpr double pi = 3.14159265358979323846;

    double midiToHz (double note) { return 440.0 * std::pow (2.0, (note - 69.0) / 12.0); }

    void normalise (juce::AudioBuffer<float>& b, float peakGain)
    {
        const float peak = b.getMagnitude (0, b.getNumSamples());
        if (peak > 0.0f)
            b.applyGain (peakGain / peak);
    }

    /** Slow detuned chords that swell and fade: no transients, wide, quiet. */
    juce::AudioBuffer<float> ambientPad (double rate, double seconds)
    {
        const int length = (int) std::lround (rate * seconds);
        juce::AudioBuffer<float> out (2, length);
        out.clear();
        const double chords[][4] = { { 50, 57, 62, 66 }, { 47, 54, 59, 62 }, { 43, 50, 55, 59 }, { 45, 52, 57, 61 } };
        const double chordSeconds = seconds / 4.0;
        for (int i = 0; i < length; ++i)
        {
            const double t = i / rate;
            const int c = std::min (3, (int) (t / chordSeconds));
            const double inChord = t - c * chordSeconds;
            const double swell = std::sin (pi * std::min (1.0, inChord / chordSeconds)); // each chord rises and falls
            double l = 0.0, r = 0.0;
            for (int v = 0; v < 4; ++v)
            {
                const double f = midiToHz (chords[c][v]);
                l += std::sin (2.0 * pi * f * 0.999 * t) + 0.3 * std::sin (2.0 * pi * 2.0 * f * t);
                r += std::sin (2.0 * pi * f * 1.001 * t) + 0.3 * std::sin (2.0 * pi * 2.0 * f * 1.0005 * t);
            }
            out.setSample (0, i, (float) (l * swell));
            out.setSample (1, i, (float) (r * swell));
        }
        normalise (out, 0.25f); // about -12 dBFS peak: a quiet piece
        return out;
    }

    /** A plucked arpeggio (decaying harmonics) over a soft kick at 96 bpm. */
    juce::AudioBuffer<float> pluckedArpeggio (double rate, double seconds)
    {
        const int length = (int) std::lround (rate * seconds);
        juce::AudioBuffer<float> out (2, length);
        out.clear();
        const double step = 60.0 / 96.0 / 4.0; // sixteenths
        const double notes[] = { 64, 67, 71, 74, 76, 74, 71, 67, 62, 66, 69, 74, 78, 74, 69, 66 };
        std::mt19937 random (7u);
        std::uniform_real_distribution<double> noise (-1.0, 1.0);
        for (int i = 0; i < length; ++i)
        {
            const double t = i / rate;
            const int n = (int) (t / step);
            const double inNote = t - n * step;
            const double f = midiToHz (notes[n % 16] - (n / 64 % 2 == 1 ? 2 : 0));
            const double env = std::exp (-inNote * 9.0);
            const double pluck = env * (std::sin (2.0 * pi * f * inNote) + 0.5 * std::exp (-inNote * 20.0) * std::sin (4.0 * pi * f * inNote)
                                        + 0.25 * std::exp (-inNote * 40.0) * std::sin (6.0 * pi * f * inNote));
            const double beatTime = std::fmod (t, step * 4.0);
            const double kick = 0.8 * std::exp (-beatTime * 12.0) * std::sin (2.0 * pi * (50.0 * beatTime + 60.0 * (1.0 - std::exp (-beatTime * 25.0)) / 25.0));
            const double shaker = 0.04 * noise (random) * std::exp (-std::fmod (t, step * 2.0) * 35.0);
            const double pan = 0.5 + 0.35 * std::sin (2.0 * pi * n / 16.0);
            out.setSample (0, i, (float) (pluck * std::cos (pan * pi / 2.0) + kick + shaker));
            out.setSample (1, i, (float) (pluck * std::sin (pan * pi / 2.0) + kick - shaker));
        }
        normalise (out, 0.891f);
        return out;
    }

    std::string fileName (int index)
    {
        return "crest-demo-" + std::to_string (index + 1) + "-"
               + juce::String (DemoAlbum::title (index)).toLowerCase().replaceCharacter (' ', '-').toStdString() + ".wav";
    }
} // namespace

std::string DemoAlbum::title (int index)
{
    static const char* titles[] = { "Opening Pulse", "Slow Glass", "Little Engine" };
    return titles[std::clamp (index, 0, numTracks - 1)];
}

juce::AudioBuffer<float> DemoAlbum::renderTrack (int index, double rate)
{
    switch (index)
    {
        case 0:
            return DemoMix::render (rate, 30.0);
        case 1:
            return ambientPad (rate, 36.0);
        default:
            return pluckedArpeggio (rate, 26.0);
    }
}

std::string DemoAlbum::write (const std::string& folderPath, const std::string& chainPath)
{
    const auto folder = juce::File::getCurrentWorkingDirectory().getChildFile (juce::String (folderPath));
    if (! folder.createDirectory())
        return "cannot create the directory " + folder.getFullPathName().toStdString();

    session::Session s;
    try
    {
        s.chain = engine::ChainFile::load (chainPath);
    }
    catch (const engine::ChainFileError& e)
    {
        return e.what();
    }

    const double rate = 44100.0;
    for (int i = 0; i < numTracks; ++i)
    {
        const auto path = folder.getChildFile (fileName (i)).getFullPathName().toStdString();
        const auto audio = renderTrack (i, rate);
        std::string error;
        auto output = engine::AudioFileOutput::create (path, rate, 2, 24, error);
        if (output == nullptr)
            return path + ": " + error;
        if (! output->write (audio.getArrayOfReadPointers(), audio.getNumSamples()))
            return path + ": writing failed (disk full?)";
        if (! output->finish (error))
            return path + ": " + error;

        session::Track t;
        t.source = path;
        t.title = title (i);
        t.performer = "The Crest Ensemble";
        t.composer = "Crest developers";
        t.isrc = "ZZCRS250000" + std::to_string (i + 1);
        s.tracks.push_back (t);
    }
    s.tracks[0].gapSeconds = 2.0;
    s.tracks[1].gapSeconds = 1.5;
    s.tracks[1].fadeIn = { 1.0, session::FadeCurve::sCurve };
    s.tracks[2].crossfade = session::Fade { 3.0, session::FadeCurve::equalPower };
    s.tracks[2].fadeOut = { 3.0, session::FadeCurve::sCurve };
    s.tracks[2].indexPoints = { 13.0 };

    s.album.title = "Crest Demo Album";
    s.album.performer = "The Crest Ensemble";
    s.album.upc = "012345678905";
    s.album.catalogueNumber = "CREST-DEMO-1";
    s.album.genre = "Electronic";
    s.album.language = "en";
    s.album.year = 2025;
    using session::DeliverableTarget;
    s.deliverables.targets = { DeliverableTarget::cd, DeliverableTarget::ddp, DeliverableTarget::streaming,
        DeliverableTarget::mp3, DeliverableTarget::flac };
    s.deliverables.streamingLufs = -14.0;

    try
    {
        session::SessionFile::save (s, folder.getChildFile ("crest-demo.crest").getFullPathName().toStdString());
    }
    catch (const session::SessionError& e)
    {
        return e.what();
    }
    return {};
}

} // namespace crest::demo
