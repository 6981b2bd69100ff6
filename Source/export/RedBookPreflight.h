#pragma once

// Red Book preflight: what a CD layout must satisfy before Crest renders a CD or a DDP.
//
// Design note: this runs on the album::CdLayout (the timeline's frame positions and the metadata that
// goes onto the disc), before any audio is rendered, so a bad session fails in a second rather
// than after an hour of rendering. Every finding names its rule (the `check` field), the track
// (0 for the disc) and a sentence. Errors stop a CD export; warnings are reported.
//
// Rules (check names):
//   track-count      1 to 99 tracks, numbered 1, 2, 3, ... in order
//   layout           positions in order: INDEX 00 <= INDEX 01 < end, each track ending where the
//                    next begins, the last at the disc's end
//   track-length     every track at least 4 s (300 frames) from INDEX 01 to its end
//   first-pregap     track 1 INDEX 00 at frame 0 and INDEX 01 at least 2 s (150 frames) later
//   index-points     extra indexes strictly increasing, inside their track, at most INDEX 99
//   disc-length      at most 79:57:74 (error); over 74:00:00 is a warning (not every player
//                    or plant handles long discs)
//   isrc             CC-XXX-YY-NNNNN syntax (session::isrcProblem); a repeated ISRC is a warning
//   upc              UPC-A / EAN-13 digits and check digit (session::upcProblem)
//   cd-text-charset  CD-Text must be ISO 8859-1 printable characters
//   cd-text-size     all CD-Text must fit in one block of 256 packs
//   cd-text-language a language CD-Text can name (warning)

#include "album/CdLayout.h"
#include "export/DeliveryFinding.h"

#include <vector>

namespace crest::delivery
{

/** The longest disc Red Book allows, in frames (its last frame at 79:57:74), and the conventional safe length. */
constexpr int64_t redBookMaximumFrames = (79 * 60 + 57) * 75 + 74 + 1;
constexpr int64_t redBookSafeFrames = 74 * 60 * 75;

/** Checks a layout against the Red Book rules above. Empty when there is nothing to say. */
std::vector<DeliveryFinding> preflightRedBook (const album::CdLayout& layout);

/** True when any finding is an error. */
bool hasErrors (const std::vector<DeliveryFinding>& findings);

/** Frames as MM:SS:FF, the way CD positions are written. */
std::string cdTime (int64_t frames);

} // namespace crest::delivery
