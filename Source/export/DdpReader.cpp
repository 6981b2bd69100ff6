#include "export/DdpReader.h"

#include "export/CdText.h"
#include "export/DdpImage.h"
#include "export/Md5.h"
#include "engine/ContainedPath.h"
#include "engine/FileKind.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace crest::delivery
{

namespace
{
    namespace fs = std::filesystem;

    bool readWhole (const fs::path& path, std::string& contents, std::string& error)
    {
        if (const auto problem = engine::fileKindProblem (path.string()); ! problem.empty() && problem != "no such file")
        {
            error = path.filename().string() + ": " + problem; // a FIFO or a device would hang the read
            return false;
        }
        std::ifstream in (path, std::ios::binary);
        if (! in)
        {
            error = path.filename().string() + " is missing or unreadable";
            return false;
        }
        std::ostringstream s;
        s << in.rdbuf();
        contents = s.str();
        return true;
    }

    /** A file the image names (in DDPMS or CHECKSUM.MD5), inside its folder and nowhere else. */
    std::optional<fs::path> fileInImage (const fs::path& dir, const std::string& name, const std::string& namedBy, std::string& error)
    {
        auto path = engine::containedPath (dir, name, error);
        if (! path)
            error = namedBy + ": " + error + " (Crest reads nothing outside the image)";
        return path;
    }

    std::string trimmed (const std::string& s)
    {
        const auto b = s.find_first_not_of (' ');
        if (b == std::string::npos)
            return {};
        return s.substr (b, s.find_last_not_of (' ') - b + 1);
    }

    /** A decimal field; blank gives `blank`; anything else that is not digits fails. */
    bool numberField (const std::string& packet, size_t offset, size_t length, int64_t blank, int64_t& value)
    {
        const auto f = trimmed (packet.substr (offset, length));
        if (f.empty())
        {
            value = blank;
            return true;
        }
        if (! std::all_of (f.begin(), f.end(), [] (char c) { return c >= '0' && c <= '9'; }))
            return false;
        value = std::stoll (f);
        return true;
    }
} // namespace

std::optional<DdpImage> readDdpImage (const std::string& directory, std::string& error)
{
    DdpImage image;
    image.directory = directory;
    const fs::path dir (directory);
    if (! fs::is_directory (dir))
    {
        error = directory + " is not a folder";
        return std::nullopt;
    }

    std::string id;
    if (! readWhole (dir / ddpFiles::id, id, error))
        return std::nullopt;
    if (id.size() < 128 || id.compare (0, 5, "DDP 2") != 0)
    {
        error = std::string (ddpFiles::id) + " is not a DDP 2 identifier (it must be 128 bytes starting \"DDP 2.00\")";
        return std::nullopt;
    }
    image.level = id.substr (0, 8);
    image.layout.upc = trimmed (id.substr (8, 13));
    image.layout.catalogueNumber = trimmed (id.substr (38, 48));

    std::string map;
    if (! readWhole (dir / ddpFiles::map, map, error))
        return std::nullopt;
    if (map.empty() || map.size() % 128 != 0)
    {
        error = std::string (ddpFiles::map) + " is " + std::to_string (map.size()) + " bytes, not a whole number of 128-byte map packets";
        return std::nullopt;
    }
    std::string pqName, textName;
    for (size_t offset = 0; offset < map.size(); offset += 128)
    {
        const auto packet = map.substr (offset, 128);
        const auto where = std::string (ddpFiles::map) + " packet " + std::to_string (offset / 128 + 1);
        if (packet.compare (0, 4, "VVVM") != 0)
        {
            error = where + " does not start with VVVM";
            return std::nullopt;
        }
        int64_t siz = 0, fileOffset = 0;
        if (! numberField (packet, 71, 3, 17, siz) || siz < 1 || siz > 17)
        {
            error = where + " has a bad data stream identifier size";
            return std::nullopt;
        }
        const auto name = trimmed (packet.substr (74, (size_t) siz));
        const auto type = packet.substr (4, 2);
        const auto sub = trimmed (packet.substr (30, 8));
        if (type == "D0")
        {
            int64_t dss = 0;
            if (! numberField (packet, 22, 8, 0, dss) || ! numberField (packet, 104, 9, 0, fileOffset))
            {
                error = where + " has a bad stream start or file offset";
                return std::nullopt;
            }
            if (! image.audioFile.empty())
            {
                error = where + ": Crest reads images with one main data stream; this one has several";
                return std::nullopt;
            }
            const auto audio = fileInImage (dir, name, where, error);
            if (! audio)
                return std::nullopt;
            image.audioFile = audio->string();
            image.audioOffsetBytes = fileOffset - dss * cdSectorBytes;
        }
        else if (type == "S0" && (sub == "PQ DESCR" || sub == "CDTEXT"))
        {
            if (! fileInImage (dir, name, where, error))
                return std::nullopt;
            (sub == "CDTEXT" ? textName : pqName) = name;
        }
    }
    if (image.audioFile.empty() || pqName.empty())
    {
        error = std::string (ddpFiles::map) + " names no " + (image.audioFile.empty() ? "main audio stream (D0)" : "PQ DESCR subcode stream");
        return std::nullopt;
    }

    std::string pq;
    if (! readWhole (dir / pqName, pq, error))
        return std::nullopt;
    if (pq.empty() || pq.size() % 64 != 0)
    {
        error = pqName + " is " + std::to_string (pq.size()) + " bytes, not a whole number of 64-byte PQ packets";
        return std::nullopt;
    }

    bool leadOut = false;
    int64_t previousFrame = -1;
    for (size_t offset = 0; offset < pq.size(); offset += 64)
    {
        const auto packet = pq.substr (offset, 64);
        const auto where = pqName + " entry " + std::to_string (offset / 64 + 1);
        if (packet.compare (0, 4, "VVVS") != 0)
        {
            error = where + " does not start with VVVS";
            return std::nullopt;
        }
        int64_t index = 0, h = 0, m = 0, s = 0, f = 0;
        if (! numberField (packet, 6, 2, 1, index) || ! numberField (packet, 8, 2, 0, h) || ! numberField (packet, 10, 2, 0, m)
            || ! numberField (packet, 12, 2, 0, s) || ! numberField (packet, 14, 2, 0, f) || m > 59 || s > 59 || f > 74)
        {
            error = where + " has a bad index or time";
            return std::nullopt;
        }
        const int64_t frame = ((h * 60 + m) * 60 + s) * 75 + f;
        const auto track = packet.substr (4, 2);
        const auto control = packet.substr (16, 1);
        const auto isrc = trimmed (packet.substr (20, 12));
        const auto upc = trimmed (packet.substr (32, 13));
        if (! upc.empty() && image.layout.upc.empty())
            image.layout.upc = upc;
        if (frame < previousFrame)
        {
            error = where + " goes back in time (" + track + " at frame " + std::to_string (frame) + ")";
            return std::nullopt;
        }
        previousFrame = frame;

        if (track == "00")
            continue;
        if (track == "AA")
        {
            image.layout.totalFrames = frame;
            leadOut = true;
            break;
        }
        int64_t number = 0;
        if (! numberField (packet, 4, 2, -1, number) || number < 1)
        {
            error = where + " has a bad track number \"" + track + "\"";
            return std::nullopt;
        }
        auto& tracks = image.layout.tracks;
        if (tracks.empty() || tracks.back().number != (int) number)
        {
            album::CdTrack t;
            t.number = (int) number;
            t.pregapFrame = t.startFrame = frame;
            // One hex digit, or blank; anything else is refused (std::stoi threw on it: found by fuzzing).
            const auto c = control.empty() ? ' ' : control[0];
            const int nibble = c == ' ' ? 0 : (c >= '0' && c <= '9') ? c - '0' : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
            if (nibble < 0)
            {
                error = where + " has a bad control field (not a hexadecimal digit)";
                return std::nullopt;
            }
            t.preEmphasis = (nibble & 1) != 0;
            t.copyPermitted = (nibble & 2) != 0;
            if (! tracks.empty())
                tracks.back().endFrame = frame;
            tracks.push_back (t);
        }
        auto& t = tracks.back();
        if (t.isrc.empty())
            t.isrc = isrc;
        if (index == 1)
            t.startFrame = frame;
        else if (index >= 2)
            t.indexFrames.push_back (frame);
    }
    if (! leadOut || image.layout.tracks.empty())
    {
        error = pqName + (leadOut ? " lists no tracks" : " has no lead-out entry (track AA): it is truncated or damaged");
        return std::nullopt;
    }
    image.layout.tracks.back().endFrame = image.layout.totalFrames;

    if (! textName.empty())
    {
        std::string packs;
        if (! readWhole (dir / textName, packs, error))
            return std::nullopt;
        std::string textError;
        if (! unpackCdText (std::vector<uint8_t> (packs.begin(), packs.end()), image.layout, textError))
        {
            error = textName + ": " + textError;
            return std::nullopt;
        }
        image.hasCdText = true;
    }
    return image;
}

std::vector<std::string> verifyDdpImage (const std::string& directory, std::optional<DdpImage>& image)
{
    std::vector<std::string> problems;
    std::string error;
    image = readDdpImage (directory, error);
    if (! image)
        problems.push_back (error);
    else
    {
        std::error_code ec;
        const auto size = (int64_t) fs::file_size (image->audioFile, ec);
        const int64_t needed = image->audioOffsetBytes + image->layout.totalFrames * cdSectorBytes;
        if (ec)
            problems.push_back (fs::path (image->audioFile).filename().string() + " is missing or unreadable");
        else if (size != needed)
            problems.push_back (fs::path (image->audioFile).filename().string() + " is " + std::to_string (size)
                                + " bytes but the lead-out needs " + std::to_string (needed) + " (" + std::to_string (needed / cdSectorBytes)
                                + " sectors)");
    }

    std::string sums;
    std::string readError;
    if (! readWhole (fs::path (directory) / ddpFiles::checksums, sums, readError))
    {
        problems.push_back (std::string (ddpFiles::checksums) + " is missing: the files cannot be proved intact");
        return problems;
    }
    std::istringstream lines (sums);
    int listed = 0;
    for (std::string line; std::getline (lines, line);)
    {
        if (line.empty())
            continue;
        const auto gap = line.find ("  ");
        if (gap != 32)
        {
            problems.push_back (std::string (ddpFiles::checksums) + " has a line that is not \"<md5>  <file>\": " + line);
            continue;
        }
        ++listed;
        const auto expected = line.substr (0, 32);
        const auto name = line.substr (34);
        std::string nameError;
        if (! fileInImage (directory, name, ddpFiles::checksums, nameError))
        {
            problems.push_back (nameError);
            continue;
        }
        std::string md5Error;
        const auto actual = Md5::ofFile ((fs::path (directory) / name).string(), md5Error);
        if (actual.empty())
            problems.push_back (name + " is listed in " + ddpFiles::checksums + " but " + md5Error);
        else if (actual != expected)
            problems.push_back (name + " does not match its MD5 checksum (the file is damaged or was changed)");
    }
    if (listed == 0)
        problems.push_back (std::string (ddpFiles::checksums) + " lists no files");
    return problems;
}

DdpAudio::DdpAudio (const DdpImage& image, int64_t startFrame, int64_t endFrame)
    : length (album::CdLayout::samples (std::max<int64_t> (0, endFrame - startFrame)))
{
    if (const auto problem = engine::fileKindProblem (image.audioFile); ! problem.empty())
    {
        errorText = image.audioFile + ": " + problem;
        return;
    }
    file = std::fopen (image.audioFile.c_str(), "rb");
    if (file == nullptr)
    {
        errorText = image.audioFile + " cannot be opened";
        return;
    }
    if (std::fseek (file, (long) (image.audioOffsetBytes + startFrame * cdSectorBytes), SEEK_SET) != 0)
        errorText = image.audioFile + " is shorter than its layout";
}

DdpAudio::~DdpAudio()
{
    if (file != nullptr)
        std::fclose (file);
}

int DdpAudio::read (float* const* destination, int numSamples)
{
    if (file == nullptr || ! errorText.empty())
        return -1;
    numSamples = (int) std::min<int64_t> (numSamples, length - position);
    if (numSamples <= 0)
        return 0;
    bytes.resize ((size_t) numSamples * 4);
    if (std::fread (bytes.data(), 4, (size_t) numSamples, file) != (size_t) numSamples)
    {
        errorText = "the image's audio ends early (truncated)";
        return -1;
    }
    for (int i = 0; i < numSamples; ++i)
        for (int c = 0; c < 2; ++c)
        {
            const auto v = (int16_t) (uint16_t) (bytes[(size_t) i * 4 + (size_t) c * 2] | (bytes[(size_t) i * 4 + (size_t) c * 2 + 1] << 8));
            destination[c][i] = (float) v / 32768.0f;
        }
    position += numSamples;
    return numSamples;
}

} // namespace crest::delivery
