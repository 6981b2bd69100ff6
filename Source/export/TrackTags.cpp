#include "export/TrackTags.h"

#include <stdexcept>

namespace crest::delivery
{

std::string TrackTags::trackNumberText() const
{
    if (trackNumber <= 0)
        return {};
    return trackTotal > 0 ? std::to_string (trackNumber) + "/" + std::to_string (trackTotal) : std::to_string (trackNumber);
}

TrackTags tagsForTrack (const session::Session& session, int index)
{
    if (index < 0 || index >= (int) session.tracks.size())
        throw std::out_of_range ("track " + std::to_string (index + 1) + " is not on the album");

    const auto& track = session.tracks[(size_t) index];
    TrackTags tags;
    tags.title = track.title;
    tags.artist = track.performer.empty() ? session.album.performer : track.performer;
    tags.album = session.album.title;
    tags.albumArtist = session.album.performer;
    tags.genre = session.album.genre;
    tags.isrc = track.isrc;
    tags.trackNumber = index + 1;
    tags.trackTotal = (int) session.tracks.size();
    tags.year = session.album.year;
    return tags;
}

} // namespace crest::delivery
