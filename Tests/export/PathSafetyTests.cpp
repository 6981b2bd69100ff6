// A session, a DDP image or the titles in them cannot make Crest write (or read) outside the
// folder the user named: every name from a file goes through engine::containedPath.

#include "BufferStream.h"
#include "CdLayoutSamples.h"
#include "TestSignals.h"
#include "engine/ContainedPath.h"
#include "export/DdpImage.h"
#include "export/DdpReader.h"
#include "export/Md5.h"
#include "export/ReleaseExport.h"
#include "export/VinylChecks.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using namespace crest;
namespace fs = std::filesystem;

namespace
{
    const std::string crestCli = CREST_CLI_PATH;

    /** A written two-track DDP image in `dir` (the golden small disc). */
    void writeSmallImage (const std::string& dir)
    {
        const auto disc = test::smallDisc();
        auto noise = test::whiteNoise (44100.0, 2, (double) (disc.totalFrames * 588) / 44100.0 + 0.1, -20.0, 9);
        noise.setSize (2, (int) (disc.totalFrames * 588), true);
        for (int c = 0; c < 2; ++c)
            for (int i = 0; i < noise.getNumSamples(); ++i)
                noise.setSample (c, i, std::round (noise.getSample (c, i) * 32768.0f) / 32768.0f);
        test::BufferStream source (noise, 44100.0);
        std::string error;
        REQUIRE (delivery::writeDdpImage (disc, source, dir, error));
    }

    /** Rewrites the stream name of DDPMS packet `packet` (0-based) to `name`. */
    void renameStream (const std::string& dir, int packet, const std::string& name)
    {
        std::fstream f (dir + "/DDPMS", std::ios::in | std::ios::out | std::ios::binary);
        char size[4];
        std::snprintf (size, sizeof (size), "%03d", (int) name.size());
        f.seekp (packet * 128 + 71);
        f.write (size, 3);
        f.write ((name + std::string (17 - name.size(), ' ')).data(), 17);
    }
} // namespace

TEST_CASE ("Paths: a DDP image's stream names cannot point outside its folder", "[export][ddp][paths]")
{
    const auto root = test::tempDir();
    const auto dir = root + "/image";
    writeSmallImage (dir);
    std::ofstream (root + "/secret.dat") << std::string (2352 * 10, 'x');

    for (const auto& name : { std::string ("../secret.dat"), std::string ("/etc/hostname"), std::string ("..") })
    {
        INFO (name);
        const auto copy = root + "/bad-" + std::to_string (std::hash<std::string> {}(name));
        fs::copy (dir, copy);
        renameStream (copy, 0, name); // the D0 (audio) stream
        std::string error;
        CHECK_FALSE (delivery::readDdpImage (copy, error));
        CHECK_THAT (error, Catch::Contains ("DDPMS packet 1") && Catch::Contains ("refused")
                               && Catch::Contains ("Crest reads nothing outside the image"));

        // extract refuses before writing anything.
        const auto out = root + "/out-" + std::to_string (std::hash<std::string> {}(name));
        const auto [status, text] = test::run (crestCli + " ddp extract " + test::quote (copy) + " -o " + test::quote (out) + " 2>&1");
        CHECK (status != 0);
        CHECK_THAT (text, Catch::Contains ("refused"));
        CHECK_FALSE (fs::exists (out));
    }

    // The subcode streams (PQ DESCR, CD-Text) are checked the same way.
    fs::copy (dir, root + "/bad-pq");
    renameStream (root + "/bad-pq", 1, "sub/../../PQDESCR");
    std::string error;
    CHECK_FALSE (delivery::readDdpImage (root + "/bad-pq", error));
    CHECK_THAT (error, Catch::Contains ("DDPMS packet 2") && Catch::Contains ("'..'"));
}

TEST_CASE ("Paths: CHECKSUM.MD5 cannot make verify read outside the image", "[export][ddp][paths]")
{
    const auto root = test::tempDir();
    const auto dir = root + "/image";
    writeSmallImage (dir);
    std::ofstream (root + "/outside.txt") << "not part of the image";
    std::string md5Error;
    const auto md5 = delivery::Md5::ofFile (root + "/outside.txt", md5Error);
    std::ofstream (dir + "/CHECKSUM.MD5", std::ios::app) << md5 << "  ../outside.txt\n" << md5 << "  /etc/hostname\n";

    std::optional<delivery::DdpImage> image;
    const auto problems = delivery::verifyDdpImage (dir, image);
    REQUIRE (problems.size() == 2);
    CHECK_THAT (problems[0], Catch::Contains ("CHECKSUM.MD5") && Catch::Contains ("'..'"));
    CHECK_THAT (problems[1], Catch::Contains ("CHECKSUM.MD5") && Catch::Contains ("absolute"));
}

