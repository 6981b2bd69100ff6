// `crest export` as a function: every target from one small session, judged by independent
// tools (sox, flac/metaflac, mp3val, ffprobe, cuebreakpoints, ffmpeg's ebur128, md5sum) and by
// `crest ddp verify/extract`; the CD album built from track masters against the album renderer.

#include "TestSignals.h"
#include "album/AlbumRenderer.h"
#include "export/BufferStream.h"
#include "export/ConcatenatedStream.h"
#include "export/ReleaseExport.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <tuple>

using namespace crest;
namespace fs = std::filesystem;
using T = session::DeliverableTarget;

namespace
{
/** Three short tracks written as 24-bit WAVs: a gap, then a crossfade into track 3, a
    limiter as the album chain, ISRCs, a UPC and titles with characters unsafe in file names. */
session::Session threeTrackSession (const std::string& dir, double rate, double seconds = 5.0)
{
    session::Session s;
    s.album.title = "Null Results";
    s.album.performer = "The Testers";
    s.album.upc = "036000291452";
    s.album.year = 2024;
    s.chain.modules.push_back ({ "master-limiter", "limiter", false, {} });
    const char* titles[] = { "Dawn: Part 1", "Noon/Night", "Dusk" };
    const char* isrcs[] = { "GBABC2400001", "GBABC2400002", "GBABC2400003" };
    for (int i = 0; i < 3; ++i)
    {
        auto audio = test::musicLike (rate, seconds);
        audio.applyGain (i == 1 ? 0.5f : 1.0f); // track 2 quieter, so album mode keeps a difference
        session::Track t;
        t.source = test::writeWav (dir + "/source-" + std::to_string (i + 1) + ".wav", audio, rate, 24);
        t.title = titles[i];
        t.performer = "The Testers";
        t.isrc = isrcs[i];
        t.gapSeconds = i == 0 ? 2.0 : 1.5;
        if (i == 2)
            t.crossfade = session::Fade { 0.5, session::FadeCurve::equalPower };
        t.fadeOut = { 0.3, session::FadeCurve::sCurve };
        s.tracks.push_back (t);
    }
    s.sampleRate = rate;
    return s;
}

std::string slurp (const std::string& path)
{
    std::ifstream in (path, std::ios::binary);
    return std::string ((std::istreambuf_iterator<char> (in)), std::istreambuf_iterator<char>());
}

/** The PCM bytes of an audio file as sox decodes it (16-bit signed, raw). */
std::string pcm16 (const std::string& path, const std::string& dir)
{
    const auto raw = dir + "/" + std::to_string (std::hash<std::string> {}(path)) + ".raw";
    const auto [status, out] = test::run ("sox " + test::quote (path) + " -t raw -e signed -b 16 " + test::quote (raw) + " 2>&1");
    INFO (out);
    REQUIRE (status == 0);
    return slurp (raw);
}
/** Exports `s` into dir/name with only `targets`; the export must succeed. */
delivery::ExportReport exportTargets (const session::Session& s, const std::string& dir, const std::string& name,
    std::vector<T> targets)
{
    delivery::ReleaseExportOptions options;
    options.destination = dir + "/" + name;
    options.targets = std::move (targets);
    const auto result = delivery::exportRelease (s, options);
    INFO (result.error);
    REQUIRE (result.succeeded);
    return result.report;
}
/** The report's rows by path. */
std::map<std::string, delivery::ReportFile> rowsByPath (const delivery::ExportReport& report)
{
    std::map<std::string, delivery::ReportFile> rows;
    for (const auto& f : report.files)
        rows[f.path] = f;
    return rows;
}

/** `row`, exported into dir/name, is the same file with the same figures as the row of that
    path exported into dir/together. */
void checkSameAsTogether (const delivery::ReportFile& row, const std::map<std::string, delivery::ReportFile>& together,
    const std::string& dir, const std::string& name)
{
    INFO (row.path);
    REQUIRE (together.count (row.path) == 1);
    const auto& shared = together.at (row.path);
    CHECK (slurp (dir + "/" + name + "/" + row.path) == slurp (dir + "/together/" + row.path));
    CHECK (shared.md5 == row.md5);
    CHECK (shared.integratedLufs == row.integratedLufs);
    CHECK (shared.truePeakDbtp == row.truePeakDbtp);
    CHECK (shared.loudnessRangeLu == row.loudnessRangeLu);
    CHECK (shared.shortTermLufs.size() == row.shortTermLufs.size());
}
} // namespace

