#pragma once

// Files that appear whole or not at all: written under a temporary name beside the target and
// renamed into place only when complete, so an error or a cancel never leaves half a file.

#include <cstdio>
#include <string>

namespace crest::delivery
{

/** A binary file being written under "<path>.crest-partial"; commit() renames it to `path`.
    Destroyed without commit(), it removes the partial file. */
class SafeFile
{
public:
    /** Opens the temporary file; check isOpen() and error(). */
    explicit SafeFile (std::string path);
    ~SafeFile();

    SafeFile (const SafeFile&) = delete;
    SafeFile& operator= (const SafeFile&) = delete;

    /** True when the temporary file could be created. */
    bool isOpen() const noexcept { return file != nullptr; }

    /** Appends bytes; false (with error() set) when the disk refuses. */
    bool write (const void* data, size_t numBytes);

    /** Closes and renames into place; false (with error() set) on failure. */
    bool commit();

    /** Why the last operation failed. */
    const std::string& error() const noexcept { return errorText; }

private:
    std::string finalPath, partialPath, errorText;
    std::FILE* file = nullptr;
    bool committed = false;
};

/** Writes a whole file through a SafeFile. Returns false with `error` set (naming the path). */
bool writeFileAtomically (const std::string& path, const std::string& contents, std::string& error);

} // namespace crest::delivery
