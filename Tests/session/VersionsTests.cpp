// Versions: the v1 -> v2 migration, snapshots and restore (one undo step), and what the
// difference between two versions says, in the words of each kind of change.

#include "TestSignals.h"
#include "engine/AudioFileInput.h"
#include "engine/ModuleIds.h"
#include "engine/OfflineRenderer.h"
#include "session/DifferenceText.h"
#include "session/SessionFile.h"
#include "session/Versions.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <functional>

using namespace crest;
using session::Version;

namespace
{
engine::ChainDescription masterChain()
{
    engine::ChainDescription chain;
    chain.modules.push_back ({ "tone", "equaliser", false,
        { { "band4_type", 3.0f /* high_shelf */ }, { "band4_freq_hz", 10000.0f }, { "band4_gain_db", 0.0f } } });
    chain.modules.push_back ({ "glue", "compressor", false, {} });
    chain.modules.push_back ({ "limiter", "limiter", false, { { "ceiling_dbtp", -1.0f } } });
    return chain;
}

session::Session fourTracks()
{
    session::Session s;
    s.album.title = "Versions";
    s.chain = masterChain();
    for (int i = 0; i < 4; ++i)
    {
        session::Track t;
        t.source = "/nowhere/" + std::to_string (i + 1) + ".wav";
        t.title = "Song " + std::to_string (i + 1);
        s.tracks.push_back (t);
    }
    session::assignTrackIds (s);
    return s;
}

/** The difference between a session and a copy changed by `edit`. */
std::vector<std::string> differenceAfter (const session::Session& s, const std::function<void (session::Session&)>& edit)
{
    auto changed = s;
    edit (changed);
    return session::describeDifference (session::captureVersion (s, "a", "", ""), session::captureVersion (changed, "b", "", ""));
}

void setParam (engine::ChainDescription& chain, const std::string& module, const std::string& id, float value)
{
    auto& params = chain.find (module)->params;
    for (auto& [key, v] : params)
        if (key == id)
        {
            v = value;
            return;
        }
    params.push_back ({ id, value });
}
} // namespace

TEST_CASE ("A version 1 session saved by main's crest opens as version 2 with track IDs", "[versions][session]")
{
    const std::string fixture = std::string (CREST_SOURCE_DIR) + "/Tests/session/fixtures/version1-main-demo.crest";
    const auto s = session::SessionFile::load (fixture);
    REQUIRE (s.tracks.size() == 3);
    CHECK (s.album.title == "Crest Demo Album");
    CHECK (s.tracks[0].id == "t1");
    CHECK (s.tracks[1].id == "t2");
    CHECK (s.tracks[2].id == "t3");
    REQUIRE (s.tracks[1].chain.has_value()); // the per-track chain survives the migration
    CHECK (s.tracks[1].chain->modules.size() == 1);
    CHECK (s.tracks[2].gainDb == Approx (-0.5));
    CHECK (s.chain.modules.size() == 3);
    CHECK (s.versions.empty());
    CHECK (s.notes.empty());

    // Written back, it is version 2 and reads the same.
    const auto dir = test::tempDir();
    session::SessionFile::save (s, dir + "/migrated.crest");
    const auto again = session::SessionFile::load (dir + "/migrated.crest");
    CHECK (again.tracks[1].id == "t2");
    std::ifstream in (dir + "/migrated.crest");
    const std::string text ((std::istreambuf_iterator<char> (in)), std::istreambuf_iterator<char>());
    CHECK_THAT (text, Catch::Contains ("\"version\": 2"));
    CHECK (session::describeDifference (session::captureVersion (s, "x", "", ""), session::captureVersion (again, "y", "", ""))
               .empty());
}

