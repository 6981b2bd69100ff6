#pragma once

// `crest export` as a function: a session delivered to every target asked for, in one run.
//
// Design note: what each target delivers is data, its row in TargetDescriptor.h; the jobs
// here read the row (rate and where it is converted, depth, gain, dither, writer, checks) and
// run the same stages for every target. The mastering chain is the expensive part, so it runs
// once per track whatever the number of targets. Pass 1 renders each track (album::AlbumStream::track, sample-aligned
// timeline) through its chain into a 32-bit float WAV "track master" in the staging folder's
// .work/, measured on the way. Pass 2 runs every deliverable as jobs reading those masters
// through engine::FileStream: per-track files directly, the CD album and vinyl sides as the
// masters placed on a timeline with silence between them (ConcatenatedStream), which equals
// the album renderer's output because each track's chain starts from its own beginning in
// both. Both passes run on a small pool of threads so every core works. Everything is written
// into an ExportFolder and committed only when every target and the report succeeded: an
// error or a cancel leaves nothing behind. The Red Book preflight runs before anything is
// rendered, so a session that cannot become a CD fails in a second.
// Every file is measured for the report as it is written (the stream that goes into the
// writer, so one pass less per file); its size and MD5 come from the file on disk. For MP3s
// that means the encoder's input: the codec's effect on peaks is the adm target's concern.
// A target whose stages leave a master's samples untouched reports the master's measurement;
// the CD's track WAVs are cut and measured, and the DDP image's audio written, while album.wav
// is written.

#include "export/ExportReport.h"
#include "session/Session.h"

#include <atomic>
#include <functional>
#include <string>
#include <vector>

namespace crest::delivery
{

/** What to export, where, and how to report progress. */
struct ReleaseExportOptions
{
    std::string destination; ///< the folder the release appears in
    std::vector<session::DeliverableTarget> targets; ///< empty: the session's
    std::string sessionPath; ///< named in the report
    int threads = 0; ///< 0: the hardware's concurrency, at least 2
    std::string tagComment; ///< written as the MP3s' ID3 comment (proofs); empty: none

    /** Receives one short progress line at a time ("cd: album.wav 40 %"), from any thread but
        never from two at once. May be empty. */
    std::function<void (const std::string&)> progress;

    /** Set (e.g. by a SIGINT handler) to stop: jobs end and nothing is left behind. */
    const std::atomic<bool>* cancel = nullptr;
};

/** How an export ended. */
struct ReleaseExportResult
{
    bool succeeded = false;
    bool cancelled = false; ///< stopped by `cancel`; nothing was written
    std::string error; ///< on failure: a sentence naming the track, file or rule
    ExportReport report; ///< what was written (also on disk as report.json / report.html)
};

/** Exports a session (as SessionFile::load returns it: source paths resolved). */
ReleaseExportResult exportRelease (const session::Session& session, const ReleaseExportOptions& options);

/** "NN Title.ext" for track `number`, with characters unsafe in file names replaced by '_'
    ("NN.ext" without a title), the title shortened so the name fits engine::maxFileNameBytes. */
std::string deliveryFileName (int number, const std::string& title, const std::string& extension);

} // namespace crest::delivery
