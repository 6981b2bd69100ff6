#pragma once

// The words a delivered file carries about its track, whatever the container: ID3v2.4 frames
// in an MP3, Vorbis comments in a FLAC, the report's rows. Filled once from the session, so
// every format says the same thing.

#include "session/Session.h"

#include <string>

namespace crest::delivery
{

/** What a listener's player shows for one track. Empty strings and zeros mean "not set" and
    are left out of the file. */
struct TrackTags
{
    std::string title; ///< the track's title
    std::string artist; ///< the track's performer (the album's when the track has none)
    std::string album; ///< the album's title
    std::string albumArtist; ///< the album's performer
    std::string genre; ///< the album's genre
    std::string isrc; ///< 12 characters without dashes, or empty
    int trackNumber = 0; ///< 1-based position on the album
    int trackTotal = 0; ///< tracks on the album
    int year = 0; ///< release year, 0 when unknown
    std::string comment; ///< an ID3 COMM frame (a proof's version and note); empty in deliverables

    /** "n/N" as ID3's TRCK frame writes it ("n" alone when the total is unknown). */
    std::string trackNumberText() const;
};

/** The tags of track `index` (0-based) of a session. Throws std::out_of_range for a bad index. */
TrackTags tagsForTrack (const session::Session& session, int index);

} // namespace crest::delivery
