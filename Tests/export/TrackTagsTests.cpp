// Track tags come from the session: the track's own performer, else the album's; n of N.

#include "export/Id3Tag.h"
#include "export/TrackTags.h"

#include <catch2/catch.hpp>

using namespace crest;

TEST_CASE ("Track tags are filled from the session", "[export][tags]")
{
    session::Session s;
    s.album.title = "Album";
    s.album.performer = "Band";
    s.album.genre = "Jazz";
    s.album.year = 2023;
    s.tracks.resize (3);
    s.tracks[1].title = "Second";
    s.tracks[1].isrc = "FRZ039800212";
    s.tracks[2].performer = "Guest";

    const auto second = delivery::tagsForTrack (s, 1);
    CHECK (second.title == "Second");
    CHECK (second.artist == "Band");
    CHECK (second.albumArtist == "Band");
    CHECK (second.album == "Album");
    CHECK (second.genre == "Jazz");
    CHECK (second.isrc == "FRZ039800212");
    CHECK (second.year == 2023);
    CHECK (second.trackNumberText() == "2/3");
    CHECK (delivery::tagsForTrack (s, 2).artist == "Guest");
    CHECK_THROWS_AS (delivery::tagsForTrack (s, 3), std::out_of_range);
}

TEST_CASE ("An ID3v2.4 tag leaves unset fields out and sizes itself in syncsafe bytes", "[export][tags]")
{
    delivery::TrackTags t;
    CHECK (delivery::makeId3v24Tag (t) == std::vector<uint8_t> { 'I', 'D', '3', 4, 0, 0, 0, 0, 0, 0 });

    t.title = std::string (200, 'x'); // a frame over 127 bytes needs the syncsafe encoding
    const auto tag = delivery::makeId3v24Tag (t);
    REQUIRE (tag.size() == 10 + 10 + 1 + 200);
    CHECK (tag[6] == 0);
    CHECK (tag[7] == 0);
    CHECK (tag[8] == 1); // 211 = 1 * 128 + 83
    CHECK (tag[9] == 83);
    CHECK (std::string (tag.begin() + 10, tag.begin() + 14) == "TIT2");
    CHECK (tag[16] == 1); // frame size 201 = 1 * 128 + 73, syncsafe in v2.4
    CHECK (tag[17] == 73);
    CHECK (tag[20] == 3); // UTF-8
}
