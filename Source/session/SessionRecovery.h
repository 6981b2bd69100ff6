#pragma once

// The recovery file: the session as it was a few seconds after the last edit, so that a crash,
// a kill -9 or a power cut loses at most those seconds.
//
// Design note: the app writes the open session here (atomically, engine::writeFileAtomically)
// a moment after each edit, and removes it when the session is saved, or closed or quit with
// its edits deliberately discarded. A recovery file that is still there at the next launch
// therefore means the last run ended without a clean save or close, and the app offers to
// restore it, showing what differs from the file on disk (differences()). Everything here is
// plain file logic with no GUI, so the tests prove it without a display.
//
// Where it is: beside the session as ".NAME.crest-recovery" (hidden, like AtomicFile's
// partial files), so it travels with the session's folder; in the user's data folder as
// "untitled.crest-recovery" for a session never saved; in the data folder as
// "recovery-HASH.crest-recovery" when the session's own folder is not writable. The file is
//
//     {"format": "crest-recovery", "version": 1, "session_path": "/abs/album.crest" or "",
//      "written_ms": 1796612808950, "session": {a crest-session object}}
//
// with the session's source paths written relative to the session's folder (as a save would),
// so a recovered session resolves them exactly as the saved one does.

#include "session/Session.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace crest::session
{

/** A recovery file found on disk, read back. */
struct Recovery
{
    std::string recoveryPath; ///< the recovery file itself
    std::string sessionPath; ///< the session it belongs to; empty for a session never saved
    int64_t writtenMs = 0; ///< when it was written, milliseconds since 1970 (UTC)
    Session session; ///< the session it holds (source paths resolved)
};

namespace SessionRecovery
{
    /** The format name written and required. */
    inline constexpr const char* formatName = "crest-recovery";

    /** Where the recovery file of `sessionPath` goes: beside it when its folder is writable,
        else in `dataFolder` under a name made from the path; `dataFolder`/untitled.crest-recovery
        when `sessionPath` is empty (a session never saved). */
    std::string pathFor (const std::string& sessionPath, const std::string& dataFolder);

    /** Writes the recovery file of `session` (which belongs to `sessionPath`, empty: unsaved)
        atomically, creating `dataFolder` if needed. Returns false with `error` naming the file
        and the reason; an older recovery file is then left as it was. */
    bool write (
        const Session& session, const std::string& sessionPath, const std::string& dataFolder, int64_t nowMs, std::string& error);

    /** Reads the recovery file for `sessionPath` (empty: the unsaved session's), if there is
        one. A file that exists but cannot be read back sets `error` (naming it and why) and
        gives nothing; it is left on disk for the user to look at. */
    std::optional<Recovery> find (const std::string& sessionPath, const std::string& dataFolder, std::string& error);

    /** Removes the recovery file of `sessionPath` (a clean save, close or quit). True when
        there is none left. */
    bool remove (const std::string& sessionPath, const std::string& dataFolder);

    /** What the recovered session changes compared with `saved` (the file on disk, or an
        empty session for an unsaved one), one short line each ("album title: "A" -> "B"",
        "track 2 added: Ocean", "chain: module limiter: ceiling_dbtp: -1 -> -0.3"), at most
        `maximumLines` lines (the last then says how many more). Empty when they are equal. */
    std::vector<std::string> differences (const Session& saved, const Session& recovered, size_t maximumLines = 12);
} // namespace SessionRecovery

} // namespace crest::session
