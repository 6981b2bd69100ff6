#include "TestSignals.h"
#include "session/SessionFile.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using namespace crest;
using session::SessionError;
using session::SessionFile::parse;

namespace
{
std::string parseError (const std::string& json)
{
    try
    {
        parse (json, "s.crest", "/album");
    }
    catch (const SessionError& e)
    {
        return e.what();
    }
    FAIL ("the session was accepted: " << json);
    return {};
}

std::string withTrack (const std::string& trackFields)
{
    return R"({"format": "crest-session", "version": 1, "tracks": [{"source": "a.wav")" + trackFields + "}]}";
}
} // namespace

TEST_CASE ("A version-1 session file loads, paths resolved against its folder", "[session][file]")
{
    const std::string fixture = std::string (CREST_SOURCE_DIR) + "/Tests/session/fixtures/version1.crest";
    const auto s = session::SessionFile::load (fixture);
    const auto folder = std::filesystem::path (fixture).parent_path();

    CHECK (s.sampleRate == 44100.0);
    CHECK (s.album.title == "Fixture Album");
    CHECK (s.album.upc == "4006381333931");
    CHECK (s.album.year == 2024);
    REQUIRE (s.chain.modules.size() == 1);
    CHECK (s.chain.modules[0].type == "limiter");
    REQUIRE (s.tracks.size() == 2);
    CHECK (s.tracks[0].source == (folder / "audio/one.wav").string());
    CHECK (s.tracks[0].isrc == "USRC17607839");
    CHECK (s.tracks[0].fadeIn.curve == session::FadeCurve::sCurve);
    CHECK (s.tracks[0].indexPoints == std::vector<double> { 3.5 });
    REQUIRE (s.tracks[1].crossfade.has_value());
    CHECK (s.tracks[1].crossfade->seconds == 1.5);
    CHECK (s.tracks[1].crossfade->curve == session::FadeCurve::equalPower);
    CHECK (s.tracks[1].fadeOut.curve == session::FadeCurve::logarithmic);
    CHECK (s.tracks[1].trimOutSeconds == 9.0);
    CHECK (s.tracks[1].gainDb == -1.5);
    CHECK (s.references.at (0).source == "/refs/reference.flac");
    CHECK (s.deliverables.targets
        == std::vector<session::DeliverableTarget> {
            session::DeliverableTarget::cd, session::DeliverableTarget::ddp, session::DeliverableTarget::mp3 });
    CHECK (s.deliverables.streamingLufs == -14.0);
    CHECK_FALSE (s.deliverables.streamingAlbumMode);
    CHECK (s.deliverables.vinyl.sideStarts == std::vector<int> { 0, 1 });
    CHECK (s.deliverables.vinyl.rpm == 45);

    // Its sources are not there: the session still opens, and the missing ones are named.
    const auto missing = session::SessionFile::missingSources (s);
    REQUIRE (missing.size() == 2);
    CHECK (missing[0].trackNumber == 1);
    CHECK_THROWS_WITH (session::SessionFile::checkSources (s),
                       Catch::Contains ("track 1: source file not found") && Catch::Contains ("audio/one.wav")
                           && Catch::Contains ("track 2"));
}

TEST_CASE ("Sessions save atomically and load back equal, sources relative to the session", "[session][file]")
{
    const auto dir = test::tempDir();
    const std::string fixture = std::string (CREST_SOURCE_DIR) + "/Tests/session/fixtures/version1.crest";
    auto s = session::SessionFile::load (fixture);
    s.tracks[0].source = dir + "/mixes/one.wav";
    s.tracks[1].source = dir + "/two.wav";
    s.tracks[1].chain = s.chain;

    const auto path = dir + "/album.crest";
    session::SessionFile::save (s, path);
    CHECK (std::filesystem::directory_iterator (dir) != std::filesystem::directory_iterator()); // written
    for (const auto& entry : std::filesystem::directory_iterator (dir))
        CHECK (entry.path().filename() == "album.crest"); // no temporary left behind

    std::ifstream in (path);
    const std::string text ((std::istreambuf_iterator<char> (in)), std::istreambuf_iterator<char>());
    CHECK_THAT (text, Catch::Contains ("\"source\": \"mixes/one.wav\""));
    CHECK_THAT (text, Catch::Contains ("\"source\": \"two.wav\""));

    const auto back = session::SessionFile::load (path);
    CHECK (session::SessionFile::toJson (back, dir) == session::SessionFile::toJson (s, dir));
    CHECK (back.tracks[0].source == dir + "/mixes/one.wav");
    REQUIRE (back.tracks[1].chain.has_value());

    CHECK_THROWS_WITH (session::SessionFile::save (s, dir + "/no/such/folder/x.crest"), Catch::Contains ("does not exist"));
}

