#pragma once

// The ID3v2.4 tag at the head of Crest's MP3s.
//
// Design note: written here rather than through TagLib because Crest needs six text frames
// and must know the tag's exact size before the first audio byte: the LAME info frame is
// rewritten in place after encoding, right after the tag. Building the bytes ourselves keeps
// that offset a plain number and adds no library. The result is checked by independent
// readers in the tests (ffprobe, id3v2, mp3val).

#include "export/TrackTags.h"

#include <cstdint>
#include <vector>

namespace crest::delivery
{

/** An ID3v2.4 tag (header and UTF-8 text frames TIT2, TPE1, TALB, TPE2, TCON, TRCK "n/N",
    TDRC year, TSRC ISRC; unset fields are left out). Never empty: a tag with no frames still
    has its 10-byte header. */
std::vector<uint8_t> makeId3v24Tag (const TrackTags& tags);

} // namespace crest::delivery
