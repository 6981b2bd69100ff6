#pragma once

// The album as sample positions: where every track's audio, gap, crossfade, fade and index
// point falls, sample-exact at the session's rate.
//
// Design note: the session speaks seconds; everything downstream (the album renderer, the CUE
// and DDP writers, the preflight, the player) needs samples or CD frames, and they must all agree.
// The Timeline is that one answer, computed once from a Session and what each source file says
// about itself (rate and length). It is plain data, cheap to rebuild after every edit, and it
// reads no audio.
//
// Positions are samples (per channel) at the session rate, counted from the album's first
// sample, which is the start of track 1's gap (its INDEX 00). The album is laid out track after
// track: a gap is digital silence before a track's audio; a crossfade makes a track's audio
// start that many samples before the previous track's audio ends, the two mixed.
//
// Two kinds of position per track:
//   - where its audio lies (audioStart/audioEnd): exact, and what the renderer reads;
//   - its marks (pregapStart = INDEX 00, start = INDEX 01, indexPoints = INDEX 02...), which the
//     CUE sheet, the DDP PQ entries and the player's track list use.
// With Alignment::samples, a track's start mark is its audioStart exactly. With
// Alignment::cdFrames every mark lies on a 1/75 s frame (rate / 75 samples: 588 at 44.1 kHz,
// 640 at 48 kHz, 1280 at 96 kHz), and audio is never cut to fit:
//   - a track after a gap (gapSeconds > 0, or track 1): the previous track's audio end is padded
//     with silence up to the next frame boundary, which becomes this track's INDEX 00; the gap is
//     rounded to the nearest whole frame; INDEX 01 follows it, and the track's audio starts
//     exactly there (audioStart == start);
//   - a gapless track (gap 0, or a crossfade): the album's audio is continuous, so nothing is
//     padded; the audio stays where the session puts it and only the marks move, to the
//     nearest frame boundary (INDEX 00 == INDEX 01 there). The few samples between the mark and
//     the audio's first sample belong to the neighbouring track on the disc, as on any gapless CD;
//   - extra index points round to the nearest frame; the album's end is padded with silence to a
//     whole frame.
// CD alignment needs a session rate that is a whole multiple of 75 Hz.
//
// Fades: a track's own fade-in covers [audioStart, audioStart + fadeInLength); its fade-out
// [audioEnd - fadeOutLength, audioEnd). A crossfade of N samples makes the previous track's last
// N samples fade out and this track's first N samples fade in with the same curve (see Fades.h
// for the exact gains); it multiplies with the tracks' own fades where both apply.
//
// Sources may run at any rate: one at another rate than the session plays converted to it
// (album::SourceAudio, which the renderer and the player open sources through), so its length
// here is its converted length, round (frames * session rate / its rate), and trims, fades and
// marks are counted at the session rate like every other track's.

#include "engine/AudioFileInput.h"
#include "album/CdLayout.h"
#include "session/Session.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace crest::album
{

/** Where marks may fall: on any sample, or on CD frames (1/75 s). */
enum class Alignment
{
    samples, ///< streaming, hi-res, the player: marks where the audio is
    cdFrames ///< CD, CUE, DDP: marks on 1/75 s frames, audio never cut
};

/** One track's place on the album. All positions are samples at the session rate; album
    positions count from the album's first sample. */
struct TrackPlacement
{
    int number = 1; ///< 1-based, in album order

    /** The part of the source file that plays, after trims (source samples, end exclusive). */
    int64_t sourceStart = 0, sourceEnd = 0;

    /** The source's samples that play (sourceEnd - sourceStart). */
    int64_t length() const noexcept { return sourceEnd - sourceStart; }

    /** INDEX 00: where the silence before this track begins (== start when there is no gap). */
    int64_t pregapStart = 0;

    /** INDEX 01: the track's start as the disc and the player show it. */
    int64_t start = 0;

    /** Extra index points (INDEX 02, 03, ...), absolute album positions, ascending. */
    std::vector<int64_t> indexPoints;

    /** One past the track's last sample as a track on the disc: the next track's INDEX 00, or
        the album's end for the last track. Includes any silence padding after the audio. */
    int64_t end = 0;

    /** Where the source's first playing sample lies on the album. */
    int64_t audioStart = 0;

    /** One past where the source's last playing sample lies (audioStart + length()). */
    int64_t audioEnd = 0;

    /** Samples overlapping the previous track at audioStart (0 without a crossfade), and the
        crossfade's curve. */
    int64_t crossfadeInLength = 0;
    session::FadeCurve crossfadeInCurve = session::FadeCurve::linear;

    /** Samples overlapping the next track at audioEnd (the next track's crossfadeInLength). */
    int64_t crossfadeOutLength = 0;
    session::FadeCurve crossfadeOutCurve = session::FadeCurve::linear;

    /** The track's own fades, in samples from audioStart and back from audioEnd. */
    int64_t fadeInLength = 0, fadeOutLength = 0;
    session::FadeCurve fadeInCurve = session::FadeCurve::linear, fadeOutCurve = session::FadeCurve::linear;

    /** What the track's own file holds when tracks are delivered one file each (the renderer's
        per-track stream): album samples [audioStart, ownAudioEnd). ownAudioEnd is audioEnd,
        except that a crossfade region belongs to the later track, mixed exactly as on the album
        (so ownAudioEnd = audioEnd - crossfadeOutLength). Played gaplessly in order, the track
        files reproduce the album's audio without its gaps. */
    int64_t ownAudioEnd = 0;
};

/** The album laid out in samples. Build one with build() or fromSources(). */
class Timeline
{
public:
    /** Lays out a session given what each of its sources says about itself (`sources[i]` for
        `session.tracks[i]`: sampleRate, lengthInSamples and numChannels are used; a source at
        another rate counts at its converted length). Returns nothing and sets `error` (naming the
        track and the rule) when the session cannot be laid out: no tracks, a trim beyond the source,
        an empty track, a crossfade on track 1 or longer than either track, a fade longer than
        its track, an index point outside its track, or CD alignment at a rate that is not a
        multiple of 75 Hz. Reads no files. */
    static std::optional<Timeline> build (const session::Session& session, const std::vector<engine::AudioFileInfo>& sources,
                                          Alignment alignment, std::string& error);

    /** Opens each track's source (paths as held in the session, i.e. resolved by
        SessionFile::load) to learn its rate and length, then build()s. Errors name the track
        number and the path. */
    static std::optional<Timeline> fromSources (const session::Session& session, Alignment alignment, std::string& error);

    /** The rate every position is counted at. */
    double sampleRate() const noexcept { return rate; }

    /** How marks were aligned. */
    Alignment alignment() const noexcept { return align; }

    /** The album's length in samples: the last track's end (in CD mode, a whole number of frames). */
    int64_t lengthInSamples() const noexcept { return length; }

    /** Every track, in album order. */
    const std::vector<TrackPlacement>& tracks() const noexcept { return placements; }

    /** Samples per CD frame at this rate (rate / 75), or 0 when the rate is not a multiple of 75 Hz. */
    int64_t samplesPerCdFrame() const noexcept;

    /** The disc as Red Book sees it: every mark in frames, ISRCs, CD-Text from the session's
        album and track fields, the UPC/EAN and catalogue number. Requires a timeline built with
        Alignment::cdFrames (positions divide exactly into frames; asserts otherwise). */
    CdLayout cdLayout (const session::Session& session) const;

private:
    Timeline() = default;

    double rate = 0.0;
    Alignment align = Alignment::samples;
    int64_t length = 0;
    std::vector<TrackPlacement> placements;
};

} // namespace crest::album
