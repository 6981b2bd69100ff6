#include "engine/AtomicFile.h"

#include <juce_core/juce_core.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#if defined(_WIN32)
#include <fcntl.h>
#include <io.h>
#include <process.h>
#else
#include <csignal>
#include <fcntl.h>
#include <unistd.h>
#endif

namespace crest::engine
{
namespace
{
    namespace fs = std::filesystem;

    int processId()
    {
#if defined(_WIN32)
        return _getpid();
#else
        return (int) ::getpid();
#endif
    }

    // Exclusive creation: an existing file of that name (another writer's, or one a crash left)
    // is never opened, truncated or later removed by us.
    std::FILE* createExclusively (const std::string& path)
    {
#if defined(_WIN32)
        return _wfopen (fs::u8path (path).c_str(), L"wbx");
#else
        const int fd = ::open (path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0)
            return nullptr;
        if (auto* f = ::fdopen (fd, "wb"))
            return f;
        const int saved = errno;
        ::close (fd);
        ::unlink (path.c_str());
        errno = saved;
        return nullptr;
#endif
    }

    bool syncToDisk (std::FILE* f)
    {
#if defined(_WIN32)
        return _commit (_fileno (f)) == 0;
#else
        return ::fsync (::fileno (f)) == 0;
#endif
    }

    /** ".<name>.crest-partial-": what every partial file of `target` starts with. A long name
        is cut so that the whole partial name (with the process id and counter, at most 21
        bytes more) stays within a file name's 255 bytes: a target name the file system
        accepts must never fail because of its partial file's name. */
    std::string partialPrefix (const fs::path& target)
    {
        constexpr size_t idAndCounter = 21;
        const auto marker = std::string (AtomicFile::partialMarker);
        auto name = target.filename().u8string();
        name.resize (std::min (name.size(), 255 - idAndCounter - marker.size() - 1));
        return "." + name + marker;
    }

    /** Removes the partial files of `target` whose writers have ended (see the design note). */
    void sweepAbandonedPartials (const fs::path& target)
    {
        const auto prefix = partialPrefix (target);
        const auto folder = target.has_parent_path() ? target.parent_path() : fs::path (".");
        std::error_code ec;
        std::vector<fs::path> abandoned;
        for (auto it = fs::directory_iterator (folder, ec); ! ec && it != fs::directory_iterator(); it.increment (ec))
        {
            const auto name = it->path().filename().u8string();
            if (name.rfind (prefix, 0) != 0)
                continue;
            const int pid = std::atoi (name.c_str() + prefix.size());
            if (pid > 0 && pid != processId() && processHasEnded (pid))
                abandoned.push_back (it->path());
        }
        for (const auto& path : abandoned)
            fs::remove (path, ec);
    }

    /** The folders registered by DeferredSync, each with its kind. */
    struct DeferredFolders
    {
        std::mutex mutex;
        std::vector<std::pair<fs::path, DeferredSync::Kind>> folders;
    };

    DeferredFolders& deferredFolders()
    {
        static DeferredFolders registry;
        return registry;
    }

    /** The kind of the innermost registered folder holding `target`; empty: sync now. */
    std::optional<DeferredSync::Kind> deferredKind (const std::string& target)
    {
        auto& registry = deferredFolders();
        const std::lock_guard<std::mutex> lock (registry.mutex);
        if (registry.folders.empty())
            return std::nullopt;
        std::error_code ec;
        const auto path = fs::absolute (fs::u8path (target), ec).lexically_normal(); // writers may hold either form
        std::optional<DeferredSync::Kind> kind;
        size_t depth = 0;
        for (const auto& [folder, k] : registry.folders)
        {
            const auto inside = std::mismatch (folder.begin(), folder.end(), path.begin(), path.end());
            const auto parts = (size_t) std::distance (folder.begin(), folder.end());
            if (inside.first == folder.end() && parts >= depth)
            {
                kind = k;
                depth = parts;
            }
        }
        return kind;
    }

    /** Starts writing a file's dirty pages to disk without waiting for them (Linux). */
    void startWriteback (std::FILE* f)
    {
#if defined(__linux__)
        ::sync_file_range (::fileno (f), 0, 0, SYNC_FILE_RANGE_WRITE);
#else
        (void) f;
#endif
    }

    // The partial files of one process are told apart by a counter, so two files written at
    // once to the same target (or a DDP folder's several files) never collide.
    std::atomic<unsigned> partialCounter { 0 };

    class PartialFileStream final : public juce::OutputStream
    {
    public:
        explicit PartialFileStream (AtomicFile& f) : file (f) { }

        // AtomicFile::commit() flushes and syncs; flushing earlier would only cost time.
        void flush() override { }
        bool setPosition (juce::int64 newPosition) override { return file.seek (newPosition); }
        juce::int64 getPosition() override { return file.position(); }
        bool write (const void* data, size_t numBytes) override { return file.write (data, numBytes); }

