// Red Book preflight: each rule fails on a crafted layout; a good layout passes.

#include "CdLayoutSamples.h"
#include "export/RedBookPreflight.h"

#include <catch2/catch.hpp>

#include <functional>

using namespace crest;

namespace
{
    /** A 3-track, 10-minute disc that breaks no rule. */
    album::CdLayout goodDisc()
    {
        album::CdLayout d;
        d.upc = "5012345678900";
        d.text.title = "Album";
        int64_t at = 0;
        for (int n = 1; n <= 3; ++n)
        {
            album::CdTrack t;
            t.number = n;
            t.pregapFrame = at;
            t.startFrame = at + 150;
            t.endFrame = at + 150 + 200 * 75;
            t.isrc = "GBABC24000" + std::to_string (10 + n);
            t.text.title = "Track " + std::to_string (n);
            at = t.endFrame;
            d.tracks.push_back (t);
        }
        d.totalFrames = at;
        return d;
    }

    /** The findings for a rule after one change to the good disc. */
    std::vector<delivery::DeliveryFinding> findingsFor (const std::function<void (album::CdLayout&)>& change, const std::string& rule)
    {
        auto d = goodDisc();
        change (d);
        std::vector<delivery::DeliveryFinding> matching;
        for (const auto& f : delivery::preflightRedBook (d))
            if (f.check == rule)
                matching.push_back (f);
        return matching;
    }

    void endDiscAt (album::CdLayout& d, int64_t frames)
    {
        d.tracks.back().endFrame = frames;
        d.totalFrames = frames;
    }
} // namespace

TEST_CASE ("Preflight: a good disc passes", "[export][preflight]")
{
    CHECK (delivery::preflightRedBook (goodDisc()).empty());
    CHECK (delivery::preflightRedBook (test::smallDisc()).size() == 0);
}

TEST_CASE ("Preflight: each rule fails on a disc that breaks it, naming the track", "[export][preflight]")
{
    using delivery::Severity;
    auto expect = [] (const std::vector<delivery::DeliveryFinding>& found, Severity severity, int track) {
        REQUIRE (found.size() >= 1);
        CHECK (found[0].severity == severity);
        CHECK (found[0].track == track);
        CHECK_FALSE (found[0].message.empty());
    };

    expect (findingsFor ([] (auto& d) { d.tracks.clear(); d.totalFrames = 0; }, "track-count"), Severity::error, 0);
    expect (findingsFor ([] (auto& d) {
                const auto last = d.tracks.back();
                for (int n = 4; n <= 100; ++n)
                {
                    auto t = last;
                    t.number = n;
                    t.isrc.clear();
                    d.tracks.push_back (t);
                }
            }, "track-count"), Severity::error, 0);
    expect (findingsFor ([] (auto& d) { d.tracks[1].number = 5; }, "track-count"), Severity::error, 5);
    expect (findingsFor ([] (auto& d) { endDiscAt (d, d.tracks[2].startFrame + 299); }, "track-length"), Severity::error, 3);
    expect (findingsFor ([] (auto& d) { d.tracks[0].startFrame = 149; }, "first-pregap"), Severity::error, 1);
    expect (findingsFor ([] (auto& d) { d.tracks[0].pregapFrame = 10; }, "first-pregap"), Severity::error, 1);
    expect (findingsFor ([] (auto& d) { d.tracks[1].indexFrames = { d.tracks[1].endFrame + 5 }; }, "index-points"), Severity::error, 2);
    expect (findingsFor ([] (auto& d) { d.tracks[1].indexFrames = { d.tracks[1].startFrame }; }, "index-points"), Severity::error, 2);
    expect (findingsFor ([] (auto& d) { d.tracks[0].endFrame -= 1; }, "layout"), Severity::error, 1);
    expect (findingsFor ([] (auto& d) { d.tracks[2].isrc = "GB-ABC-24-0001X"; }, "isrc"), Severity::error, 3);
    expect (findingsFor ([] (auto& d) { d.tracks[2].isrc = d.tracks[1].isrc; }, "isrc"), Severity::warning, 3);
    expect (findingsFor ([] (auto& d) { d.upc = "5012345678901"; }, "upc"), Severity::error, 0);
    expect (findingsFor ([] (auto& d) { d.tracks[1].text.title = "Zürich ☃"; }, "cd-text-charset"), Severity::error, 2);
    expect (findingsFor ([] (auto& d) { d.tracks[1].text.title = "tab\there"; }, "cd-text-charset"), Severity::error, 2);
    expect (findingsFor ([] (auto& d) { for (auto& t : d.tracks) t.text.message = std::string (1200, 'm'); }, "cd-text-size"),
            Severity::error, 0);
    expect (findingsFor ([] (auto& d) { d.language = "xx"; }, "cd-text-language"), Severity::warning, 0);

    // Length: 74:00:01 is a warning, 79:57:74 (last frame) passes, one frame more is an error.
    expect (findingsFor ([] (auto& d) { endDiscAt (d, 74 * 60 * 75 + 1); }, "disc-length"), Severity::warning, 0);
    expect (findingsFor ([] (auto& d) { endDiscAt (d, delivery::redBookMaximumFrames + 1); }, "disc-length"), Severity::error, 0);
    const auto atLimit = findingsFor ([] (auto& d) { endDiscAt (d, delivery::redBookMaximumFrames); }, "disc-length");
    REQUIRE (atLimit.size() == 1);
    CHECK (atLimit[0].severity == Severity::warning);
    CHECK (delivery::redBookMaximumFrames == 359850);
}

TEST_CASE ("Preflight: a pre-emphasis or copy flag alone is not a finding, cdTime prints MM:SS:FF", "[export][preflight]")
{
    auto d = goodDisc();
    d.tracks[0].preEmphasis = true;
    CHECK (delivery::preflightRedBook (d).empty());
    CHECK (delivery::cdTime (150) == "00:02:00");
    CHECK (delivery::cdTime (359849) == "79:57:74");
}
