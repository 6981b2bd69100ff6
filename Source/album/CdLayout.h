#pragma once

// The layout of an audio CD as Red Book sees it: tracks and index points on 1/75 s frames.
//
// Design note: this is the one description of a disc that the CUE writer, the DDP writer, the
// Red Book preflight and `crest ddp verify` share. album::Timeline produces it from a session;
// DdpReader produces it from an image. Positions are CD frames (75 per second, 588 samples at
// 44.1 kHz) counted from the first sample of the disc's audio, which is the start of track 1's
// pregap (INDEX 00): a disc with the standard 2 s first pregap has track 1 INDEX 01 at frame 150.

#include <cstdint>
#include <string>
#include <vector>

namespace crest::album
{

/** Frames per second, samples per frame, and the frame count of the standard first pregap. */
constexpr int cdFramesPerSecond = 75;
constexpr int cdSamplesPerFrame = 588;
constexpr int64_t cdStandardFirstPregapFrames = 150;

/** CD-Text fields carried for the album (block 0, language from the session). */
struct CdText
{
    std::string title, performer, songwriter, composer, arranger, message;
};

/** One track on the disc. */
struct CdTrack
{
    int number = 1;                    ///< 1-99
    int64_t pregapFrame = 0;           ///< INDEX 00 (== startFrame when there is no pregap)
    int64_t startFrame = 0;            ///< INDEX 01
    std::vector<int64_t> indexFrames;  ///< INDEX 02, 03, ... (absolute frames)
    int64_t endFrame = 0;              ///< one past the track's last frame: the next track's INDEX 00, or the disc's end
    std::string isrc;                  ///< 12 characters without dashes, or empty
    CdText text;
    bool preEmphasis = false;
    bool copyPermitted = false;
};

/** A whole disc. */
struct CdLayout
{
    std::vector<CdTrack> tracks;
    int64_t totalFrames = 0;           ///< length of the disc's audio (IMAGE.DAT / album WAV) in frames
    std::string upc;                   ///< 13-digit EAN/UPC for the MCN, or empty
    std::string catalogueNumber;
    std::string language = "en";
    CdText text;

    /** Samples (per channel) at 44.1 kHz of a frame position. */
    static constexpr int64_t samples (int64_t frames) noexcept { return frames * cdSamplesPerFrame; }
};

} // namespace crest::album
