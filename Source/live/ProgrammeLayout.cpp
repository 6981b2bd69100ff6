#include "live/ProgrammeLayout.h"

#include "album/Timeline.h"
#include "engine/AudioFileInput.h"

#include <cmath>

namespace crest::live
{

ProgrammeLayout layOutSession (const session::Session& session, double readAheadSeconds, std::string& error)
{
    auto timeline = album::Timeline::fromSources (session, album::Alignment::samples, error);
    if (! timeline)
        return {};

    std::vector<std::string> files;
    std::vector<ProgrammePiece> pieces;
    ProgrammeLayout layout;
    for (size_t i = 0; i < timeline->tracks().size(); ++i)
    {
        const auto& t = timeline->tracks()[i];
        const auto& track = session.tracks[i];
        files.push_back (track.source);
        ProgrammePiece piece;
        piece.source = (int) i;
        piece.sourceStart = t.sourceStart;
        piece.start = t.audioStart;
        piece.length = t.length();
        piece.gain = std::pow (10.0f, (float) track.gainDb / 20.0f);
        piece.fadeInLength = t.fadeInLength;
        piece.fadeInCurve = t.fadeInCurve;
        piece.fadeOutLength = t.fadeOutLength;
        piece.fadeOutCurve = t.fadeOutCurve;
        piece.crossfadeInLength = t.crossfadeInLength;
        piece.crossfadeInCurve = t.crossfadeInCurve;
        piece.crossfadeOutLength = t.crossfadeOutLength;
        piece.crossfadeOutCurve = t.crossfadeOutCurve;
        pieces.push_back (piece);
        const auto title = track.title.empty() ? "Track " + std::to_string (i + 1) : track.title;
        layout.tracks.push_back ({ title, t.start, t.audioEnd - t.start });
    }
    layout.stream = ProgrammeStream::create (
        files, std::move (pieces), timeline->lengthInSamples(), timeline->sampleRate(), readAheadSeconds, error);
    return layout;
}

ProgrammeLayout layOutFile (const std::string& path, double readAheadSeconds, std::string& error)
{
    std::string why;
    auto input = engine::AudioFileInput::open (path, why);
    if (input == nullptr)
    {
        error = path + ": " + why;
        return {};
    }
    const auto info = input->info();
    input.reset();
    if (info.numChannels > 2)
    {
        error = path + ": has " + std::to_string (info.numChannels) + " channels; the player plays mono and stereo";
        return {};
    }
    ProgrammePiece piece;
    piece.length = info.lengthInSamples;
    ProgrammeLayout layout;
    layout.stream = ProgrammeStream::create ({ path }, { piece }, info.lengthInSamples, info.sampleRate, readAheadSeconds, error);
    layout.tracks.push_back ({ juce::File (path).getFileNameWithoutExtension().toStdString(), 0, info.lengthInSamples });
    return layout;
}

std::string resolvePath (const std::string& path, const std::string& folder)
{
    if (path.empty() || folder.empty() || juce::File::isAbsolutePath (path))
        return path;
    return juce::File (folder).getChildFile (path).getFullPathName().toStdString();
}

} // namespace crest::live
