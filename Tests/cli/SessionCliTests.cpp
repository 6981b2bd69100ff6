#include "TestSignals.h"
#include "album/Timeline.h"
#include "session/SessionFile.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using namespace crest;

namespace
{
std::pair<int, std::string> runCrest (const std::string& arguments)
{
    return test::run (std::string (CREST_CLI_PATH) + " " + arguments + " 2>&1");
}

std::string contents (const std::string& path)
{
    std::ifstream in (path);
    return std::string ((std::istreambuf_iterator<char> (in)), std::istreambuf_iterator<char>());
}
} // namespace

TEST_CASE ("crest session new, set and show work as a user types them", "[session][cli]")
{
    const auto dir = test::tempDir();
    const auto a = test::writeWav (dir + "/first song.wav", test::sine (44100, 2, 10.0, 440.0, -12.0), 44100);
    const auto b = test::writeWav (dir + "/second.wav", test::sine (44100, 2, 8.0, 660.0, -12.0), 44100);
    const auto s = dir + "/album.crest";

    auto [status, out] = runCrest ("session new " + test::quote (a) + " " + test::quote (b) + " -o " + test::quote (s));
    INFO (out);
    REQUIRE (status == 0);
    CHECK_THAT (contents (s), Catch::Contains ("\"source\": \"first song.wav\""));

    std::tie (status, out) = runCrest ("session set " + test::quote (s)
                                    + " --album title='Night Drive' upc=036000291452 targets=cd,ddp"
                                      " --track 2 isrc=GB-ABC-24-00002 crossfade_s=2 crossfade_curve=equal-power index_s=3,5"
                                      " --track 1 fade_in_s=0.5 gap_s=2");
    REQUIRE (status == 0);
    const auto loaded = session::SessionFile::load (s);
    CHECK (loaded.album.title == "Night Drive");
    CHECK (loaded.tracks[1].isrc == "GBABC2400002");
    CHECK (loaded.tracks[1].crossfade->seconds == 2.0);
    CHECK (loaded.tracks[1].indexPoints == std::vector<double> { 3.0, 5.0 });

    std::tie (status, out) = runCrest ("session show " + test::quote (s));
    REQUIRE (status == 0);
    CHECK_THAT (out, Catch::Contains ("Night Drive") && Catch::Contains ("GB-ABC-24-00002") && Catch::Contains ("0:02.00")
                         && Catch::Contains ("2 tracks, 0:18.00 in all at 44100 Hz"));
    // Track 2 starts 2 s before track 1's end: 2 + 10 - 2 = 10 s.
    CHECK_THAT (out, Catch::Contains ("0:10.00"));

    std::tie (status, out) = runCrest ("session show --json " + test::quote (s));
    REQUIRE (status == 0);
    CHECK_THAT (out, Catch::Contains ("\"start_s\": 10.0") && Catch::Contains ("\"missing_sources\": []"));

    SECTION ("invalid values are refused with the rule, and the file is untouched")
    {
        const auto before = contents (s);
        for (const auto& bad : { std::string ("--track 1 isrc=GB-ABC-24-0002"), std::string ("--album upc=036000291453"),
                                 std::string ("--track 1 crossfade_s=1"), std::string ("--track 2 fade_out_s=30"),
                                 std::string ("--track 3 title=x"), std::string ("--album wobble=1"),
                                 std::string ("--track 1 fade_in_curve=cubic") })
        {
            std::tie (status, out) = runCrest ("session set " + test::quote (s) + " " + bad);
            INFO (bad << ": " << out);
            CHECK (status == 2);
            CHECK_FALSE (out.empty());
            CHECK (contents (s) == before);
        }
        std::tie (status, out) = runCrest ("session set " + test::quote (s) + " --track 1 isrc=GB-ABC-24-0002");
        CHECK_THAT (out, Catch::Contains ("album.crest") && Catch::Contains ("CC-XXX-YY-NNNNN") && Catch::Contains ("nothing was written"));
    }

    SECTION ("a missing source is named with its track")
    {
        std::filesystem::remove (b);
        std::tie (status, out) = runCrest ("session show " + test::quote (s));
        CHECK (status == 2);
        CHECK_THAT (out, Catch::Contains ("missing: track 2") && Catch::Contains ("second.wav"));
    }

    SECTION ("session new refuses what is not audio, naming it")
    {
        const auto text = dir + "/notes.txt";
        std::ofstream (text) << "not audio";
        std::tie (status, out) = runCrest ("session new " + test::quote (text) + " -o " + test::quote (dir + "/x.crest"));
        CHECK (status == 2);
        CHECK_THAT (out, Catch::Contains ("notes.txt"));
        CHECK_FALSE (std::filesystem::exists (dir + "/x.crest"));
    }
}

TEST_CASE ("crest demo --album writes three tracks and a session that lays out", "[session][cli][demo]")
{
    const auto dir = test::tempDir() + "/demo";
    auto [status, out] = runCrest ("demo --album " + test::quote (dir) + " --chain "
                                + test::quote (std::string (CREST_SOURCE_DIR) + "/Resources/presets/gentle-master.json"));
    INFO (out);
    REQUIRE (status == 0);
    const auto s = session::SessionFile::load (dir + "/crest-demo.crest");
    REQUIRE (s.tracks.size() == 3);
    CHECK (session::SessionFile::missingSources (s).empty());
    CHECK_FALSE (s.chain.modules.empty());
    CHECK (s.tracks[2].crossfade.has_value());
    std::string error;
    const auto timeline = album::Timeline::fromSources (s, album::Alignment::cdFrames, error);
    INFO (error);
    REQUIRE (timeline.has_value());
    for (const auto& p : timeline->tracks())
    {
        CHECK (p.length() >= 20 * 44100);
        CHECK (p.length() <= 40 * 44100);
    }
    // An independent reader agrees on the format: 44.1 kHz, 24-bit, stereo.
    if (test::haveProgram ("soxi"))
    {
        const auto [soxStatus, info] = test::run ("soxi " + test::quote (s.tracks[0].source));
        CHECK (soxStatus == 0);
        CHECK_THAT (info, Catch::Contains ("44100") && Catch::Contains ("24-bit") && Catch::Contains ("Channels       : 2"));
    }
}
