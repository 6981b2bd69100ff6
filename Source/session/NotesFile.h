#pragma once

// The notes file a client sends back from the review page, and the same format written out.
//
// Design note: the review page saves what the client typed as notes.json, a small documented
// format with its own version, so a file from any page version can be read or refused with a
// reason. From version 2 a note names its track by the track's stable ID (Track::id, which
// `crest proof` gives the page), so notes land on the right track after the running order
// changed between the proof and the import; the track's number and title as the client saw
// them ride along for people reading the file and are not used to place the note. Version 1
// files (tracks by number in the running order at import) are still read. Versions are names.
// Both are checked against the session, and a problem is reported naming the file, the note
// and the field, with nothing added.
//
//     {"format": "crest-notes", "formatVersion": 2, "album": "<title>",
//      "notes": [{"trackId": "t3", "track": 1 (optional), "title": "..." (optional),
//                 "version": "v1 proof", "timeSeconds": 12.5,
//                 "endSeconds": 14.0 (optional), "author": "client", "text": "..."}]}
//
// Version 1 notes have "track" (required, the number in the running order) and no "trackId".

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
    inline constexpr int currentVersion = 2;

    /** Reads notes.json text for `session` (version 1 or 2): every note's track must be a track
        of the session (by ID; by number in version 1), its version a version of the session. `source` names the file in errors.
        Throws SessionError naming the file, the note ("note 3") and the field. */
    std::vector<Note> parse (const std::string& json, const std::string& source, const Session& session);

    /** Reads a notes file (see parse()). */
    std::vector<Note> load (const std::string& path, const Session& session);

    /** Notes as notes.json text of the current version (tracks by ID, with their number and
        title in `session`'s running order). */
    std::string toJson (const std::vector<Note>& notes, const Session& session);
} // namespace NotesFile

} // namespace crest::session
