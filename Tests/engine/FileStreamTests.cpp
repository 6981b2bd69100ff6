// engine::FileStream: files read back exactly as stored (the DDP writer needs the 16-bit grid
// unchanged), and sample ranges of them (how the CD's track files are cut from album.wav).

#include "TestSignals.h"
#include "engine/FileStream.h"
#include "export/BufferStream.h"

#include <catch2/catch.hpp>

using namespace crest;

TEST_CASE ("FileStream reads files exactly as stored, and ranges of them", "[engine][filestream]")
{
    const auto dir = test::tempDir();
    test::Buffer b (2, 3000);
    for (int i = 0; i < 3000; ++i)
    {
        b.setSample (0, i, (float) ((i % 200) - 100) / 32768.0f);
        b.setSample (1, i, (float) (-(i % 300)) / 32768.0f);
    }
    const auto path = test::writeWav (dir + "/grid.wav", b, 44100.0, 16);
    std::string error;
    auto stream = engine::FileStream::open (path, error, 1000, 2500);
    REQUIRE (stream != nullptr);
    CHECK (stream->lengthInSamples() == 1500);
    const auto got = test::readStream (*stream);
    REQUIRE (got.getNumSamples() == 1500);
    for (int i = 0; i < 1500; ++i)
    {
        REQUIRE (got.getSample (0, i) == b.getSample (0, i + 1000)); // exact k / 32768
        REQUIRE (got.getSample (1, i) == b.getSample (1, i + 1000));
    }
    CHECK (engine::FileStream::open (path, error, 0, 5000) == nullptr);
    CHECK_THAT (error, Catch::Contains ("grid.wav"));
    CHECK (engine::FileStream::open (dir + "/missing.wav", error) == nullptr);
    CHECK_THAT (error, Catch::Contains ("missing.wav"));
}

TEST_CASE ("FileStream reads 24-bit and float files without rounding", "[engine][filestream]")
{
    const auto dir = test::tempDir();
    test::Buffer b (2, 1000);
    for (int i = 0; i < 1000; ++i)
    {
        b.setSample (0, i, (float) (i * 4099 % 8388607 - 4194304) / 8388608.0f);
        b.setSample (1, i, (float) std::sin (i * 0.01) * 0.7f);
    }
    std::string error;
    auto wav24 = engine::FileStream::open (test::writeWav (dir + "/a.wav", b, 48000.0, 24), error);
    REQUIRE (wav24 != nullptr);
    const auto got24 = test::readStream (*wav24);
    for (int i = 0; i < 1000; ++i)
        REQUIRE (got24.getSample (0, i) == b.getSample (0, i)); // exact k / 2^23

    auto wav32 = engine::FileStream::open (test::writeWav (dir + "/f.wav", b, 48000.0, 32), error);
    REQUIRE (wav32 != nullptr);
    CHECK (wav32->isFloatingPoint());
    const auto got32 = test::readStream (*wav32);
    for (int i = 0; i < 1000; ++i)
        REQUIRE (got32.getSample (1, i) == b.getSample (1, i)); // float bits untouched
}
