#pragma once

// One export running in the background: what the export dialog starts, watches and cancels.
//
// Design note: the job runs exportRelease(), the very function `crest export` runs, on a
// thread of its own, so the files are the CLI's byte for byte and the message thread (and the
// player) never wait on it. The engine reports progress as short lines ("cd: album.wav 40 %",
// "streaming: track 2/3 done", "master: track 1/3 done"); the job turns them into a fraction
// per target and overall, and a time left extrapolated from the time so far. Cancel sets the
// engine's stop flag: its ExportFolder then removes everything it staged, so a cancelled
// export leaves nothing behind. status() may be called from any thread at any rate (a
// mutex-guarded copy); the destructor cancels and joins.

#include "export/ReleaseExport.h"

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace crest::delivery
{

class ExportJob
{
public:
    /** How far one target has come. */
    struct TargetProgress
    {
        std::string name; ///< the target's name ("cd", "streaming"...)
        double fraction = 0.0; ///< 0 to 1
    };

    /** A copy of the job's state. */
    struct Status
    {
        bool finished = false; ///< result() is ready
        double masters = 0.0; ///< the track masters rendered, 0 to 1 (pass 1)
        std::vector<TargetProgress> targets; ///< in the order exported
        double overall = 0.0; ///< 0 to 1: masters and targets weighted equally
        double elapsedSeconds = 0.0;
        std::optional<double> secondsLeft; ///< once there is enough progress to extrapolate
        std::string lastLine; ///< the engine's newest progress line
    };

    /** Starts exporting `session` (source paths resolved) with `options` (its progress and
        cancel are the job's own and are replaced). */
    ExportJob (session::Session session, ReleaseExportOptions options);

    /** Cancels a running export and waits for it to end (its staging folder removed). */
    ~ExportJob();

    ExportJob (const ExportJob&) = delete;
    ExportJob& operator= (const ExportJob&) = delete;

    /** Asks the export to stop; it ends soon after with result().cancelled and nothing written. */
    void cancel() noexcept { stop = true; }

    /** The job's progress now. */
    Status status() const;

    /** True once the export has ended (succeeded, failed or cancelled). */
    bool finished() const noexcept { return done; }

    /** Waits until the export ends, at most `milliseconds` (negative: for ever); true if it did. */
    bool waitUntilFinished (int milliseconds = -1) const;

    /** How it ended; valid once finished(). */
    const ReleaseExportResult& result() const noexcept { return outcome; }

    /** Takes one progress line into `status` (public so that the parsing is tested alone). */
    static void takeLine (Status& status, const std::string& line);

private:
    void run (session::Session session, ReleaseExportOptions options);

    mutable std::mutex mutex;
    Status state;
    std::chrono::steady_clock::time_point started;
    std::atomic<bool> stop { false }, done { false };
    ReleaseExportResult outcome;
    std::thread thread;
};

} // namespace crest::delivery
