#pragma once

// What each deliverable target is, as data: one row per target, read by the export pipeline.
//
// Design note: every target runs through the same stages, render -> SRC -> gain -> SRC ->
// dither -> writer, plus its checks; a row says which of them it takes and how. The rows are
// what Crest has always delivered, including the order of resampling and gain (hi-res converts
// before its ceiling stage, CD and MP3 after it), because moving a limiter across a resampler
// changes the audio. A target's name is spelt once, in session::targetName(); its folder is
// that name, except where a target writes more than one folder (the MP3 modes). Nothing here
// allocates or does I/O: the table is constant.

#include "dsp/TpdfDither.h"
#include "export/Mp3Writer.h"
#include "session/DeliverableTarget.h"
#include "session/Session.h"

#include <optional>
#include <string>

namespace crest::delivery
{

using session::DeliverableTarget;

/** What one job of a target delivers. */
enum class TargetUnit
{
    track, ///< one file per track, from that track's master
    album, ///< the album on the CD timeline (with gaps), one stream
    side ///< one file per vinyl side, the side's masters on the sample timeline
};

/** The rate a target delivers, and where in the pipeline it is converted. */
enum class RateRule
{
    session, ///< the session's rate, no conversion
    cd, ///< 44.1 kHz, converted after the gain stage (pass-through when already 44.1)
    hires, ///< the session's hi-res rate, converted before the gain stage
    encoderLegal ///< the session's rate when the MP3 encoder takes it, else 44.1 kHz after the gain stage
};

/** How a target's level is set before it is written. */
enum class GainRule
{
    ceiling, ///< no gain; a true-peak ceiling stage keeps it under the session's ceiling
    streamingTarget, ///< the streaming loudness gain (per track or album), then the ceiling
    albumCeiling, ///< no gain; the ceiling stage knows the loudest master's peak (one stage for the album)
    asMastered ///< untouched (vinyl: the cut is made from the master as it is)
};

/** How a target reaches its word length. */
enum class DitherRule
{
    none, ///< 24-bit or encoded: quantised by the writer, no dither
    sessionCurve ///< the session's cd_dither curve, to 16 bits
};

/** The writer that stores a target's stream. */
enum class TargetWriter
{
    wav, ///< WAV at the row's bit depth
    flac, ///< FLAC at the row's bit depth, with Vorbis tags
    hiresFormat, ///< WAV or FLAC, as the session's hires_format says
    mp3, ///< MP3 in each of the session's mp3_modes
    cdImage, ///< album.wav (kept for cd, staged for ddp), then the CUE sheet and the track cuts
    ddp, ///< the DDP 2.0 image, written from the CD album
    vinylSide ///< 24-bit WAV per side, measured for the cutting checks
};

/** Checks a target runs; a bit set. */
enum TargetCheck : unsigned
{
    noChecks = 0,
    redBookPreflight = 1u << 0, ///< the disc layout, before anything is rendered
    codecClipping = 1u << 1, ///< Apple Digital Masters: clipping, peak, and the AAC round trip
    upsampledRate = 1u << 2, ///< a warning when the rate is above the session's (not real hi-res)
    vinylCut = 1u << 3 ///< side lengths, low-end phase, sibilance, ...
};

/** One target, as the export runs it. */
struct TargetDescriptor
{
    DeliverableTarget target;
    TargetUnit unit;
    RateRule rate;
    int bits; ///< word length of the files (0: the encoder decides)
    GainRule gain;
    DitherRule dither;
    TargetWriter writer;
    unsigned checks; ///< TargetCheck bits
    const char* reportColour; ///< the target's colour in the report's loudness chart
};

/** The row for a target. */
const TargetDescriptor& describe (DeliverableTarget target) noexcept;

/** The row for a target's name ("cd", "hires"...); null when no target has that name. */
const TargetDescriptor* describe (const std::string& name);

/** The folder a target's files go in: its name ("cd", "streaming"...); MP3s go in mp3Folder(). */
std::string targetFolder (const TargetDescriptor& target);

/** The rate a target's files have in a session running at `sessionRate`. */
double deliveredRate (const TargetDescriptor& target, const session::Deliverables& settings, double sessionRate);

/** True when the rule converts before the gain stage (false: after it, or not at all). */
bool resamplesBeforeGain (RateRule rule) noexcept;

/** The dither curve a target uses: none, or the session's (empty when that name is unknown). */
std::optional<dsp::DitherCurve> ditherFor (const TargetDescriptor& target, const session::Deliverables& settings);

/** An MP3 mode's name in sessions' mp3_modes: "320" or "v0". */
const char* mp3ModeName (Mp3Mode mode) noexcept;

/** The folder an MP3 mode's files go in: the mp3 row's folder and the mode, "mp3-320", "mp3-v0". */
std::string mp3Folder (Mp3Mode mode);

} // namespace crest::delivery
