#include "session/NotesFile.h"

#include "engine/FileKind.h"
#include "session/SessionFile.h"
#include "session/Versions.h"

#include <juce_core/juce_core.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <set>

namespace crest::session
{
namespace
{
    using Json = nlohmann::ordered_json;

    // The notes format's field names, declared once.
    constexpr const char* formatKey = "format";
    constexpr const char* versionKey = "formatVersion";
    constexpr const char* albumKey = "album";
    constexpr const char* notesKey = "notes";
    constexpr const char* trackKey = "track";
    constexpr const char* trackIdKey = "trackId";
    constexpr const char* titleKey = "title";
    constexpr const char* noteVersionKey = "version";
    constexpr const char* timeKey = "timeSeconds";
    constexpr const char* endKey = "endSeconds";
    constexpr const char* authorKey = "author";
    constexpr const char* textKey = "text";
    constexpr const char* doneKey = "done";
} // namespace

std::vector<Note> NotesFile::parse (const std::string& text, const std::string& source, const Session& session)
{
    Json doc;
    try
    {
        doc = Json::parse (text);
    }
    catch (const nlohmann::json::parse_error& e)
    {
        throw SessionError (source + ": not valid JSON (" + std::string (e.what()) + ")");
    }
    if (! doc.is_object() || ! doc.contains (formatKey) || doc[formatKey] != formatName)
        throw SessionError (source + ": not a Crest notes file (\"" + formatKey + "\" must be \"" + formatName + "\")");
    if (! doc.contains (versionKey) || ! doc[versionKey].is_number_integer())
        throw SessionError (source + ": \"" + versionKey + "\" is missing or not a whole number");
    const int formatVersion = doc[versionKey].get<int>();
    if (formatVersion < 1 || formatVersion > currentVersion)
        throw SessionError (source + ": \"" + versionKey + "\" " + std::to_string (formatVersion)
            + " is not one this Crest reads (1 to " + std::to_string (currentVersion) + ")");
    if (doc.contains (albumKey) && ! doc[albumKey].is_string())
        throw SessionError (source + ": \"" + albumKey + "\" must be text");
    if (doc.contains (albumKey) && ! session.album.title.empty() && doc[albumKey] != session.album.title)
        throw SessionError (source + ": \"" + albumKey + "\" is '" + doc[albumKey].get<std::string>()
            + "', but the session's album is '" + session.album.title + "'");
    if (! doc.contains (notesKey) || ! doc[notesKey].is_array())
        throw SessionError (source + ": \"" + notesKey + "\" is missing or not a list");

    static const std::set<std::string> knownV1 { trackKey, noteVersionKey, timeKey, endKey, authorKey, textKey, doneKey };
    static const std::set<std::string> knownV2 { trackIdKey, trackKey, titleKey, noteVersionKey, timeKey, endKey, authorKey,
        textKey, doneKey };
    const auto& known = formatVersion == 1 ? knownV1 : knownV2;
    std::vector<Note> notes;
    for (const auto& j : doc[notesKey])
    {
        const auto where = source + ": note " + std::to_string (notes.size() + 1) + ": ";
        auto field = [&where] (const std::string& key, const std::string& rule)
        { return SessionError (where + "\"" + key + "\" " + rule); };
        if (! j.is_object())
            throw SessionError (where + "must be an object");
        for (const auto& item : j.items())
            if (known.count (item.key()) == 0)
                throw SessionError (where + "unknown field \"" + item.key() + "\"");

        Note note;
        if (formatVersion == 1)
        {
            if (! j.contains (trackKey) || ! j[trackKey].is_number_integer())
                throw field (trackKey, "is missing or not a whole number (the track's number on the album)");
            const int number = j[trackKey].get<int>();
            if (number < 1 || (size_t) number > session.tracks.size())
                throw field (trackKey,
                    "is " + std::to_string (number) + ", but the album has " + std::to_string (session.tracks.size())
                        + " tracks");
            note.trackId = session.tracks[(size_t) number - 1].id;
        }
        else
        {
            // The track by its stable ID; number and title are what the client saw, for people.
            if (! j.contains (trackIdKey) || ! j[trackIdKey].is_string() || j[trackIdKey].get<std::string>().empty())
                throw field (trackIdKey, "is missing or not text (the track's ID from the proof)");
            note.trackId = j[trackIdKey].get<std::string>();
            if (trackIndex (session, note.trackId) < 0)
                throw field (trackIdKey, "names track '" + note.trackId + "', which the session does not have");
            if (j.contains (trackKey) && (! j[trackKey].is_number_integer() || j[trackKey].get<int>() < 1))
                throw field (trackKey, "must be a whole number from 1 (the track's number on the proof)");
            if (j.contains (titleKey) && ! j[titleKey].is_string())
                throw field (titleKey, "must be text");
        }

        if (! j.contains (noteVersionKey) || ! j[noteVersionKey].is_string())
            throw field (noteVersionKey, "is missing or not text (the version the note was heard on)");
        note.version = j[noteVersionKey].get<std::string>();
        if (findVersion (session, note.version) == nullptr)
            throw field (noteVersionKey, "names version '" + note.version + "', which the session does not have");

        if (! j.contains (timeKey) || ! j[timeKey].is_number() || ! std::isfinite (j[timeKey].get<double>())
            || j[timeKey].get<double>() < 0.0)
            throw field (timeKey, "is missing or not a number of seconds from the track's start (0 or more)");
        note.timeSeconds = j[timeKey].get<double>();
        if (j.contains (endKey) && ! j[endKey].is_null())
        {
            if (! j[endKey].is_number() || ! std::isfinite (j[endKey].get<double>())
                || j[endKey].get<double>() < note.timeSeconds)
                throw field (endKey, "must be a number of seconds not before timeSeconds");
            note.endSeconds = j[endKey].get<double>();
        }

        if (j.contains (authorKey))
        {
            if (! j[authorKey].is_string() || (j[authorKey] != "client" && j[authorKey] != "engineer"))
                throw field (authorKey, "must be \"client\" or \"engineer\"");
            note.author = authorFromName (j[authorKey].get<std::string>());
        }
        else
            note.author = NoteAuthor::client;

        if (! j.contains (textKey) || ! j[textKey].is_string() || juce::String (j[textKey].get<std::string>()).trim().isEmpty())
            throw field (textKey, "is missing, empty or not text");
        note.text = j[textKey].get<std::string>();
        if (j.contains (doneKey))
        {
            if (! j[doneKey].is_boolean())
                throw field (doneKey, "must be true or false");
            note.done = j[doneKey].get<bool>();
        }
        notes.push_back (std::move (note));
    }
    return notes;
}

std::vector<Note> NotesFile::load (const std::string& path, const Session& session)
{
    const juce::File file = juce::File::getCurrentWorkingDirectory().getChildFile (juce::String (path));
    if (! file.existsAsFile())
        throw SessionError (path + ": no such notes file");
    if (const auto problem = engine::fileKindProblem (file.getFullPathName().toStdString()); ! problem.empty())
        throw SessionError (path + ": " + problem);
    juce::MemoryBlock data;
    if (! file.loadFileAsData (data))
        throw SessionError (path + ": cannot be read");
    return parse (data.toString().toStdString(), path, session);
}

std::string NotesFile::toJson (const std::vector<Note>& notes, const Session& session)
{
    Json doc;
    doc[formatKey] = formatName;
    doc[versionKey] = currentVersion;
    doc[albumKey] = session.album.title;
    doc[notesKey] = Json::array();
    for (const auto& n : notes)
    {
        Json j;
        const int index = trackIndex (session, n.trackId);
        j[trackIdKey] = n.trackId;
        j[trackKey] = index + 1;
        if (index >= 0)
            j[titleKey] = session.tracks[(size_t) index].title;
        j[noteVersionKey] = n.version;
        j[timeKey] = n.timeSeconds;
        if (n.endSeconds)
            j[endKey] = *n.endSeconds;
        j[authorKey] = authorName (n.author);
        j[textKey] = n.text;
        if (n.done)
            j[doneKey] = true;
        doc[notesKey].push_back (j);
    }
    return doc.dump (2) + "\n";
}

} // namespace crest::session
