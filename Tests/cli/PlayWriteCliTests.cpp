// `crest play --device none --write` as a user checks what the client heard: the player's
// master, written through its block-by-block audio path, nulls against what `crest export
// --targets streaming` delivers (normalisation off).

#include "TestSignals.h"
#include "album/Timeline.h"
#include "engine/AudioFileInput.h"
#include "session/SessionFile.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>

using namespace crest;
namespace fs = std::filesystem;

namespace
{
constexpr double rate = 48000.0;

std::pair<int, std::string> runCrest (const std::string& arguments)
{
    return test::run (std::string (CREST_CLI_PATH) + " " + arguments + " 2>&1");
}

test::Buffer readAll (const std::string& path, engine::AudioFileInfo& info)
{
    std::string error;
    auto in = engine::AudioFileInput::open (path, error);
    REQUIRE (in != nullptr);
    info = in->info();
    test::Buffer b (2, (int) info.lengthInSamples);
    REQUIRE (in->read (b, b.getNumSamples()) == b.getNumSamples());
    return b;
}
} // namespace

TEST_CASE ("crest play --device none --write nulls against crest export --targets streaming", "[live][render-equality][cli]")
{
    const auto dir = test::tempDir() + "/play-write";
    fs::remove_all (dir);
    fs::create_directories (dir);

    session::Session s;
    s.chain.modules = {
        { "eq", "equaliser", false,
            { { "band4_type", 1.0f }, { "band4_freq_hz", 2500.0f }, { "band4_gain_db", 2.0f }, { "linear_phase", 1.0f } } },
        { "limiter", "limiter", false, { { "input_gain_db", 6.0f }, { "ceiling_dbtp", -2.0f } } },
    };
    session::Track a, b;
    a.source = test::writeWav (dir + "/one.wav", test::musicLike (rate, 4.0), rate, 24);
    a.gapSeconds = 0.3;
    a.fadeOut = { 0.5, session::FadeCurve::sCurve };
    auto second = test::musicLike (rate, 3.0);
    second.applyGain (0.7f);
    b.source = test::writeWav (dir + "/two.wav", second, rate, 24);
    b.crossfade = session::Fade { 0.8, session::FadeCurve::equalPower };
    b.fadeOut = { 1.0, session::FadeCurve::linear };
    b.chain = engine::ChainDescription {};
    b.chain->modules = { { "comp", "compressor", false, { { "threshold_db", -24.0f }, { "ratio", 2.5f } } },
        { "limiter", "limiter", false, { { "input_gain_db", 3.0f }, { "ceiling_dbtp", -2.0f } } } };
    s.tracks = { a, b };
    const auto sessionPath = dir + "/album.crest";
    session::SessionFile::save (s, sessionPath);

    const auto live = dir + "/live.wav";
    auto [status, log] = runCrest ("play " + test::quote (sessionPath) + " --device none --write " + test::quote (live));
    INFO (log);
    REQUIRE (status == 0);
    std::tie (status, log)
        = runCrest ("export " + test::quote (sessionPath) + " -o " + test::quote (dir + "/out") + " --targets streaming");
    INFO (log);
    REQUIRE (status == 0);

    engine::AudioFileInfo info;
    const auto master = readAll (live, info);
    CHECK (info.sampleRate == rate);
    CHECK (info.isFloatingPoint);
    CHECK (info.bitsPerSample == 32);
    std::string error;
    const auto timeline = album::Timeline::fromSources (s, album::Alignment::samples, error);
    REQUIRE (timeline);
    CHECK (master.getNumSamples() == timeline->lengthInSamples());

    // Streaming files are the tracks' own audio (24-bit): [audioStart, ownAudioEnd) of the album.
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator (dir + "/out/streaming"))
        if (entry.path().extension() == ".wav")
            files.push_back (entry.path().string());
    std::sort (files.begin(), files.end());
    REQUIRE (files.size() == 2);
    for (size_t t = 0; t < files.size(); ++t)
    {
        const auto delivered = readAll (files[t], info);
        const auto& p = timeline->tracks()[t];
        REQUIRE (delivered.getNumSamples() == (int) (p.ownAudioEnd - p.audioStart));
        double peak = 0.0;
        for (int c = 0; c < 2; ++c)
            for (int i = 0; i < delivered.getNumSamples(); ++i)
                peak = std::max (
                    peak, (double) std::abs (delivered.getSample (c, i) - master.getSample (c, (int) p.audioStart + i)));
        const double residualDb = peak > 0.0 ? 20.0 * std::log10 (peak) : -999.0;
        WARN ("track " << t + 1 << ": crest play --write vs the streaming file: residual peak " << residualDb
                       << " dBFS (24-bit delivery)");
        CHECK (residualDb < -120.0);
        CHECK (delivered.getMagnitude (0, delivered.getNumSamples()) > 0.1f);
    }

    // Bad use: --write needs --device none; nothing is written.
    std::tie (status, log)
        = runCrest ("play " + test::quote (sessionPath) + " --device jack --write " + test::quote (dir + "/no.wav"));
    CHECK (status != 0);
    CHECK_FALSE (fs::exists (dir + "/no.wav"));
}
