#pragma once

// The deliverable targets Crest knows, and their names in session files, on the command line
// and in export reports.
//
// Design note: a target is an enum everywhere inside Crest; its name is text only at the
// edges, and it is spelt once, in the table behind targetName(). The table lives here rather
// than in export/ because the session document stores targets and session/ may not include
// export/; what each target delivers (folder, rate, depth, gain, dither, writer, checks) is
// export's TargetDescriptor, indexed by this enum.

#include <array>
#include <optional>
#include <string>

namespace crest::session
{

/** One kind of deliverable an export can write. */
enum class DeliverableTarget
{
    cd, ///< Red Book WAV (16-bit, 44.1 kHz) of the album, one per track, and a CUE sheet
    ddp, ///< a DDP 2.0 image for replication
    streaming, ///< 24-bit WAVs at the session rate, optionally normalised to a loudness
    adm, ///< Apple Digital Masters: 24-bit WAVs, checked for clipping through AAC
    hires, ///< 24-bit WAV or FLAC at a high sample rate
    mp3, ///< MP3 320 kbps CBR and/or V0
    flac, ///< 24-bit FLAC at the session rate
    vinyl ///< one 24-bit WAV per side, with the cutting checks
};

/** Every target, in the order Crest lists them. */
constexpr std::array<DeliverableTarget, 8> allDeliverableTargets { DeliverableTarget::cd, DeliverableTarget::ddp,
    DeliverableTarget::streaming, DeliverableTarget::adm, DeliverableTarget::hires, DeliverableTarget::mp3,
    DeliverableTarget::flac, DeliverableTarget::vinyl };

/** The target's name as written in sessions, on the command line and in reports ("cd", "hires"...). */
const char* targetName (DeliverableTarget target) noexcept;

/** The target with a name (exact, lower case), or nothing when no target has it. */
std::optional<DeliverableTarget> targetFromName (const std::string& name);

/** Every target's name, comma-separated, for messages: "cd, ddp, streaming, ..." */
std::string targetNameList (const char* separator = ", ");

} // namespace crest::session
