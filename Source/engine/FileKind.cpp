#include "engine/FileKind.h"

#include <filesystem>
#include <system_error>

namespace crest::engine
{

std::string fileKindProblem (const std::string& path)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    const auto status = fs::status (fs::u8path (path), ec);
    switch (status.type())
    {
        case fs::file_type::regular:
            return {};
        case fs::file_type::directory:
            return "it is a directory, not a file";
        case fs::file_type::fifo:
            return "it is a FIFO (named pipe), not a file";
        case fs::file_type::block:
        case fs::file_type::character:
            return "it is a device, not a file";
        case fs::file_type::socket:
            return "it is a socket, not a file";
        case fs::file_type::not_found:
            return "no such file";
        default:
            break;
    }
    return ec ? "it cannot be examined (" + ec.message() + ")" : "it is not a regular file";
}

} // namespace crest::engine
