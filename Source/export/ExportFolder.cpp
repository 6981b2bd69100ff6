#include "export/ExportFolder.h"

#include "engine/AtomicFile.h"
#include "engine/ContainedPath.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <system_error>
#include <unistd.h>

namespace crest::delivery
{
namespace fs = std::filesystem;

std::unique_ptr<ExportFolder> ExportFolder::open (const fs::path& destination, std::string& error)
{
    std::error_code ec;
    std::unique_ptr<ExportFolder> folder (new ExportFolder());
    folder->finalFolder = destination;

    if (fs::exists (destination, ec))
    {
        if (! fs::is_directory (destination, ec))
        {
            error = destination.string() + ": exists and is not a folder";
            return nullptr;
        }
    }
    else
    {
        if (! fs::create_directories (destination, ec))
        {
            error = destination.string() + ": cannot create the folder (" + ec.message() + ")";
            return nullptr;
        }
        folder->createdDestination = true;
    }

    // The staging folders of exports that were killed (their process has ended) go first.
    const std::string stagingPrefix = ".crest-export-";
    std::vector<fs::path> abandoned;
    for (auto it = fs::directory_iterator (destination, ec); ! ec && it != fs::directory_iterator(); it.increment (ec))
    {
        const auto name = it->path().filename().string();
        if (name.rfind (stagingPrefix, 0) == 0 && engine::processHasEnded (std::atoi (name.c_str() + stagingPrefix.size())))
            abandoned.push_back (it->path());
    }
    for (const auto& path : abandoned)
        fs::remove_all (path, ec);

    folder->stagingFolder = destination / (stagingPrefix + std::to_string (::getpid()));
    fs::remove_all (folder->stagingFolder, ec);
    if (! fs::create_directory (folder->stagingFolder, ec))
    {
        error = destination.string() + ": cannot write in this folder (" + ec.message() + ")";
        return nullptr; // the destructor removes a destination we created
    }
    folder->deferredSync = std::make_unique<engine::DeferredSync> (folder->stagingFolder.string(), engine::DeferredSync::Kind::later);
    return folder;
}

ExportFolder::~ExportFolder()
{
    std::error_code ec;
    if (! stagingFolder.empty())
        fs::remove_all (stagingFolder, ec);
    if (! committed && createdDestination)
        fs::remove_all (finalFolder, ec);
}

fs::path ExportFolder::stage (const std::string& relativePath, std::string& error)
{
    // Checked against the destination the user named (the staging folder mirrors it).
    if (! engine::containedPath (finalFolder, relativePath, error))
    {
        error = "export: " + error;
        return {};
    }
    const auto path = stagingFolder / fs::u8path (relativePath);
    std::error_code ec;
    fs::create_directories (path.parent_path(), ec);
    staged.push_back (relativePath);
    return path;
}

bool ExportFolder::commit (std::string& error)
{
    // Every file under the staging folder moves, including those a writer put there itself
    // (a DDP image is a folder of files).
    std::error_code ec;
    std::vector<fs::path> files;
    for (auto it = fs::recursive_directory_iterator (stagingFolder, ec); ! ec && it != fs::recursive_directory_iterator(); it.increment (ec))
        if (it->is_regular_file())
            files.push_back (it->path());

    // Durable before they are moved: the writers only started their writes (DeferredSync).
    for (const auto& from : files)
        if (! engine::syncFile (from.string()))
        {
            error = from.string() + ": cannot write the file to disk (" + std::strerror (errno) + ")";
            return false;
        }

    std::vector<fs::path> folders;
    for (const auto& from : files)
    {
        const auto to = finalFolder / fs::relative (from, stagingFolder);
        fs::create_directories (to.parent_path(), ec);
        fs::rename (from, to, ec);
        if (ec)
        {
            error = to.string() + ": cannot move the finished file into place (" + ec.message() + ")";
            return false;
        }
        if (std::find (folders.begin(), folders.end(), to.parent_path()) == folders.end())
            folders.push_back (to.parent_path());
    }
    // The renames are only durable once the folders that received them are synced.
    for (const auto& folder : folders)
        engine::syncFolder (folder.string());
    if (! folders.empty())
        engine::syncFolder (finalFolder.parent_path().string());
    committed = true;
    return true;
}

} // namespace crest::delivery
