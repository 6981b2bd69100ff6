#include "export/Id3Tag.h"

#include <string>

namespace crest::delivery
{

namespace
{
    /** ID3v2.4 sizes are "syncsafe": 7 bits per byte, so no size byte looks like a frame sync. */
    void appendSyncsafe (std::vector<uint8_t>& out, uint32_t value)
    {
        out.push_back ((uint8_t) ((value >> 21) & 0x7f));
        out.push_back ((uint8_t) ((value >> 14) & 0x7f));
        out.push_back ((uint8_t) ((value >> 7) & 0x7f));
        out.push_back ((uint8_t) (value & 0x7f));
    }

    void appendTextFrame (std::vector<uint8_t>& out, const char* id, const std::string& text)
    {
        if (text.empty())
            return;
        out.insert (out.end(), id, id + 4);
        appendSyncsafe (out, (uint32_t) (1 + text.size()));
        out.push_back (0); // frame flags
        out.push_back (0);
        out.push_back (3); // text encoding: UTF-8 (new in v2.4)
        out.insert (out.end(), text.begin(), text.end());
    }

    /** A COMM frame: UTF-8, language "eng", an empty description, then the text. */
    void appendCommentFrame (std::vector<uint8_t>& out, const std::string& text)
    {
        if (text.empty())
            return;
        out.insert (out.end(), { 'C', 'O', 'M', 'M' });
        appendSyncsafe (out, (uint32_t) (1 + 3 + 1 + text.size()));
        out.push_back (0); // frame flags
        out.push_back (0);
        out.push_back (3); // UTF-8
        out.insert (out.end(), { 'e', 'n', 'g' });
        out.push_back (0); // empty short description, terminated
        out.insert (out.end(), text.begin(), text.end());
    }
} // namespace

std::vector<uint8_t> makeId3v24Tag (const TrackTags& tags)
{
    std::vector<uint8_t> frames;
    appendTextFrame (frames, "TIT2", tags.title);
    appendTextFrame (frames, "TPE1", tags.artist);
    appendTextFrame (frames, "TALB", tags.album);
    appendTextFrame (frames, "TPE2", tags.albumArtist);
    appendTextFrame (frames, "TCON", tags.genre);
    appendTextFrame (frames, "TRCK", tags.trackNumberText());
    appendTextFrame (frames, "TDRC", tags.year > 0 ? std::to_string (tags.year) : std::string());
    appendTextFrame (frames, "TSRC", tags.isrc);
    appendCommentFrame (frames, tags.comment); // absent unless set (proofs), so deliverables are unchanged

    std::vector<uint8_t> tag { 'I', 'D', '3', 4, 0, 0 }; // version 2.4.0, no flags
    appendSyncsafe (tag, (uint32_t) frames.size());
    tag.insert (tag.end(), frames.begin(), frames.end());
    return tag;
}

} // namespace crest::delivery
