// `crest version`, `crest approve`, `crest notes` and `crest proof`: working with the client
// from the command line. Each loads the session, makes its change through the same functions
// the app uses (session/Versions.h), and saves atomically only when everything succeeded.

#include "cli/CommandLine.h"

#include "analysis/AnalysisJson.h"
#include "export/ExportReport.h"
#include "export/Proof.h"
#include "session/DifferenceText.h"
#include "session/NotesFile.h"
#include "session/SessionFile.h"
#include "session/Versions.h"

#include <juce_core/juce_core.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>

namespace crest::cli
{
namespace
{
    using Json = nlohmann::ordered_json;

    const char* versionUsage = R"(usage:
  crest version create SESSION NAME [--note TEXT]   snapshot the working state as a version
  crest version list SESSION [--json]                versions, their notes, figures and differences
  crest version restore SESSION NAME                 the version becomes the working state
  crest version diff SESSION NAME [OTHER] [--json]   what changed from NAME to OTHER (default: the working state)
)";

    const char* notesUsage = R"(usage:
  crest notes list SESSION [--json] [--track N]
  crest notes add SESSION --track N --at SECONDS [--to SECONDS] [--version NAME] [--author engineer|client] TEXT
  crest notes import SESSION NOTES.json          notes a client saved from the review page
  crest notes done SESSION INDEX [--undo]        mark note INDEX (from list) done or open
)";

    /** Loads a session, printing the error the way every command does. */
    std::optional<session::Session> loadSession (const std::string& path, const char* command)
    {
        try
        {
            return session::SessionFile::load (path);
        }
        catch (const std::exception& e)
        {
            std::cerr << "crest " << command << ": " << e.what() << "\n";
            return std::nullopt;
        }
    }

    int saveSession (const session::Session& s, const std::string& path, const char* command)
    {
        try
        {
            session::SessionFile::save (s, path);
            return exitOk;
        }
        catch (const std::exception& e)
        {
            std::cerr << "crest " << command << ": " << e.what() << "\n";
            return exitError;
        }
    }

    int refuse (const char* command, const std::string& sessionPath, const std::string& message)
    {
        std::cerr << "crest " << command << ": " << sessionPath << ": " << message << " (nothing was changed)\n";
        return exitError;
    }

    std::string number (std::optional<double> v, const char* unit)
    {
        if (! v)
            return "-";
        char text[32];
        std::snprintf (text, sizeof (text), "%.1f%s", *v, unit);
        return text;
    }

    Json figuresJson (const session::TrackFigures& f)
    {
        return { { "integrated_lufs", analysis::roundedOrNull (f.integratedLufs, 2) },
            { "lra_lu", analysis::roundedOrNull (f.loudnessRangeLu, 2) },
            { "true_peak_dbtp", analysis::roundedOrNull (f.truePeakDbtp, 2) },
            { "plr_db", analysis::roundedOrNull (f.plrDb, 2) } };
    }

    int parseTrack (const std::string& text, const session::Session& s)
    {
        int n = 0;
        try
        {
            size_t used = 0;
            n = std::stoi (text, &used);
            if (used != text.size())
                n = 0;
        }
        catch (const std::exception&)
        {
            n = 0;
        }
        if (n < 1 || (size_t) n > s.tracks.size())
            throw std::invalid_argument (
                "there is no track " + text + " (the session has " + std::to_string (s.tracks.size()) + ")");
        return n;
    }

    double parseSeconds (const std::string& text, const char* option)
    {
        try
        {
            size_t used = 0;
            const double v = std::stod (text, &used);
            if (used == text.size() && std::isfinite (v) && v >= 0.0)
                return v;
        }
        catch (const std::exception&)
        {
        }
        throw std::invalid_argument (std::string (option) + " '" + text + "' is not a time in seconds (0 or more)");
    }

    // ---- crest version ---------------------------------------------------------------------

    int versionCreate (const Arguments& args)
    {
        if (args.positional.size() != 3)
            throw std::runtime_error (versionUsage);
        const auto& path = args.positional[1];
        auto s = loadSession (path, "version");
        if (! s)
            return exitError;
        session::SessionEditor editor (*s);
        try
        {
            session::createVersion (editor, args.positional[2], args.value ("--note").value_or (""), delivery::nowUtc());
        }
        catch (const std::invalid_argument& e)
        {
            return refuse ("version", path, e.what());
        }
        if (saveSession (editor.session(), path, "version") != exitOk)
            return exitError;
        std::cout << path << ": version '" << args.positional[2] << "' created (" << editor.session().tracks.size()
                  << " tracks)\n";
        return exitOk;
    }

    std::vector<std::string> differenceFromPrevious (const session::Session& s, size_t index)
    {
        if (index == 0)
            return {};
        return session::describeDifference (s.versions[index - 1], s.versions[index]);
    }

    int versionList (const Arguments& args)
    {
        if (args.positional.size() != 2)
            throw std::runtime_error (versionUsage);
        auto s = loadSession (args.positional[1], "version");
        if (! s)
            return exitError;
        if (args.has ("--json"))
        {
            Json list = Json::array();
            for (size_t i = 0; i < s->versions.size(); ++i)
            {
                const auto& v = s->versions[i];
                Json tracks = Json::array();
                for (const auto& t : v.tracks)
                {
                    const int index = session::trackIndex (*s, t.trackId);
                    tracks.push_back ({ { "track", index >= 0 ? Json (index + 1) : Json() }, { "id", t.trackId },
                        { "measured", figuresJson (t.figures) } });
                }
                Json approved = Json::array();
                for (size_t n = 0; n < s->tracks.size(); ++n)
                    if (s->tracks[n].approvedVersion == v.name)
                        approved.push_back ((int) n + 1);
                list.push_back ({ { "name", v.name }, { "created", v.createdUtc }, { "note", v.note },
                    { "approved_tracks", approved }, { "difference", differenceFromPrevious (*s, i) }, { "tracks", tracks } });
            }
            std::cout << Json ({ { "session", args.positional[1] }, { "versions", list } }).dump (2) << "\n";
            return exitOk;
        }
        if (s->versions.empty())
            std::cout << "no versions (crest version create SESSION NAME)\n";
        for (size_t i = 0; i < s->versions.size(); ++i)
        {
            const auto& v = s->versions[i];
            std::cout << v.name << "  " << v.createdUtc << (v.note.empty() ? "" : "  " + v.note) << "\n";
            for (size_t n = 0; n < s->tracks.size(); ++n)
            {
                const auto* t = v.find (s->tracks[n].id);
                if (t == nullptr)
                    continue;
                const auto& f = t->figures;
                std::cout << "  track " << n + 1 << ": "
                          << (f.integratedLufs ? number (f.integratedLufs, " LUFS") + ", LRA " + number (f.loudnessRangeLu, " LU")
                                         + ", " + number (f.truePeakDbtp, " dBTP") + ", PLR " + number (f.plrDb, " dB")
                                               : std::string ("not measured yet (crest proof measures it)"))
                          << (s->tracks[n].approvedVersion == v.name ? "  (approved)" : "") << "\n";
            }
            for (const auto& line : differenceFromPrevious (*s, i))
                std::cout << "  - " << line << "\n";
        }
        return exitOk;
    }

    int versionRestore (const Arguments& args)
    {
        if (args.positional.size() != 3)
            throw std::runtime_error (versionUsage);
        const auto& path = args.positional[1];
        auto s = loadSession (path, "version");
        if (! s)
            return exitError;
        session::SessionEditor editor (*s);
        try
        {
            session::restoreVersion (editor, args.positional[2]);
        }
        catch (const std::invalid_argument& e)
        {
            return refuse ("version", path, e.what());
        }
        if (saveSession (editor.session(), path, "version") != exitOk)
            return exitError;
        std::cout << path << ": the working state is now version '" << args.positional[2] << "'\n";
        return exitOk;
    }

    int versionDiff (const Arguments& args)
    {
        if (args.positional.size() != 3 && args.positional.size() != 4)
            throw std::runtime_error (versionUsage);
        auto s = loadSession (args.positional[1], "version");
        if (! s)
            return exitError;
        const auto* from = session::findVersion (*s, args.positional[2]);
        if (from == nullptr)
            return refuse ("version", args.positional[1], "there is no version '" + args.positional[2] + "'");
        session::Version working;
        const session::Version* to = nullptr;
        if (args.positional.size() == 4)
        {
            to = session::findVersion (*s, args.positional[3]);
            if (to == nullptr)
                return refuse ("version", args.positional[1], "there is no version '" + args.positional[3] + "'");
        }
        else
        {
            working = session::captureVersion (*s, "working state", "", "");
            to = &working;
        }
        const auto lines = session::describeDifference (*from, *to);
        if (args.has ("--json"))
        {
            std::cout << Json ({ { "from", from->name }, { "to", to->name }, { "difference", lines } }).dump (2) << "\n";
            return exitOk;
        }
        if (lines.empty())
            std::cout << "no difference between '" << from->name << "' and "
                      << (to == &working ? "the working state" : "'" + to->name + "'") << "\n";
        for (const auto& line : lines)
            std::cout << line << "\n";
        return exitOk;
    }

    // ---- crest notes -------------------------------------------------------------------------

    int notesList (const Arguments& args)
    {
        if (args.positional.size() != 2)
            throw std::runtime_error (notesUsage);
        auto s = loadSession (args.positional[1], "notes");
        if (! s)
            return exitError;
        std::optional<int> only;
        if (const auto t = args.value ("--track"))
        {
            try
            {
                only = parseTrack (*t, *s);
            }
            catch (const std::invalid_argument& e)
            {
                return refuse ("notes", args.positional[1], e.what());
            }
        }
        Json list = Json::array();
        for (size_t i = 0; i < s->notes.size(); ++i)
        {
            const auto& n = s->notes[i];
            const int track = session::trackIndex (*s, n.trackId) + 1;
            if (only && track != *only)
                continue;
            if (args.has ("--json"))
                list.push_back ({ { "index", (int) i + 1 }, { "track", track }, { "trackId", n.trackId },
                    { "version", n.version.empty() ? Json() : Json (n.version) }, { "time_s", n.timeSeconds },
                    { "end_s", n.endSeconds ? Json (*n.endSeconds) : Json() }, { "author", session::authorName (n.author) },
                    { "text", n.text }, { "done", n.done } });
            else
                std::printf ("%3d  track %d  %s%s  %s  %s%s: %s\n", (int) i + 1, track, clockTime (n.timeSeconds).c_str(),
                    n.endSeconds ? ("-" + clockTime (*n.endSeconds)).c_str() : "",
                    n.version.empty() ? "(working state)" : ("on '" + n.version + "'").c_str(), session::authorName (n.author),
                    n.done ? " [done]" : "", n.text.c_str());
        }
        if (args.has ("--json"))
            std::cout << Json ({ { "session", args.positional[1] }, { "notes", list } }).dump (2) << "\n";
        else if (s->notes.empty())
            std::cout << "no notes\n";
        return exitOk;
    }

    int notesAdd (const Arguments& args)
    {
        if (args.positional.size() < 3 || ! args.value ("--track") || ! args.value ("--at"))
            throw std::runtime_error (notesUsage);
        const auto& path = args.positional[1];
        auto s = loadSession (path, "notes");
        if (! s)
            return exitError;
        session::Note note;
        try
        {
            session::assignTrackIds (*s);
            note.trackId = s->tracks[(size_t) parseTrack (*args.value ("--track"), *s) - 1].id;
            note.timeSeconds = parseSeconds (*args.value ("--at"), "--at");
            if (const auto to = args.value ("--to"))
            {
                note.endSeconds = parseSeconds (*to, "--to");
                if (*note.endSeconds < note.timeSeconds)
                    throw std::invalid_argument ("--to must not come before --at");
            }
            note.version = args.value ("--version").value_or ("");
            if (! note.version.empty() && session::findVersion (*s, note.version) == nullptr)
                throw std::invalid_argument ("there is no version '" + note.version + "'");
            const auto author = args.value ("--author").value_or ("engineer");
            if (author != "engineer" && author != "client")
                throw std::invalid_argument ("--author is engineer or client (it is '" + author + "')");
            note.author = session::authorFromName (author);
            for (size_t i = 2; i < args.positional.size(); ++i)
                note.text += (i > 2 ? " " : "") + args.positional[i];
        }
        catch (const std::invalid_argument& e)
        {
            return refuse ("notes", path, e.what());
        }
        s->notes.push_back (note);
        if (saveSession (*s, path, "notes") != exitOk)
            return exitError;
        std::cout << path << ": note " << s->notes.size() << " added\n";
        return exitOk;
    }

    int notesImport (const Arguments& args)
    {
        if (args.positional.size() != 3)
            throw std::runtime_error (notesUsage);
        const auto& path = args.positional[1];
        auto s = loadSession (path, "notes");
        if (! s)
            return exitError;
        std::vector<session::Note> notes;
        try
        {
            notes = session::NotesFile::load (args.positional[2], *s);
        }
        catch (const std::exception& e)
        {
            std::cerr << "crest notes: " << e.what() << " (nothing was imported)\n";
            return exitError;
        }
        s->notes.insert (s->notes.end(), notes.begin(), notes.end());
        if (saveSession (*s, path, "notes") != exitOk)
            return exitError;
        std::cout << path << ": " << notes.size() << " notes imported from " << args.positional[2] << "\n";
        return exitOk;
    }

    int notesDone (const Arguments& args)
    {
        if (args.positional.size() != 3)
            throw std::runtime_error (notesUsage);
        const auto& path = args.positional[1];
        auto s = loadSession (path, "notes");
        if (! s)
            return exitError;
        const int index = std::atoi (args.positional[2].c_str());
        if (index < 1 || (size_t) index > s->notes.size())
            return refuse ("notes", path,
                "there is no note " + args.positional[2] + " (the session has " + std::to_string (s->notes.size()) + ")");
        s->notes[(size_t) index - 1].done = ! args.has ("--undo");
        return saveSession (*s, path, "notes");
    }
} // namespace

