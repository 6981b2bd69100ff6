#include "export/DdpImage.h"

#include "engine/AtomicFile.h"
#include "export/CdText.h"
#include "export/Md5.h"
#include "export/RedBookPreflight.h"
#include "session/Identifiers.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <vector>

namespace crest::delivery
{

namespace
{
    /** A packet of `size` ASCII spaces, filled field by field. */
    struct Packet
    {
        explicit Packet (size_t size) : bytes (size, ' ') {}

        /** Puts `value` at [offset, offset + length), left-aligned, space-padded, cut to length. */
        Packet& text (size_t offset, size_t length, const std::string& value)
        {
            for (size_t i = 0; i < length && i < value.size(); ++i)
                bytes[offset + i] = value[i];
            return *this;
        }

        /** A right-aligned, zero-padded decimal number. */
        Packet& number (size_t offset, size_t length, int64_t value)
        {
            char s[32];
            std::snprintf (s, sizeof (s), "%0*lld", (int) length, (long long) value);
            return text (offset, length, s);
        }

        std::string bytes;
    };

    std::string ean (const album::CdLayout& layout) { return layout.upc.empty() ? std::string() : session::upcAsEan13 (layout.upc); }

    /** Q-channel control nibble as one hex digit, then '1' (an ordinary entry, no SCMS). */
    std::string control (const album::CdTrack& t)
    {
        const int nibble = (t.preEmphasis ? 0x1 : 0) | (t.copyPermitted ? 0x2 : 0);
        const char digits[] = "0123456789ABCDEF";
        return std::string (1, digits[nibble]) + "1";
    }
} // namespace

std::string ddpIdPacket (const album::CdLayout& layout)
{
    // DDPID (128 bytes)
    //   0-7    DDPID   "DDP 2.00"                     level identifier
    //   8-20   UPC     13-digit EAN, spaces if none
    //   21-28  MSS     map stream start               spaces: the map is the file DDPMS
    //   29-36  MSL     map stream length              spaces (ditto)
    //   37     MED     media number                   space: single-medium image
    //   38-85  MID     master id (48 chars)           the catalogue number, else spaces
    //   86     BK      book                           space
    //   87-88  TYPE    "CD"
    //   89     NSIDE   "1"   90 SIDE "0"   91 NLAYER "1"   92 LAYER "0"
    //   93-94  TXTLEN  user text length               spaces: no user text
    //   95-127 TXT     user text (33 chars)           spaces
    Packet p (128);
    p.text (0, 8, "DDP 2.00").text (8, 13, ean (layout)).text (38, 48, layout.catalogueNumber);
    p.text (87, 2, "CD").text (89, 1, "1").text (90, 1, "0").text (91, 1, "1").text (92, 1, "0");
    return p.bytes;
}

std::string ddpMapStream (const album::CdLayout& layout, size_t pqBytes, size_t cdTextBytes)
{
    // DDPMS map packet (128 bytes)
    //   0-3     MPV    "VVVM"
    //   4-5     DST    data stream type: "D0" main data, "S0" subcode
    //   6-13    DSP    data stream pointer            spaces: each stream is its own file
    //   14-21   DSL    data stream length             D0: in 2352-byte sectors; S0: in bytes
    //   22-29   DSS    data stream start (sector)     D0: 00000000 (IMAGE.DAT starts at disc time 0)
    //   30-37   SUB    subcode descriptor             "PQ DESCR" or "CDTEXT" for S0, spaces for D0
    //   38-39   CDM    CD mode                        "DA" (digital audio) for D0
    //   40      SSM    source storage mode            "0" (user data only: 2352 audio bytes per sector)
    //   41      SCR    source materials scrambled     "0"
    //   42-45   PRE1, 46-49 PRE2, 50-53 PST           spaces: pregaps are described by PQDESCR
    //   54      MED    media number                   space
    //   55-56   TRK, 57-58 IDX, 59-70 ISRC            spaces: one stream for the whole disc
    //   71-73   SIZ    size of the data stream identifier  "017"
    //   74-90   DSI    data stream identifier: the file name, space-padded to 17
    //   91      NEW, 92-95 PRE1NT, 96-103 PAUSEADD, 104-112 OFS, 113-127 padding: spaces
    std::string stream;

    Packet audio (128);
    audio.text (0, 4, "VVVM").text (4, 2, "D0").number (14, 8, layout.totalFrames).number (22, 8, 0);
    audio.text (38, 2, "DA").text (40, 1, "0").text (41, 1, "0").text (71, 3, "017").text (74, 17, ddpFiles::audio);
    stream += audio.bytes;

    Packet pq (128);
    pq.text (0, 4, "VVVM").text (4, 2, "S0").number (14, 8, (int64_t) pqBytes).text (30, 8, "PQ DESCR");
    pq.text (71, 3, "017").text (74, 17, ddpFiles::pq);
    stream += pq.bytes;

    if (cdTextBytes > 0)
    {
        Packet text (128);
        text.text (0, 4, "VVVM").text (4, 2, "S0").number (14, 8, (int64_t) cdTextBytes).text (30, 8, "CDTEXT");
        text.text (71, 3, "017").text (74, 17, ddpFiles::cdText);
        stream += text.bytes;
    }
    return stream;
}

std::string pqDescriptorStream (const album::CdLayout& layout)
{
    // PQDESCR packet (64 bytes)
    //   0-3    SPV    "VVVS"
    //   4-5    TRK    track: "00" lead-in, "01".."99", "AA" lead-out
    //   6-7    IDX    index: "00".."99"
    //   8-9    HRS    hours "00"   10-11 MIN   12-13 SEC   14-15 FRM (1/75 s): absolute disc time
    //   16-17  CB1    Q control nibble as a hex digit, then "1" (normal entry)
    //   18-19  CB2    reserved: spaces
    //   20-31  ISRC   on the first entry of each track, else spaces
    //   32-44  UPC    13-digit EAN on the lead-in entry only, else spaces
    //   45-63  TXT    user comment: spaces
    std::string stream;
    auto entry = [&] (const std::string& track, int index, int64_t frame, const std::string& cb1, const std::string& isrc,
                      const std::string& upc) {
        Packet p (64);
        p.text (0, 4, "VVVS").text (4, 2, track).number (6, 2, index);
        p.number (8, 2, frame / (75 * 3600)).number (10, 2, frame / (75 * 60) % 60).number (12, 2, frame / 75 % 60).number (14, 2, frame % 75);
        p.text (16, 2, cb1).text (20, 12, isrc).text (32, 13, upc);
        stream += p.bytes;
    };
    auto two = [] (int n) {
        char s[8];
        std::snprintf (s, sizeof (s), "%02d", n);
        return std::string (s);
    };

    const std::string firstControl = layout.tracks.empty() ? "01" : control (layout.tracks.front());
    entry ("00", 0, 0, firstControl, "", ean (layout));
    for (const auto& t : layout.tracks)
    {
        bool first = true;
        if (t.pregapFrame < t.startFrame)
        {
            entry (two (t.number), 0, t.pregapFrame, control (t), t.isrc, "");
            first = false;
        }
        entry (two (t.number), 1, t.startFrame, control (t), first ? t.isrc : "", "");
        for (size_t k = 0; k < t.indexFrames.size(); ++k)
            entry (two (t.number), (int) k + 2, t.indexFrames[k], control (t), "", "");
    }
    entry ("AA", 1, layout.totalFrames, firstControl, "", "");
    return stream;
}

DdpImageWriter::DdpImageWriter (const album::CdLayout& l, std::string folder) : layout (l), directory (std::move (folder)) { }

DdpImageWriter::~DdpImageWriter() = default;

std::string DdpImageWriter::pathOf (const char* name) const
{
    return (std::filesystem::path (directory) / name).string();
}

std::unique_ptr<DdpImageWriter> DdpImageWriter::create (
    const album::CdLayout& layout, double sampleRate, int numChannels, const std::string& directory, std::string& error)
{
    if (sampleRate != 44100.0 || numChannels != 2)
    {
        error = "a DDP image needs 44.1 kHz stereo audio, not " + std::to_string (sampleRate) + " Hz with "
                + std::to_string (numChannels) + " channels";
        return nullptr;
    }
    std::error_code ec;
    std::filesystem::create_directories (directory, ec);
    if (! std::filesystem::is_directory (directory))
    {
        error = directory + ": cannot create the DDP folder" + (ec ? " (" + ec.message() + ")" : std::string());
        return nullptr;
    }
    std::unique_ptr<DdpImageWriter> writer (new DdpImageWriter (layout, directory));
    std::string textError;
    const auto cdText = packCdText (layout, textError);
    if (! cdText)
    {
        error = textError;
        return nullptr;
    }
    if (hasCdText (layout) && ! cdText->empty())
        writer->text.assign (cdText->begin(), cdText->end());

    // The audio first: it is the long part, and its MD5 is computed as it is written.
    writer->image = std::make_unique<engine::AtomicFile> (writer->pathOf (ddpFiles::audio));
    if (! writer->image->isOpen())
    {
        error = writer->image->error();
        return nullptr;
    }
    writer->expectedSamples = album::CdLayout::samples (layout.totalFrames);
    return writer;
}

bool DdpImageWriter::write (const float* const* channels, int numSamples, std::string& error)
{
    if (written + numSamples > expectedSamples)
    {
        error = "the album audio is longer than the layout (" + cdTime (layout.totalFrames) + ", "
                + std::to_string (expectedSamples) + " samples)";
        return false;
    }
    bytes.resize ((size_t) numSamples * 4);
    for (int i = 0; i < numSamples; ++i)
        for (int c = 0; c < 2; ++c)
        {
            const double scaled = (double) channels[c][i] * 32768.0;
            if (scaled != std::floor (scaled) || scaled < -32768.0 || scaled > 32767.0)
            {
                error = "the album audio is not on the 16-bit grid at sample " + std::to_string (written + i)
                        + " (it must be dithered to 16 bits before the DDP writer)";
                return false;
            }
            const auto v = (uint16_t) (int16_t) scaled;
            bytes[(size_t) i * 4 + (size_t) c * 2] = (uint8_t) (v & 0xff);
            bytes[(size_t) i * 4 + (size_t) c * 2 + 1] = (uint8_t) (v >> 8);
        }
    if (! image->write (bytes.data(), (size_t) numSamples * 4))
    {
        error = image->error();
        return false;
    }
    imageMd5.add (bytes.data(), (size_t) numSamples * 4);
    written += numSamples;
    return true;
}

bool DdpImageWriter::finish (std::string& error)
{
    if (written != expectedSamples)
    {
        error = "the album audio ended at sample " + std::to_string (written) + " of " + std::to_string (expectedSamples);
        return false;
    }
    const auto pq = pqDescriptorStream (layout);
    struct Small
    {
        const char* name;
        std::string contents;
    };
    std::vector<Small> files { { ddpFiles::id, ddpIdPacket (layout) },
                               { ddpFiles::map, ddpMapStream (layout, pq.size(), text.size()) },
                               { ddpFiles::pq, pq } };
    if (! text.empty())
        files.push_back ({ ddpFiles::cdText, text });

    std::vector<std::unique_ptr<engine::AtomicFile>> staged;
    std::string checksums;
    for (const auto& f : files)
    {
        staged.push_back (std::make_unique<engine::AtomicFile> (pathOf (f.name)));
        if (! staged.back()->write (f.contents.data(), f.contents.size()))
        {
            error = staged.back()->error();
            return false;
        }
        Md5 md5;
        md5.add (f.contents.data(), f.contents.size());
        checksums += md5.hex() + "  " + f.name + "\n";
    }
    checksums += imageMd5.hex() + "  " + ddpFiles::audio + "\n";
    staged.push_back (std::make_unique<engine::AtomicFile> (pathOf (ddpFiles::checksums)));
    if (! staged.back()->write (checksums.data(), checksums.size()))
    {
        error = staged.back()->error();
        return false;
    }

    if (! image->commit())
    {
        error = image->error();
        return false;
    }
    std::error_code ec;
    for (auto& f : staged)
        if (! f->commit())
        {
            error = f->error();
            std::filesystem::remove (pathOf (ddpFiles::audio), ec);
            return false;
        }
    return true;
}

bool writeDdpImage (const album::CdLayout& layout, engine::AudioStream& album, const std::string& directory, std::string& error,
                    const DdpProgress& progress)
{
    const int64_t expectedSamples = album::CdLayout::samples (layout.totalFrames);
    if (album.sampleRate() == 44100.0 && album.numChannels() == 2 && album.lengthInSamples() != expectedSamples)
    {
        error = "the album audio is " + std::to_string (album.lengthInSamples()) + " samples long but the layout ("
                + cdTime (layout.totalFrames) + ") needs " + std::to_string (expectedSamples);
        return false;
    }
    auto writer = DdpImageWriter::create (layout, album.sampleRate(), album.numChannels(), directory, error);
    if (writer == nullptr)
        return false;

    constexpr int framesPerBlock = 75;
    constexpr int blockSamples = framesPerBlock * album::cdSamplesPerFrame;
    std::vector<float> left (blockSamples), right (blockSamples);
    float* channels[] = { left.data(), right.data() };
    int64_t written = 0;
    while (written < expectedSamples)
    {
        const int want = (int) std::min<int64_t> (blockSamples, expectedSamples - written);
        const int got = album.read (channels, want);
        if (got <= 0)
        {
            error = got < 0 ? std::string ("reading the album audio failed: ") + album.error()
                            : "the album audio ended at sample " + std::to_string (written) + " of " + std::to_string (expectedSamples);
            return false;
        }
        if (! writer->write (channels, got, error))
            return false;
        written += got;
        if (progress && ! progress ((double) written / (double) expectedSamples))
        {
            error = "cancelled";
            return false;
        }
    }
    return writer->finish (error);
}

} // namespace crest::delivery
