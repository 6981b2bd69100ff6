#pragma once

// The session document as data: the album, its tracks, the chain and the deliverables.
//
// Design note: this is plain data, edited on the message thread (GUI or `crest session set`)
// and read by the timeline, the album renderer, the exporters and the player. It knows nothing
// of files or JSON (SessionFile does that) and nothing of sample positions (album::Timeline
// does that): times are seconds, as the user thinks of them; the timeline turns them into
// sample-exact positions at the session's rate.

#include "engine/ChainDescription.h"
#include "session/DeliverableTarget.h"

#include <optional>
#include <string>
#include <vector>

namespace crest::session
{

/** The shape of a fade or crossfade, as gain against time. */
enum class FadeCurve
{
    linear,      ///< gain proportional to time
    equalPower,  ///< sin/cos quarter wave: constant power through a crossfade of uncorrelated material
    logarithmic, ///< linear in dB (exponential gain), reaching -inf at the silent end
    sCurve       ///< raised cosine: gentle at both ends
};

/** A fade: how long, and its curve. Zero seconds means no fade. */
struct Fade
{
    double seconds = 0.0;
    FadeCurve curve = FadeCurve::linear;
};

/** One track of the album. */
struct Track
{
    std::string source;       ///< audio file; relative to the session's folder where possible
    double trimInSeconds = 0.0;                 ///< skip this much of the source's start
    std::optional<double> trimOutSeconds;       ///< end the track here (source time); none: the source's end
    double gainDb = 0.0;                        ///< offset applied before the chain
    Fade fadeIn, fadeOut;

    /** Silence before this track (the CD pregap for track 1 and between tracks). Ignored when
        `crossfade` is set. */
    double gapSeconds = 2.0;

    /** Overlap with the previous track instead of a gap (never for the first track). */
    std::optional<Fade> crossfade;

    /** Extra index points (INDEX 02, 03, ...), seconds from the track's start (its INDEX 01). */
    std::vector<double> indexPoints;

    std::string title, performer, songwriter, composer, arranger, message;
    std::string isrc;         ///< CC-XXX-YY-NNNNN, stored without dashes (12 characters) or empty

    /** A chain for this track instead of the album chain. */
    std::optional<engine::ChainDescription> chain;

    /** The track's identity, stable when tracks are reordered, so versions, notes and
        approvals follow the track, not its position ("t1", "t2"...; see assignTrackIds()). */
    std::string id;

    /** The version the client approved this track at (a Version's name), or empty: the
        deliverables come from the working state. */
    std::string approvedVersion;
};

/** What a track measured when a version was rendered (a proof or an export). */
struct TrackFigures
{
    std::optional<double> integratedLufs, loudnessRangeLu, truePeakDbtp, plrDb;
};

/** One track's mastering state in a version: the track's own fields that shape its sound and
    place (trims, gain, gap, fades, crossfade, index points, its own chain) as a Track whose
    other fields (source, titles, codes) are not used, and its figures when measured. */
struct VersionTrack
{
    std::string trackId; ///< Track::id
    Track state;
    TrackFigures figures;
};

/** A named snapshot of the mastering state: the album chain and every track's state in the
    running order. Parameters, never audio. */
struct Version
{
    std::string name; ///< unique in the session, e.g. "v1 proof"
    std::string createdUtc; ///< ISO 8601, e.g. "2026-12-07T04:00:00Z"
    std::string note; ///< the engineer's words about it
    engine::ChainDescription chain; ///< the album chain
    std::vector<VersionTrack> tracks; ///< in the running order of the version

    /** The state of a track in this version, or nullptr when the track was not in it. */
    const VersionTrack* find (const std::string& trackId) const;
};

/** Who wrote a note. */
enum class NoteAuthor
{
    engineer,
    client
};

/** A note about a track at a time (or a range), heard on a version. */
struct Note
{
    std::string trackId; ///< Track::id
    std::string version; ///< the version it was heard on (a Version's name)
    double timeSeconds = 0.0; ///< from the track's start
    std::optional<double> endSeconds; ///< the end of a range, when the note covers one
    NoteAuthor author = NoteAuthor::engineer;
    std::string text;
    bool done = false; ///< dealt with
};

/** The album's own fields. */
struct Album
{
    std::string title, performer, songwriter, composer, arranger, message;
    std::string upc;          ///< UPC-A (12 digits) or EAN-13 (13 digits), or empty
    std::string catalogueNumber;
    std::string genre;
    std::string language;     ///< ISO 639-1, e.g. "en"
    int year = 0;             ///< 0: not set
};

/** A reference track for loudness-matched A/B. */
struct Reference
{
    std::string source;
    std::string name;
    double cueSeconds = 0.0;  ///< where it starts playing when not synced
};

/** Vinyl pre-master layout: which track starts each side, and the cut. */
struct VinylPlan
{
    std::vector<int> sideStarts{ 0 }; ///< 0-based track index starting each side (side A first)
    int rpm = 33;                     ///< 33 or 45
    int diameterInches = 12;          ///< 7, 10 or 12
};

/** What `crest export` delivers and how. */
struct Deliverables
{
    std::vector<DeliverableTarget> targets; ///< what `crest export` writes when no --targets are given
    std::optional<double> streamingLufs;          ///< integrated target, if any
    bool streamingAlbumMode = true;               ///< one gain for the album (keeps relative levels) vs per track
    double ceilingDbtp = -1.0;
    double hiresSampleRate = 96000.0;             ///< 88200, 96000, 176400 or 192000
    std::string hiresFormat = "flac";             ///< "wav" or "flac"
    std::string cdDither = "tpdf";                ///< "tpdf" or a noise-shaped curve name
    std::vector<std::string> mp3Modes { "320" };  ///< MP3 encodings the mp3 target writes: "320" (CBR) and/or "v0" (VBR)
    VinylPlan vinyl;
};

/** A whole session. */
struct Session
{
    Album album;
    std::vector<Track> tracks;
    engine::ChainDescription chain;   ///< the album chain
    std::vector<Reference> references;
    Deliverables deliverables;

    std::vector<Version> versions; ///< oldest first
    std::vector<Note> notes; ///< in the order they were taken or imported

    /** The session's processing rate; 0 means "the first track's rate". */
    double sampleRate = 0.0;

    /** Where sources at another rate are kept once converted to the session rate (a folder;
        album::SourceAudio). Not saved: SessionFile::load sets it to "NAME.crest-cache" beside
        the session file; empty (a session built in memory) means a folder in the system's
        temporary directory. */
    std::string sourceCache;
};

} // namespace crest::session
