#pragma once

// The Apple Digital Masters codec check: would this 24-bit master clip once encoded?
//
// Design note: Apple judges a master by what its AAC encoder makes of it (afclip on the
// round trip). Debian has no AAC encoder Crest may link, so Crest runs the round trip it can:
// LAME at 256 kbps CBR (Apple's delivery bitrate) and back through LAME's own "hip" decoder.
// A lossy round trip adds overshoot where a master is limited hard to full scale, so a master
// that clips here is one to pull back (typically to -1 dBTP or lower). hip decodes to 16-bit
// integers and saturates at full scale, so a decoded sample at +/-32767 (or -32768) is a clip,
// and the decoded true peak is measured on those integers: it cannot read far above 0 dBTP,
// which is why the clip count, not the peak, is the verdict. Rates above 48 kHz are encoded
// at 44.1 or 48 kHz by LAME's resampler (the AAC a store sells is at most 48 kHz too).

#include "engine/AudioStream.h"
#include "export/DeliveryFinding.h"

#include <atomic>
#include <optional>
#include <string>
#include <vector>

namespace crest::delivery
{

/** What the codec round trip of one track did. */
struct AdmCodecCheck
{
    int64_t clippedSamples = 0; ///< decoded samples at full scale, all channels
    double decodedTruePeakDbtp = -300.0; ///< true peak of the decoded audio (at the encoded rate)
    double decodedSamplePeakDbfs = -300.0;
    double encodedSampleRate = 0.0; ///< the rate LAME encoded at
    int64_t decodedSamples = 0; ///< per channel, decoder delay included

    /** True when the decoded version has a sample at full scale. */
    bool clips() const noexcept { return clippedSamples > 0; }
};

/** The rate the codec check encodes a master of this rate at (0 when it cannot). */
double admCodecRateFor (double sampleRate) noexcept;

/** Encodes a master through LAME (256 kbps CBR) and decodes it with LAME's hip decoder, block
    by block (memory does not grow with length), measuring the decoded audio.

    @param master  the 24-bit master as float, 1 or 2 channels, 32-192 kHz; read to its end
    @param error   set to the reason on failure
    @param cancel  checked between blocks
*/
std::optional<AdmCodecCheck> checkCodecClipping (
    engine::AudioStream& master, std::string& error, const std::atomic<bool>* cancel = nullptr);

/** Findings for a track of an Apple Digital Masters delivery: the master itself (its bit
    depth, rate, clipped samples, true peak against the ceiling) and its codec round trip.

    @param track               1-based track number, carried into the findings
    @param bits                bit depth of the delivered file
    @param sampleRate          its rate
    @param masterClippedSamples samples at or above full scale in the delivered master
    @param masterTruePeakDbtp  the master's true peak
    @param ceilingDbtp         the ceiling asked for
    @param codec               the codec check's result for the track
*/
std::vector<DeliveryFinding> admFindings (int track, int bits, double sampleRate, int64_t masterClippedSamples,
    double masterTruePeakDbtp, double ceilingDbtp, const AdmCodecCheck& codec);

} // namespace crest::delivery
