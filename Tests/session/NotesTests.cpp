// Notes from the review page: notes.json read and written, and every bad file refused by field.

#include "session/NotesFile.h"
#include "session/SessionFile.h"
#include "session/Versions.h"

#include <catch2/catch.hpp>

using namespace crest;

namespace
{
session::Session twoTracksOneVersion()
{
    session::Session s;
    s.album.title = "Notes Album";
    for (int i = 0; i < 2; ++i)
    {
        session::Track t;
        t.source = "/nowhere/" + std::to_string (i) + ".wav";
        s.tracks.push_back (t);
    }
    session::assignTrackIds (s);
    s.versions.push_back (session::captureVersion (s, "v1 proof", "", "2026-12-07T04:00:00Z"));
    return s;
}

/** A version 1 file (tracks by number in the running order). */
std::string notesWith (const std::string& note)
{
    return R"({"format": "crest-notes", "formatVersion": 1, "album": "Notes Album", "notes": [)" + note + "]}";
}

/** A version 2 file (tracks by ID). */
std::string notesV2With (const std::string& note)
{
    return R"({"format": "crest-notes", "formatVersion": 2, "album": "Notes Album", "notes": [)" + note + "]}";
}
} // namespace

TEST_CASE ("A version 1 notes.json still places each note at its track (by number), time and version", "[notes]")
{
    const auto s = twoTracksOneVersion();
    const auto notes = session::NotesFile::parse (
        notesWith (
            R"({"track": 2, "version": "v1 proof", "timeSeconds": 12.5, "endSeconds": 15, "author": "client", "text": "too bright"},
                      {"track": 1, "version": "v1 proof", "timeSeconds": 0, "author": "client", "text": "lovely start"})"),
        "notes.json", s);
    REQUIRE (notes.size() == 2);
    CHECK (notes[0].trackId == s.tracks[1].id);
    CHECK (notes[0].version == "v1 proof");
    CHECK (notes[0].timeSeconds == 12.5);
    CHECK (notes[0].endSeconds == Approx (15.0));
    CHECK (notes[0].author == session::NoteAuthor::client);
    CHECK (notes[0].text == "too bright");
    CHECK_FALSE (notes[1].endSeconds.has_value());

    // Written out (as version 2) and read back: the same notes.
    const auto written = session::NotesFile::toJson (notes, s);
    CHECK (written.find ("\"formatVersion\": 2") != std::string::npos);
    CHECK (written.find ("\"trackId\": \"" + s.tracks[1].id + "\"") != std::string::npos);
    const auto again = session::NotesFile::parse (written, "again.json", s);
    REQUIRE (again.size() == notes.size());
    for (size_t i = 0; i < notes.size(); ++i)
    {
        CHECK (again[i].trackId == notes[i].trackId);
        CHECK (again[i].version == notes[i].version);
        CHECK (again[i].timeSeconds == notes[i].timeSeconds);
        CHECK (again[i].endSeconds == notes[i].endSeconds);
        CHECK (again[i].author == notes[i].author);
        CHECK (again[i].text == notes[i].text);
    }
}

TEST_CASE ("A bad or foreign notes file is refused naming the file and the field", "[notes]")
{
    const auto s = twoTracksOneVersion();
    auto refused = [&s] (const std::string& json, const std::string& words)
    {
        INFO (json);
        CHECK_THROWS_WITH (session::NotesFile::parse (json, "client/notes.json", s),
            Catch::StartsWith ("client/notes.json: ") && Catch::Contains (words));
    };
    refused ("{not json", "not valid JSON");
    refused (R"({"format": "crest-session", "version": 2})", "not a Crest notes file");
    refused (R"([1, 2])", "not a Crest notes file");
    refused (R"({"format": "crest-notes", "formatVersion": 9, "notes": []})", "\"formatVersion\" 9");
    refused (R"({"format": "crest-notes", "formatVersion": 1, "album": "Other", "notes": []})", "\"album\" is 'Other'");
    refused (R"({"format": "crest-notes", "formatVersion": 1})", "\"notes\" is missing");
    refused (notesWith (R"({"track": 3, "version": "v1 proof", "timeSeconds": 1, "text": "x"})"), "note 1: \"track\" is 3");
    refused (notesWith (R"({"track": "one", "version": "v1 proof", "timeSeconds": 1, "text": "x"})"), "note 1: \"track\"");
    refused (notesWith (R"({"track": 1, "version": "v7", "timeSeconds": 1, "text": "x"})"), "\"version\" names version 'v7'");
    refused (notesWith (R"({"track": 1, "version": "v1 proof", "timeSeconds": -1, "text": "x"})"), "\"timeSeconds\"");
    refused (
        notesWith (R"({"track": 1, "version": "v1 proof", "timeSeconds": 5, "endSeconds": 2, "text": "x"})"), "\"endSeconds\"");
    refused (
        notesWith (R"({"track": 1, "version": "v1 proof", "timeSeconds": 5, "author": "producer", "text": "x"})"), "\"author\"");
    refused (notesWith (R"({"track": 1, "version": "v1 proof", "timeSeconds": 5, "text": "  "})"), "\"text\"");
    refused (notesWith (R"({"track": 1, "version": "v1 proof", "timeSeconds": 5, "text": "x", "colour": "red"})"),
        "unknown field \"colour\"");
}

