#pragma once

// Where an export writes: a staging folder inside the destination, moved into place only when
// every target has succeeded.
//
// Design note: a release is a set of files that belong together (a CUE sheet names its WAV,
// a DDP's checksums name its files, report.json lists everything). Writing them straight into
// the destination would leave a half-delivered release after an error or Ctrl-C. So every file
// is written under `.crest-export-<pid>/` in the destination and commit() renames each one to
// its final place; an ExportFolder destroyed without commit() removes the staging folder, and
// the destination too if this export created it, leaving nothing behind. An export killed
// outright (kill -9, a crash) leaves only its hidden staging folder: the next export into the
// same destination removes the staging folders of processes that have ended.
// Files are made durable once, at commit(): the staging folder is an engine::DeferredSync
// folder, so writers only start each file's writes to disk, and commit() fsyncs every file
// before moving it (by then mostly written) and the folders after.

#include "engine/AtomicFile.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace crest::delivery
{

class ExportFolder
{
public:
    /** Creates `destination` if needed, checks it is a writable folder and makes the staging
        folder in it. On failure returns nullptr and sets `error` (naming the folder and why). */
    static std::unique_ptr<ExportFolder> open (const std::filesystem::path& destination, std::string& error);

    /** Removes everything staged unless commit() succeeded. */
    ~ExportFolder();

    /** Where to write `relativePath` (e.g. "cd/album.cue") while exporting; its parent
        folders are created. The file appears under destination()/relativePath at commit().
        A path that would leave the folder (engine::containedPath refuses it: "..", absolute,
        a separator or an over-long name from a track title) gives an empty path and `error`. */
    std::filesystem::path stage (const std::string& relativePath, std::string& error);

    /** Syncs every file in the staging folder to disk and moves it into the destination (same
        relative paths), replacing files of the same name.
        Returns false and sets `error` if a move fails. */
    bool commit (std::string& error);

    /** The final folder. */
    const std::filesystem::path& destination() const noexcept { return finalFolder; }

    /** The staging folder (for tools that must write several files themselves). */
    const std::filesystem::path& staging() const noexcept { return stagingFolder; }

    /** Relative paths staged so far, in order. */
    const std::vector<std::string>& stagedFiles() const noexcept { return staged; }

private:
    ExportFolder() = default;

    std::filesystem::path finalFolder, stagingFolder;
    std::vector<std::string> staged;
    std::unique_ptr<engine::DeferredSync> deferredSync;
    bool createdDestination = false, committed = false;
};

} // namespace crest::delivery
