// CD-Text packs: CRCs, the size-information packs, and the round trip.

#include "CdLayoutSamples.h"
#include "TestSignals.h"
#include "export/CdText.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

using namespace crest;

TEST_CASE ("CD-Text CRC matches the packs of a commercial disc", "[export][cdtext]")
{
    // Size-information packs read from a pressed 13-track CD, as published in the
    // documentation of suntriprecords/ddpLib (LeadInControlPack.java): 16 bytes, then the CRC.
    const uint8_t packs[3][18] = {
        { 0x8F, 0x00, 0x2B, 0x00, 0x01, 0x01, 0x0D, 0x03, 0x0C, 0x0C, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x7B, 0x3D },
        { 0x8F, 0x01, 0x2C, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x12, 0x03, 0x2D, 0x00, 0x00, 0x00, 0xDA, 0xB7 },
        { 0x8F, 0x02, 0x2D, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x6A, 0x24 }
    };
    for (const auto& p : packs)
        CHECK (delivery::cdTextCrc (p, 16) == ((p[16] << 8) | p[17]));
}

TEST_CASE ("CD-Text packs match hand-built bytes for a small disc", "[export][cdtext]")
{
    std::string error;
    const auto packs = delivery::packCdText (test::smallDisc(), error);
    REQUIRE (packs);
    // Built field by field by Tests/export/golden/make_ddp_golden.py, CRCs by Python's crc_hqx.
    std::ifstream in (std::string (CREST_SOURCE_DIR) + "/Tests/export/golden/small-disc.CDTEXT.BIN", std::ios::binary);
    const std::vector<uint8_t> golden ((std::istreambuf_iterator<char> (in)), std::istreambuf_iterator<char>());
    REQUIRE (golden.size() == 180);
    CHECK (*packs == golden);
}

TEST_CASE ("CD-Text round-trips through the reader, Latin-1 included", "[export][cdtext]")
{
    auto disc = test::smallDisc();
    disc.text.message = "Mastered with Crest";
    disc.tracks[1].text.performer = "Ève & Zoë";
    disc.tracks[0].text.composer = std::string (40, 'x'); // runs across several packs
    std::string error;
    const auto packs = delivery::packCdText (disc, error);
    REQUIRE (packs);

    auto back = test::smallDisc();
    for (auto& t : back.tracks)
    {
        t.text = {};
        t.isrc.clear();
    }
    back.text = {};
    back.upc.clear();
    REQUIRE (delivery::unpackCdText (*packs, back, error));
    CHECK (back.text.title == "Golden");
    CHECK (back.text.message == "Mastered with Crest");
    CHECK (back.tracks[0].text.title == "One");
    CHECK (back.tracks[0].text.composer == disc.tracks[0].text.composer);
    CHECK (back.tracks[1].text.performer == "Ève & Zoë");
    CHECK (back.tracks[0].isrc == "GBABC2400012");
    CHECK (back.upc == "5012345678900");

    // A damaged pack is refused, naming it.
    auto damaged = *packs;
    damaged[18 + 5] ^= 0x20;
    CHECK_FALSE (delivery::unpackCdText (damaged, back, error));
    CHECK (error.find ("pack 2") != std::string::npos);
}

TEST_CASE ("CD-Text refuses characters outside ISO 8859-1 and text beyond one block", "[export][cdtext]")
{
    auto disc = test::smallDisc();
    disc.tracks[0].text.title = "東京";
    std::string error;
    CHECK_FALSE (delivery::packCdText (disc, error));
    CHECK (error.find ("track 1 title") != std::string::npos);

    disc = test::smallDisc();
    for (auto& t : disc.tracks)
        t.text.message = std::string (1500, 'm');
    CHECK_FALSE (delivery::packCdText (disc, error));
    CHECK (error.find ("packs") != std::string::npos);
}