    private:
        AtomicFile& file;
    };
} // namespace

AtomicFile::AtomicFile (std::string targetPath) : target (std::move (targetPath))
{
    const fs::path path = fs::u8path (target);
    sweepAbandonedPartials (path);
    const auto name = partialPrefix (path) + std::to_string (processId()) + "-";
    errno = 0;
    for (int attempt = 0; attempt < 100 && file == nullptr; ++attempt)
    {
        const auto candidate = (path.parent_path() / fs::u8path (name + std::to_string (++partialCounter))).u8string();
        file = createExclusively (candidate);
        if (file != nullptr)
            partial = candidate;
        else if (errno != EEXIST)
            break;
    }
    if (file == nullptr)
        fail (errno);
}

AtomicFile::~AtomicFile()
{
    if (! committed)
        discard();
}

void AtomicFile::discard()
{
    if (file != nullptr)
        std::fclose (file);
    file = nullptr;
    if (! partial.empty())
        std::remove (partial.c_str());
    partial.clear();
}

void AtomicFile::fail (int errorNumber)
{
    if (! errorText.empty())
        return; // the first failure is the one worth reporting
    const std::string why = errorNumber != 0 ? std::strerror (errorNumber) : "unknown error";
    errorText = "cannot write " + target + ": " + why;
    reasonText = "cannot write: " + why;
}

bool AtomicFile::write (const void* data, size_t numBytes)
{
    if (! isOpen())
        return false;
    if (numBytes > 0 && std::fwrite (data, 1, numBytes, file) != numBytes)
    {
        fail (errno);
        return false;
    }
    return true;
}

bool AtomicFile::seek (int64_t newPosition)
{
    if (! isOpen())
        return false;
#if defined(_WIN32)
    const bool moved = _fseeki64 (file, newPosition, SEEK_SET) == 0;
#else
    const bool moved = ::fseeko (file, (off_t) newPosition, SEEK_SET) == 0;
#endif
    if (! moved)
        fail (errno);
    return moved;
}

int64_t AtomicFile::position() const
{
    if (file == nullptr)
        return -1;
#if defined(_WIN32)
    return (int64_t) _ftelli64 (file);
#else
    return (int64_t) ::ftello (file);
#endif
}

bool AtomicFile::commit()
{
    if (committed)
        return true;
    if (! isOpen())
    {
        if (errorText.empty())
            fail (EBADF);
        discard();
        return false;
    }

    errno = 0;
    const auto deferred = deferredKind (target);
    const bool flushed = std::fflush (file) == 0 && std::ferror (file) == 0;
    if (! flushed)
        fail (errno);
    else if (! deferred)
    {
        if (! syncToDisk (file))
            fail (errno);
    }
    else if (*deferred == DeferredSync::Kind::later)
        startWriteback (file);
    const bool closed = std::fclose (file) == 0;
    file = nullptr;
    if (! closed)
        fail (errno);
    if (! errorText.empty())
    {
        discard();
        return false;
    }

    std::error_code ec;
    fs::rename (fs::u8path (partial), fs::u8path (target), ec);
    if (ec)
    {
        const auto why = ec.message();
        errorText = "cannot put the finished file in place as " + target + ": " + why;
        reasonText = "cannot put the finished file in place: " + why;
        discard();
        return false;
    }
    committed = true;
    if (! deferred)
        syncFolder (fs::u8path (target).parent_path().string());
    return true;
}

std::unique_ptr<juce::OutputStream> AtomicFile::createOutputStream()
{
    return std::make_unique<PartialFileStream> (*this);
}

bool writeFileAtomically (const std::string& path, const std::string& contents, std::string& error)
{
    AtomicFile file (path);
    if (file.write (contents.data(), contents.size()) && file.commit())
        return true;
    error = file.error();
    return false;
}

DeferredSync::DeferredSync (std::string f, Kind kind) : folder (std::move (f))
{
    auto& registry = deferredFolders();
    const std::lock_guard<std::mutex> lock (registry.mutex);
    std::error_code ec;
    folder = fs::absolute (fs::u8path (folder), ec).lexically_normal().u8string();
    registry.folders.emplace_back (fs::u8path (folder), kind);
}

DeferredSync::~DeferredSync()
{
    auto& registry = deferredFolders();
    const std::lock_guard<std::mutex> lock (registry.mutex);
    const auto mine = fs::u8path (folder);
    const auto it = std::find_if (
        registry.folders.begin(), registry.folders.end(), [&mine] (const auto& entry) { return entry.first == mine; });
    if (it != registry.folders.end())
        registry.folders.erase (it);
}

bool syncFile (const std::string& path)
{
#if defined(_WIN32)
    const int fd = _wopen (fs::u8path (path).c_str(), _O_RDWR | _O_BINARY); // _commit needs write access
    if (fd < 0)
        return false;
    const bool ok = _commit (fd) == 0;
    _close (fd);
    return ok;
#else
    const int fd = ::open (path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    const bool ok = ::fsync (fd) == 0;
    ::close (fd);
    return ok;
#endif
}

bool processHasEnded (int processId)
{
#if defined(_WIN32)
    (void) processId;
    return false;
#else
    return processId > 0 && ::kill ((pid_t) processId, 0) != 0 && errno == ESRCH;
#endif
}

void syncFolder (const std::string& folder)
{
    // After a rename the new name lives in the folder's entry: without syncing the folder a
    // power cut can bring back the old file (or none). Windows has no equivalent to call.
#if ! defined(_WIN32)
    const int fd = ::open (folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0)
    {
        ::fsync (fd);
        ::close (fd);
    }
#else
    (void) folder;
#endif
}

} // namespace crest::engine
