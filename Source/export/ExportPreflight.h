#pragma once

// What an export would refuse or warn about, found before anything is rendered: the export
// dialog shows it before the engineer presses Export.
//
// Design note: these are the checks exportRelease() makes before its first render (its
// prepare step), run on their own and gathered instead of stopping at the first: the session
// has tracks and targets, every source is there, the CD layout passes the Red Book preflight
// (preflightRedBook on the cdFrames timeline: the very function the export runs), Apple
// Digital Masters get 44.1 kHz or more, the CD dither and the hi-res format are known, the
// vinyl sides fit the album, and a hi-res target above the session's rate is flagged as
// upsampled. The platform rules the session holds are checked too: a streaming ceiling above
// -1 dBTP, and above -2 dBTP with a loudness target louder than -14 LUFS (the platforms' own
// advice), are warnings. So are a plugin the chains name that this machine lacks (it would be
// a pass-through) and, in a session with versions, a track approved at no version (delivered
// from the working state); each approved track gets an info row naming its version. The checks
// run on the session as it will be delivered (session::deliverySession). Errors mean the export
// would stop; warnings are listed and the export may go on. It reads only the sources' headers
// (their rates and lengths), never their audio.
//
// This is the only place these rules live: exportRelease() runs it first and stops on its first
// error, `crest export` prints its rows (describePreflight) before rendering, and the export
// dialog lists the same rows; neither front end checks anything of its own.

#include "export/DeliveryFinding.h"
#include "session/Session.h"

#include <vector>

namespace crest::delivery
{

/** The findings of every check the export makes before rendering, for the targets given
    (empty: the session's). Errors name the rule the export would stop on. */
std::vector<DeliveryFinding> preflightRelease (
    const session::Session& session, const std::vector<session::DeliverableTarget>& targets = {});

/** A preflight row in words, the same in `crest export`'s output and the export dialog:
    "cd track 2: error: track-length: ..." (the target, the track when there is one, the
    severity, the check and the sentence). */
std::string describePreflight (const DeliveryFinding& finding);

/** The first error among the findings, or nullptr: the export stops on it. */
const DeliveryFinding* firstPreflightError (const std::vector<DeliveryFinding>& findings);

} // namespace crest::delivery
