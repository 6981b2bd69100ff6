#include "album/TimelineEdits.h"

#include <catch2/catch.hpp>

#include <cmath>

using crest::album::FadeEnd;
using crest::album::TextField;
using crest::album::TimelineEdits;
using crest::engine::AudioFileInfo;
using crest::session::DeliverableTarget;
using crest::session::Fade;
using crest::session::FadeCurve;
using crest::session::Session;
using crest::session::SessionEditor;
using crest::session::Track;

namespace
{
// Three tracks of 60, 50 and 40 s at 44.1 kHz.
Session threeTracks()
{
    Session s;
    for (int i = 0; i < 3; ++i)
    {
        Track t;
        t.source = "track" + std::to_string (i + 1) + ".wav";
        t.title = "Song " + std::to_string (i + 1);
        s.tracks.push_back (t);
    }
    s.album.title = "Album";
    return s;
}

std::map<std::string, AudioFileInfo> sourcesOf (const Session& s)
{
    std::map<std::string, AudioFileInfo> infos;
    for (size_t i = 0; i < s.tracks.size(); ++i)
    {
        AudioFileInfo info;
        info.sampleRate = 44100.0;
        info.numChannels = 2;
        info.lengthInSamples = (int64_t) (60 - 10 * (int) i) * 44100;
        infos[s.tracks[i].source] = info;
    }
    return infos;
}

void checkFade (const Fade& a, const Fade& b)
{
    CHECK (a.seconds == b.seconds);
    CHECK (a.curve == b.curve);
}

// Every field of the two sessions that the album timeline edits, compared one by one.
void checkSame (const Session& a, const Session& b)
{
    CHECK (a.album.title == b.album.title);
    CHECK (a.album.performer == b.album.performer);
    CHECK (a.album.songwriter == b.album.songwriter);
    CHECK (a.album.composer == b.album.composer);
    CHECK (a.album.arranger == b.album.arranger);
    CHECK (a.album.message == b.album.message);
    CHECK (a.album.upc == b.album.upc);
    CHECK (a.album.catalogueNumber == b.album.catalogueNumber);
    CHECK (a.album.genre == b.album.genre);
    CHECK (a.album.language == b.album.language);
    CHECK (a.album.year == b.album.year);
    REQUIRE (a.tracks.size() == b.tracks.size());
    for (size_t i = 0; i < a.tracks.size(); ++i)
    {
        INFO ("track " << i + 1);
        const auto& x = a.tracks[i];
        const auto& y = b.tracks[i];
        CHECK (x.source == y.source);
        CHECK (x.trimInSeconds == y.trimInSeconds);
        CHECK (x.trimOutSeconds == y.trimOutSeconds);
        CHECK (x.gainDb == y.gainDb);
        checkFade (x.fadeIn, y.fadeIn);
        checkFade (x.fadeOut, y.fadeOut);
        CHECK (x.gapSeconds == y.gapSeconds);
        REQUIRE (x.crossfade.has_value() == y.crossfade.has_value());
        if (x.crossfade)
            checkFade (*x.crossfade, *y.crossfade);
        CHECK (x.indexPoints == y.indexPoints);
        CHECK (x.title == y.title);
        CHECK (x.performer == y.performer);
        CHECK (x.songwriter == y.songwriter);
        CHECK (x.composer == y.composer);
        CHECK (x.arranger == y.arranger);
        CHECK (x.message == y.message);
        CHECK (x.isrc == y.isrc);
        CHECK (x.chain.has_value() == y.chain.has_value());
    }
}

// Checks that the edit just made is exactly one undo step named `name`, that the session is
// `expected`, and that undo gives back `before` and redo `expected`, field by field.
void checkOneStep (
    SessionEditor& editor, const Session& before, const Session& expected, const std::string& name, size_t stepsBefore)
{
    CHECK (editor.undoName() == name);
    checkSame (editor.session(), expected);
    // One step: a single undo returns to the session before the edit.
    REQUIRE (editor.undo());
    checkSame (editor.session(), before);
    CHECK (editor.redoName() == name);
    REQUIRE (editor.redo());
    checkSame (editor.session(), expected);
    // And nothing more was recorded: undoing it leaves exactly the steps there were before.
    size_t steps = 0;
    while (editor.undo())
        ++steps;
    CHECK (steps == stepsBefore + 1);
    while (editor.redo())
        ;
}

struct Fixture
{
    SessionEditor editor { threeTracks() };
    TimelineEdits edits { editor };
    Fixture() { edits.setSources (sourcesOf (editor.session())); }
};
} // namespace

