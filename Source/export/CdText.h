#pragma once

// CD-Text as it is stored in a disc's lead-in and in a DDP image's CDTEXT.BIN: 18-byte packs.
//
// Design note: one pack is
//   byte 0      pack type: 0x80 title, 0x81 performer, 0x82 songwriter, 0x83 composer,
//               0x84 arranger, 0x85 message, 0x8E UPC/EAN (album) and ISRC (tracks), 0x8F size info
//   byte 1      track number of the string whose character is first in this pack (0 = album);
//               bit 7 is the extension flag (always 0 here)
//   byte 2      sequence number, counting packs from 0 through the whole block
//   byte 3      bit 7 double-byte characters (0), bits 6-4 block number (0),
//               bits 3-0 how many characters of that first string came in earlier packs (max 15)
//   bytes 4-15  text: each string ends with a NUL, strings of consecutive tracks run on
//               across packs, the last pack of a type is padded with NULs
//   bytes 16-17 CRC-16 (polynomial x^16 + x^12 + x^5 + 1, initial value 0) of bytes 0-15,
//               inverted, most significant byte first
// The three 0x8F size-information packs (byte 1 = 0, 1, 2) close the block and carry 36 bytes:
//   0 character code (0x00 ISO 8859-1, 0x01 7-bit ASCII), 1 first track, 2 last track,
//   3 copyright flags, 4-19 pack counts of types 0x80..0x8F (the 0x8F count includes these 3),
//   20-27 last sequence number of blocks 0-7, 28-35 language code of blocks 0-7 (EBU Tech 3258:
//   0x09 English, 0x08 German, 0x0F French, ...).
// A block holds at most 256 packs (the sequence number is one byte). Crest writes one block.
// Text is ISO 8859-1 on the disc; Crest's strings are UTF-8 and are converted (characters
// outside Latin-1 are refused, never silently replaced).

#include "album/CdLayout.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace crest::delivery
{

/** Bytes in a pack, and the most packs one block can hold. */
constexpr int cdTextPackBytes = 18;
constexpr int cdTextMaxPacksPerBlock = 256;

/** The CRC of a pack: CRC-16/CCITT over `numBytes` (16 for a pack) with initial value 0,
    then inverted, as stored in bytes 16-17. */
uint16_t cdTextCrc (const uint8_t* bytes, size_t numBytes) noexcept;

/** Converts UTF-8 to ISO 8859-1. Returns false (with the offending character described in
    `problem`) for characters beyond U+00FF, control characters, or malformed UTF-8. */
bool utf8ToLatin1 (const std::string& utf8, std::string& latin1, std::string& problem);

/** ISO 8859-1 back to UTF-8. */
std::string latin1ToUtf8 (const std::string& latin1);

/** The EBU Tech 3258 language code for an ISO 639-1 code ("en" -> 0x09), if Crest knows it. */
std::optional<uint8_t> cdTextLanguageCode (const std::string& iso639);

/** True when the layout carries any CD-Text (titles, names, messages) or UPC/ISRC. */
bool hasCdText (const album::CdLayout& layout);

/** Packs the layout's CD-Text (album and track fields, UPC and ISRCs) into one block of
    packs. Returns the bytes (a multiple of 18), or nothing with `error` set when a string is
    not Latin-1 or the text does not fit into one block. Empty when there is no text. */
std::optional<std::vector<uint8_t>> packCdText (const album::CdLayout& layout, std::string& error);

/** Reads block 0 of CD-Text packs back into the layout's text fields (tracks must already
    exist; text for unknown tracks is an error), and the UPC/ISRCs when the layout has none.
    Checks every CRC and the size-information packs; returns false with `error` naming the
    first bad pack. */
bool unpackCdText (const std::vector<uint8_t>& packs, album::CdLayout& layout, std::string& error);

} // namespace crest::delivery