TEST_CASE ("the CD album built from track masters equals the album renderer's output", "[export][release]")
{
    const double rate = GENERATE (44100.0, 48000.0);
    const auto dir = test::tempDir();
    const auto s = threeTrackSession (dir, rate, 4.5);
    std::string error;
    const auto samples = album::Timeline::fromSources (s, album::Alignment::samples, error);
    const auto cd = album::Timeline::fromSources (s, album::Alignment::cdFrames, error);
    INFO (error);
    REQUIRE (samples);
    REQUIRE (cd);

    // Masters as the export's first pass makes them (kept in memory here).
    std::vector<test::Buffer> masters;
    for (int i = 0; i < 3; ++i)
    {
        auto track = album::AlbumStream::track (s, *samples, i, error);
        REQUIRE (track != nullptr);
        masters.push_back (test::readStream (*track));
    }
    std::vector<delivery::ConcatenatedStream::Piece> pieces;
    for (int i = 0; i < 3; ++i)
    {
        const auto& p = cd->tracks()[(size_t) i];
        REQUIRE (p.ownAudioEnd - p.audioStart == masters[(size_t) i].getNumSamples());
        const auto* buffer = &masters[(size_t) i];
        pieces.push_back ({ p.audioStart, buffer->getNumSamples(),
            [buffer, rate] (std::string&) -> std::unique_ptr<engine::AudioStream>
            { return std::make_unique<test::BufferStream> (*buffer, rate); } });
    }
    delivery::ConcatenatedStream concatenated (std::move (pieces), cd->lengthInSamples(), rate, 2);
    auto album = album::AlbumStream::album (s, *cd, error);
    REQUIRE (album != nullptr);

    const auto a = test::readStream (concatenated);
    const auto b = test::readStream (*album);
    REQUIRE (a.getNumSamples() == cd->lengthInSamples());
    REQUIRE (b.getNumSamples() == a.getNumSamples());
    double worst = 0.0;
    for (int c = 0; c < 2; ++c)
        for (int i = 0; i < a.getNumSamples(); ++i)
            worst = std::max (worst, (double) std::abs (a.getSample (c, i) - b.getSample (c, i)));
    CHECK (worst == 0.0); // bit-exact: each track's chain starts from its own beginning in both
}

TEST_CASE ("deliveryFileName makes safe NN Title names", "[export][release]")
{
    CHECK (delivery::deliveryFileName (3, "Noon/Night: \"Live\"?", "wav") == "03 Noon_Night_ _Live__.wav");
    CHECK (delivery::deliveryFileName (12, "", "mp3") == "12.mp3");
    CHECK (delivery::deliveryFileName (1, "Coda...", "flac") == "01 Coda.flac");
}