TEST_CASE ("Dragging a track through many positions is one step", "[timeline]")
{
    Fixture f;
    const auto before = f.editor.session();
    // The drag passes every position on its way: 1 -> 2 -> 3 and back to 2.
    REQUIRE (f.edits.dragTrack (0, 1));
    REQUIRE (f.edits.dragTrack (1, 2));
    REQUIRE (f.edits.dragTrack (2, 1));
    f.edits.endGesture();
    auto expected = before;
    std::swap (expected.tracks[0], expected.tracks[1]);
    checkOneStep (f.editor, before, expected, "Move Track 1", 0);

    // A second drag after the mouse-up is its own step.
    REQUIRE (f.edits.dragTrack (2, 0));
    f.edits.endGesture();
    CHECK (f.editor.undoName() == "Move Track 3");
    CHECK (f.editor.session().tracks[0].source == "track3.wav");
    REQUIRE (f.editor.undo());
    checkSame (f.editor.session(), expected);

    CHECK_FALSE (f.edits.dragTrack (0, 3));
    CHECK_FALSE (f.edits.dragTrack (-1, 0));
}

TEST_CASE ("A track with a crossfade dragged to the front starts with a gap", "[timeline]")
{
    Fixture f;
    REQUIRE (f.edits.setCrossfade (1, 3.0));
    const auto before = f.editor.session();
    REQUIRE (f.edits.dragTrack (1, 0));
    f.edits.endGesture();
    auto expected = before;
    std::swap (expected.tracks[0], expected.tracks[1]);
    expected.tracks[0].crossfade.reset();
    expected.tracks[0].gapSeconds = 2.0;
    checkOneStep (f.editor, before, expected, "Move Track 2", 1);
}

TEST_CASE ("Gap and crossfade handles: a drag across zero is one step", "[timeline]")
{
    Fixture f;
    const auto before = f.editor.session();
    // Drag the spacing handle of track 2 from its 2 s gap through 0 into a 4 s overlap.
    for (double s : { 1.5, 0.7, 0.0, -1.0, -2.5, -4.0 })
        REQUIRE (f.edits.setSpacing (1, s));
    f.edits.endGesture();
    auto expected = before;
    expected.tracks[1].gapSeconds = 0.0;
    expected.tracks[1].crossfade = Fade { 4.0, FadeCurve::equalPower };
    checkOneStep (f.editor, before, expected, "Set Gap Before Track 2", 0);

    // The crossfade's curve, then its length again: the curve is kept.
    REQUIRE (f.edits.setCrossfadeCurve (1, FadeCurve::sCurve));
    expected.tracks[1].crossfade->curve = FadeCurve::sCurve;
    checkSame (f.editor.session(), expected);
    CHECK (f.editor.undoName() == "Set Crossfade Curve of Track 2");
    const auto withCurve = f.editor.session();
    REQUIRE (f.edits.setCrossfade (1, 6.0));
    f.edits.endGesture();
    expected.tracks[1].crossfade->seconds = 6.0;
    checkOneStep (f.editor, withCurve, expected, "Set Crossfade Before Track 2", 2);

    // A gap on the same track removes the crossfade.
    const auto crossfaded = f.editor.session();
    REQUIRE (f.edits.setGap (1, 3.25));
    f.edits.endGesture();
    expected.tracks[1].crossfade.reset();
    expected.tracks[1].gapSeconds = 3.25;
    checkOneStep (f.editor, crossfaded, expected, "Set Gap Before Track 2", 3);

    // Refused, making no step: no crossfade on track 1, negative gaps, a crossfade longer
    // than the shorter track (track 3 is 40 s).
    CHECK_FALSE (f.edits.setCrossfade (0, 1.0));
    CHECK_FALSE (f.edits.problem().empty());
    CHECK_FALSE (f.edits.setGap (1, -1.0));
    CHECK_FALSE (f.edits.setCrossfade (2, 45.0));
    CHECK (f.edits.problem().find ("track 3") != std::string::npos);
    CHECK_FALSE (f.edits.setCrossfadeCurve (2, FadeCurve::linear)); // it has none
    CHECK (f.editor.undoName() == "Set Gap Before Track 2");
    checkSame (f.editor.session(), expected);
}

