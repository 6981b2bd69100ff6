#pragma once

// What the fuzz targets share: a private scratch folder for the files a reader must open by
// path, and the container that packs a DDP image's several files into one fuzz input.
//
// Design note: Crest's readers take paths (a stranger's file arrives as a file), so each target
// writes the fuzzer's bytes to a file in a scratch folder (in /dev/shm when there: no disk I/O)
// and reads it back through the same call the program makes. A DDP image is a folder, so its
// fuzz input is a list of (name, bytes) packed as: name, NUL, 4-byte little-endian size, bytes.

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <unistd.h>
#include <utility>
#include <vector>

namespace crest::fuzz
{

/** A folder of this process's own, created on first use. */
inline const std::string& scratchFolder()
{
    static const std::string folder = [] {
        const std::string base = std::filesystem::is_directory ("/dev/shm") ? "/dev/shm" : std::filesystem::temp_directory_path().string();
        const auto path = base + "/crest-fuzz-" + std::to_string (::getpid());
        std::filesystem::create_directories (path);
        return path;
    }();
    return folder;
}

/** Writes `size` bytes to `path` (replacing it). */
inline void writeFile (const std::string& path, const uint8_t* data, size_t size)
{
    if (std::FILE* f = std::fopen (path.c_str(), "wb"))
    {
        if (size > 0)
            std::fwrite (data, 1, size, f);
        std::fclose (f);
    }
}

using NamedFiles = std::vector<std::pair<std::string, std::string>>;

/** Packs files into one fuzz input (see the design note). */
inline std::string packFiles (const NamedFiles& files)
{
    std::string out;
    for (const auto& [name, bytes] : files)
    {
        out += name;
        out += '\0';
        const auto n = (uint32_t) bytes.size();
        for (int i = 0; i < 4; ++i)
            out += (char) ((n >> (8 * i)) & 0xff);
        out += bytes;
    }
    return out;
}

/** Unpacks a fuzz input; a truncated last entry keeps what there is. */
inline NamedFiles unpackFiles (const uint8_t* data, size_t size)
{
    NamedFiles files;
    size_t at = 0;
    while (at < size && files.size() < 16)
    {
        std::string name;
        while (at < size && data[at] != 0 && name.size() < 64)
            name += (char) data[at++];
        ++at; // the NUL
        uint32_t n = 0;
        for (int i = 0; i < 4 && at < size; ++i)
            n |= (uint32_t) data[at++] << (8 * i);
        const auto take = std::min<size_t> (n, at < size ? size - at : 0);
        files.emplace_back (name, std::string ((const char*) data + std::min (at, size), take));
        at += take;
    }
    return files;
}

} // namespace crest::fuzz