TEST_CASE ("A version 2 notes.json places notes by track ID, so they land right after a reorder", "[notes]")
{
    auto s = twoTracksOneVersion();
    const auto first = s.tracks[0].id, second = s.tracks[1].id;
    // The proof showed the running order 1, 2; the engineer then swapped the tracks.
    std::swap (s.tracks[0], s.tracks[1]);
    const auto notes = session::NotesFile::parse (
        notesV2With (R"({"trackId": ")" + second + R"(", "track": 2, "title": "Second", "version": "v1 proof",
                       "timeSeconds": 12.5, "endSeconds": 15, "author": "client", "text": "too bright"},
                      {"trackId": ")"
            + first + R"(", "track": 1, "version": "v1 proof", "timeSeconds": 3, "text": "lovely start"})"),
        "notes.json", s);
    REQUIRE (notes.size() == 2);
    CHECK (notes[0].trackId == second); // now track 1 of the session, still the track the client meant
    CHECK (session::trackIndex (s, notes[0].trackId) == 0);
    CHECK (notes[0].timeSeconds == 12.5);
    CHECK (notes[0].endSeconds == Approx (15.0));
    CHECK (notes[1].trackId == first);
    CHECK (notes[1].author == session::NoteAuthor::client);

    // Round trip through the writer: the same tracks, numbers as the session has them now.
    const auto written = session::NotesFile::toJson (notes, s);
    const auto again = session::NotesFile::parse (written, "again.json", s);
    REQUIRE (again.size() == 2);
    CHECK (again[0].trackId == second);
    CHECK (again[1].trackId == first);
}

TEST_CASE ("A bad version 2 notes file is refused naming the field", "[notes]")
{
    const auto s = twoTracksOneVersion();
    auto refused = [&s] (const std::string& json, const std::string& words)
    {
        INFO (json);
        CHECK_THROWS_WITH (session::NotesFile::parse (json, "client/notes.json", s),
            Catch::StartsWith ("client/notes.json: ") && Catch::Contains (words));
    };
    refused (
        notesV2With (R"({"track": 1, "version": "v1 proof", "timeSeconds": 1, "text": "x"})"), "note 1: \"trackId\" is missing");
    refused (notesV2With (R"({"trackId": 7, "version": "v1 proof", "timeSeconds": 1, "text": "x"})"),
        "\"trackId\" is missing or not text");
    refused (notesV2With (R"({"trackId": "t9", "version": "v1 proof", "timeSeconds": 1, "text": "x"})"),
        "\"trackId\" names track 't9'");
    refused (notesV2With (R"({"trackId": "t1", "track": 0, "version": "v1 proof", "timeSeconds": 1, "text": "x"})"),
        "\"track\" must be");
    refused (notesV2With (R"({"trackId": "t1", "title": 3, "version": "v1 proof", "timeSeconds": 1, "text": "x"})"),
        "\"title\" must be text");
    refused (
        notesV2With (R"({"trackId": "t1", "version": "v7", "timeSeconds": 1, "text": "x"})"), "\"version\" names version 'v7'");
    refused (notesV2With (R"({"trackId": "t1", "version": "v1 proof", "timeSeconds": 1, "text": "x", "colour": "red"})"),
        "unknown field \"colour\"");
    // A version 1 file knows no track IDs.
    refused (notesWith (R"({"track": 1, "trackId": "t1", "version": "v1 proof", "timeSeconds": 1, "text": "x"})"),
        "unknown field \"trackId\"");
    refused (R"({"format": "crest-notes", "formatVersion": 3, "notes": []})", "(1 to 2)");
}
