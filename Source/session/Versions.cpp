#include "session/Versions.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>

namespace crest::session
{
namespace
{
    /** Copies the fields a version keeps from one track to another. */
    void copyMastering (const Track& from, Track& to)
    {
        to.trimInSeconds = from.trimInSeconds;
        to.trimOutSeconds = from.trimOutSeconds;
        to.gainDb = from.gainDb;
        to.fadeIn = from.fadeIn;
        to.fadeOut = from.fadeOut;
        to.gapSeconds = from.gapSeconds;
        to.crossfade = from.crossfade;
        to.indexPoints = from.indexPoints;
        to.chain = from.chain;
    }
} // namespace

const VersionTrack* Version::find (const std::string& trackId) const
{
    for (const auto& t : tracks)
        if (t.trackId == trackId)
            return &t;
    return nullptr;
}

void assignTrackIds (Session& session)
{
    std::set<std::string> taken;
    for (const auto& t : session.tracks)
        if (! t.id.empty())
            taken.insert (t.id);
    int next = 1;
    for (auto& t : session.tracks)
        if (t.id.empty())
        {
            while (taken.count ("t" + std::to_string (next)) > 0)
                ++next;
            t.id = "t" + std::to_string (next);
            taken.insert (t.id);
        }
}

std::string versionNameProblem (const std::string& name)
{
    if (name.empty() || name.find_first_not_of (' ') == std::string::npos)
        return "a version needs a name, e.g. \"v1 proof\"";
    if (name.size() > 64)
        return "a version's name has at most 64 characters (it has " + std::to_string (name.size()) + ")";
    for (const char c : name)
        if ((unsigned char) c < 0x20 || c == 0x7f)
            return "a version's name cannot hold control characters";
    return {};
}

const Version* findVersion (const Session& session, const std::string& name)
{
    for (const auto& v : session.versions)
        if (v.name == name)
            return &v;
    return nullptr;
}

int trackIndex (const Session& session, const std::string& trackId)
{
    for (size_t i = 0; i < session.tracks.size(); ++i)
        if (session.tracks[i].id == trackId)
            return (int) i;
    return -1;
}

Version captureVersion (const Session& session, const std::string& name, const std::string& note, const std::string& createdUtc)
{
    Version v;
    v.name = name;
    v.note = note;
    v.createdUtc = createdUtc;
    v.chain = session.chain;
    for (const auto& track : session.tracks)
    {
        VersionTrack vt;
        vt.trackId = track.id;
        copyMastering (track, vt.state);
        v.tracks.push_back (std::move (vt));
    }
    return v;
}

Session withVersion (const Session& session, const Version& version)
{
    Session out = session;
    out.chain = version.chain;
    std::vector<Track> ordered;
    std::vector<bool> placed (session.tracks.size(), false);
    for (const auto& vt : version.tracks)
    {
        const int i = trackIndex (session, vt.trackId);
        if (i < 0 || placed[(size_t) i])
            continue; // a track removed since the version was made
        Track t = session.tracks[(size_t) i];
        copyMastering (vt.state, t);
        ordered.push_back (std::move (t));
        placed[(size_t) i] = true;
    }
    for (size_t i = 0; i < session.tracks.size(); ++i)
        if (! placed[i])
            ordered.push_back (session.tracks[i]); // added since: keeps its own state, after the others
    out.tracks = std::move (ordered);
    // A crossfade cannot open the album (a version made before a reorder may hold one there).
    if (! out.tracks.empty())
        out.tracks.front().crossfade.reset();
    return out;
}

void restoreVersion (SessionEditor& editor, const std::string& name)
{
    const auto* version = findVersion (editor.session(), name);
    if (version == nullptr)
        throw std::invalid_argument ("there is no version '" + name + "'");
    const Version copy = *version;
    editor.apply ("Restore Version '" + name + "'", EditKind::album, [&copy] (Session& s) { s = withVersion (s, copy); });
    editor.endGesture();
}

void createVersion (SessionEditor& editor, const std::string& name, const std::string& note, const std::string& createdUtc)
{
    if (const auto problem = versionNameProblem (name); ! problem.empty())
        throw std::invalid_argument ("version '" + name + "': " + problem);
    if (findVersion (editor.session(), name) != nullptr)
        throw std::invalid_argument ("there is already a version '" + name + "'");
    editor.apply ("Create Version '" + name + "'", EditKind::album,
        [&] (Session& s)
        {
            assignTrackIds (s);
            s.versions.push_back (captureVersion (s, name, note, createdUtc));
        });
    editor.endGesture();
}

void approveTrack (SessionEditor& editor, int index, const std::string& versionName)
{
    const auto& s = editor.session();
    if (index < 0 || (size_t) index >= s.tracks.size())
        throw std::invalid_argument (
            "there is no track " + std::to_string (index + 1) + " (the session has " + std::to_string (s.tracks.size()) + ")");
    const auto* version = versionName.empty() ? nullptr : findVersion (s, versionName);
    if (! versionName.empty() && version == nullptr)
        throw std::invalid_argument ("there is no version '" + versionName + "'");
    if (version != nullptr && version->find (s.tracks[(size_t) index].id) == nullptr)
        throw std::invalid_argument ("version '" + versionName + "' was made before track " + std::to_string (index + 1)
            + " was added; it cannot be approved at it");
    editor.apply (versionName.empty() ? "Withdraw Approval" : "Approve Track " + std::to_string (index + 1), EditKind::album,
        [&] (Session& edited) { edited.tracks[(size_t) index].approvedVersion = versionName; });
    editor.endGesture();
}

DeliverySource deliverySession (const Session& session)
{
    DeliverySource out { session, {} };
    for (auto& track : out.session.tracks)
    {
        const auto* version = track.approvedVersion.empty() ? nullptr : findVersion (session, track.approvedVersion);
        const auto* state = version != nullptr ? version->find (track.id) : nullptr;
        if (state == nullptr)
        {
            out.trackVersions.emplace_back();
            continue;
        }
        copyMastering (state->state, track);
        if (! track.chain)
            track.chain = version->chain; // the album chain as it was in that version
        out.trackVersions.push_back (version->name);
    }
    if (! out.session.tracks.empty())
        out.session.tracks.front().crossfade.reset();
    return out;
}

std::vector<double> loudnessMatchGains (const std::vector<double>& integratedLufs)
{
    double quietest = INFINITY;
    for (const double l : integratedLufs)
        if (std::isfinite (l))
            quietest = std::min (quietest, l);
    std::vector<double> gains;
    for (const double l : integratedLufs)
        gains.push_back (std::isfinite (l) && std::isfinite (quietest) ? quietest - l : 0.0);
    return gains;
}

const char* authorName (NoteAuthor author)
{
    return author == NoteAuthor::client ? "client" : "engineer";
}

NoteAuthor authorFromName (const std::string& name)
{
    return name == "client" ? NoteAuthor::client : NoteAuthor::engineer;
}

void addNote (SessionEditor& editor, const Note& note)
{
    const auto& s = editor.session();
    if (note.trackId.empty() || trackIndex (s, note.trackId) < 0)
        throw std::invalid_argument ("there is no track '" + note.trackId + "' for the note");
    if (! note.version.empty() && findVersion (s, note.version) == nullptr)
        throw std::invalid_argument ("there is no version '" + note.version + "'");
    if (note.text.empty())
        throw std::invalid_argument ("the note has no text");
    editor.apply ("Add Note", EditKind::album, [&note] (Session& session) { session.notes.push_back (note); });
    editor.endGesture();
}

void importNotes (SessionEditor& editor, const std::vector<Note>& notes)
{
    if (notes.empty())
        return;
    editor.apply ("Import " + std::to_string (notes.size()) + (notes.size() == 1 ? " Note" : " Notes"), EditKind::album,
        [&notes] (Session& session) { session.notes.insert (session.notes.end(), notes.begin(), notes.end()); });
    editor.endGesture();
}

void setNoteDone (SessionEditor& editor, int index, bool done)
{
    const auto& s = editor.session();
    if (index < 0 || (size_t) index >= s.notes.size())
        throw std::invalid_argument (
            "there is no note " + std::to_string (index + 1) + " (the session has " + std::to_string (s.notes.size()) + ")");
    editor.apply (done ? "Mark Note Done" : "Reopen Note", EditKind::album,
        [index, done] (Session& session) { session.notes[(size_t) index].done = done; });
    editor.endGesture();
}

void storeFigures (Session& session, const std::map<std::string, std::vector<TrackFigures>>& figures)
{
    for (auto& v : session.versions)
        if (const auto it = figures.find (v.name); it != figures.end())
            for (size_t i = 0; i < session.tracks.size() && i < it->second.size(); ++i)
                for (auto& t : v.tracks)
                    if (t.trackId == session.tracks[i].id)
                        t.figures = it->second[i];
}

} // namespace crest::session