TEST_CASE ("Session load errors name the place and the rule", "[session][file]")
{
    CHECK_THAT (parseError ("{\"format\": \"crest-session\",\n  \"version\": 1,,}"),
                Catch::Contains ("s.crest: not valid JSON at line 2, column 16"));
    CHECK_THAT (parseError (R"({"format": "crest-session", "version": 7})"),
                Catch::Contains ("version 7 is newer") && Catch::Contains ("update Crest"));
    CHECK_THAT (parseError (R"({"format": "crest-chain", "version": 1})"), Catch::Contains ("not a Crest session"));
    CHECK_THAT (parseError (R"({"format": "crest-session", "version": 1, "album": {"titel": "x"}})"),
                Catch::Contains ("album: unknown key 'titel'"));
    CHECK_THAT (parseError (R"({"format": "crest-session", "version": 1, "colour": 3})"), Catch::Contains ("unknown key 'colour'"));
    CHECK_THAT (parseError (withTrack (R"(, "fade_in_curve": "wobbly")")),
                Catch::Contains ("track 1: 'fade_in_curve' unknown curve 'wobbly'"));
    CHECK_THAT (parseError (withTrack (R"(, "isrc": "GB-ABC-24-0001")")), Catch::Contains ("track 1: 'isrc'") && Catch::Contains ("CC-XXX-YY-NNNNN"));
    CHECK_THAT (parseError (R"({"format": "crest-session", "version": 1, "album": {"upc": "036000291453"}})"),
                Catch::Contains ("check digit"));
    CHECK_THAT (parseError (withTrack (R"(, "gap_s": -1)")), Catch::Contains ("'gap_s' times must not be negative"));
    CHECK_THAT (parseError (withTrack (R"(, "crossfade_s": 2)")), Catch::Contains ("first track cannot crossfade"));
    CHECK_THAT (parseError (withTrack (R"(, "trim_in_s": 5, "trim_out_s": 4)")), Catch::Contains ("must come after trim_in_s"));
    CHECK_THAT (parseError (withTrack (R"(, "trim_out_s": 4, "fade_out_s": 5)")),
                Catch::Contains ("fade_out_s must not be longer than the track"));
    CHECK_THAT (parseError (withTrack (R"(, "crossfade_curve": "linear")")), Catch::Contains ("set crossfade_s"));
    CHECK_THAT (parseError (R"({"format": "crest-session", "version": 1, "deliverables": {"targets": ["cd", "cassette"]}})"),
                Catch::Contains ("unknown target 'cassette'"));
    CHECK_THAT (parseError (withTrack (R"(, "chain": {"format": "crest-chain", "version": 1, "modules": [{"id": "x", "type": "flanger"}]})")),
                Catch::Contains ("unknown module type 'flanger'"));
    CHECK_THAT (parseError (R"({"format": "crest-session", "version": 1, "tracks": [{"title": "no source"}]})"),
                Catch::Contains ("track 1: 'source' is missing"));
}

TEST_CASE ("Fields set from text keep their rules and leave the session untouched when refused", "[session][file]")
{
    session::Session s;
    s.tracks.resize (2);
    s.tracks[0].source = s.tracks[1].source = "/x.wav";
    session::SessionFile::setTrackField (s, 1, "crossfade_s", "3");
    session::SessionFile::setTrackField (s, 1, "crossfade_curve", "s-curve");
    session::SessionFile::setTrackField (s, 1, "index_s", "10, 5.5");
    session::SessionFile::setTrackField (s, 0, "isrc", "gb-abc-24-00001");
    session::SessionFile::setAlbumField (s, "targets", "cd,ddp,mp3");
    session::SessionFile::setAlbumField (s, "upc", "036000291452");
    CHECK (s.tracks[1].crossfade->curve == session::FadeCurve::sCurve);
    CHECK (s.tracks[1].indexPoints == std::vector<double> { 5.5, 10.0 });
    CHECK (s.tracks[0].isrc == "GBABC2400001");
    CHECK (s.deliverables.targets.size() == 3);

    const auto before = session::SessionFile::toJson (s, "/");
    CHECK_THROWS_WITH (session::SessionFile::setTrackField (s, 0, "gap_s", "two"), Catch::Contains ("not a number"));
    CHECK_THROWS_WITH (session::SessionFile::setTrackField (s, 0, "fade_in_curve", "cubic"), Catch::Contains ("unknown curve"));
    CHECK_THROWS_WITH (session::SessionFile::setTrackField (s, 0, "loudness", "3"), Catch::Contains ("unknown key 'loudness'"));
    CHECK_THROWS_WITH (session::SessionFile::setTrackField (s, 5, "title", "x"), Catch::Contains ("no track 6"));
    CHECK_THROWS_WITH (session::SessionFile::setAlbumField (s, "hires_rate", "50000"), Catch::Contains ("one of 88200"));
    CHECK_THROWS_WITH (session::SessionFile::setAlbumField (s, "language", "English"), Catch::Contains ("ISO 639-1"));
    CHECK (session::SessionFile::toJson (s, "/") == before);

    session::SessionFile::setTrackField (s, 1, "crossfade_s", "0");
    CHECK_FALSE (s.tracks[1].crossfade.has_value());
    CHECK (session::validate (s).empty());
}
