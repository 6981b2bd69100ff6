// Notes and figures as the window edits them: each edit one undo step, checked first.

#include "session/Versions.h"

#include <catch2/catch.hpp>

using namespace crest;

namespace
{
session::Session oneVersion()
{
    session::Session s;
    for (int i = 0; i < 2; ++i)
    {
        session::Track t;
        t.source = "/nowhere/" + std::to_string (i) + ".wav";
        s.tracks.push_back (t);
    }
    session::assignTrackIds (s);
    s.versions.push_back (session::captureVersion (s, "v1", "", ""));
    return s;
}
} // namespace

TEST_CASE ("Notes from the window: add, mark done, import, each one undo step", "[notes]")
{
    session::SessionEditor editor (oneVersion());
    session::Note note;
    note.trackId = editor.session().tracks[1].id;
    note.version = "v1";
    note.timeSeconds = 12.5;
    note.text = "hi-hat harsh here";
    session::addNote (editor, note);
    REQUIRE (editor.session().notes.size() == 1);
    CHECK (editor.undoName() == "Add Note");

    session::setNoteDone (editor, 0, true);
    CHECK (editor.session().notes[0].done);
    editor.undo();
    CHECK_FALSE (editor.session().notes[0].done);

    session::importNotes (editor, { note, note });
    CHECK (editor.session().notes.size() == 3);
    CHECK (editor.undoName() == "Import 2 Notes");
    editor.undo();
    CHECK (editor.session().notes.size() == 1);

    // Refused, and nothing changes.
    auto bad = note;
    bad.version = "v9";
    CHECK_THROWS_WITH (session::addNote (editor, bad), Catch::Contains ("v9"));
    bad = note;
    bad.trackId = "t99";
    CHECK_THROWS (session::addNote (editor, bad));
    CHECK_THROWS_WITH (session::setNoteDone (editor, 5, true), Catch::Contains ("note 6"));
    CHECK (editor.session().notes.size() == 1);
}

TEST_CASE ("A proof's figures are kept with the version, by track", "[versions]")
{
    auto s = oneVersion();
    std::map<std::string, std::vector<session::TrackFigures>> figures;
    figures["v1"].resize (2);
    figures["v1"][1].integratedLufs = -11.0;
    figures["nope"].resize (2);
    session::storeFigures (s, figures);
    CHECK_FALSE (s.versions[0].tracks[0].figures.integratedLufs);
    CHECK (*s.versions[0].tracks[1].figures.integratedLufs == Approx (-11.0));
}
