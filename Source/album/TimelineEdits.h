#pragma once

// What the album timeline's handles, markers and inspectors do to the session.
//
// Design note: the timeline view is a picture of the session; every change it makes goes
// through here and from here through the SessionEditor, so each edit is one named undo step
// (a whole-session snapshot, see SessionEditor.h) and the view keeps no state of its own that
// could drift from the document. A drag calls the same edit many times with moving values;
// those calls share a merge key and fold into one step until endGesture() (the mouse-up), so
// a drag is one undo, not hundreds. A drag that reorders tracks keeps one key for the whole
// gesture although the dragged track's index changes on the way.
//
// When the session delivers a CD or a DDP, every time it holds (gaps, crossfades, fades, trims,
// index points) is snapped to the nearest CD frame (1/75 s) before it is stored, so what the
// timeline shows is what the disc gets; gains are not times and are never snapped.
//
// Edits check their arguments and refuse, making no step, what the album could not be laid out
// with: given what each source says about itself (setSources), a candidate session is laid out
// by album::Timeline first, and its reason (a fade longer than its track, an index point outside
// it...) becomes problem(). Without source information only the session's own rules are checked.
//
// Message thread only; nothing here is for the audio thread. Reads no files.

#include "engine/AudioFileInput.h"
#include "session/SessionEditor.h"

#include <map>
#include <optional>
#include <string>

namespace crest::album
{

/** True when the session delivers a CD or a DDP, so its times snap to CD frames. */
bool snapsToCdFrames (const session::Session& session) noexcept;

/** `seconds` on the nearest CD frame (a multiple of 1/75 s) when the session snaps; unchanged
    otherwise (and when not finite). */
double snapToCdFrame (const session::Session& session, double seconds) noexcept;

/** Which end of a track a fade is at. */
enum class FadeEnd
{
    in, ///< the track's own fade-in, from its first playing sample
    out ///< the track's own fade-out, ending at its last playing sample
};

/** A text field of a track or the album (CD-Text carries each). */
enum class TextField
{
    title,
    performer,
    songwriter,
    composer,
    arranger,
    message
};

/** The edits the album timeline and its inspectors make, each one named undo step. Track
    numbers are 0-based indices into the running order. */
class TimelineEdits
{
public:
    /** Edits through `editor` (which owns the session and its history). */
    explicit TimelineEdits (session::SessionEditor& editor) : edits (editor) { }

    /** What each source file says about itself, keyed by the source as the session holds it;
        with every track's source known, edits are checked by laying the album out. */
    void setSources (std::map<std::string, engine::AudioFileInfo> infos) { sources = std::move (infos); }

    /** Why the last refused edit was refused (empty after an edit that was made). */
    const std::string& problem() const noexcept { return lastProblem; }

    /** Ends a drag: the next edit starts a new undo step. */
    void endGesture() noexcept { edits.endGesture(); }

    // ---- the running order and spacing -------------------------------------------------------

    /** Moves a track within the running order, as a drag does: the calls of one gesture (until
        endGesture()) are one step named after the track where the drag began. */
    bool dragTrack (int from, int to);

    /** The silence before a track (its INDEX 00 pregap; for track 1, before the album's first
        note). Removes a crossfade the track had: a gap and a crossfade are two ways to space. */
    bool setGap (int track, double seconds);

    /** Overlaps a track with the one before it by `seconds` (more than 0; the curve is kept when
        the track had a crossfade, equal-power otherwise). 0 removes the crossfade and leaves the
        track gapless (gap 0). Never for the first track. */
    bool setCrossfade (int track, double seconds);

    /** The crossfade's curve (the track must have a crossfade). */
    bool setCrossfadeCurve (int track, session::FadeCurve curve);

    /** One handle for the spacing before a track: positive is a gap, negative a crossfade of
        that length, 0 gapless. What the timeline's spacing handle drags. */
    bool setSpacing (int track, double seconds);

    // ---- a track's own audio ----------------------------------------------------------------

    /** A track's own fade-in or fade-out length (0: none); its curve is kept. */
    bool setFade (int track, FadeEnd end, double seconds);

    /** A fade's curve. */
    bool setFadeCurve (int track, FadeEnd end, session::FadeCurve curve);

    /** Skips this much of the source's start (source seconds, 0 or more). */
    bool setTrimIn (int track, double seconds);

    /** Ends the track at this source time; nothing: at the source's end. */
    bool setTrimOut (int track, std::optional<double> seconds);

    /** The track's gain offset in dB (applied before its chain), finite. */
    bool setGain (int track, double decibels);

    // ---- index points -----------------------------------------------------------------------

    /** Adds an index point (INDEX 02, 03...) at `seconds` from the track's start (its INDEX 01).
        Returns its position among the track's index points (0 is INDEX 02), or -1 when refused. */
    int addIndex (int track, double seconds);

    /** Moves the track's index point `which` (0 is INDEX 02) to `seconds`, as a drag does (one
        step per gesture). Points stay in order, so the point may change number: returns its
        position afterwards, or -1 when refused (it may not land on another point). */
    int moveIndex (int track, int which, double seconds);

    /** Removes the track's index point `which`. */
    bool removeIndex (int track, int which);

    // ---- the inspectors ---------------------------------------------------------------------

    /** A track's text field (CD-Text and tags). */
    bool setTrackText (int track, TextField field, const std::string& value);

    /** A track's ISRC as typed (dashes and spaces allowed, any case); stored normalised.
        Refused, with the rule it breaks as problem(), unless empty or valid. */
    bool setIsrc (int track, const std::string& typed);

    /** Gives a track its own chain (a copy of the album chain to start from) or, with false,
        returns it to the album chain. */
    bool useOwnChain (int track, bool own);

    /** An album text field. */
    bool setAlbumText (TextField field, const std::string& value);

    /** The album's UPC/EAN as typed; refused with the rule it breaks unless empty or valid. */
    bool setUpc (const std::string& typed);

    /** The album's catalogue number, genre, language (ISO 639-1, two lower-case letters, or
        empty) and year (0: not set, else 1900-2999). */
    bool setCatalogueNumber (const std::string& value);
    bool setGenre (const std::string& value);
    bool setLanguage (const std::string& value);
    bool setYear (int year);

    // ---- loudness ---------------------------------------------------------------------------

    /** Sets every listed track's gain at once (e.g. to conform the album's loudness), as one
        step; `gainsDb[i]` is track i's new gain. */
    bool setGains (const std::vector<double>& gainsDb, const std::string& stepName);

private:
    bool validTrack (int track);
    bool refuse (const std::string& why);
    bool layOutOrRefuse (const session::Session& candidate);
    bool commit (const std::string& name, const session::Session& candidate, const std::string& mergeKey = {});
    double snap (double seconds) const noexcept { return snapToCdFrame (edits.session(), seconds); }

    session::SessionEditor& edits;
    std::map<std::string, engine::AudioFileInfo> sources;
    std::string lastProblem;
};

} // namespace crest::album