int runVersion (const std::vector<std::string>& words)
{
    const Arguments args (words, { "--note" });
    if (const auto unknown = args.unknownFlags ({ "--json" }); ! unknown.empty())
        throw std::runtime_error ("unknown option " + unknown.front() + "\n" + versionUsage);
    const auto sub = args.positional.empty() ? std::string() : args.positional[0];
    if (sub == "create")
        return versionCreate (args);
    if (sub == "list")
        return versionList (args);
    if (sub == "restore")
        return versionRestore (args);
    if (sub == "diff")
        return versionDiff (args);
    throw std::runtime_error (versionUsage);
}

int runApprove (const std::vector<std::string>& words)
{
    const Arguments args (words, { "--track", "--version" });
    if (const auto unknown = args.unknownFlags ({ "--withdraw" }); ! unknown.empty())
        throw std::runtime_error ("unknown option " + unknown.front());
    if (args.positional.size() != 1 || ! args.value ("--track") || (! args.value ("--version") && ! args.has ("--withdraw")))
        throw std::runtime_error ("usage: crest approve SESSION --track N --version NAME | --track N --withdraw");
    const auto& path = args.positional[0];
    auto s = loadSession (path, "approve");
    if (! s)
        return exitError;
    session::SessionEditor editor (*s);
    int track = 0;
    const auto version = args.has ("--withdraw") ? std::string() : *args.value ("--version");
    try
    {
        track = parseTrack (*args.value ("--track"), *s);
        session::approveTrack (editor, track - 1, version);
    }
    catch (const std::invalid_argument& e)
    {
        return refuse ("approve", path, e.what());
    }
    if (saveSession (editor.session(), path, "approve") != exitOk)
        return exitError;
    std::cout << path << ": track " << track
              << (version.empty() ? " is no longer approved" : " approved at version '" + version + "'") << "\n";
    return exitOk;
}

