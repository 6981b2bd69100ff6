#pragma once

// Reading a DDP 2.0 image back: its layout, its text, its audio, and whether it is intact.
//
// Design note: this is what `crest ddp verify` and `crest ddp extract` stand on, and what the
// tests use to prove a written image says what the session meant. It reads the same fields
// DdpImage.cpp documents (DDPID, DDPMS map packets, PQDESCR entries, CD-Text packs), trusting
// nothing: every packet marker, number field, file size and checksum is checked, and each
// problem is reported as a sentence naming the file.

#include "engine/AudioStream.h"
#include "album/CdLayout.h"

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace crest::delivery
{

/** A DDP image as read from its folder. */
struct DdpImage
{
    std::string directory;
    std::string level;          ///< e.g. "DDP 2.00"
    album::CdLayout layout;            ///< tracks, indexes, ISRCs, UPC and CD-Text as the image says
    std::string audioFile;      ///< path of the main data stream (IMAGE.DAT)
    int64_t audioOffsetBytes = 0; ///< where disc time 00:00:00 is in audioFile
    bool hasCdText = false;
};

/** Reads an image's structure (not its checksums). Returns nothing with `error` set,
    naming the file and what is wrong with it. */
std::optional<DdpImage> readDdpImage (const std::string& directory, std::string& error);

/** Everything wrong with an image: structure (as readDdpImage), audio size against the
    lead-out, and each file against CHECKSUM.MD5 (a missing checksum file is a problem too,
    since nothing else proves the audio intact). Empty when the image is sound. */
std::vector<std::string> verifyDdpImage (const std::string& directory, std::optional<DdpImage>& image);

/** A range of an image's audio, [startFrame, endFrame), as a 44.1 kHz stereo AudioStream of
    floats on the 16-bit grid (k / 32768). */
class DdpAudio : public engine::AudioStream
{
public:
    DdpAudio (const DdpImage& image, int64_t startFrame, int64_t endFrame);
    ~DdpAudio() override;

    double sampleRate() const override { return 44100.0; }
    int numChannels() const override { return 2; }
    int64_t lengthInSamples() const override { return length; }
    int read (float* const* destination, int numSamples) override;
    const char* error() const override { return errorText.c_str(); }

private:
    std::FILE* file = nullptr;
    int64_t length = 0, position = 0;
    std::vector<uint8_t> bytes;
    std::string errorText;
};

} // namespace crest::delivery
