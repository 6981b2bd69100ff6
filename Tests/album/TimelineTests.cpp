#include "album/Timeline.h"

#include <catch2/catch.hpp>

using crest::album::Alignment;
using crest::album::Timeline;
using crest::engine::AudioFileInfo;
using crest::session::Fade;
using crest::session::FadeCurve;
using crest::session::Session;
using crest::session::Track;

namespace
{
AudioFileInfo source (double rate, int64_t length)
{
    AudioFileInfo info;
    info.sampleRate = rate;
    info.numChannels = 2;
    info.lengthInSamples = length;
    return info;
}

Session sessionOf (int tracks)
{
    Session s;
    for (int i = 0; i < tracks; ++i)
    {
        Track t;
        t.source = "track" + std::to_string (i + 1) + ".wav";
        s.tracks.push_back (t);
    }
    return s;
}

Timeline build (const Session& s, const std::vector<AudioFileInfo>& sources, Alignment alignment)
{
    std::string error;
    auto t = Timeline::build (s, sources, alignment, error);
    INFO (error);
    REQUIRE (t.has_value());
    return *t;
}

std::string failure (const Session& s, const std::vector<AudioFileInfo>& sources, Alignment alignment = Alignment::samples)
{
    std::string error;
    CHECK_FALSE (Timeline::build (s, sources, alignment, error).has_value());
    return error;
}
} // namespace

TEST_CASE ("Timeline: gaps and a crossfade, sample-exact at 44.1 kHz", "[album][timeline]")
{
    auto s = sessionOf (3);
    s.tracks[0].gapSeconds = 2.0;
    s.tracks[1].gapSeconds = 1.5;
    s.tracks[2].crossfade = Fade { 1.0, FadeCurve::equalPower };
    s.tracks[2].gapSeconds = 5.0; // ignored: crossfading
    s.tracks[1].fadeIn = { 0.5, FadeCurve::sCurve };
    s.tracks[2].fadeOut = { 2.0, FadeCurve::logarithmic };
    const auto t = build (s, { source (44100, 441000), source (44100, 300000), source (44100, 200000) }, Alignment::samples);
    const auto& p = t.tracks();

    // Track 1: 2 s of silence (88200 samples), then its audio.
    CHECK (p[0].pregapStart == 0);
    CHECK (p[0].start == 88200);
    CHECK (p[0].audioStart == 88200);
    CHECK (p[0].audioEnd == 529200);
    CHECK (p[0].end == 529200);
    // Track 2: 1.5 s gap (66150) after track 1's last sample.
    CHECK (p[1].pregapStart == 529200);
    CHECK (p[1].start == 595350);
    CHECK (p[1].audioEnd == 895350);
    CHECK (p[1].fadeInLength == 22050);
    CHECK (p[1].fadeInCurve == FadeCurve::sCurve);
    // Track 3 starts 1 s (44100) before track 2's audio ends.
    CHECK (p[2].audioStart == 851250);
    CHECK (p[2].start == 851250);
    CHECK (p[2].pregapStart == 851250);
    CHECK (p[2].crossfadeInLength == 44100);
    CHECK (p[2].crossfadeInCurve == FadeCurve::equalPower);
    CHECK (p[1].crossfadeOutLength == 44100);
    CHECK (p[1].end == 851250);
    CHECK (p[1].ownAudioEnd == 851250); // the overlap belongs to track 3
    CHECK (p[2].audioEnd == 1051250);
    CHECK (p[2].fadeOutLength == 88200);
    CHECK (t.lengthInSamples() == 1051250);
    CHECK (p[2].end == 1051250);
}

TEST_CASE ("Timeline: trims and index points", "[album][timeline]")
{
    auto s = sessionOf (1);
    s.tracks[0].gapSeconds = 0.0;
    s.tracks[0].trimInSeconds = 1.0;
    s.tracks[0].trimOutSeconds = 9.0;
    s.tracks[0].indexPoints = { 4.0, 2.5 }; // any order
    const auto t = build (s, { source (48000, 480000) }, Alignment::samples);
    const auto& p = t.tracks()[0];
    CHECK (p.sourceStart == 48000);
    CHECK (p.sourceEnd == 432000);
    CHECK (p.length() == 384000);
    CHECK (p.start == 0);
    CHECK (p.indexPoints == std::vector<int64_t> { 120000, 192000 });
    CHECK (t.lengthInSamples() == 384000);
}