TEST_CASE ("Paths: track titles become names inside the release, however they are spelled", "[export][paths]")
{
    // Separators, dots and absolute paths are made harmless by deliveryFileName; a title too
    // long for a file name is shortened on a character boundary.
    CHECK (delivery::deliveryFileName (1, "../../etc/passwd", "wav") == "01 .._.._etc_passwd.wav");
    CHECK (delivery::deliveryFileName (2, "..", "wav") == "02.wav");
    CHECK (delivery::deliveryFileName (3, "/", "wav") == "03 _.wav");
    std::string longTitle;
    for (int i = 0; i < 200; ++i)
        longTitle += "\xc3\xa9"; // 'é', two bytes each: 400 bytes
    const auto name = delivery::deliveryFileName (4, longTitle, "flac");
    CHECK (name.size() <= 255);
    CHECK (name.size() >= 250);
    CHECK (name.substr (name.size() - 7) == "\xc3\xa9.flac"); // no character cut in half
    std::string error;
    CHECK (engine::containedPath ("/out", "flac/" + name, error));

    // The whole export, end to end: every file lands inside the destination.
    const auto root = test::tempDir();
    session::Session s;
    s.sampleRate = 44100.0;
    const std::string titles[] = { "../../../escape", "/tmp/absolute", longTitle };
    for (int i = 0; i < 3; ++i)
    {
        session::Track t;
        t.source = test::writeWav (root + "/src-" + std::to_string (i) + ".wav", test::sine (44100.0, 2, 4.5, 440.0, -12.0), 44100.0, 24);
        t.title = titles[i];
        t.gapSeconds = 2.0;
        s.tracks.push_back (t);
    }
    delivery::ReleaseExportOptions options;
    options.destination = root + "/release";
    options.targets = { session::DeliverableTarget::streaming, session::DeliverableTarget::flac };
    const auto result = delivery::exportRelease (s, options);
    INFO (result.error);
    REQUIRE (result.succeeded);
    const auto files = test::filesUnder (root);
    for (const auto& f : files)
        CHECK ((f.rfind ("release/", 0) == 0 || f.rfind ("src-", 0) == 0));
    CHECK (fs::exists (root + "/release/streaming/01 .._.._.._escape.wav"));
    CHECK (fs::exists (root + "/release/flac/02 _tmp_absolute.flac"));
    CHECK_FALSE (fs::exists ("/tmp/absolute"));
}

TEST_CASE ("Paths: vinyl sides are named A to Z and no further", "[export][vinyl][paths]")
{
    session::VinylPlan plan;
    plan.sideStarts.clear();
    for (int i = 0; i < 27; ++i)
        plan.sideStarts.push_back (i);
    std::string error;
    CHECK (delivery::vinylSides (plan, 30, error).empty());
    CHECK_THAT (error, Catch::Contains ("at most 26 sides"));
    plan.sideStarts.pop_back();
    error.clear();
    const auto sides = delivery::vinylSides (plan, 30, error);
    INFO (error);
    REQUIRE (sides.size() == 26);
    CHECK (sides.back().letter == 'Z');
}

TEST_CASE ("Fuzz regression: a PQDESCR control field that is not a hex digit is refused, not thrown", "[export][ddp][badinput][fuzz]")
{
    // crest_fuzz_ddpimage found it in its first minute: std::stoi threw std::invalid_argument
    // out of readDdpImage (which promises an error sentence) on a control byte such as '~'.
    const auto root = test::tempDir();
    const auto dir = root + "/image";
    writeSmallImage (dir);
    {
        std::fstream f (dir + "/PQDESCR", std::ios::in | std::ios::out | std::ios::binary);
        const auto entries = (int) (fs::file_size (dir + "/PQDESCR") / 64);
        for (int entry = 0; entry < entries; ++entry) // every entry's control field (byte 16)
        {
            f.seekp (64 * entry + 16);
            f.put ('~');
        }
    }
    std::string error;
    CHECK_FALSE (delivery::readDdpImage (dir, error));
    CHECK_THAT (error, Catch::Contains ("PQDESCR entry") && Catch::Contains ("bad control field"));
    std::optional<delivery::DdpImage> image;
    CHECK_FALSE (delivery::verifyDdpImage (dir, image).empty());
}