TEST_CASE ("Restoring a version is one undo step, and restore-then-diff is empty", "[versions]")
{
    session::SessionEditor editor (fourTracks());
    session::createVersion (editor, "v1 proof", "first pass", "2026-12-07T04:00:00Z");
    REQUIRE (editor.session().versions.size() == 1);

    // Change everything a version holds.
    editor.setParameter ("limiter", "ceiling_dbtp", -0.8f);
    editor.endGesture();
    editor.setTrackGap (3, 2.5);
    editor.setTrackGain (1, 0.8);
    editor.moveTrack (0, 2);
    editor.apply ("Fade", session::EditKind::album,
        [] (session::Session& s) {
            s.tracks[0].fadeOut = { 3.0, session::FadeCurve::sCurve };
        });
    const auto changed = editor.session();
    const auto* v1 = session::findVersion (changed, "v1 proof");
    REQUIRE (v1 != nullptr);
    CHECK_FALSE (session::describeDifference (*v1, session::captureVersion (changed, "w", "", "")).empty());

    session::restoreVersion (editor, "v1 proof");
    CHECK (editor.undoName() == "Restore Version 'v1 proof'");
    const auto working = session::captureVersion (editor.session(), "working", "", "");
    CHECK (session::describeDifference (*session::findVersion (editor.session(), "v1 proof"), working).empty());
    CHECK (editor.session().tracks[0].title == "Song 1"); // order restored, metadata kept
    CHECK (editor.session().versions.size() == 1); // versions are not rolled back by a restore

    REQUIRE (editor.undo()); // one step takes the whole restore back
    CHECK (session::describeDifference (
        session::captureVersion (changed, "c", "", ""), session::captureVersion (editor.session(), "u", "", ""))
               .empty());

    CHECK_THROWS_WITH (session::restoreVersion (editor, "v9"), Catch::Contains ("no version 'v9'"));
    CHECK_THROWS_WITH (session::createVersion (editor, "v1 proof", "", ""), Catch::Contains ("already a version 'v1 proof'"));
}

TEST_CASE ("Versions, approvals and notes survive a save and a load", "[versions][notes][approval]")
{
    session::SessionEditor editor (fourTracks());
    session::createVersion (editor, "v1", "first", "2026-12-07T04:00:00Z");
    editor.setTrackGain (2, -1.5);
    editor.apply ("Own chain", session::EditKind::album, [] (session::Session& s) { s.tracks[1].chain = masterChain(); });
    session::createVersion (editor, "v2 after notes: more low end", "low shelf", "2026-12-07T05:00:00Z");
    session::approveTrack (editor, 0, "v1");
    auto s = editor.session();
    s.versions[0].tracks[0].figures = { -14.2, 6.1, -1.1, 13.1 };
    s.notes.push_back ({ s.tracks[3].id, "v1", 12.5, 14.0, session::NoteAuthor::client, "more air here", false });
    s.notes.push_back ({ s.tracks[0].id, "", 3.0, std::nullopt, session::NoteAuthor::engineer, "check the fade", true });

    const auto dir = test::tempDir();
    session::SessionFile::save (s, dir + "/s.crest");
    const auto back = session::SessionFile::load (dir + "/s.crest");
    REQUIRE (back.versions.size() == 2);
    for (size_t i = 0; i < 2; ++i)
    {
        CHECK (back.versions[i].name == s.versions[i].name);
        CHECK (back.versions[i].note == s.versions[i].note);
        CHECK (back.versions[i].createdUtc == s.versions[i].createdUtc);
        CHECK (session::describeDifference (s.versions[i], back.versions[i]).empty());
    }
    CHECK (back.versions[0].tracks[0].figures.integratedLufs == Approx (-14.2));
    CHECK (back.versions[0].tracks[0].figures.plrDb == Approx (13.1));
    CHECK_FALSE (back.versions[0].tracks[1].figures.integratedLufs.has_value());
    CHECK (back.tracks[0].approvedVersion == "v1");
    REQUIRE (back.notes.size() == 2);
    CHECK (back.notes[0].trackId == s.tracks[3].id);
    CHECK (back.notes[0].endSeconds == Approx (14.0));
    CHECK (back.notes[0].author == session::NoteAuthor::client);
    CHECK (back.notes[1].done);
    CHECK_FALSE (back.notes[1].endSeconds.has_value());

    // A note or approval naming a version that is not there is refused on load.
    auto broken = s;
    broken.tracks[2].approvedVersion = "v7";
    CHECK_THAT (session::validate (broken),
        Catch::VectorContains (std::string ("track 3: approved at version 'v7', which the session does not have")));
}

