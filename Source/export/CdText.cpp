#include "export/CdText.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>

namespace crest::delivery
{

namespace
{
    constexpr uint8_t packTitle = 0x80, packMessage = 0x85, packCodes = 0x8E, packSizeInfo = 0x8F;

    /** The six text fields in pack-type order 0x80..0x85. */
    const std::string& textField (const album::CdText& text, int typeIndex)
    {
        switch (typeIndex)
        {
            case 0: return text.title;
            case 1: return text.performer;
            case 2: return text.songwriter;
            case 3: return text.composer;
            case 4: return text.arranger;
            default: return text.message;
        }
    }

    std::string& textField (album::CdText& text, int typeIndex)
    {
        return const_cast<std::string&> (textField (const_cast<const album::CdText&> (text), typeIndex));
    }

    std::string hexByte (int b)
    {
        char s[8];
        std::snprintf (s, sizeof (s), "0x%02X", b & 0xff);
        return s;
    }
} // namespace

uint16_t cdTextCrc (const uint8_t* bytes, size_t numBytes) noexcept
{
    uint16_t crc = 0;
    for (size_t i = 0; i < numBytes; ++i)
    {
        crc ^= (uint16_t) (bytes[i] << 8);
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc & 0x8000) ? (uint16_t) ((crc << 1) ^ 0x1021) : (uint16_t) (crc << 1);
    }
    return (uint16_t) ~crc;
}

bool utf8ToLatin1 (const std::string& utf8, std::string& latin1, std::string& problem)
{
    latin1.clear();
    for (size_t i = 0; i < utf8.size();)
    {
        const auto c = (uint8_t) utf8[i];
        uint32_t code = 0;
        int extra = 0;
        if (c < 0x80)
            code = c;
        else if ((c & 0xE0) == 0xC0)
        {
            code = c & 0x1F;
            extra = 1;
        }
        else if ((c & 0xF0) == 0xE0)
        {
            code = c & 0x0F;
            extra = 2;
        }
        else if ((c & 0xF8) == 0xF0)
        {
            code = c & 0x07;
            extra = 3;
        }
        else
        {
            problem = "is not valid UTF-8";
            return false;
        }
        if (i + (size_t) extra >= utf8.size() && extra > 0)
        {
            problem = "is not valid UTF-8 (a character is cut off)";
            return false;
        }
        for (int k = 1; k <= extra; ++k)
        {
            const auto cont = (uint8_t) utf8[i + (size_t) k];
            if ((cont & 0xC0) != 0x80)
            {
                problem = "is not valid UTF-8";
                return false;
            }
            code = (code << 6) | (cont & 0x3F);
        }
        const std::string character = utf8.substr (i, (size_t) extra + 1);
        i += (size_t) extra + 1;

        if (code > 0xFF)
        {
            problem = "has the character '" + character + "', which CD-Text (ISO 8859-1) cannot carry";
            return false;
        }
        if (code < 0x20 || (code >= 0x7F && code < 0xA0))
        {
            problem = "has a control character (code " + std::to_string (code) + ")";
            return false;
        }
        latin1 += (char) code;
    }
    return true;
}

std::string latin1ToUtf8 (const std::string& latin1)
{
    std::string out;
    for (auto ch : latin1)
    {
        const auto c = (uint8_t) ch;
        if (c < 0x80)
            out += (char) c;
        else
        {
            out += (char) (0xC0 | (c >> 6));
            out += (char) (0x80 | (c & 0x3F));
        }
    }
    return out;
}

std::optional<uint8_t> cdTextLanguageCode (const std::string& iso639)
{
    // EBU Tech 3258 codes for the languages a release is most often labelled with.
    static const std::map<std::string, uint8_t> codes {
        { "cs", 0x06 }, { "da", 0x07 }, { "de", 0x08 }, { "en", 0x09 }, { "es", 0x0A }, { "fr", 0x0F },
        { "ga", 0x11 }, { "is", 0x14 }, { "it", 0x15 }, { "hu", 0x1B }, { "nl", 0x1D }, { "no", 0x1E },
        { "pl", 0x20 }, { "pt", 0x21 }, { "ro", 0x22 }, { "sk", 0x25 }, { "sl", 0x26 }, { "fi", 0x27 },
        { "sv", 0x28 }, { "tr", 0x29 }, { "ja", 0x69 }
    };
    if (const auto it = codes.find (iso639); it != codes.end())
        return it->second;
    return std::nullopt;
}

bool hasCdText (const album::CdLayout& layout)
{
    auto any = [] (const album::CdText& t) {
        return ! (t.title.empty() && t.performer.empty() && t.songwriter.empty() && t.composer.empty()
                  && t.arranger.empty() && t.message.empty());
    };
    if (any (layout.text))
        return true;
    for (const auto& t : layout.tracks)
        if (any (t.text))
            return true;
    return false;
}

