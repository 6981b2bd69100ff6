#include "engine/ContainedPath.h"

namespace crest::engine
{

namespace
{
    /** A name as a message can show it: shortened, control characters as '?'. */
    std::string shown (const std::string& name, size_t limit)
    {
        auto text = name.substr (0, limit);
        for (auto& ch : text)
            if ((unsigned char) ch < 0x20 || ch == 0x7f)
                ch = '?';
        return text + (name.size() > limit ? "..." : "");
    }
} // namespace

std::string fileNameProblem (const std::string& name)
{
    if (name.empty())
        return "it is empty";
    if (name == "." || name == "..")
        return "it is '" + name + "', which names a folder, not a file in it";
    if (name.size() > maxFileNameBytes)
        return "it is " + std::to_string (name.size()) + " bytes long, over the " + std::to_string (maxFileNameBytes)
               + " a file name may have";
    for (const char ch : name)
    {
        const auto c = (unsigned char) ch;
        if (c == '/' || c == '\\')
            return "it contains a folder separator ('" + std::string (1, ch) + "')";
        if (c < 0x20 || c == 0x7f)
            return "it contains a control character";
    }
    // "C:" (a Windows drive) would make the rest of the path absolute there.
    if (name.size() >= 2 && name[1] == ':' && ((name[0] >= 'A' && name[0] <= 'Z') || (name[0] >= 'a' && name[0] <= 'z')))
        return "it starts with a drive letter";
    return {};
}

std::optional<std::filesystem::path> containedPath (const std::filesystem::path& folder, const std::string& relative, std::string& error)
{
    const auto refuse = [&] (const std::string& why) -> std::optional<std::filesystem::path>
    {
        error = "'" + shown (relative, 80) + "' is refused as a file inside " + folder.string() + ": " + why;
        return std::nullopt;
    };

    if (relative.empty())
        return refuse ("the name is empty");
    if (relative.front() == '/' || relative.front() == '\\')
        return refuse ("it is an absolute path");
    if (relative.size() > maxRelativePathBytes)
        return refuse ("it is " + std::to_string (relative.size()) + " bytes long, over the " + std::to_string (maxRelativePathBytes)
                       + " Crest allows below a folder");

    std::filesystem::path path = folder;
    for (size_t start = 0;;)
    {
        const auto end = relative.find ('/', start);
        const auto part = relative.substr (start, end == std::string::npos ? std::string::npos : end - start);
        if (const auto why = fileNameProblem (part); ! why.empty())
            return refuse ("a part of it ('" + shown (part, 40) + "') is not a plain file name: " + why);
        path /= std::filesystem::u8path (part);
        if (end == std::string::npos)
            break;
        start = end + 1;
    }
    return path;
}

} // namespace crest::engine