TEST_CASE ("Fade handles and curves, each one step", "[timeline]")
{
    Fixture f;
    auto before = f.editor.session();
    for (double s : { 0.5, 1.0, 2.0, 3.5 })
        REQUIRE (f.edits.setFade (0, FadeEnd::in, s));
    f.edits.endGesture();
    auto expected = before;
    expected.tracks[0].fadeIn.seconds = 3.5;
    checkOneStep (f.editor, before, expected, "Set Fade-In of Track 1", 0);

    before = f.editor.session();
    for (double s : { 2.0, 6.0, 8.0 })
        REQUIRE (f.edits.setFade (2, FadeEnd::out, s));
    f.edits.endGesture();
    expected.tracks[2].fadeOut.seconds = 8.0;
    checkOneStep (f.editor, before, expected, "Set Fade-Out of Track 3", 1);

    int steps = 2;
    for (auto curve : { FadeCurve::equalPower, FadeCurve::logarithmic, FadeCurve::sCurve, FadeCurve::linear })
    {
        before = f.editor.session();
        REQUIRE (f.edits.setFadeCurve (2, FadeEnd::out, curve));
        expected.tracks[2].fadeOut.curve = curve;
        checkOneStep (f.editor, before, expected, "Set Fade-Out Curve of Track 3", (size_t) steps++);
    }
    before = f.editor.session();
    REQUIRE (f.edits.setFadeCurve (0, FadeEnd::in, FadeCurve::logarithmic));
    expected.tracks[0].fadeIn.curve = FadeCurve::logarithmic;
    checkOneStep (f.editor, before, expected, "Set Fade-In Curve of Track 1", (size_t) steps++);

    // A fade longer than its track (40 s) is refused with the timeline's reason.
    CHECK_FALSE (f.edits.setFade (2, FadeEnd::in, 41.0));
    CHECK (f.edits.problem().find ("track 3") != std::string::npos);
    CHECK_FALSE (f.edits.setFadeCurve (2, FadeEnd::out, FadeCurve::linear)); // no change
    checkSame (f.editor.session(), expected);
}

TEST_CASE ("Trims at both ends, each drag one step", "[timeline]")
{
    Fixture f;
    auto before = f.editor.session();
    for (double s : { 0.1, 0.25, 0.5 })
        REQUIRE (f.edits.setTrimIn (1, s));
    f.edits.endGesture();
    auto expected = before;
    expected.tracks[1].trimInSeconds = 0.5;
    checkOneStep (f.editor, before, expected, "Trim Start of Track 2", 0);

    before = f.editor.session();
    for (double s : { 49.0, 45.0, 44.0 })
        REQUIRE (f.edits.setTrimOut (1, s));
    f.edits.endGesture();
    expected.tracks[1].trimOutSeconds = 44.0;
    checkOneStep (f.editor, before, expected, "Trim End of Track 2", 1);

    before = f.editor.session();
    REQUIRE (f.edits.setTrimOut (1, std::nullopt));
    expected.tracks[1].trimOutSeconds.reset();
    checkOneStep (f.editor, before, expected, "Trim End of Track 2", 2);

    CHECK_FALSE (f.edits.setTrimOut (1, 51.0)); // beyond the 50 s source
    CHECK_FALSE (f.edits.problem().empty());
    CHECK_FALSE (f.edits.setTrimIn (1, -0.1));
    REQUIRE (f.edits.setTrimOut (1, 10.0));
    f.edits.endGesture();
    CHECK_FALSE (f.edits.setTrimIn (1, 10.0)); // would start where it ends
    CHECK_FALSE (f.edits.setTrimOut (1, 0.4)); // would end before the 0.5 s trim-in
}

