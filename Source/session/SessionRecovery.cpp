#include "session/SessionRecovery.h"

#include "engine/AtomicFile.h"
#include "session/SessionFile.h"

#include <juce_core/juce_core.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace crest::session
{
namespace
{
    namespace fs = std::filesystem;
    using Json = nlohmann::ordered_json;

    constexpr int recoveryVersion = 1;
    constexpr const char* suffix = ".crest-recovery";

    std::string folderOf (const std::string& sessionPath)
    {
        return sessionPath.empty() ? std::string() : fs::path (sessionPath).parent_path().string();
    }

    bool writableFolder (const std::string& folder)
    {
        return ! folder.empty() && juce::File (folder).isDirectory() && juce::File (folder).hasWriteAccess();
    }

    /** The data-folder name for a session whose own folder cannot take the file. */
    std::string hashedName (const std::string& sessionPath)
    {
        return "recovery-" + juce::String::toHexString (juce::String (sessionPath).hashCode64()).toStdString() + suffix;
    }

    std::string readText (const std::string& path, bool& ok)
    {
        std::ifstream in (path, std::ios::binary);
        std::stringstream buffer;
        buffer << in.rdbuf();
        ok = (bool) in || in.eof();
        return buffer.str();
    }

    // ---- differences ------------------------------------------------------------------------

    std::string shortValue (const Json& j)
    {
        auto text = j.is_string() ? "\"" + j.get<std::string>() + "\"" : j.dump();
        if (text.size() > 48)
            text = text.substr (0, 45) + "...";
        return text;
    }

    std::string trackLabel (const Json& track, size_t index)
    {
        auto label = "track " + std::to_string (index + 1);
        if (track.is_object() && track.contains ("title") && track["title"].is_string())
            label += " (" + track["title"].get<std::string>() + ")";
        return label;
    }

    struct Differ
    {
        std::vector<std::string> lines;

        void value (const std::string& where, const Json& before, const Json& after)
        {
            if (before == after)
                return;
            if (before.is_object() && after.is_object())
            {
                object (where, before, after);
                return;
            }
            lines.push_back (where + ": " + (before.is_null() ? "(none)" : shortValue (before)) + " -> "
                + (after.is_null() ? "(none)" : shortValue (after)));
        }

        void object (const std::string& where, const Json& before, const Json& after)
        {
            const auto prefix = where.empty() ? where : where + ": ";
            for (const auto& [key, b] : before.items())
            {
                if (key == "modules" && b.is_array() && after.contains (key))
                    modules (where, b, after[key]);
                else
                    value (prefix + key, b, after.contains (key) ? after[key] : Json());
            }
            for (const auto& [key, a] : after.items())
                if (! before.contains (key))
                    value (prefix + key, Json(), a);
        }

        /** Chain modules matched by their IDs, so a parameter change names its module. */
        void modules (const std::string& where, const Json& before, const Json& after)
        {
            auto find = [] (const Json& list, const Json& id) -> const Json*
            {
                for (const auto& m : list)
                    if (m.is_object() && m.value ("id", Json()) == id)
                        return &m;
                return nullptr;
            };
            const auto prefix = where + ": ";
            std::vector<std::string> orderBefore, orderAfter;
            for (const auto& m : before)
            {
                orderBefore.push_back (m.value ("id", std::string()));
                if (const auto* other = find (after, m["id"]))
                    object (prefix + "module " + orderBefore.back(), m, *other);
                else
                    lines.push_back (prefix + "module " + orderBefore.back() + " removed");
            }
            for (const auto& m : after)
            {
                orderAfter.push_back (m.value ("id", std::string()));
                if (find (before, m["id"]) == nullptr)
                    lines.push_back (prefix + "module " + orderAfter.back() + " (" + m.value ("type", std::string()) + ") added");
            }
            if (orderBefore.size() == orderAfter.size() && orderBefore != orderAfter)
                lines.push_back (prefix + "modules reordered");
        }

        void tracks (const Json& before, const Json& after)
        {
            const auto common = std::min (before.size(), after.size());
            for (size_t i = 0; i < common; ++i)
                object (trackLabel (before[i], i), before[i], after[i]);
            for (size_t i = common; i < after.size(); ++i)
                lines.push_back (trackLabel (after[i], i) + " added");
            for (size_t i = common; i < before.size(); ++i)
                lines.push_back (trackLabel (before[i], i) + " removed");
        }
    };
} // namespace

std::string SessionRecovery::pathFor (const std::string& sessionPath, const std::string& dataFolder)
{
    if (sessionPath.empty())
        return (fs::path (dataFolder) / (std::string ("untitled") + suffix)).string();
    const fs::path session (sessionPath);
    if (writableFolder (folderOf (sessionPath)))
        return (session.parent_path() / ("." + session.filename().string() + "-recovery")).string();
    return (fs::path (dataFolder) / hashedName (sessionPath)).string();
}

bool SessionRecovery::write (
    const Session& session, const std::string& sessionPath, const std::string& dataFolder, int64_t nowMs, std::string& error)
{
    const auto path = pathFor (sessionPath, dataFolder);
    std::error_code ec;
    fs::create_directories (fs::path (path).parent_path(), ec);
    if (ec)
    {
        error
            = fs::path (path).parent_path().string() + ": cannot create the folder for the recovery file (" + ec.message() + ")";
        return false;
    }
    Json doc;
    doc["format"] = formatName;
    doc["version"] = recoveryVersion;
    doc["session_path"] = sessionPath;
    doc["written_ms"] = nowMs;
    doc["session"] = Json::parse (SessionFile::toJson (session, folderOf (sessionPath)));
    return engine::writeFileAtomically (path, doc.dump (2) + "\n", error);
}

std::optional<Recovery> SessionRecovery::find (const std::string& sessionPath, const std::string& dataFolder, std::string& error)
{
    const auto path = pathFor (sessionPath, dataFolder);
    std::error_code ec;
    if (! fs::is_regular_file (path, ec))
        return std::nullopt;
    bool ok = false;
    const auto text = readText (path, ok);
    if (! ok)
    {
        error = path + ": the recovery file cannot be read";
        return std::nullopt;
    }
    try
    {
        const auto doc = Json::parse (text);
        if (! doc.is_object() || doc.value ("format", std::string()) != formatName)
            throw std::runtime_error (std::string ("not a ") + formatName + " file");
        if (doc.value ("version", 0) > recoveryVersion)
            throw std::runtime_error ("written by a newer Crest (version " + std::to_string (doc.value ("version", 0)) + ")");
        Recovery r;
        r.recoveryPath = path;
        r.sessionPath = doc.value ("session_path", std::string());
        r.writtenMs = doc.value ("written_ms", (int64_t) 0);
        if (! doc.contains ("session"))
            throw std::runtime_error ("it holds no session");
        r.session = SessionFile::parse (doc["session"].dump(), path, folderOf (r.sessionPath));
        if (! r.sessionPath.empty())
            r.session.sourceCache
                = (fs::path (r.sessionPath).parent_path() / (fs::path (r.sessionPath).stem().string() + ".crest-cache")).string();
        return r;
    }
    catch (const std::exception& e)
    {
        error = path + ": the recovery file cannot be used: " + e.what();
        return std::nullopt;
    }
}

bool SessionRecovery::remove (const std::string& sessionPath, const std::string& dataFolder)
{
    std::error_code ec;
    fs::remove (pathFor (sessionPath, dataFolder), ec);
    return ! fs::exists (pathFor (sessionPath, dataFolder), ec);
}

std::vector<std::string> SessionRecovery::differences (const Session& saved, const Session& recovered, size_t maximumLines)
{
    auto before = Json::parse (SessionFile::toJson (saved, {}));
    auto after = Json::parse (SessionFile::toJson (recovered, {}));
    Differ differ;
    differ.value ("sample rate", before.value ("sample_rate", Json()), after.value ("sample_rate", Json()));
    differ.object ("album", before["album"], after["album"]);
    differ.object ("chain", before["chain"], after["chain"]);
    differ.tracks (before["tracks"], after["tracks"]);
    differ.value ("references", before["references"], after["references"]);
    differ.object ("deliverables", before["deliverables"], after["deliverables"]);

    auto lines = std::move (differ.lines);
    if (lines.size() > maximumLines && maximumLines > 0)
    {
        const auto more = lines.size() - (maximumLines - 1);
        lines.resize (maximumLines - 1);
        lines.push_back ("... and " + std::to_string (more) + " more");
    }
    return lines;
}

} // namespace crest::session