TEST_CASE ("The difference says each kind of change in an engineer's words", "[versions]")
{
    const auto s = fourTracks();
    using Catch::VectorContains;

    CHECK_THAT (differenceAfter (s, [] (auto& x) { setParam (x.chain, "tone", "band4_gain_db", 1.0f); }),
        VectorContains (std::string ("High shelf on the master +1.0 dB at 10 kHz")));
    CHECK_THAT (differenceAfter (s, [] (auto& x) { setParam (x.chain, "tone", "band4_freq_hz", 12000.0f); }),
        VectorContains (std::string ("High shelf on the master moved 10 kHz -> 12 kHz")));
    CHECK_THAT (differenceAfter (s, [] (auto& x) { setParam (x.chain, "tone", "band4_type", 0.0f); }),
        VectorContains (std::string ("EQ band 4 on the master: high shelf at 10 kHz -> off")));
    CHECK_THAT (differenceAfter (s,
                    [] (auto& x)
                    {
                        setParam (x.chain, "tone", "band2_type", 1.0f);
                        setParam (x.chain, "tone", "band2_freq_hz", 4500.0f);
                        setParam (x.chain, "tone", "band2_gain_db", -3.0f);
                    }),
        Catch::Equals (std::vector<std::string> { "EQ band 2 on the master: off -> bell -3.0 dB at 4.5 kHz" }));
    CHECK_THAT (differenceAfter (s, [] (auto& x) { setParam (x.chain, "limiter", "ceiling_dbtp", -0.8f); }),
        VectorContains (std::string ("Limiter ceiling -1.0 -> -0.8 dBTP")));
    CHECK_THAT (differenceAfter (s, [] (auto& x) { setParam (x.chain, "glue", "ratio", 2.0f); }),
        VectorContains (std::string ("Compressor ratio 1.0:1 -> 2.0:1")));
    CHECK_THAT (differenceAfter (s, [] (auto& x) { x.tracks[3].gapSeconds = 2.5; }),
        VectorContains (std::string ("Gap before track 4: 2.0 -> 2.5 s")));
    CHECK_THAT (differenceAfter (s, [] (auto& x) { x.tracks[1].gainDb = 0.8; }),
        VectorContains (std::string ("Track 2: louder by 0.8 dB")));
    CHECK_THAT (differenceAfter (s, [] (auto& x) { x.tracks[1].gainDb = -1.25; }),
        VectorContains (std::string ("Track 2: quieter by 1.25 dB")));

    // Modules: added, removed, bypassed, reordered.
    CHECK_THAT (differenceAfter (s,
                    [] (auto& x) {
                        x.chain.modules.insert (x.chain.modules.begin() + 2, { "wide", "imager", false, {} });
                    }),
        VectorContains (std::string ("Stereo imager added to the master after Compressor")));
    CHECK_THAT (differenceAfter (s, [] (auto& x) { x.chain.modules.erase (x.chain.modules.begin() + 1); }),
        VectorContains (std::string ("Compressor removed from the master")));
    CHECK_THAT (differenceAfter (s, [] (auto& x) { x.chain.modules[1].bypass = true; }),
        VectorContains (std::string ("Compressor on the master bypassed")));
    CHECK_THAT (differenceAfter (s, [] (auto& x) { std::swap (x.chain.modules[0], x.chain.modules[1]); }),
        VectorContains (std::string ("Equaliser on the master moved after Compressor")));

    // A track's own chain.
    const auto ownChain = differenceAfter (s, [] (auto& x) { x.tracks[1].chain = masterChain(); });
    CHECK_THAT (ownChain,
        VectorContains (std::string ("Track 2: its own chain (Equaliser, Compressor, Limiter) instead of the master chain")));
    auto withOwn = s;
    withOwn.tracks[1].chain = masterChain();
    CHECK_THAT (differenceAfter (withOwn, [] (auto& x) { setParam (*x.tracks[1].chain, "limiter", "ceiling_dbtp", -0.5f); }),
        VectorContains (std::string ("Track 2: Limiter ceiling -1.0 -> -0.5 dBTP")));
    CHECK_THAT (differenceAfter (withOwn, [] (auto& x) { setParam (*x.tracks[1].chain, "tone", "band4_gain_db", -2.0f); }),
        VectorContains (std::string ("High shelf on track 2 -2.0 dB at 10 kHz")));
    CHECK_THAT (differenceAfter (withOwn, [] (auto& x) { x.tracks[1].chain.reset(); }),
        VectorContains (std::string ("Track 2: back to the master chain (its own chain removed)")));

    // Fades, crossfades, trims, index points, order.
    CHECK_THAT (differenceAfter (s, [] (auto& x) { x.tracks[2].fadeOut.seconds = 3.0; }),
        VectorContains (std::string ("Track 3: fade-out 0.0 -> 3.0 s")));
    CHECK_THAT (differenceAfter (s,
                    [] (auto& x) {
                        x.tracks[0].fadeIn = { 0.5, session::FadeCurve::sCurve };
                    }),
        VectorContains (std::string ("Track 1: fade-in curve linear -> s-curve")));
    CHECK_THAT (differenceAfter (s,
                    [] (auto& x) {
                        x.tracks[2].crossfade = session::Fade { 2.0, session::FadeCurve::equalPower };
                    }),
        VectorContains (std::string ("Track 3 now crossfades from the track before over 2.0 s (was a gap of 2.0 s)")));
    auto crossfaded = s;
    crossfaded.tracks[2].crossfade = session::Fade { 2.0, session::FadeCurve::equalPower };
    CHECK_THAT (differenceAfter (crossfaded, [] (auto& x) { x.tracks[2].crossfade->seconds = 1.5; }),
        VectorContains (std::string ("Crossfade into track 3: 2.0 -> 1.5 s")));
    CHECK_THAT (differenceAfter (crossfaded, [] (auto& x) { x.tracks[2].crossfade.reset(); }),
        VectorContains (std::string ("Crossfade into track 3 removed: a gap of 2.0 s instead")));
    CHECK_THAT (differenceAfter (s, [] (auto& x) { x.tracks[0].trimInSeconds = 0.25; }),
        VectorContains (std::string ("Track 1: trim in 0.0 -> 0.25 s")));
    CHECK_THAT (differenceAfter (s, [] (auto& x) { x.tracks[0].trimOutSeconds = 198.5; }),
        VectorContains (std::string ("Track 1: now ends at 198.5 s of the mix (was its end)")));
    CHECK_THAT (differenceAfter (s,
                    [] (auto& x) {
                        x.tracks[0].indexPoints = { 3.5, 30.0 };
                    }),
        VectorContains (std::string ("Track 1: index points none -> 3.5, 30.0 s")));
    CHECK_THAT (differenceAfter (s, [] (auto& x) { std::rotate (x.tracks.begin(), x.tracks.begin() + 3, x.tracks.end()); }),
        VectorContains (std::string ("Running order: track 4 now plays 1st")));

    // Nothing changed, nothing said; titles are not mastering.
    CHECK (differenceAfter (s, [] (auto& x) { x.tracks[0].title = "Renamed"; }).empty());
}

