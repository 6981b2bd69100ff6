#pragma once

// The session document on disk: `.crest` JSON, versioned, saved atomically.
//
// Design note: Session is plain data; this file is the only place that knows its JSON. Every
// property name is declared once (the field tables in SessionFile.cpp) and serves the file,
// `crest session set` and `crest session show` alike, so a key means the same everywhere.
//
//     {"format": "crest-session", "version": 1,
//      "sample_rate": 44100,                       (optional; absent: the first track's rate; one of
//                                                   44100, 48000, 88200, 96000, 176400, 192000;
//                                                   sources at other rates are converted to it)
//      "album": {"title": ..., "performer": ..., "upc": ..., "catalogue": ..., "genre": ...,
//                "language": "en", "year": 2024, "songwriter", "composer", "arranger", "message"},
//      "chain": {a crest-chain object, as ChainFile writes it},
//      "tracks": [{"source": "mixes/one.wav", "title": ..., "isrc": "GBABC2400001",
//                  "trim_in_s": 0, "trim_out_s": 200.5, "gain_db": 0, "gap_s": 2,
//                  "fade_in_s": 0, "fade_in_curve": "linear", "fade_out_s": 3,
//                  "fade_out_curve": "s-curve", "crossfade_s": 4, "crossfade_curve": "equal-power",
//                  "index_s": [30.5], "chain": {...}, "id": "t1", "approved_version": "v1", ...}],
//      "references": [{"source": ..., "name": ..., "cue_s": 0}],
//      "deliverables": {"targets": ["cd", "ddp"], "streaming_lufs": -14, "streaming_mode": "album",
//                       "ceiling_dbtp": -1, "hires_rate": 96000, "hires_format": "flac",
//                       "cd_dither": "tpdf", "vinyl_sides": [1, 6], "vinyl_rpm": 33,
//                       "vinyl_diameter_in": 12},
//      "versions": [{"name": "v1 proof", "created": "2026-12-07T04:00:00Z", "note": ...,
//                    "chain": {...}, "tracks": [{"id": "t1", "gain_db": 0, "gap_s": 2, (the
//                    track keys that master: trims, gain, gap, fades, crossfade, index points)
//                    "chain": {...}, "measured": {"integrated_lufs", "lra_lu", "true_peak_dbtp",
//                    "plr_db"}}]}],
//      "notes": [{"track": "t2", "version": "v1 proof", "time_s": 12.5, "end_s": 14,
//                 "author": "client", "text": ..., "done": false}]}
//
// Curves are "linear", "equal-power", "logarithmic", "s-curve". Source paths are written
// relative to the session's folder where possible and resolved to absolute paths on load, so
// in memory a Track's source is always a path that opens from any working directory.
//
// Versions: `version` is one number, bumped when the meaning of a file changes; each bump adds
// one migration step (JSON of version n -> n + 1) in SessionFile.cpp, and a test loads a
// fixture written by every older version (Tests/session/fixtures/).
//   1: the first version.
//   2: tracks have a stable "id" ("t1"...) and may be "approved_version" at a version; "versions"
//      (named snapshots of the mastering state, with measured figures) and "notes" (per track,
//      time and version heard on; see Versions.h). Migration: IDs t1, t2... in file order.

#include "session/Session.h"

#include <stdexcept>
#include <string>
#include <vector>

namespace crest::session
{

/** A session that cannot be read, written or edited; the message names the file, the place
    (album, track N, the key) and the rule broken. */
class SessionError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

/** A track whose source file is not there. */
struct MissingSource
{
    int trackNumber = 0; ///< 1-based
    std::string path;    ///< as held in the session (absolute after load)

    /** "track 2: source file not found: PATH", or what is there instead of a file ("track 2:
        source PATH: it is a FIFO (named pipe), not a file"). */
    std::string message() const;
};

namespace SessionFile
{
    /** The format name written and required. */
    inline constexpr const char* formatName = "crest-session";

    /** The rates `sample_rate` may be set to (0 means the first track's rate). */
    inline constexpr double sessionRates[] = { 44100.0, 48000.0, 88200.0, 96000.0, 176400.0, 192000.0 };

    /** The newest version this build reads, and the one it writes. */
    inline constexpr int currentVersion = 2;

    /** The file extension of sessions. */
    inline constexpr const char* extension = ".crest";

    /** Parses session JSON. `source` names it in errors; relative source paths are resolved
        against `sessionFolder`. Validates every value and the rules between them (validate());
        does not look at the source files (see missingSources()). Throws SessionError: bad
        JSON (with line and column), another format, a version newer than this build, an
        unknown key or value (named), a rule broken. */
    Session parse (const std::string& json, const std::string& source, const std::string& sessionFolder);

    /** Reads a session file (see parse()). The session opens even when its source files are
        missing, so the app can show which; call checkSources() before rendering. */
    Session load (const std::string& path);

    /** The session as JSON, source paths relative to `sessionFolder` where possible. */
    std::string toJson (const Session& session, const std::string& sessionFolder);

    /** Saves atomically (an AtomicFile: a partial file beside the target, then renamed). Throws
        SessionError naming the path and the reason. */
    void save (const Session& session, const std::string& path);

    /** Every track whose source file does not exist, in album order. */
    std::vector<MissingSource> missingSources (const Session& session);

    /** Throws SessionError naming every missing source file (track number and path). */
    void checkSources (const Session& session);

    /** Sets an album-level field from text, as `crest session set --album KEY=VALUE` does. Keys:
        albumKeys(). `chain` takes a chain file's path. Throws SessionError naming the key and
        the rule; the session is unchanged then. */
    void setAlbumField (Session& session, const std::string& key, const std::string& value);

    /** Sets a field of track `index` (0-based) from text, as `--track N KEY=VALUE` does. Keys:
        trackKeys(). `chain` takes a chain file's path (empty: back to the album chain);
        `index_s` a comma list; `crossfade_s=0` removes the crossfade. Throws SessionError. */
    void setTrackField (Session& session, int index, const std::string& key, const std::string& value);

    /** Keys setAlbumField() accepts (album fields, deliverables, chain, sample_rate). */
    std::vector<std::string> albumKeys();

    /** Keys setTrackField() accepts. */
    std::vector<std::string> trackKeys();
} // namespace SessionFile

/** The rules a session must keep that need no audio files: identifiers (ISRC syntax, UPC/EAN
    check digit), non-negative times, trims in order, fades within a trimmed track's known
    length, no crossfade on track 1, index points ascending, known targets, vinyl sides within
    the album. Returns one sentence per problem, each naming the place and the rule; empty
    when the session is good. (Rules that need the sources' lengths are album::Timeline's.) */
std::vector<std::string> validate (const Session& session);

/** A curve's name in files and on the command line: "linear", "equal-power", "logarithmic", "s-curve". */
const char* curveName (FadeCurve curve);

/** The curve with a name; false when the name is unknown. */
bool curveFromName (const std::string& name, FadeCurve& curve);

} // namespace crest::session
