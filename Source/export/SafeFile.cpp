#include "export/SafeFile.h"

#include <cerrno>
#include <cstring>

namespace crest::delivery
{

SafeFile::SafeFile (std::string path)
    : finalPath (std::move (path)),
      partialPath (finalPath + ".crest-partial")
{
    file = std::fopen (partialPath.c_str(), "wb");
    if (file == nullptr)
        errorText = finalPath + ": cannot be written (" + std::strerror (errno) + ")";
}

SafeFile::~SafeFile()
{
    if (file != nullptr)
        std::fclose (file);
    if (! committed)
        std::remove (partialPath.c_str());
}

bool SafeFile::write (const void* data, size_t numBytes)
{
    if (file == nullptr)
        return false;
    if (std::fwrite (data, 1, numBytes, file) != numBytes)
    {
        errorText = finalPath + ": writing failed (" + std::strerror (errno) + ")";
        return false;
    }
    return true;
}

bool SafeFile::commit()
{
    if (file == nullptr)
        return false;
    const bool closed = std::fclose (file) == 0;
    file = nullptr;
    if (! closed)
    {
        errorText = finalPath + ": writing failed when closing (" + std::strerror (errno) + ")";
        return false;
    }
    if (std::rename (partialPath.c_str(), finalPath.c_str()) != 0)
    {
        errorText = finalPath + ": cannot be put in place (" + std::strerror (errno) + ")";
        return false;
    }
    committed = true;
    return true;
}

bool writeFileAtomically (const std::string& path, const std::string& contents, std::string& error)
{
    SafeFile file (path);
    if (! file.write (contents.data(), contents.size()) || ! file.commit())
    {
        error = file.error();
        return false;
    }
    return true;
}

} // namespace crest::delivery