int runNotes (const std::vector<std::string>& words)
{
    const Arguments args (words, { "--track", "--at", "--to", "--version", "--author" });
    if (const auto unknown = args.unknownFlags ({ "--json", "--undo" }); ! unknown.empty())
        throw std::runtime_error ("unknown option " + unknown.front() + "\n" + notesUsage);
    const auto sub = args.positional.empty() ? std::string() : args.positional[0];
    if (sub == "list")
        return notesList (args);
    if (sub == "add")
        return notesAdd (args);
    if (sub == "import")
        return notesImport (args);
    if (sub == "done")
        return notesDone (args);
    throw std::runtime_error (notesUsage);
}

int runProof (const std::vector<std::string>& words)
{
    const char* usage = "usage: crest proof SESSION --version NAME [--version NAME2 ...] -o DIR [--page INDEX.html]";
    // --version may be given several times; Arguments keeps one value per option, so take them here.
    std::vector<std::string> versions, rest;
    for (size_t i = 0; i < words.size(); ++i)
    {
        if (words[i] == "--version")
        {
            if (i + 1 >= words.size())
                throw std::runtime_error ("option --version needs a value");
            versions.push_back (words[++i]);
        }
        else
            rest.push_back (words[i]);
    }
    const Arguments args (rest, { "-o", "--output", "--page" });
    if (const auto unknown = args.unknownFlags ({}); ! unknown.empty())
        throw std::runtime_error ("unknown option " + unknown.front() + "\n" + usage);
    auto out = args.value ("-o");
    if (! out)
        out = args.value ("--output");
    if (args.positional.size() != 1 || ! out || versions.empty())
        throw std::runtime_error (usage);
    const auto& path = args.positional[0];
    auto s = loadSession (path, "proof");
    if (! s)
        return exitError;
    for (const auto& name : versions)
        if (session::findVersion (*s, name) == nullptr)
            return refuse ("proof", path, "there is no version '" + name + "'");
    try
    {
        session::SessionFile::checkSources (*s);
    }
    catch (const std::exception& e)
    {
        return refuse ("proof", path, e.what());
    }

    delivery::ProofOptions options;
    options.destination = *out;
    options.versions = versions;
    if (const auto page = args.value ("--page"))
        options.reviewPage = *page;
    else
    {
        // Installed: share/crest/review beside bin/; from the build tree: the source's Resources.
        const auto exe = juce::File::getSpecialLocation (juce::File::currentExecutableFile);
        const auto installed = exe.getParentDirectory().getParentDirectory().getChildFile ("share/crest/review/index.html");
        options.reviewPage = installed.existsAsFile() ? installed.getFullPathName().toStdString()
                                                      : std::string (CREST_REVIEW_DIR) + "/index.html";
    }
    options.progress = [] (const std::string& line) { std::cerr << line << "\n"; };
    const auto result = delivery::writeProof (*s, options);
    if (! result.succeeded)
    {
        std::cerr << "crest proof: " << path << ": " << result.error << "\n";
        return exitError;
    }

    // The figures were taken as each version was rendered: keep them with the versions.
    session::storeFigures (*s, result.figures);
    if (saveSession (*s, path, "proof") != exitOk)
        return exitError;
    std::cout << *out << ": proof of " << versions.size() << " version" << (versions.size() == 1 ? "" : "s") << ", "
              << result.files.size() << " files"
              << (result.pageCopied ? " with index.html"
                                    : " (review-data.js only: no review page found at " + options.reviewPage + ")")
              << "\n";
    return exitOk;
}

} // namespace crest::cli