TEST_CASE ("A gain drag is one step, a conform sets every gain in one step", "[timeline]")
{
    Fixture f;
    auto before = f.editor.session();
    for (double db : { -0.5, -1.0, -1.5, -2.25 })
        REQUIRE (f.edits.setGain (2, db));
    f.edits.endGesture();
    auto expected = before;
    expected.tracks[2].gainDb = -2.25;
    checkOneStep (f.editor, before, expected, "Set Gain of Track 3", 0);
    CHECK_FALSE (f.edits.setGain (2, std::nan ("")));

    before = f.editor.session();
    REQUIRE (f.edits.setGains ({ 1.0, -0.5, 0.25 }, "Conform Loudness"));
    expected.tracks[0].gainDb = 1.0;
    expected.tracks[1].gainDb = -0.5;
    expected.tracks[2].gainDb = 0.25;
    checkOneStep (f.editor, before, expected, "Conform Loudness", 1);
    CHECK_FALSE (f.edits.setGains ({ 1.0 }, "Conform Loudness"));
}

TEST_CASE ("Index markers: add, drag past another, remove", "[timeline]")
{
    Fixture f;
    auto before = f.editor.session();
    CHECK (f.edits.addIndex (0, 20.0) == 0);
    auto expected = before;
    expected.tracks[0].indexPoints = { 20.0 };
    checkOneStep (f.editor, before, expected, "Add Index to Track 1", 0);

    before = f.editor.session();
    CHECK (f.edits.addIndex (0, 10.0) == 0);
    expected.tracks[0].indexPoints = { 10.0, 20.0 };
    checkOneStep (f.editor, before, expected, "Add Index to Track 1", 1);

    // Drag INDEX 02 (10 s) past INDEX 03 (20 s): it becomes INDEX 03; the drag is one step.
    before = f.editor.session();
    int which = 0;
    for (double s : { 12.0, 18.0, 25.0, 30.0 })
    {
        which = f.edits.moveIndex (0, which, s);
        REQUIRE (which >= 0);
    }
    f.edits.endGesture();
    CHECK (which == 1);
    expected.tracks[0].indexPoints = { 20.0, 30.0 };
    checkOneStep (f.editor, before, expected, "Move Index of Track 1", 2);

    // Onto another point, outside the track (60 s), at or before INDEX 01: refused.
    CHECK (f.edits.moveIndex (0, 1, 20.0) == -1);
    CHECK (f.edits.addIndex (0, 61.0) == -1);
    CHECK (f.edits.problem().find ("track 1") != std::string::npos);
    CHECK (f.edits.addIndex (0, 0.0) == -1);
    CHECK (f.edits.moveIndex (0, 5, 3.0) == -1);

    before = f.editor.session();
    REQUIRE (f.edits.removeIndex (0, 0));
    expected.tracks[0].indexPoints = { 30.0 };
    checkOneStep (f.editor, before, expected, "Remove Index from Track 1", 3);
    CHECK_FALSE (f.edits.removeIndex (0, 1));
}

