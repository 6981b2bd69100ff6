#pragma once

// What the player plays, laid out in time: an album (tracks with gaps, trims, gains, fades and
// crossfades, placed by album::Timeline exactly as a render places them) or a single file,
// turned into a ProgrammeStream and the list of its tracks. Message thread only: it opens files.

#include "live/ProgrammeStream.h"
#include "live/Transport.h"
#include "session/Session.h"

#include <memory>
#include <string>
#include <vector>

namespace crest::live
{

/** A programme ready to play: its stream and where its tracks sit. */
struct ProgrammeLayout
{
    std::unique_ptr<ProgrammeStream> stream; ///< nullptr when it could not be opened
    std::vector<PlayerTrack> tracks;
};

/** Lays out a session's album (source paths as held in the session: already resolved).
    On failure the stream is nullptr and `error` names the track and file. */
ProgrammeLayout layOutSession (const session::Session& session, double readAheadSeconds, std::string& error);

/** Lays out one mono or stereo audio file as a one-track programme. On failure the stream is
    nullptr and `error` names the file and the reason. */
ProgrammeLayout layOutFile (const std::string& path, double readAheadSeconds, std::string& error);

/** A session's path resolved against its folder when relative (empty folder: as it is). */
std::string resolvePath (const std::string& path, const std::string& folder);

} // namespace crest::live
