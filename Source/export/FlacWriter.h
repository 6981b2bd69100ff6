#pragma once

// The FLAC deliverable (hi-res and the FLAC target): libFLAC's stream encoder with a
// VORBIS_COMMENT block carrying the track's tags.
//
// Design note: float samples are quantised by dsp::PcmQuantiser, as every Crest integer writer
// does it (round (x * 2^(bits-1)), clipped to the integer range), so a stream that was
// dithered to the depth upstream comes out bit-exact, and a FLAC nulls against the WAV of the
// same audio except for samples exactly halfway between two steps: this writer has always
// rounded those to even, the WAV writer away from zero.
// No dither here: that is the dither stage's job. Written through an AtomicFile (a partial file
// beside the target, renamed when complete).

#include "engine/AudioStream.h"
#include "export/TrackTags.h"

#include <atomic>
#include <string>

namespace crest::delivery
{

/** The integer this writer stores for a float sample at a bit depth: round (x * 2^(bits-1)),
    ties to even, clipped to [-2^(bits-1), 2^(bits-1) - 1]; NaN gives 0. */
int quantiseSample (float sample, int bits) noexcept;

/** Encodes a whole stream into a FLAC file with Vorbis comments TITLE, ARTIST, ALBUM,
    ALBUMARTIST, GENRE, TRACKNUMBER, TRACKTOTAL, DATE and ISRC (unset ones left out).

    @param source  1-8 channels at 44.1-192 kHz; read to its end
    @param path    the file to create; replaced only when the encode completes (libFLAC's
                   verify-while-encoding is off, as in the flac command by default)
    @param bits    16 or 24
    @param error   set to a sentence naming the file and the reason on failure
    @param cancel  checked between blocks; when it becomes true, nothing is left behind
    @returns true when the file is in place
*/
bool writeFlac (engine::AudioStream& source, const std::string& path, int bits, const TrackTags& tags, std::string& error,
    const std::atomic<bool>* cancel = nullptr);

} // namespace crest::delivery
