#pragma once

// Files that appear whole or not at all. Every file Crest writes (a session, a chain, a master,
// a DDP image, a report) goes through AtomicFile: the bytes go to a hidden partial file beside
// the target (".<name>.crest-partial-<pid>-<n>", created exclusively, so it never clobbers
// anything), and commit() flushes them, fsyncs them, renames the file over the target and
// fsyncs the folder. Until commit() the target keeps its old contents (or does not exist); an
// AtomicFile destroyed without commit() (an error, a cancel) removes its partial file. The
// fsyncs matter: without them a power cut soon after the rename can leave an empty target.
//
// A process killed mid-write (kill -9, a crash) cannot remove its partial file; the next
// AtomicFile for the same target removes the partial files of processes that have ended, so
// they never accumulate (a running writer's are left alone).
//
// It never touches the audio thread: it does file I/O. The rename replaces the target's name,
// so a symlink at the target is replaced by the file, never written through.
//
// A writer of many files that moves them into place itself (an export's staging folder) may
// register that folder with DeferredSync: commit() then skips the two fsyncs and only starts
// the disk writes, and the owner syncs every file once before its own renames. A blocking
// fsync per file stalled each export thread for its file's whole write to disk (about 2 s of
// a 15 s export); started early, the writes go on while the next file is being computed.

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

namespace juce
{
class OutputStream;
}

namespace crest::engine
{

/** A file being written under a partial name beside `targetPath`, renamed into place by
    commit(). The first failure is kept: later writes and commit() refuse, and error() says it. */
class AtomicFile
{
public:
    /** Creates the partial file; check isOpen() and error(). */
    explicit AtomicFile (std::string targetPath);

    /** Removes the partial file unless commit() succeeded. */
    ~AtomicFile();

    AtomicFile (const AtomicFile&) = delete;
    AtomicFile& operator= (const AtomicFile&) = delete;

    /** True while the partial file is open and nothing has failed. */
    bool isOpen() const noexcept { return file != nullptr && errorText.empty(); }

    /** Appends bytes at the current position; false (with error() set) when the disk refuses. */
    bool write (const void* data, size_t numBytes);

    /** Moves the write position, for formats that patch a header once the totals are known. */
    bool seek (int64_t position);

    /** The current write position in bytes, or -1 when the file is not open. */
    int64_t position() const;

    /** Flushes, fsyncs, closes, renames over the target and fsyncs the folder. False (with
        error() set) if anything failed, now or earlier; the target is then untouched and the
        partial file already removed. */
    bool commit();

    /** What failed, naming the target: "cannot write /x/y.wav: No space left on device". */
    const std::string& error() const noexcept { return errorText; }

    /** The same without the path ("cannot write: No space left on device"), for callers that
        put the path in front of their messages themselves. */
    const std::string& reason() const noexcept { return reasonText; }

    /** reason(), or `otherwise` when the file itself has not failed (the producer of the bytes
        did: an encoder, a writer). */
    std::string reasonOr (std::string otherwise) const { return reasonText.empty() ? otherwise : reasonText; }

    /** The file this will become. */
    const std::string& targetPath() const noexcept { return target; }

    /** A juce::OutputStream writing into this file (for JUCE's audio format writers). It must
        be destroyed (the writers do so when they are) before commit() or the AtomicFile. */
    std::unique_ptr<juce::OutputStream> createOutputStream();

    /** The text every partial file's name contains, for checks that none is left behind. */
    static constexpr const char* partialMarker = ".crest-partial-";

private:
    void fail (int errorNumber);
    void discard();

    std::string target, partial, errorText, reasonText;
    std::FILE* file = nullptr;
    bool committed = false;
};

/** While alive, files committed under `folder` skip commit()'s fsyncs (see the note atop).
    Kind::later: their writes to disk start at commit() and the owner fsyncs them before it
    moves them into place; Kind::scratch: intermediates removed before then, never synced.
    The innermost registered folder decides. Thread-safe; several may be alive at once. */
class DeferredSync
{
public:
    enum class Kind
    {
        later, ///< the owner syncs each file before moving it into place
        scratch ///< removed before the work ends: never synced
    };

    DeferredSync (std::string folder, Kind kind);
    ~DeferredSync();
    DeferredSync (const DeferredSync&) = delete;
    DeferredSync& operator= (const DeferredSync&) = delete;

private:
    std::string folder;
};

/** Flushes a finished file's data to disk (fsync; FlushFileBuffers on Windows). False when the
    system reports a failure. For owners of a DeferredSync folder. */
bool syncFile (const std::string& path);

/** True when no process `processId` exists any more (it ended or was killed), so what it left
    under names carrying its id (partial files, an export's staging folder) can be removed.
    False while it runs or when that cannot be told (and always on Windows). */
bool processHasEnded (int processId);

/** Makes the entries of a folder (files renamed into it) durable: fsync on the folder (POSIX;
    nothing elsewhere). For callers that move finished files into place themselves. */
void syncFolder (const std::string& folder);

/** Writes `contents` to `path` through an AtomicFile. False with `error` set (naming the path). */
bool writeFileAtomically (const std::string& path, const std::string& contents, std::string& error);

} // namespace crest::engine