TEST_CASE ("Timeline: CD frames at 44.1 kHz pad with silence and never cut audio", "[album][timeline][cd]")
{
    auto s = sessionOf (3);
    s.tracks[0].gapSeconds = 2.0;
    s.tracks[1].gapSeconds = 2.0;
    s.tracks[1].indexPoints = { 1.0 };
    s.tracks[2].gapSeconds = 0.0; // gapless
    s.tracks[1].isrc = "GBABC2400002";
    s.album.upc = "036000291452";
    s.album.title = "Disc";
    s.tracks[1].title = "Second";
    const auto t = build (s, { source (44100, 441001), source (44100, 300000), source (44100, 200000) }, Alignment::cdFrames);
    const auto& p = t.tracks();
    CHECK (t.samplesPerCdFrame() == 588);

    // Track 1: INDEX 01 at 150 frames; its audio is 1 sample longer than 750 frames.
    CHECK (p[0].start == 88200);
    CHECK (p[0].audioEnd == 529201);
    // Track 2: its INDEX 00 is the next frame boundary after that sample (901 * 588), then
    // exactly 150 frames of gap; its audio starts on its INDEX 01.
    CHECK (p[1].pregapStart == 901 * 588);
    CHECK (p[1].start == 1051 * 588);
    CHECK (p[1].audioStart == 1051 * 588);
    CHECK (p[1].audioEnd == 617988 + 300000);
    CHECK (p[1].indexPoints == std::vector<int64_t> { 1126 * 588 });
    // Track 3 is gapless: its audio follows track 2's last sample exactly; the mark moves to the
    // nearest frame (917988 / 588 = 1561.2 -> 1561).
    CHECK (p[2].audioStart == 917988);
    CHECK (p[2].start == 1561 * 588);
    CHECK (p[2].pregapStart == 1561 * 588);
    // The disc ends on the frame after the last sample.
    CHECK (t.lengthInSamples() == 1902 * 588);

    // No source sample is dropped: each track's audio lies whole inside the disc, in order, apart.
    for (size_t i = 0; i < p.size(); ++i)
    {
        CHECK (p[i].audioEnd - p[i].audioStart == p[i].length());
        if (i > 0)
            CHECK (p[i].audioStart >= p[i - 1].audioEnd);
    }

    const auto layout = t.cdLayout (s);
    REQUIRE (layout.tracks.size() == 3);
    CHECK (layout.totalFrames == 1902);
    CHECK (layout.upc == "036000291452");
    CHECK (layout.text.title == "Disc");
    CHECK (layout.tracks[0].pregapFrame == 0);
    CHECK (layout.tracks[0].startFrame == 150);
    CHECK (layout.tracks[0].endFrame == 901);
    CHECK (layout.tracks[1].pregapFrame == 901);
    CHECK (layout.tracks[1].startFrame == 1051);
    CHECK (layout.tracks[1].indexFrames == std::vector<int64_t> { 1126 });
    CHECK (layout.tracks[1].endFrame == 1561);
    CHECK (layout.tracks[1].isrc == "GBABC2400002");
    CHECK (layout.tracks[1].text.title == "Second");
    CHECK (layout.tracks[2].startFrame == 1561);
    CHECK (layout.tracks[2].endFrame == 1902);
}

TEST_CASE ("Timeline: CD frames at 48 kHz are 640 samples, a crossfade moves only the mark", "[album][timeline][cd]")
{
    auto s = sessionOf (2);
    s.tracks[0].gapSeconds = 2.0;
    s.tracks[1].crossfade = Fade { 0.5, FadeCurve::linear };
    const auto t = build (s, { source (48000, 480100), source (48000, 250000) }, Alignment::cdFrames);
    const auto& p = t.tracks();
    CHECK (t.samplesPerCdFrame() == 640);
    CHECK (p[0].start == 96000); // 150 frames of 640
    CHECK (p[0].audioEnd == 576100);
    CHECK (p[1].audioStart == 552100); // 24000 samples of overlap, exact
    CHECK (p[1].start == 863 * 640);   // 552100 / 640 = 862.66 -> 863
    CHECK (p[0].end == 863 * 640);
    CHECK (p[0].ownAudioEnd == 552100);
    CHECK (t.lengthInSamples() == 1254 * 640); // 802100 / 640 = 1253.3 -> 1254
    const auto layout = t.cdLayout (s);
    CHECK (layout.tracks[1].startFrame == 863);
    CHECK (layout.totalFrames == 1254);

    SECTION ("96 kHz frames are 1280 samples")
    {
        const auto hi = build (s, { source (96000, 960200), source (96000, 500000) }, Alignment::cdFrames);
        CHECK (hi.samplesPerCdFrame() == 1280);
        CHECK (hi.tracks()[0].start == 192000);
        CHECK (hi.lengthInSamples() % 1280 == 0);
    }
}

TEST_CASE ("Timeline: sessions that cannot be laid out say which track and rule", "[album][timeline]")
{
    auto s = sessionOf (2);
    const std::vector<AudioFileInfo> two { source (44100, 441000), source (44100, 441000) };

    auto crossfadeFirst = s;
    crossfadeFirst.tracks[0].crossfade = Fade { 1.0, FadeCurve::linear };
    CHECK_THAT (failure (crossfadeFirst, two), Catch::Contains ("track 1") && Catch::Contains ("first track cannot crossfade"));

    auto longCrossfade = s;
    longCrossfade.tracks[1].crossfade = Fade { 5.0, FadeCurve::linear };
    CHECK_THAT (failure (longCrossfade, { source (44100, 441000), source (44100, 100000) }),
                Catch::Contains ("track 2") && Catch::Contains ("longer than either track"));

    auto longFade = s;
    longFade.tracks[1].fadeOut = { 11.0, FadeCurve::linear };
    CHECK_THAT (failure (longFade, two), Catch::Contains ("track 2") && Catch::Contains ("fade_out_s must not be longer"));

    // A source at another rate is no longer refused: it plays converted, at its converted length.
    const auto mixed = build (s, { source (44100, 441000), source (48000, 441000) }, Alignment::samples);
    CHECK (mixed.tracks()[1].length() == 405169); // round (441000 * 44100 / 48000)

    auto badIndex = s;
    badIndex.tracks[0].indexPoints = { 30.0 };
    CHECK_THAT (failure (badIndex, two), Catch::Contains ("track 1") && Catch::Contains ("index point"));

    auto badTrim = s;
    badTrim.tracks[1].trimOutSeconds = 20.0;
    CHECK_THAT (failure (badTrim, two), Catch::Contains ("beyond the end"));

    CHECK_THAT (failure (s, { source (32000, 320000), source (32000, 320000) }, Alignment::cdFrames),
                Catch::Contains ("multiple of 75 Hz"));
    CHECK_THAT (failure (Session {}, {}), Catch::Contains ("no tracks"));
}