std::optional<std::vector<uint8_t>> packCdText (const album::CdLayout& layout, std::string& error)
{
    std::vector<std::array<uint8_t, cdTextPackBytes>> packs;
    std::array<int, 16> countPerType {};
    bool allAscii = true;

    // One pack type: the album's string then each track's, NUL-terminated and run together.
    auto addType = [&] (uint8_t type, const std::vector<std::pair<int, std::string>>& strings) {
        std::vector<uint8_t> stream;
        std::vector<std::pair<int, int>> owner; // (track number, position in its string)
        for (const auto& [track, text] : strings)
        {
            for (size_t i = 0; i <= text.size(); ++i)
            {
                stream.push_back (i < text.size() ? (uint8_t) text[i] : 0);
                owner.emplace_back (track, (int) i);
            }
        }
        for (size_t start = 0; start < stream.size(); start += 12)
        {
            std::array<uint8_t, cdTextPackBytes> p {};
            p[0] = type;
            p[1] = (uint8_t) owner[start].first;
            p[2] = (uint8_t) packs.size(); // checked against the block limit below
            p[3] = (uint8_t) std::min (15, owner[start].second);
            for (size_t k = 0; k < 12 && start + k < stream.size(); ++k)
                p[4 + k] = stream[start + k];
            packs.push_back (p);
            ++countPerType[type & 0x0F];
        }
    };

    for (int typeIndex = 0; typeIndex <= packMessage - packTitle; ++typeIndex)
    {
        bool used = ! textField (layout.text, typeIndex).empty();
        for (const auto& t : layout.tracks)
            used = used || ! textField (t.text, typeIndex).empty();
        if (! used)
            continue;

        std::vector<std::pair<int, std::string>> strings;
        auto add = [&] (int track, const std::string& utf8, const std::string& where) {
            std::string latin1, problem;
            if (! utf8ToLatin1 (utf8, latin1, problem))
            {
                error = "CD-Text " + where + " \"" + utf8 + "\" " + problem;
                return false;
            }
            allAscii = allAscii && std::all_of (latin1.begin(), latin1.end(), [] (char c) { return (uint8_t) c < 0x80; });
            strings.emplace_back (track, latin1);
            return true;
        };
        static const char* names[] = { "title", "performer", "songwriter", "composer", "arranger", "message" };
        if (! add (0, textField (layout.text, typeIndex), std::string ("album ") + names[typeIndex]))
            return std::nullopt;
        for (const auto& t : layout.tracks)
            if (! add (t.number, textField (t.text, typeIndex), "track " + std::to_string (t.number) + " " + names[typeIndex]))
                return std::nullopt;
        addType ((uint8_t) (packTitle + typeIndex), strings);
    }

    bool anyCode = ! layout.upc.empty();
    for (const auto& t : layout.tracks)
        anyCode = anyCode || ! t.isrc.empty();
    if (packs.empty() && ! anyCode)
        return std::vector<uint8_t> {};
    if (anyCode)
    {
        std::vector<std::pair<int, std::string>> strings { { 0, layout.upc } };
        for (const auto& t : layout.tracks)
            strings.emplace_back (t.number, t.isrc);
        addType (packCodes, strings);
    }

    if (packs.size() + 3 > (size_t) cdTextMaxPacksPerBlock)
    {
        error = "CD-Text needs " + std::to_string (packs.size() + 3) + " packs; one block holds "
                + std::to_string (cdTextMaxPacksPerBlock) + " (shorten titles or names)";
        return std::nullopt;
    }

    countPerType[packSizeInfo & 0x0F] = 3;
    std::array<uint8_t, 36> size {};
    size[0] = allAscii ? 0x01 : 0x00;
    size[1] = (uint8_t) (layout.tracks.empty() ? 1 : layout.tracks.front().number);
    size[2] = (uint8_t) (layout.tracks.empty() ? 1 : layout.tracks.back().number);
    size[3] = 0x00; // no copyright flags asserted
    for (int i = 0; i < 16; ++i)
        size[4 + (size_t) i] = (uint8_t) countPerType[(size_t) i];
    size[20] = (uint8_t) (packs.size() + 2); // last sequence number of block 0
    size[28] = cdTextLanguageCode (layout.language.empty() ? "en" : layout.language).value_or (0x00);

    for (int i = 0; i < 3; ++i)
    {
        std::array<uint8_t, cdTextPackBytes> p {};
        p[0] = packSizeInfo;
        p[1] = (uint8_t) i;
        p[2] = (uint8_t) packs.size();
        p[3] = 0;
        std::copy (size.begin() + i * 12, size.begin() + i * 12 + 12, p.begin() + 4);
        packs.push_back (p);
    }

    std::vector<uint8_t> bytes;
    bytes.reserve (packs.size() * cdTextPackBytes);
    for (auto& p : packs)
    {
        const auto crc = cdTextCrc (p.data(), 16);
        p[16] = (uint8_t) (crc >> 8);
        p[17] = (uint8_t) (crc & 0xff);
        bytes.insert (bytes.end(), p.begin(), p.end());
    }
    return bytes;
}

