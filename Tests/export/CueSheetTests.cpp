// The CUE sheet for the album WAV, read back by cuetools (cueprint, cuebreakpoints).

#include "CdLayoutSamples.h"
#include "TestSignals.h"
#include "export/CueSheet.h"

#include <catch2/catch.hpp>

#include <fstream>

using namespace crest;

TEST_CASE ("CUE sheet: the text for a small disc, then cuetools agree on its positions", "[export][cue]")
{
    const auto disc = test::smallDisc();
    const auto text = delivery::cueSheetText (disc);
    CHECK (text.find ("CATALOG 5012345678900\n") != std::string::npos);
    CHECK (text.find ("FILE \"album.wav\" WAVE\n") != std::string::npos);
    CHECK (text.find ("  TRACK 01 AUDIO\n") != std::string::npos);
    CHECK (text.find ("    ISRC GBABC2400012\n") != std::string::npos);
    CHECK (text.find ("    INDEX 00 00:00:00\n    INDEX 01 00:02:00\n    INDEX 02 00:06:00\n") != std::string::npos);
    CHECK (text.find ("    FLAGS DCP\n") != std::string::npos);
    CHECK (text.find ("    INDEX 00 00:12:00\n    INDEX 01 00:13:00\n") != std::string::npos);
    CHECK (text.find ("PREGAP") == std::string::npos); // every pregap is in the file

    if (! test::haveProgram ("cuebreakpoints") || ! test::haveProgram ("cueprint"))
    {
        WARN ("cuetools not installed: independent check skipped");
        return;
    }
    const auto dir = test::tempDir();
    const auto path = dir + "/album.cue";
    std::string error;
    REQUIRE (delivery::writeCueSheet (disc, path, error));

    // Track 2 starts at 13 s (INDEX 01) and its gap at 12 s (INDEX 00).
    CHECK (test::run ("cuebreakpoints " + test::quote (path)).second == "0:13.00\n");
    CHECK (test::run ("cuebreakpoints --prepend-gaps " + test::quote (path)).second == "0:12.00\n");
    const auto [status, listing] = test::run ("cueprint -t '%n|%t|%i\\n' " + test::quote (path));
    CHECK (status == 0);
    CHECK (listing == "1|One|GBABC2400012\n2|Two|\n");
    const auto disc1 = test::run ("cueprint -d '%T|%P|%N\\n' " + test::quote (path)).second;
    CHECK (disc1 == "Golden|Crest|2\n");
}

TEST_CASE ("CUE sheet: a WAV without the first pregap gets PREGAP and shifted positions", "[export][cue]")
{
    auto disc = test::smallDisc();
    delivery::CueSheetOptions options;
    options.firstPregapInFile = false;
    const auto text = delivery::cueSheetText (disc, options);
    CHECK (text.find ("    PREGAP 00:02:00\n    INDEX 01 00:00:00\n    INDEX 02 00:04:00\n") != std::string::npos);
    CHECK (text.find ("    INDEX 00 00:10:00\n    INDEX 01 00:11:00\n") != std::string::npos);

    if (test::haveProgram ("cuebreakpoints"))
    {
        const auto path = test::tempDir() + "/nogap.cue";
        std::string error;
        REQUIRE (delivery::writeCueSheet (disc, path, error, options));
        CHECK (test::run ("cuebreakpoints " + test::quote (path)).second == "0:11.00\n");
    }
}

TEST_CASE ("CUE sheet: an unwritable place fails with the path and leaves nothing", "[export][cue]")
{
    std::string error;
    CHECK_FALSE (delivery::writeCueSheet (test::smallDisc(), "/nonexistent-folder/album.cue", error));
    CHECK (error.find ("/nonexistent-folder/album.cue") != std::string::npos);
}
