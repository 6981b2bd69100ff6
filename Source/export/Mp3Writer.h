#pragma once

// The MP3 deliverable: libmp3lame, ID3v2.4 tags, and a LAME info tag so players play gapless.
//
// Design note: the writer consumes an AudioStream at 32, 44.1 or 48 kHz (the rates MPEG-1
// layer III carries at 320 kbps); converting other rates is the sample-rate stage's job, so
// any other rate is refused with a sentence saying so rather than resampled by LAME's own
// converter. The file is written through an AtomicFile (a partial file beside the target):
// first the ID3v2.4 tag, then LAME's frames, and, once the encoder has flushed, the LAME/Xing
// info frame (with the encoder delay, the padding and the frame count) is written over the
// placeholder frame that follows the tag. Only then is the file renamed into place.

#include "engine/AudioStream.h"
#include "export/TrackTags.h"

#include <atomic>
#include <optional>
#include <string>

namespace crest::delivery
{

/** How the MP3 is encoded. */
enum class Mp3Mode
{
    cbr320, ///< constant 320 kbps (LAME -b 320)
    v0 ///< highest-quality VBR (LAME -V 0)
};

/** What came out of an encode: the numbers a gapless player reads from the info tag. */
struct Mp3Result
{
    int encoderDelay = 0; ///< samples of codec delay at the start (LAME's own delay only)
    int encoderPadding = 0; ///< samples appended at the end to fill the last frame
    int64_t samples = 0; ///< source samples encoded (per channel)
    size_t id3Bytes = 0; ///< size of the ID3v2.4 tag, where the info frame starts
    size_t infoFrameBytes = 0; ///< size of the LAME/Xing info frame
};

/** True when LAME can encode this rate at 320 kbps without resampling (32, 44.1, 48 kHz). */
bool isMp3SampleRate (double sampleRate) noexcept;

/** Encodes a whole stream (1 or 2 channels) into `path`.

    @param source  the audio, float, at 32/44.1/48 kHz; read to its end
    @param path    the file to create; replaced only when the encode completes
    @param mode    320 kbps CBR or V0
    @param tags    written as an ID3v2.4 tag
    @param error   set to a sentence naming the file and the reason on failure
    @param cancel  checked between blocks; when it becomes true, nothing is left behind
    @returns the encoder's delay and padding, or nothing on failure
*/
std::optional<Mp3Result> writeMp3 (engine::AudioStream& source, const std::string& path, Mp3Mode mode, const TrackTags& tags,
    std::string& error, const std::atomic<bool>* cancel = nullptr);

} // namespace crest::delivery