bool unpackCdText (const std::vector<uint8_t>& packs, album::CdLayout& layout, std::string& error)
{
    if (packs.size() % cdTextPackBytes != 0 || packs.empty())
    {
        error = "CD-Text is " + std::to_string (packs.size()) + " bytes, not a whole number of 18-byte packs";
        return false;
    }

    std::map<int, std::vector<uint8_t>> payloadPerType;
    std::map<int, int> firstTrackPerType, countPerType;
    std::vector<uint8_t> size;
    int expectedSequence = 0;
    const size_t numPacks = packs.size() / cdTextPackBytes;
    for (size_t i = 0; i < numPacks; ++i)
    {
        const uint8_t* p = packs.data() + i * cdTextPackBytes;
        const auto where = "CD-Text pack " + std::to_string (i + 1);
        const uint16_t stored = (uint16_t) ((p[16] << 8) | p[17]);
        if (stored != cdTextCrc (p, 16))
        {
            error = where + " has a bad CRC";
            return false;
        }
        if (p[0] < 0x80 || p[0] > 0x8F)
        {
            error = where + " has an unknown type " + hexByte (p[0]);
            return false;
        }
        const int block = (p[3] >> 4) & 0x07;
        if (block != 0)
            continue; // other languages: Crest reads the first block only
        if (p[2] != expectedSequence)
        {
            error = where + " has sequence number " + std::to_string (p[2]) + ", expected " + std::to_string (expectedSequence);
            return false;
        }
        ++expectedSequence;
        ++countPerType[p[0]];
        if (p[0] == packSizeInfo)
        {
            size.insert (size.end(), p + 4, p + 16);
            continue;
        }
        if (! firstTrackPerType.count (p[0]))
            firstTrackPerType[p[0]] = p[1] & 0x7F;
        auto& payload = payloadPerType[p[0]];
        payload.insert (payload.end(), p + 4, p + 16);
    }

    if (size.size() != 36)
    {
        error = "CD-Text has " + std::to_string (size.size() / 12) + " size-information packs, expected 3";
        return false;
    }
    for (int type = 0x80; type <= 0x8F; ++type)
        if (size[4 + (size_t) (type - 0x80)] != countPerType[type])
        {
            error = "CD-Text size information counts " + std::to_string (size[4 + (size_t) (type - 0x80)]) + " packs of type "
                    + hexByte (type) + " but the block has " + std::to_string (countPerType[type]);
            return false;
        }
    if (size[20] != expectedSequence - 1)
    {
        error = "CD-Text size information gives the last sequence number as " + std::to_string (size[20]) + " but it is "
                + std::to_string (expectedSequence - 1);
        return false;
    }
    for (const char* iso : { "cs", "da", "de", "es", "fr", "ga", "is", "it", "hu", "nl", "no", "pl", "pt", "ro", "sk", "sl", "fi", "sv", "tr", "ja" })
        if (cdTextLanguageCode (iso) == size[28])
            layout.language = iso;

    auto trackByNumber = [&] (int number) -> album::CdTrack* {
        for (auto& t : layout.tracks)
            if (t.number == number)
                return &t;
        return nullptr;
    };

    for (const auto& [type, payload] : payloadPerType)
    {
        if (type > packMessage && type != packCodes)
            continue; // disc id, genre, TOC packs: not part of Crest's model
        int track = firstTrackPerType[type];
        std::string current, previous;
        for (size_t k = 0; k < payload.size(); ++k)
        {
            if (payload[k] != 0)
            {
                current += (char) payload[k];
                continue;
            }
            if (current == "\t") // a TAB means "the same as the previous track"
                current = previous;
            const bool beyondLastTrack = track > 0 && trackByNumber (track) == nullptr;
            if (beyondLastTrack && ! current.empty())
            {
                error = "CD-Text of type " + hexByte (type) + " names track " + std::to_string (track) + ", which the disc does not have";
                return false;
            }
            if (! beyondLastTrack)
            {
                if (type == packCodes)
                {
                    if (track == 0 && layout.upc.empty())
                        layout.upc = current;
                    else if (track > 0 && trackByNumber (track)->isrc.empty())
                        trackByNumber (track)->isrc = current;
                }
                else
                {
                    album::CdText& text = track == 0 ? layout.text : trackByNumber (track)->text;
                    textField (text, type - packTitle) = latin1ToUtf8 (current);
                }
            }
            previous = current;
            current.clear();
            ++track;
        }
    }
    return true;
}

} // namespace crest::delivery
