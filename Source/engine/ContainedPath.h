#pragma once

// Names that come from files (a DDP image's stream names, track titles made into file names,
// vinyl side names, checksum lists) turned into paths inside a folder the user named.
//
// Design note: Crest opens files from strangers. A name read from one of them must never make
// Crest write (or read) outside the folder the user chose: not through "..", not through an
// absolute path, not through a separator hidden in a name, and not through a name too long for
// the file system (which would fail later, half-way through a release, with a vague message).
// Every such name goes through containedPath() before it becomes a path; it refuses with a
// sentence saying which name and why, and never rewrites the name into something else.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

namespace crest::engine
{

/** The longest single file name Crest writes or follows, in bytes (NAME_MAX on Linux and macOS;
    ext4, XFS, APFS and NTFS all stop at 255). */
constexpr std::size_t maxFileNameBytes = 255;

/** The longest relative path (below the user's folder) Crest builds from names in files. */
constexpr std::size_t maxRelativePathBytes = 1024;

/** Why `name` cannot be one plain file name inside a folder ("it is '..'", "it contains a
    separator", ...), or an empty string when it can. */
std::string fileNameProblem (const std::string& name);

/** `folder / relative` when `relative` is a relative path made only of plain file names joined
    by '/' (so it stays inside `folder`); otherwise nothing, with `error` naming `relative`,
    the folder and the rule it breaks. */
std::optional<std::filesystem::path> containedPath (const std::filesystem::path& folder, const std::string& relative, std::string& error);

} // namespace crest::engine