TEST_CASE ("a session exports to every target at once, checked by independent tools", "[export][release]")
{
    for (const auto tool : { "sox", "flac", "metaflac", "mp3val", "ffprobe", "ffmpeg", "cuebreakpoints", "md5sum" })
        REQUIRE (test::haveProgram (tool));

    const double rate = GENERATE (44100.0, 48000.0);
    const auto dir = test::tempDir();
    auto s = threeTrackSession (dir, rate);
    s.deliverables.targets = { T::cd, T::ddp, T::streaming, T::adm, T::hires, T::mp3, T::flac, T::vinyl };
    s.deliverables.streamingLufs = -16.0;
    s.deliverables.streamingAlbumMode = false;
    s.deliverables.vinyl.sideStarts = { 0, 2 };
    s.deliverables.mp3Modes = { "320", "v0" };

    delivery::ReleaseExportOptions options;
    options.destination = dir + "/release";
    int progressLines = 0;
    options.progress = [&] (const std::string&) { ++progressLines; };
    const auto result = delivery::exportRelease (s, options);
    INFO (result.error);
    REQUIRE (result.succeeded);
    CHECK (progressLines > 10);
    const auto out = options.destination;

    const auto written = test::filesUnder (out);
    INFO (::Catch::Detail::stringify (written));
    CHECK_FALSE (fs::exists (out + "/.work"));
    for (const auto& f : written)
        CHECK (f.find (".crest-") == std::string::npos); // no staging or partial files

    const std::vector<std::string> names { "01 Dawn_ Part 1", "02 Noon_Night", "03 Dusk" };
    for (const auto& n : names)
        for (const auto& f : { "cd/" + n + ".wav", "streaming/" + n + ".wav", "adm/" + n + ".wav", "hires/" + n + ".flac",
                 "flac/" + n + ".flac", "mp3-320/" + n + ".mp3", "mp3-v0/" + n + ".mp3" })
            CHECK (fs::exists (out + "/" + f));
    CHECK (fs::exists (out + "/vinyl/Side A.wav"));
    CHECK (fs::exists (out + "/vinyl/Side B.wav"));

    // CD files are 44.1 kHz 16-bit, the CUE's breakpoints are the disc's, the DDP verifies and nulls against them
    {
        for (const auto& f : { std::string ("cd/album.wav"), "cd/" + names[0] + ".wav", "cd/" + names[2] + ".wav" })
        {
            CHECK (test::run ("sox --i -r " + test::quote (out + "/" + f)).second == "44100\n");
            CHECK (test::run ("sox --i -b " + test::quote (out + "/" + f)).second == "16\n");
        }

        std::string error;
        const auto cd = album::Timeline::fromSources (s, album::Alignment::cdFrames, error);
        REQUIRE (cd);
        const auto layout = cd->cdLayout (s);
        const auto [status, breaks] = test::run ("cuebreakpoints " + test::quote (out + "/cd/album.cue") + " 2>&1");
        INFO (breaks);
        REQUIRE (status == 0);
        // cuebreakpoints appends gaps to the previous track (its default): breaks at each INDEX 01.
        std::string expected;
        for (size_t t = 1; t < layout.tracks.size(); ++t)
        {
            const auto frame = layout.tracks[t].startFrame;
            char line[32];
            std::snprintf (
                line, sizeof (line), "%d:%02d.%02d\n", (int) (frame / 75 / 60), (int) (frame / 75 % 60), (int) (frame % 75));
            expected += line;
        }
        CHECK (breaks == expected);

        const auto crest = std::string (CREST_CLI_PATH);
        const auto verify = test::run (crest + " ddp verify " + test::quote (out + "/ddp") + " 2>&1");
        INFO (verify.second);
        CHECK (verify.first == 0);
        CHECK_THAT (verify.second, Catch::Contains ("GB-ABC-24-00002") && Catch::Contains ("Noon/Night"));
        const auto extracted = dir + "/extracted";
        REQUIRE (test::run (crest + " ddp extract " + test::quote (out + "/ddp") + " -o " + test::quote (extracted)).first == 0);
        for (int t = 0; t < 3; ++t)
        {
            char name[16];
            std::snprintf (name, sizeof (name), "/%02d.wav", t + 1);
            const auto a = pcm16 (extracted + name, dir);
            const auto b = pcm16 (out + "/cd/" + names[(size_t) t] + ".wav", dir);
            CHECK (a.size() > 44100 * 4);
            CHECK (a == b); // bit-exact
        }
    }

    // FLACs pass flac -t and carry Vorbis comments; MP3s pass mp3val and carry ID3 tags
    {
        for (const auto& f : { "flac/" + names[1] + ".flac", "hires/" + names[1] + ".flac" })
        {
            const auto path = test::quote (out + "/" + f);
            CHECK (test::run ("flac -t -s " + path + " 2>&1").first == 0);
            const auto listing = test::run ("metaflac --list --block-type=VORBIS_COMMENT,STREAMINFO " + path).second;
            CHECK_THAT (listing,
                Catch::Contains ("TITLE=Noon/Night") && Catch::Contains ("ISRC=GBABC2400002")
                    && Catch::Contains ("ALBUM=Null Results") && Catch::Contains ("bits-per-sample: 24"));
        }
        CHECK (
            test::run ("metaflac --show-sample-rate " + test::quote (out + "/hires/" + names[0] + ".flac")).second == "96000\n");

        for (const auto& f : { "mp3-320/" + names[1] + ".mp3", "mp3-v0/" + names[2] + ".mp3" })
        {
            const auto path = test::quote (out + "/" + f);
            const auto [status, check] = test::run ("mp3val " + path + " 2>&1");
            INFO (check);
            CHECK (status == 0);
            CHECK (check.find ("WARNING") == std::string::npos);
            const auto tags
                = test::run ("ffprobe -v error -show_entries format_tags:stream=sample_rate -of default=nw=1 " + path).second;
            INFO (tags);
            CHECK_THAT (tags, Catch::Contains ("TAG:artist=The Testers") && Catch::Contains ("TAG:album=Null Results"));
            CHECK_THAT (tags, Catch::Contains (rate == 48000.0 ? "sample_rate=48000" : "sample_rate=44100"));
        }
        CHECK_THAT (test::run ("ffprobe -v error -show_entries format_tags -of default=nw=1 "
                        + test::quote (out + "/mp3-320/" + names[1] + ".mp3"))
                        .second,
            Catch::Contains ("TAG:TSRC=GBABC2400002") && Catch::Contains ("TAG:track=2/3"));
    }

    // a streaming file meets its loudness target by ffmpeg's ebur128; ADM files are 24-bit at the session rate
    {
        const auto [status, log] = test::run ("ffmpeg -nostats -hide_banner -i "
            + test::quote (out + "/streaming/" + names[1] + ".wav") + " -af ebur128=peak=true -f null - 2>&1");
        REQUIRE (status == 0);
        std::smatch m;
        const auto summary = log.substr (log.rfind ("Summary:"));
        REQUIRE (std::regex_search (summary, m, std::regex ("I:\\s+(-?[0-9.]+) LUFS")));
        CHECK (std::stod (m[1]) == Approx (-16.0).margin (0.15)); // 0.1 LU + ffmpeg's one-decimal rounding
        REQUIRE (std::regex_search (summary, m, std::regex ("Peak:\\s+(-?[0-9.]+) dBFS")));
        CHECK (std::stod (m[1]) <= -0.9);

        const auto adm = test::quote (out + "/adm/" + names[0] + ".wav");
        CHECK (test::run ("sox --i -b " + adm).second == "24\n");
        CHECK (test::run ("sox --i -r " + adm).second == std::to_string ((int) rate) + "\n");
    }

    // report.json lists every file with an MD5 that md5sum agrees with
    {
        const auto report = nlohmann::json::parse (slurp (out + "/report.json"));
        std::set<std::string> listed;
        for (const auto& f : report["files"])
        {
            const auto path = f["path"].get<std::string>();
            listed.insert (path);
            const auto sum = test::run ("md5sum " + test::quote (out + "/" + path)).second;
            CHECK (sum.substr (0, 32) == f["md5"].get<std::string>());
        }
        for (const auto& f : written)
            if (f != "report.json" && f != "report.html")
                CHECK (listed.count (f) == 1);
        CHECK (fs::file_size (out + "/report.html") > 1000);
    }
}

