#include "album/LoudnessConform.h"
#include "album/TimelineEdits.h"

#include <catch2/catch.hpp>

#include <cmath>

using namespace crest::album;

TEST_CASE ("Conforming to a target sets each gain to target minus the measurement", "[timeline][loudness]")
{
    const std::vector<std::optional<double>> measured { -10.0, -12.5, std::nullopt, -16.0 };
    const std::vector<double> current { 0.0, 1.0, -2.0, 0.5 };
    const auto gains = conformToTarget (measured, current, -14.0);
    REQUIRE (gains.size() == 4);
    CHECK (gains[0] == Approx (-4.0));
    CHECK (gains[1] == Approx (-1.5));
    CHECK (gains[2] == -2.0); // unmeasured: kept
    CHECK (gains[3] == Approx (2.0));
}

TEST_CASE ("The album's loudness is the energy mean, conforming to it keeps chosen tracks", "[timeline][loudness]")
{
    const std::vector<std::optional<double>> measured { -10.0, -16.0, -20.0 };
    const std::vector<double> current { 0.0, 0.0, -1.0 };
    const double expected = 10.0 * std::log10 ((std::pow (10.0, -1.0) + std::pow (10.0, -1.6) + std::pow (10.0, -2.1)) / 3.0);
    REQUIRE (albumLoudness (measured, current).has_value());
    CHECK (*albumLoudness (measured, current) == Approx (expected));
    CHECK_FALSE (albumLoudness ({ std::nullopt }, { 0.0 }).has_value());

    // Track 3 (an interlude) keeps its level; the others go to the album's loudness.
    const auto gains = conformToAlbum (measured, current, { false, false, true });
    CHECK (gains[0] == Approx (expected + 10.0));
    CHECK (gains[1] == Approx (expected + 16.0));
    CHECK (gains[2] == -1.0);
    CHECK (measured[0].value() + gains[0] == Approx (measured[1].value() + gains[1]));

    // Applied through the timeline's edits: one named step, undone in one.
    crest::session::Session s;
    for (int i = 0; i < 3; ++i)
    {
        crest::session::Track t;
        t.source = std::to_string (i) + ".wav";
        t.gainDb = current[(size_t) i];
        s.tracks.push_back (t);
    }
    crest::session::SessionEditor editor (s);
    TimelineEdits edits (editor);
    REQUIRE (edits.setGains (gains, "Conform to Album Loudness"));
    CHECK (editor.undoName() == "Conform to Album Loudness");
    for (size_t i = 0; i < 3; ++i)
        CHECK (editor.session().tracks[i].gainDb == gains[i]);
    REQUIRE (editor.undo());
    for (size_t i = 0; i < 3; ++i)
        CHECK (editor.session().tracks[i].gainDb == current[i]);
    CHECK_FALSE (editor.canUndo());
}