TEST_CASE ("With a CD target every time snaps to CD frames, gain does not", "[timeline]")
{
    Fixture f;
    auto session = f.editor.session();
    session.deliverables.targets = { DeliverableTarget::streaming };
    f.editor.reset (session);
    CHECK_FALSE (crest::album::snapsToCdFrames (f.editor.session()));
    REQUIRE (f.edits.setGap (1, 1.234));
    CHECK (f.editor.session().tracks[1].gapSeconds == 1.234);

    session.deliverables.targets = { DeliverableTarget::ddp };
    f.editor.reset (session);
    CHECK (crest::album::snapsToCdFrames (f.editor.session()));
    const auto onFrame = [] (double seconds) { return std::abs (seconds * 75.0 - std::round (seconds * 75.0)) < 1e-9; };
    const double odd = 1.2345; // 92.5875 frames: 93 frames = 1.24 s
    REQUIRE (f.edits.setGap (1, odd));
    CHECK (f.editor.session().tracks[1].gapSeconds == 93.0 / 75.0);
    REQUIRE (f.edits.setCrossfade (2, odd));
    CHECK (f.editor.session().tracks[2].crossfade->seconds == 93.0 / 75.0);
    REQUIRE (f.edits.setFade (0, FadeEnd::in, odd));
    REQUIRE (f.edits.setFade (0, FadeEnd::out, 2.0 * odd));
    REQUIRE (f.edits.setTrimIn (0, odd / 3.0));
    REQUIRE (f.edits.setTrimOut (0, 50.0 + odd));
    CHECK (f.edits.addIndex (1, 10.0 + odd) == 0);
    REQUIRE (f.edits.setGain (0, -1.2345));
    const auto& t0 = f.editor.session().tracks[0];
    const auto& t1 = f.editor.session().tracks[1];
    CHECK (onFrame (t0.fadeIn.seconds));
    CHECK (onFrame (t0.fadeOut.seconds));
    CHECK (onFrame (t0.trimInSeconds));
    CHECK (onFrame (*t0.trimOutSeconds));
    CHECK (onFrame (t1.indexPoints.at (0)));
    CHECK (t0.gainDb == -1.2345);
    // A drag whose positions all round to the frame already set makes no step.
    const auto name = f.editor.undoName();
    CHECK_FALSE (f.edits.setGap (1, 93.2 / 75.0));
    CHECK (f.editor.undoName() == name);
}

TEST_CASE ("Inspector edits: texts, ISRC and UPC validated, chain choice", "[timeline]")
{
    Fixture f;
    size_t steps = 0;
    auto before = f.editor.session();
    auto expected = before;
    REQUIRE (f.edits.setTrackText (1, TextField::composer, "A. Composer"));
    expected.tracks[1].composer = "A. Composer";
    checkOneStep (f.editor, before, expected, "Set Composer of Track 2", steps++);

    before = f.editor.session();
    REQUIRE (f.edits.setIsrc (1, "gb-abc-24-00012"));
    expected.tracks[1].isrc = "GBABC2400012";
    checkOneStep (f.editor, before, expected, "Set ISRC of Track 2", steps++);
    CHECK_FALSE (f.edits.setIsrc (1, "GB-ABC-2X-00012"));
    CHECK_FALSE (f.edits.problem().empty());
    CHECK_FALSE (f.edits.setIsrc (1, "GBABC24"));

    before = f.editor.session();
    REQUIRE (f.edits.setUpc ("0 12345 67890 5"));
    expected.album.upc = "012345678905";
    checkOneStep (f.editor, before, expected, "Set UPC/EAN", steps++);
    CHECK_FALSE (f.edits.setUpc ("012345678901"));
    CHECK (f.edits.problem().find ("5") != std::string::npos); // names the expected check digit

    before = f.editor.session();
    REQUIRE (f.edits.setAlbumText (TextField::performer, "The Band"));
    expected.album.performer = "The Band";
    checkOneStep (f.editor, before, expected, "Set Album Performer", steps++);

    for (auto [ok, step] : { std::pair { f.edits.setCatalogueNumber ("CAT-001"), "Set Catalogue Number" },
             std::pair { f.edits.setGenre ("Jazz"), "Set Genre" }, std::pair { f.edits.setLanguage ("de"), "Set Language" },
             std::pair { f.edits.setYear (2026), "Set Year" } })
    {
        CHECK (ok);
        (void) step;
        ++steps;
    }
    CHECK (f.editor.undoName() == "Set Year");
    CHECK (f.editor.session().album.catalogueNumber == "CAT-001");
    CHECK (f.editor.session().album.genre == "Jazz");
    CHECK (f.editor.session().album.language == "de");
    CHECK (f.editor.session().album.year == 2026);
    CHECK_FALSE (f.edits.setLanguage ("German"));
    CHECK_FALSE (f.edits.setYear (26));

    REQUIRE (f.edits.useOwnChain (2, true));
    CHECK (f.editor.undoName() == "Own Chain for Track 3");
    CHECK (f.editor.session().tracks[2].chain.has_value());
    REQUIRE (f.edits.useOwnChain (2, false));
    CHECK_FALSE (f.editor.session().tracks[2].chain.has_value());
    REQUIRE (f.editor.undo());
    CHECK (f.editor.session().tracks[2].chain.has_value());
}