TEST_CASE ("a Red Book preflight error stops the export before anything is written", "[export][release]")
{
    const auto dir = test::tempDir();
    auto s = threeTrackSession (dir, 44100.0);
    s.tracks[1].source = test::writeWav (dir + "/short.wav", test::sine (44100.0, 2, 3.0, 440.0, -12.0), 44100.0, 24);
    s.tracks[2].crossfade.reset();
    delivery::ReleaseExportOptions options;
    options.destination = dir + "/release";
    options.targets = { T::streaming, T::cd };
    const auto result = delivery::exportRelease (s, options);
    CHECK_FALSE (result.succeeded);
    CHECK_THAT (result.error, Catch::Contains ("track 2") && Catch::Contains ("track-length"));
    CHECK_FALSE (fs::exists (options.destination));
}

TEST_CASE ("a cancelled export leaves nothing behind", "[export][release]")
{
    const auto dir = test::tempDir();
    auto s = threeTrackSession (dir, 44100.0);
    std::atomic<bool> cancel { false };
    delivery::ReleaseExportOptions options;
    options.destination = dir + "/release";
    options.targets = { T::cd, T::streaming, T::mp3 };
    options.cancel = &cancel;
    options.progress = [&] (const std::string& line)
    {
        if (line.rfind ("cd: album.wav", 0) == 0)
            cancel = true; // mid-way through the second pass
    };
    const auto result = delivery::exportRelease (s, options);
    CHECK (result.cancelled);
    CHECK_THAT (result.error, Catch::Contains ("nothing was written"));
    CHECK_FALSE (fs::exists (options.destination));

    SECTION ("and an existing destination keeps only what it had")
    {
        fs::create_directories (dir + "/existing");
        std::ofstream (dir + "/existing/notes.txt") << "mine";
        cancel = false;
        options.destination = dir + "/existing";
        const auto again = delivery::exportRelease (s, options);
        CHECK (again.cancelled);
        CHECK (test::filesUnder (dir + "/existing") == std::vector<std::string> { "notes.txt" });
    }
}

