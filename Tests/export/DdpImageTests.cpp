// DDP 2.0 images: bytes against golden files, read back, checked by md5sum, verified and
// extracted by the `crest ddp` command.

#include "BufferStream.h"
#include "CdLayoutSamples.h"
#include "TestSignals.h"
#include "export/DdpImage.h"
#include "export/DdpReader.h"
#include "export/Dither.h"
#include "export/Md5.h"

#include <catch2/catch.hpp>
#include <juce_audio_formats/juce_audio_formats.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>

using namespace crest;

namespace
{
    const std::string crestCli = CREST_CLI_PATH;

    std::string fileText (const std::string& path)
    {
        std::ifstream in (path, std::ios::binary);
        return std::string ((std::istreambuf_iterator<char> (in)), std::istreambuf_iterator<char>());
    }

    std::string golden (const std::string& name)
    {
        return fileText (std::string (CREST_SOURCE_DIR) + "/Tests/export/golden/small-disc." + name);
    }

    /** The disc's audio: noise at -20 dBFS dithered to the 16-bit grid, as the CD pipeline delivers it. */
    test::Buffer discAudio (int64_t frames)
    {
        auto noise = test::whiteNoise (44100.0, 2, (double) (frames * 588) / 44100.0 + 0.1, -20.0, 9);
        noise.setSize (2, (int) (frames * 588), true);
        test::BufferStream source (noise, 44100.0);
        delivery::DitherStage dither (source, delivery::DitherCurve::tpdf, 5);
        return test::readStream (dither);
    }
} // namespace

TEST_CASE ("DDP: DDPID, DDPMS and PQDESCR bytes match the hand-built golden files", "[export][ddp]")
{
    // The golden files are assembled field by field from the DDP 2.0 tables by
    // Tests/export/golden/make_ddp_golden.py (no Crest code): every field's offset and width
    // is asserted there, times are worked out by hand in its comment (150 frames = 00:02:00 ...),
    // and the EAN's check digit is computed by hand.
    const auto disc = test::smallDisc();
    CHECK (delivery::ddpIdPacket (disc) == golden ("DDPID"));
    const auto pq = delivery::pqDescriptorStream (disc);
    CHECK (pq == golden ("PQDESCR"));
    CHECK (delivery::ddpMapStream (disc, pq.size(), 180) == golden ("DDPMS"));
}

TEST_CASE ("DDP: an image is written, checked by md5sum, read back and verified", "[export][ddp]")
{
    const auto disc = test::smallDisc();
    const auto audio = discAudio (disc.totalFrames);
    const auto dir = test::tempDir() + "/ddp";
    test::BufferStream source (audio, 44100.0);
    std::string error;
    REQUIRE (delivery::writeDdpImage (disc, source, dir, error));

    CHECK (fileText (dir + "/DDPID") == golden ("DDPID"));
    CHECK (fileText (dir + "/DDPMS") == golden ("DDPMS"));
    CHECK (fileText (dir + "/PQDESCR") == golden ("PQDESCR"));
    CHECK (fileText (dir + "/CDTEXT.BIN") == golden ("CDTEXT.BIN"));
    CHECK (std::filesystem::file_size (dir + "/IMAGE.DAT") == 1500u * 2352u);
    for (const auto& entry : std::filesystem::directory_iterator (dir))
        CHECK (entry.path().filename().string().find ("crest-partial") == std::string::npos);

    // IMAGE.DAT: 16-bit little-endian, left then right.
    const auto image = fileText (dir + "/IMAGE.DAT");
    for (int i : { 0, 1, 88200, 1500 * 588 - 1 })
        for (int c = 0; c < 2; ++c)
        {
            const auto v = (int16_t) ((uint8_t) image[(size_t) (i * 4 + c * 2)] | ((uint8_t) image[(size_t) (i * 4 + c * 2 + 1)] << 8));
            CHECK (v == (int) std::lround (audio.getSample (c, i) * 32768.0));
        }

    if (test::haveProgram ("md5sum"))
        CHECK (test::run ("cd " + test::quote (dir) + " && md5sum -c --quiet CHECKSUM.MD5").first == 0);

    std::optional<delivery::DdpImage> read;
    CHECK (delivery::verifyDdpImage (dir, read).empty());
    REQUIRE (read);
    const auto& back = read->layout;
    REQUIRE (back.tracks.size() == 2);
    CHECK (back.totalFrames == 1500);
    CHECK (back.upc == "5012345678900");
    CHECK (back.text.title == "Golden");
    for (size_t i = 0; i < 2; ++i)
    {
        CHECK (back.tracks[i].pregapFrame == disc.tracks[i].pregapFrame);
        CHECK (back.tracks[i].startFrame == disc.tracks[i].startFrame);
        CHECK (back.tracks[i].endFrame == disc.tracks[i].endFrame);
        CHECK (back.tracks[i].indexFrames == disc.tracks[i].indexFrames);
        CHECK (back.tracks[i].isrc == disc.tracks[i].isrc);
        CHECK (back.tracks[i].copyPermitted == disc.tracks[i].copyPermitted);
        CHECK (back.tracks[i].text.title == disc.tracks[i].text.title);
    }
}

