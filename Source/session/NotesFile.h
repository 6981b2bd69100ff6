#pragma once

// The notes file a client sends back from the review page, and the same format written out.
//
// Design note: the review page saves what the client typed as notes.json, a small documented
// format with its own version, so a file from any page version can be read or refused with a
// reason. Tracks are numbers in the album's running order (what the client saw), versions
// are names; both are checked against the session, and a problem is reported naming the file,
// the note and the field, with nothing added.
//
//     {"format": "crest-notes", "formatVersion": 1, "album": "<title>",
//      "notes": [{"track": 1, "version": "v1 proof", "timeSeconds": 12.5,
//                 "endSeconds": 14.0 (optional), "author": "client", "text": "..."}]}

#include "session/Session.h"

#include <string>
#include <vector>

namespace crest::session
{

namespace NotesFile
{
    /** The format name written and required. */
    inline constexpr const char* formatName = "crest-notes";

    /** The newest formatVersion this build reads, and the one it writes. */
    inline constexpr int currentVersion = 1;

    /** Reads notes.json text for `session`: every note's track must be a track number of the
        session, its version a version of the session. `source` names the file in errors.
        Throws SessionError naming the file, the note ("note 3") and the field. */
    std::vector<Note> parse (const std::string& json, const std::string& source, const Session& session);

    /** Reads a notes file (see parse()). */
    std::vector<Note> load (const std::string& path, const Session& session);

    /** Notes as notes.json text (tracks by their number in `session`'s running order). */
    std::string toJson (const std::vector<Note>& notes, const Session& session);
} // namespace NotesFile

} // namespace crest::session
