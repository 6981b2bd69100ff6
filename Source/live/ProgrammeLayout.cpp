#include "live/ProgrammeLayout.h"

#include "album/SourceAudio.h"
#include "album/Timeline.h"
#include "engine/AudioFileInput.h"
#include "live/ChainHost.h"

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
        // Where track N's audio comes from: the same answer the renderer gets (converted to the
        // session rate when the source runs at another).
        std::string why;
        const auto audio = album::SourceAudio::resolve (track.source, timeline->sampleRate(), session.sourceCache, why);
        if (! audio)
        {
            error = "track " + std::to_string (i + 1) + ": " + why;
            return {};
        }
        files.push_back (*audio);
        ProgrammePiece piece;
        piece.source = (int) i;
        piece.sourceStart = t.sourceStart;
        piece.start = t.audioStart;
        piece.length = t.length();
        piece.gain = (float) std::pow (10.0, track.gainDb / 20.0); // as the renderer computes it
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
        layout.placements.push_back (t);
        layout.chains.push_back (track.chain);
    }
    layout.stream = ProgrammeStream::create (files, std::move (pieces), timeline->lengthInSamples(), timeline->sampleRate(),
        readAheadSeconds, error, 2, ChainHost::maximumLatencySeconds);
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
    layout.stream = ProgrammeStream::create (
        { path }, { piece }, info.lengthInSamples, info.sampleRate, readAheadSeconds, error, 2, ChainHost::maximumLatencySeconds);
    layout.tracks.push_back ({ juce::File (path).getFileNameWithoutExtension().toStdString(), 0, info.lengthInSamples });
    album::TrackPlacement whole; // the file as one track: no gap, no fades
    whole.sourceEnd = whole.end = whole.audioEnd = info.lengthInSamples;
    layout.placements.push_back (whole);
    layout.chains.emplace_back();
    return layout;
}

std::string resolvePath (const std::string& path, const std::string& folder)
{
    if (path.empty() || folder.empty() || juce::File::isAbsolutePath (path))
        return path;
    return juce::File (folder).getChildFile (path).getFullPathName().toStdString();
}

} // namespace crest::live