TEST_CASE ("Loudness-matched switching: two versions of a track play within 0.1 LU", "[versions]")
{
    const auto dir = test::tempDir();
    const auto source = test::writeWav (dir + "/mix.wav", test::musicLike (48000.0, 12.0), 48000.0, 24);
    auto s = fourTracks();
    s.tracks.resize (1);
    s.tracks[0].source = source;

    // v1: the chain as is; v2: a brighter, louder master.
    session::SessionEditor editor (s);
    session::createVersion (editor, "v1", "", "");
    editor.apply ("Brighter", session::EditKind::album,
        [] (session::Session& x)
        {
            setParam (x.chain, "tone", "band4_gain_db", 4.0f);
            x.chain.modules.push_back ({ "gain", "utility", false, { { "gain_db", 3.0f } } });
        });
    session::createVersion (editor, "v2", "", "");

    std::vector<double> lufs;
    std::vector<std::string> renders;
    for (const auto* name : { "v1", "v2" })
    {
        const auto state = session::withVersion (editor.session(), *session::findVersion (editor.session(), name));
        engine::RenderOptions options;
        options.bitsPerSample = 32;
        std::string error;
        const auto out = dir + "/" + name + ".wav";
        const auto result = engine::renderFile (source, out, state.chain, options, error);
        INFO (error);
        REQUIRE (result.has_value());
        REQUIRE (result->output.integratedLufs.has_value());
        lufs.push_back (*result->output.integratedLufs);
        renders.push_back (out);
    }
    CHECK (lufs[1] - lufs[0] > 2.0); // the two really differ in level

    const auto gains = session::loudnessMatchGains (lufs);
    CHECK (gains[0] == Approx (0.0)); // the quieter plays as it is
    CHECK (gains[1] < -2.0);

    // Played with those gains, Crest's meter reads both at the same level over the track.
    std::vector<double> matched;
    for (size_t i = 0; i < 2; ++i)
    {
        std::string error;
        auto input = engine::AudioFileInput::open (renders[i], error);
        REQUIRE (input != nullptr);
        test::Buffer audio (input->info().numChannels, (int) input->info().lengthInSamples);
        REQUIRE (input->read (audio, audio.getNumSamples()) == audio.getNumSamples());
        audio.applyGain ((float) test::dbToGain (gains[i]));
        const auto analysis = test::analyse (audio, 48000.0);
        REQUIRE (analysis.integratedLufs.has_value());
        matched.push_back (*analysis.integratedLufs);
    }
    CHECK (std::abs (matched[0] - matched[1]) < 0.1);
}