TEST_CASE ("album-mode streaming gives every track one gain and the album its target", "[export][release]")
{
    REQUIRE (test::haveProgram ("ffmpeg"));
    const auto dir = test::tempDir();
    auto s = threeTrackSession (dir, 44100.0);
    s.tracks[2].crossfade.reset(); // three separate songs
    s.deliverables.streamingLufs = -18.0;
    s.deliverables.streamingAlbumMode = true;
    delivery::ReleaseExportOptions options;
    options.destination = dir + "/release";
    options.targets = { T::streaming, T::flac };
    const auto result = delivery::exportRelease (s, options);
    INFO (result.error);
    REQUIRE (result.succeeded);

    // Per track, streaming minus FLAC (the master at 0 dB) is the gain: the same for all.
    std::map<std::string, double> lufs;
    for (const auto& f : result.report.files)
        lufs[f.path] = f.integratedLufs.value_or (-300.0);
    const std::vector<std::string> names { "01 Dawn_ Part 1", "02 Noon_Night", "03 Dusk" };
    const double gain = lufs["streaming/" + names[0] + ".wav"] - lufs["flac/" + names[0] + ".flac"];
    for (const auto& n : names)
        CHECK (lufs["streaming/" + n + ".wav"] - lufs["flac/" + n + ".flac"] == Approx (gain).margin (0.01));
    CHECK (lufs["streaming/" + names[1] + ".wav"] < lufs["streaming/" + names[0] + ".wav"] - 4.0); // track 2 stays quieter

    // The album played in order, as ffmpeg measures it, is at the target.
    const auto all = dir + "/album.wav";
    std::string files;
    for (const auto& n : names)
        files += test::quote (options.destination + "/streaming/" + n + ".wav") + " ";
    REQUIRE (test::run ("sox " + files + test::quote (all)).first == 0);
    const auto [status, log] = test::run ("ffmpeg -nostats -hide_banner -i " + test::quote (all) + " -af ebur128 -f null - 2>&1");
    REQUIRE (status == 0);
    std::smatch m;
    const auto summary = log.substr (log.rfind ("Summary:"));
    REQUIRE (std::regex_search (summary, m, std::regex ("I:\\s+(-?[0-9.]+) LUFS")));
    CHECK (std::stod (m[1]) == Approx (-18.0).margin (0.15));
}

TEST_CASE ("the ceiling limiter rendered once per track gives each target the files its own limiter gave", "[export][release]")
{
    // Streaming (no loudness target), FLAC and MP3 all run the ceiling's limiter at no gain: the
    // export renders it once per track and they read that. Exported alone (one MP3 mode), each
    // runs its own.
    const auto dir = test::tempDir();
    auto s = threeTrackSession (dir, 48000.0, 3.0);
    s.deliverables.ceilingDbtp = -6.0; // far under the masters' peaks: the limiter works on every track
    const auto exportTo = [&] (const std::string& name, std::vector<T> targets, std::vector<std::string> mp3Modes)
    {
        s.deliverables.mp3Modes = std::move (mp3Modes);
        return exportTargets (s, dir, name, std::move (targets));
    };
    const auto together = exportTo ("together", { T::streaming, T::flac, T::mp3 }, { "320", "v0" });
    const auto rows = rowsByPath (together);

    int compared = 0;
    const std::vector<std::tuple<std::string, T, std::string>> alone { { "streaming", T::streaming, "320" },
        { "flac", T::flac, "320" }, { "mp3-320", T::mp3, "320" }, { "mp3-v0", T::mp3, "v0" } };
    for (const auto& [name, target, mode] : alone)
        for (const auto& row : exportTo (name, { target }, { mode }).files)
        {
            checkSameAsTogether (row, rows, dir, name);
            CHECK (row.truePeakDbtp.value_or (0.0) <= -6.0 + 0.5); // the limiter did work
            ++compared;
        }
    CHECK (compared == 4 * 3); // streaming, FLAC, MP3 320 and V0 of three tracks
}