TEST_CASE ("DDP: the writer refuses audio off the 16-bit grid, the wrong length or rate, and leaves nothing", "[export][ddp]")
{
    const auto disc = test::smallDisc();
    std::string error;
    const auto dir = test::tempDir() + "/refused";

    const auto raw = test::sine (44100.0, 2, 1500.0 / 75.0, 997.0, -10.0); // float, not dithered
    test::BufferStream notDithered (raw, 44100.0);
    CHECK_FALSE (delivery::writeDdpImage (disc, notDithered, dir, error));
    CHECK (error.find ("16-bit grid") != std::string::npos);
    CHECK (std::filesystem::is_empty (dir));

    const auto shortAudio = discAudio (1499);
    test::BufferStream tooShort (shortAudio, 44100.0);
    CHECK_FALSE (delivery::writeDdpImage (disc, tooShort, dir, error));
    CHECK (error.find ("samples long") != std::string::npos);

    const auto audio = discAudio (1500);
    test::BufferStream wrongRate (audio, 48000.0);
    CHECK_FALSE (delivery::writeDdpImage (disc, wrongRate, dir, error));
    CHECK (std::filesystem::is_empty (dir));
}

TEST_CASE ("crest ddp verify prints the track list and fails on a damaged image, extract nulls bit-exactly",
           "[export][ddp][cli]")
{
    const auto disc = test::smallDisc();
    const auto audio = discAudio (disc.totalFrames);
    const auto root = test::tempDir();
    const auto dir = root + "/ddp";
    test::BufferStream source (audio, 44100.0);
    std::string error;
    REQUIRE (delivery::writeDdpImage (disc, source, dir, error));

    const auto [status, out] = test::run (crestCli + " ddp verify " + test::quote (dir) + " 2>&1");
    CHECK (status == 0);
    CHECK (out.find ("2 tracks, 00:20:00") != std::string::npos);
    CHECK (out.find ("5012345678900") != std::string::npos);
    CHECK (out.find ("00:00:00  00:02:00  00:10:00  GB-ABC-24-00012  One / Crest") != std::string::npos);
    CHECK (out.find ("INDEX 02 at 00:06:00") != std::string::npos);
    CHECK (out.find ("00:12:00  00:13:00  00:07:00") != std::string::npos);
    CHECK (out.find ("Two") != std::string::npos);

    // extract: each track from INDEX 01 to the next INDEX 00, bit for bit.
    const auto wavs = root + "/tracks";
    REQUIRE (test::run (crestCli + " ddp extract " + test::quote (dir) + " -o " + test::quote (wavs)).first == 0);
    for (const auto& t : disc.tracks)
    {
        char name[16];
        std::snprintf (name, sizeof (name), "/%02d.wav", t.number);
        if (test::haveProgram ("sox"))
            CHECK (test::run ("sox --i -r " + test::quote (wavs + name)).second == "44100\n");
        juce::AudioFormatManager formats;
        formats.registerBasicFormats();
        std::unique_ptr<juce::AudioFormatReader> reader (formats.createReaderFor (juce::File (wavs + name)));
        REQUIRE (reader != nullptr);
        CHECK (reader->bitsPerSample == 16);
        const auto length = (int) ((t.endFrame - t.startFrame) * 588);
        REQUIRE (reader->lengthInSamples == length);
        test::Buffer extracted (2, length);
        reader->read (&extracted, 0, length, 0, true, true);
        int differences = 0;
        for (int c = 0; c < 2; ++c)
            for (int i = 0; i < length; ++i)
                differences += extracted.getSample (c, i) != audio.getSample (c, (int) (t.startFrame * 588) + i);
        CHECK (differences == 0);
    }

    // Damage: one flipped byte in IMAGE.DAT, a truncated PQDESCR, a missing DDPMS.
    auto damagedCopy = [&] (const std::string& name) {
        const auto copy = root + "/" + name;
        std::filesystem::copy (dir, copy);
        return copy;
    };
    {
        const auto d = damagedCopy ("flipped");
        std::fstream f (d + "/IMAGE.DAT", std::ios::in | std::ios::out | std::ios::binary);
        f.seekp (123457);
        f.put ('\x5a');
        f.close();
        const auto [s, o] = test::run (crestCli + " ddp verify " + test::quote (d) + " 2>&1");
        CHECK (s != 0);
        CHECK (o.find ("IMAGE.DAT does not match its MD5 checksum") != std::string::npos);
    }
    {
        const auto d = damagedCopy ("truncated");
        std::filesystem::resize_file (d + "/PQDESCR", 64 * 6);
        const auto [s, o] = test::run (crestCli + " ddp verify " + test::quote (d) + " 2>&1");
        CHECK (s != 0);
        CHECK (o.find ("PQDESCR has no lead-out entry") != std::string::npos);
    }
    {
        const auto d = damagedCopy ("nomap");
        std::filesystem::remove (d + "/DDPMS");
        const auto [s, o] = test::run (crestCli + " ddp verify " + test::quote (d) + " 2>&1");
        CHECK (s != 0);
        CHECK (o.find ("DDPMS is missing") != std::string::npos);
    }
}

TEST_CASE ("MD5 matches the RFC 1321 test suite", "[export][ddp]")
{
    auto md5 = [] (const std::string& s) {
        delivery::Md5 m;
        m.add (s.data(), s.size());
        return m.hex();
    };
    CHECK (md5 ("") == "d41d8cd98f00b204e9800998ecf8427e");
    CHECK (md5 ("abc") == "900150983cd24fb0d6963f7d28e17f72");
    CHECK (md5 ("message digest") == "f96b697d7cb7938d525a2f31aaf161d0");
    CHECK (md5 ("12345678901234567890123456789012345678901234567890123456789012345678901234567890")
           == "57edf4a22be3c955ac49da2e2107b67a");
}
