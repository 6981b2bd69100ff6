#include "TestSignals.h"
#include "session/SessionEditor.h"
#include "session/SessionFile.h"
#include "session/SessionRecovery.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <unistd.h>

using namespace crest;
namespace Recovery = session::SessionRecovery;
namespace fs = std::filesystem;

namespace
{
/** A saved two-track session in a fresh folder; returns its path. */
std::string savedSession (const std::string& folder)
{
    const auto a = test::writeWav (folder + "/one.wav", test::sine (44100.0, 2, 5.0, 440.0, -12.0), 44100.0);
    const auto b = test::writeWav (folder + "/two.wav", test::sine (44100.0, 2, 5.0, 660.0, -12.0), 44100.0);
    session::SessionEditor editor;
    editor.addTrack (a, "One");
    editor.addTrack (b, "Two");
    editor.addModule ("limiter");
    auto s = editor.session();
    s.album.title = "Saved album";
    const auto path = folder + "/album.crest";
    session::SessionFile::save (s, path);
    return path;
}
} // namespace

TEST_CASE ("The recovery file of a saved session sits beside it, of an unsaved one in the data folder", "[session][recovery]")
{
    const auto folder = test::tempDir();
    const auto data = test::tempDir() + "/Crest";
    const auto path = savedSession (folder);
    CHECK (Recovery::pathFor (path, data) == folder + "/.album.crest-recovery");
    CHECK (Recovery::pathFor ("", data) == data + "/untitled.crest-recovery");

    // A session in a folder that cannot be written: the data folder, under a name of its own.
    const auto readOnly = test::tempDir();
    fs::permissions (readOnly, fs::perms::owner_write, fs::perm_options::remove);
    const auto elsewhere = Recovery::pathFor (readOnly + "/album.crest", data);
    fs::permissions (readOnly, fs::perms::owner_write, fs::perm_options::add);
    if (::geteuid() != 0) // root writes everywhere
    {
        CHECK (fs::path (elsewhere).parent_path() == fs::path (data));
        CHECK (fs::path (elsewhere).filename().string().rfind ("recovery-", 0) == 0);
        CHECK (elsewhere != Recovery::pathFor (readOnly + "/other.crest", data));
    }
}

TEST_CASE ("An edit written to the recovery file reads back whole, paths resolved, and says what differs", "[session][recovery]")
{
    const auto folder = test::tempDir();
    const auto data = test::tempDir() + "/Crest";
    const auto path = savedSession (folder);
    const auto saved = session::SessionFile::load (path);

    std::string error;
    CHECK_FALSE (Recovery::find (path, data, error).has_value());
    CHECK (error.empty());

    session::SessionEditor editor (saved);
    editor.setTrackTitle (1, "Two (edited)");
    editor.setTrackGain (0, -1.5);
    editor.setParameter ("limiter", "ceiling_dbtp", -0.3f);
    editor.apply ("Set album title", session::EditKind::album, [] (session::Session& s) { s.album.title = "Recovered album"; });
    REQUIRE (Recovery::write (editor.session(), path, data, 1796612808950, error));
    CHECK (error.empty());
    CHECK (fs::exists (folder + "/.album.crest-recovery"));
    // Written atomically: no partial file is left beside it.
    for (const auto& name : test::filesUnder (folder))
        CHECK (name.find ("partial") == std::string::npos);

    const auto found = Recovery::find (path, data, error);
    REQUIRE (found.has_value());
    CHECK (error.empty());
    CHECK (found->sessionPath == path);
    CHECK (found->writtenMs == 1796612808950);
    CHECK (found->session.album.title == "Recovered album");
    CHECK (found->session.tracks[1].title == "Two (edited)");
    CHECK (found->session.tracks[0].gainDb == Approx (-1.5));
    CHECK (found->session.tracks[0].source == saved.tracks[0].source); // absolute again
    CHECK (found->session.sourceCache == saved.sourceCache);
    CHECK (session::sameChain (found->session.chain, editor.session().chain));

    const auto lines = Recovery::differences (saved, found->session);
    REQUIRE (lines.size() == 4);
    CHECK (lines[0] == "album: title: \"Saved album\" -> \"Recovered album\"");
    CHECK (lines[1].find ("module limiter: params: ceiling_dbtp") != std::string::npos);
    CHECK (lines[2] == "track 1 (One): gain_db: 0.0 -> -1.5");
    CHECK (lines[3] == "track 2 (Two): title: \"Two\" -> \"Two (edited)\"");
    CHECK (Recovery::differences (saved, saved).empty());

    // A clean save removes it.
    CHECK (Recovery::remove (path, data));
    CHECK_FALSE (fs::exists (folder + "/.album.crest-recovery"));
    CHECK_FALSE (Recovery::find (path, data, error).has_value());
}

TEST_CASE ("An unsaved session recovers from the data folder, added tracks and modules are named", "[session][recovery]")
{
    const auto folder = test::tempDir();
    const auto data = test::tempDir() + "/Crest"; // not there yet: write creates it
    const auto source = test::writeWav (folder + "/mix.wav", test::sine (44100.0, 2, 5.0, 440.0, -12.0), 44100.0);
    session::SessionEditor editor;
    editor.addTrack (source, "Mix");
    editor.addModule ("equaliser");
    std::string error;
    REQUIRE (Recovery::write (editor.session(), "", data, 5, error));
    const auto found = Recovery::find ("", data, error);
    REQUIRE (found.has_value());
    CHECK (found->sessionPath.empty());
    CHECK (found->session.tracks.at (0).source == source);
    const auto lines = Recovery::differences (session::Session {}, found->session);
    CHECK (std::find (lines.begin(), lines.end(), "chain: module equaliser (equaliser) added") != lines.end());
    CHECK (std::find (lines.begin(), lines.end(), "track 1 (Mix) added") != lines.end());

    // Many changes are cut to the lines asked for, the last saying how many more.
    session::SessionEditor many (found->session);
    for (int i = 0; i < 20; ++i)
        many.addTrack (source, "Copy " + std::to_string (i));
    const auto cut = Recovery::differences (found->session, many.session(), 5);
    REQUIRE (cut.size() == 5);
    CHECK (cut.back() == "... and 16 more");
}

TEST_CASE ("A damaged recovery file is named with its reason and left on disk", "[session][recovery]")
{
    const auto folder = test::tempDir();
    const auto data = test::tempDir();
    const auto path = savedSession (folder);
    const auto recovery = Recovery::pathFor (path, data);
    for (const std::string text : { std::string ("{\"format\": \"crest-recovery\", \"version\": 1, \"sess"),
             std::string ("{\"format\": \"crest-chain\"}"), std::string ("{\"format\": \"crest-recovery\", \"version\": 9}") })
    {
        std::ofstream (recovery) << text;
        std::string error;
        CHECK_FALSE (Recovery::find (path, data, error).has_value());
        CHECK (error.find (recovery) == 0);
        CHECK (error.find ("cannot be used") != std::string::npos);
        CHECK (fs::exists (recovery));
    }
}