TEST_CASE ("the CD album limited track by track after long gaps is the album through one limiter", "[export][release]")
{
    // With streaming and FLAC the export renders each track's ceiling limiter once, and when
    // every gap is long enough the CD album reads those instead of limiting the album again.
    // Exported alone, the CD runs one limiter over the whole album: the files must not differ.
    const auto dir = test::tempDir();
    auto s = threeTrackSession (dir, 48000.0, 4.5);
    s.deliverables.ceilingDbtp = -6.0; // far under the loud tracks' peaks: heavy limiting up to their last sample
    for (auto& t : s.tracks)
    {
        t.gapSeconds = 2.0;
        t.crossfade.reset();
        t.fadeOut = {};
    }
    s.tracks[1].gainDb = -14.0; // under the ceiling: limited only because the album is over it
    const auto exportTo = [&] (const std::string& name, std::vector<T> targets)
    { return exportTargets (s, dir, name, std::move (targets)); };
    const auto together = exportTo ("together", { T::cd, T::ddp, T::streaming, T::flac });
    const auto alone = exportTo ("alone", { T::cd, T::ddp });
    int compared = 0;
    for (const auto& row : alone.files)
    {
        INFO (row.path);
        CHECK (slurp (dir + "/alone/" + row.path) == slurp (dir + "/together/" + row.path));
        ++compared;
    }
    CHECK (compared >= 2 + 3 + 5); // album.wav, the CUE, three tracks, the DDP files
    const auto streamingPeak = [&] (int track)
    {
        for (const auto& f : together.files)
            if (f.target == "streaming" && f.track == track)
                return f.truePeakDbtp.value_or (0.0);
        return 0.0;
    };
    CHECK (streamingPeak (1) <= -6.0 + 0.5); // the limiter did work on the loud tracks
    CHECK (streamingPeak (2) < -6.5); // and the quiet one is under the ceiling by itself
}

TEST_CASE ("tracks without a chain are limited as they are rendered, giving the files a master file gave", "[export][release]")
{
    // Without a chain a track renders cheaply, so when every target reads limited masters the
    // export limits it as it renders and keeps a master file only for a track under the
    // ceiling (rendered again). Exported one target at a time, each limits from the master.
    const auto dir = test::tempDir();
    auto s = threeTrackSession (dir, 48000.0, 4.5);
    s.chain.modules.clear();
    s.deliverables.ceilingDbtp = -6.0;
    for (auto& t : s.tracks)
    {
        t.gapSeconds = 2.0;
        t.crossfade.reset();
    }
    s.tracks[1].gainDb = -20.0; // under the ceiling: its master is rendered again and read as it is
    const auto exportTo = [&] (const std::string& name, std::vector<T> targets)
    { return exportTargets (s, dir, name, std::move (targets)); };
    const auto together = exportTo ("together", { T::cd, T::ddp, T::streaming, T::flac });
    const auto rows = rowsByPath (together);
    int compared = 0;
    for (const auto& [name, targets] : std::vector<std::pair<std::string, std::vector<T>>> {
             { "streaming", { T::streaming } }, { "flac", { T::flac } }, { "cd", { T::cd, T::ddp } } })
        for (const auto& row : exportTo (name, targets).files)
        {
            checkSameAsTogether (row, rows, dir, name);
            ++compared;
        }
    CHECK (compared >= 3 + 3 + 2 + 3 + 5);
    CHECK (rows.at ("streaming/01 Dawn_ Part 1.wav").truePeakDbtp.value_or (0.0) <= -6.0 + 0.5); // limited
    CHECK (rows.at ("streaming/02 Noon_Night.wav").truePeakDbtp.value_or (0.0) < -6.5); // as mastered
}
