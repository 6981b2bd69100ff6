#pragma once

// Writing a DDP 2.0 image: the file set a CD replication plant cuts a glass master from.
//
// Design note: a DDP image is a folder of
//   DDPID       128 bytes: which protocol level, the UPC/EAN, the kind of disc
//   DDPMS       one 128-byte map packet ("VVVM") per stream: the audio (D0, IMAGE.DAT), the
//               PQ subcode description (S0 "PQ DESCR", PQDESCR) and, with text, the CD-Text
//               lead-in packs (S0 "CDTEXT", CDTEXT.BIN)
//   PQDESCR     64-byte "VVVS" packets: a lead-in entry (track 00) carrying the UPC/EAN, every
//               track's INDEX 00 (when it has a pregap), 01, 02... with ISRC and control
//               flags, and the lead-out (track AA) at the disc's end
//   IMAGE.DAT   the disc's audio: 2352-byte sectors of 16-bit little-endian stereo samples
//               (left, right), from the first sample of track 1's pregap to the lead-out
//   CDTEXT.BIN  CD-Text packs (see CdText.h)
//   CHECKSUM.MD5  outside the DDP specification, `md5sum -c` compatible, so the plant and the
//               client can prove the set arrived intact
// Every field is ASCII; numbers are right-aligned, zero-padded decimal; unused fields are ASCII
// spaces. The field tables are in DdpImage.cpp beside the code that fills them.
//
// Facts used (the DCA specification is not public): the field layouts read by the GPL reader
// suntriprecords/ddpLib (v20 DdpIdLoader, AbstractMapPacketLoader, AbstractPqDescriptorLoader),
// the published DVD Cutting Master Format tables of the same packets (DDVID/DDVMS), and the
// byte order used by HOFA and Sonoris images and by ddpLib's WAV export (little-endian).
// Times in PQDESCR are absolute disc time from track 1's INDEX 00 (00:00:00); IMAGE.DAT starts
// there too (DSS = 0), so a PQ time is also the sector's position in IMAGE.DAT.

#include "engine/AtomicFile.h"
#include "engine/AudioStream.h"
#include "album/CdLayout.h"
#include "export/Md5.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace crest::delivery
{

/** The file names of a DDP image. */
namespace ddpFiles
{
    constexpr const char* id = "DDPID";
    constexpr const char* map = "DDPMS";
    constexpr const char* pq = "PQDESCR";
    constexpr const char* audio = "IMAGE.DAT";
    constexpr const char* cdText = "CDTEXT.BIN";
    constexpr const char* checksums = "CHECKSUM.MD5";
} // namespace ddpFiles

/** Bytes in a CD sector (one frame of 588 stereo 16-bit samples). */
constexpr int cdSectorBytes = 2352;

/** The DDPID packet for a layout (128 bytes). */
std::string ddpIdPacket (const album::CdLayout& layout);

/** The DDPMS map packets (128 bytes each): audio, PQ and, when `cdTextBytes` > 0, CD-Text. */
std::string ddpMapStream (const album::CdLayout& layout, size_t pqBytes, size_t cdTextBytes);

/** The PQDESCR packets (64 bytes each). */
std::string pqDescriptorStream (const album::CdLayout& layout);

/** A DDP 2.0 image written as its audio arrives, for a writer that makes the album's audio
    anyway (the export's CD album.wav): the same files writeDdpImage() makes from a stream,
    without reading the audio back. Each file is written under a temporary name and renamed by
    finish(); destroyed unfinished (an error, a cancel), it leaves nothing behind. */
class DdpImageWriter
{
public:
    /** Checks the format (44.1 kHz stereo), creates `directory` and opens IMAGE.DAT. Returns
        nullptr with `error` set when it cannot. */
    static std::unique_ptr<DdpImageWriter> create (
        const album::CdLayout& layout, double sampleRate, int numChannels, const std::string& directory, std::string& error);

    ~DdpImageWriter();

    /** Appends samples, which must lie on the 16-bit grid (a DitherStage's output) and must not
        run past the layout's end; false with `error` set otherwise. */
    bool write (const float* const* channels, int numSamples, std::string& error);

    /** Once exactly layout.totalFrames * 588 samples were written: writes the descriptors and
        CHECKSUM.MD5 and puts every file in place. False with `error` set. */
    bool finish (std::string& error);

private:
    DdpImageWriter (const album::CdLayout& layout, std::string directory);
    std::string pathOf (const char* name) const;

    album::CdLayout layout;
    std::string directory, text;
    std::unique_ptr<engine::AtomicFile> image;
    Md5 imageMd5;
    std::vector<uint8_t> bytes;
    int64_t expectedSamples = 0, written = 0;
};

/** Called with the fraction written (0..1); return false to cancel. */
using DdpProgress = std::function<bool (double fractionDone)>;

/** Writes a DDP 2.0 image of `layout` into the folder `directory` (created if missing).
    `album` must be 44.1 kHz stereo, exactly layout.totalFrames * 588 samples long, with samples
    on the 16-bit grid (a DitherStage's output); anything else is an error rather than a silent
    second rounding. Each file is written under a temporary name and renamed when complete; on
    an error or a cancel nothing is left behind. Returns false with `error` set. */
bool writeDdpImage (const album::CdLayout& layout, engine::AudioStream& album, const std::string& directory, std::string& error,
                    const DdpProgress& progress = {});

} // namespace crest::delivery
