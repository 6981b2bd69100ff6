#pragma once

// Versions, approval and notes: the client's side of a session, as operations on the document.
//
// Design note: a Version is a copy of the parameters that make the master (the album chain and
// each track's mastering fields, in running order), never audio, so a session with fifty
// versions stays a few hundred kilobytes and any version can be rendered again exactly.
// Tracks are named by their stable ID (Track::id), so a version, a note or an approval keeps
// meaning the same track after the running order changes. Restoring a version puts its state
// into the working session as one undo step of the SessionEditor; titles, codes and sources
// are not part of a version and stay as they are. Approval is per track: the deliverables of
// an approved track come from its version (deliverySession()).

#include "session/Session.h"
#include "session/SessionEditor.h"

#include <map>
#include <string>
#include <vector>

namespace crest::session
{

/** Gives every track without an ID a new one ("t1", "t2", ... the lowest not taken). */
void assignTrackIds (Session& session);

/** Empty when a version name is acceptable (1 to 64 characters, no control characters, not
    only spaces), otherwise the rule it breaks. */
std::string versionNameProblem (const std::string& name);

/** The version with a name, or nullptr. */
const Version* findVersion (const Session& session, const std::string& name);

/** The 0-based index of the track with an ID, or -1. */
int trackIndex (const Session& session, const std::string& trackId);

/** The working state as a version (named `name`, no figures): what create would store. The
    session's tracks must have IDs (assignTrackIds()). */
Version captureVersion (const Session& session, const std::string& name, const std::string& note, const std::string& createdUtc);

/** The session with a version's mastering state in place of its own: the album chain, every
    track's mastering fields and chain, and the running order (tracks the version does not
    know keep their relative order after those it does). Titles, codes, sources, approvals,
    versions and notes are left as they are. */
Session withVersion (const Session& session, const Version& version);

/** Restores a version as the working state, as one undo step ("Restore Version 'NAME'").
    Throws std::invalid_argument naming the version when the session has none of that name. */
void restoreVersion (SessionEditor& editor, const std::string& name);

/** Adds the working state as a new version, as one undo step. Throws std::invalid_argument
    when the name is taken or breaks versionNameProblem(). */
void createVersion (SessionEditor& editor, const std::string& name, const std::string& note, const std::string& createdUtc);

/** Approves track `index` (0-based) at a version, as one undo step; an empty name withdraws
    the approval. Throws std::invalid_argument naming the track or version that does not exist. */
void approveTrack (SessionEditor& editor, int index, const std::string& versionName);

/** What each track of a delivery comes from. */
struct DeliverySource
{
    Session session; ///< the working session with each approved track in its version's state
    std::vector<std::string> trackVersions; ///< per track: the approved version, empty for the working state
};

/** The session to deliver: every approved track takes its version's mastering fields and
    chain (the version's own chain for the track, or the version's album chain); the running
    order, metadata and unapproved tracks stay as the working state has them. */
DeliverySource deliverySession (const Session& session);

/** Gains (dB) that make tracks measured at `integratedLufs` play at the level of the quietest,
    for switching between versions of one track without a jump in loudness: each gain is
    quietest - own (so 0 for the quietest, never a boost that could clip). Non-finite
    measurements (silence) get 0. */
std::vector<double> loudnessMatchGains (const std::vector<double>& integratedLufs);

/** Adds a note, as one undo step ("Add Note"). Throws std::invalid_argument when its track or
    version does not exist, or its text is empty. */
void addNote (SessionEditor& editor, const Note& note);

/** Adds notes read from a notes file (NotesFile::load checks them), as one undo step
    ("Import N Notes"). */
void importNotes (SessionEditor& editor, const std::vector<Note>& notes);

/** Marks note `index` (0-based) done or open, as one undo step. Throws std::invalid_argument
    naming the note when there is none. */
void setNoteDone (SessionEditor& editor, int index, bool done);

/** Keeps the figures a proof measured with the versions: `figures[name][i]` is track i's
    (running order) of version `name`. Versions or tracks not named are left as they are. */
void storeFigures (Session& session, const std::map<std::string, std::vector<TrackFigures>>& figures);

/** "engineer" or "client". */
const char* authorName (NoteAuthor author);

/** The author with a name; engineer for anything but "client" (callers check the word first). */
NoteAuthor authorFromName (const std::string& name);

} // namespace crest::session
