#pragma once

// A proof for the client: chosen versions rendered as MP3s with a review page beside them.
//
// Design note: each version is put in place of the working state (session::withVersion) and
// delivered through the release exporter's own MP3 target (320 kbps, LAME gapless tag), so a
// proof sounds exactly like the MP3 deliverable of that version; the version's name goes into
// the file names and the ID3 title, its note into the ID3 comment. The review folder is one
// self-contained folder that opens from disk: index.html (the review page, copied), the MP3s,
// review-data.js (what the page shows: versions, their difference text, per-track figures,
// loudness-match gains and waveform peaks) and one audio/NN-<version>.js per MP3 holding it as
// base64, because a page opened from file:// may load scripts but may not fetch files. The
// data file's contract:
//
//   window.CREST_REVIEW = {"format": "crest-review", "formatVersion": 1,
//     "album": {"title", "performer"},
//     "versions": [{"name", "created", "note", "difference": [lines]}],
//     "tracks": [{"number", "title", "durationSeconds",
//        "versions": {"<name>": {"mp3", "audioScript", "integratedLufs", "lraLu", "truePeakDbtp",
//                                "plrDb", "matchGainDb", "peaks": [[min, max], ...]}}}]};
//
// matchGainDb plays every version of a track at the level of its quietest (loudnessMatchGains).
// Everything is written through an ExportFolder: nothing appears until the whole proof is done.

#include "session/Session.h"

#include <atomic>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace crest::delivery
{

/** What to put in a proof and where. */
struct ProofOptions
{
    std::string destination; ///< the review folder
    std::vector<std::string> versions; ///< version names, in the order the page offers them
    std::string reviewPage; ///< the review page (index.html) to copy; empty or missing: data only
    int threads = 0; ///< as ReleaseExportOptions
    std::function<void (const std::string&)> progress; ///< one line at a time; may be empty
    const std::atomic<bool>* cancel = nullptr;
};

/** How a proof ended. */
struct ProofResult
{
    bool succeeded = false;
    std::string error; ///< a sentence naming the version, track or file
    bool pageCopied = false; ///< index.html was written (false: the data only)
    std::map<std::string, std::vector<session::TrackFigures>> figures; ///< per version, per track (album order)
    std::vector<std::string> files; ///< written, relative to the destination
};

/** Renders the proof. Versions that do not exist are refused before anything is rendered. */
ProofResult writeProof (const session::Session& session, const ProofOptions& options);

/** A version name as it appears in file names: letters, digits, '-' and '_' kept, anything else
    a '-', runs folded, never empty ("v2 after notes: more low end" -> "v2-after-notes-more-low-end"). */
std::string safeVersionName (const std::string& name);

/** About `count` [minimum, maximum] pairs over a file's audio (all channels), for a waveform.
    Empty with `error` set when the file cannot be read. */
std::vector<std::pair<float, float>> filePeaks (const std::string& path, int count, std::string& error);

} // namespace crest::delivery
