#pragma once

// The CUE sheet that accompanies a single album WAV of a CD.
//
// Design note: the album WAV is the disc's audio exactly as IMAGE.DAT of the DDP holds it,
// starting at frame 0, which is track 1's INDEX 00: the 2-second (or longer) first pregap is in
// the file as silence, and every gap between tracks is in the file too. So the sheet's INDEX
// positions are the album::CdLayout's frame positions unchanged, and it needs no PREGAP command.
// For a WAV that starts at track 1's INDEX 01 instead (some clients want no leading silence),
// set `firstPregapInFile` to false: the sheet then says PREGAP for track 1 and shifts every
// position back by the pregap's length. Strings are written in UTF-8 with double quotes
// replaced by single ones (CUE has no escape); CATALOG is the 13-digit EAN.

#include "album/CdLayout.h"

#include <string>

namespace crest::delivery
{

/** How the sheet refers to its audio. */
struct CueSheetOptions
{
    std::string wavFileName = "album.wav"; ///< as written in the FILE line (relative to the sheet)
    bool firstPregapInFile = true;         ///< see the design note
};

/** The sheet's text. */
std::string cueSheetText (const album::CdLayout& layout, const CueSheetOptions& options = {});

/** Writes the sheet to `path` (temporary name, then renamed). Returns false with `error` set. */
bool writeCueSheet (const album::CdLayout& layout, const std::string& path, std::string& error, const CueSheetOptions& options = {});

} // namespace crest::delivery
