// The live version switch: two versions' whole mastering state (each track's own chain and
// parameters, its gain, the album chain) run side by side and one switch flips between them,
// loudness-matched per track from each version's measured loudness, with the play head where it
// is, and the audio thread neither allocates nor locks while it flips.

#include "AllocationCounter.h"
#include "LockCounter.h"
#include "TestSignals.h"
#include "album/AlbumRenderer.h"
#include "analysis/LoudnessMeter.h"
#include "engine/ModuleIds.h"
#include "live/SessionPlayer.h"
#include "live/VersionSwitch.h"
#include "session/Versions.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <cmath>
#include <thread>

using namespace crest;

namespace
{
constexpr double rate = 48000.0;
constexpr int block = 256;

/** A chain with one high shelf at 6 kHz of `gainDb` (0: flat, the same structure). */
engine::ChainDescription shelfChain (float gainDb)
{
    namespace eq = engine::ids::equaliser;
    engine::ChainDescription chain;
    chain.modules.push_back ({ "eq", engine::ids::types::equaliser, false,
        { { engine::ids::band (0, eq::bandType), 3.0f }, { engine::ids::band (0, eq::frequency), 6000.0f },
            { engine::ids::band (0, eq::gain), gainDb } } });
    return chain;
}

/** Two 8 s pink-noise tracks through an album limiter; track 2 has its own (flat) shelf. */
session::Session twoTracks()
{
    session::Session s;
    s.chain.modules.push_back ({ "lim", engine::ids::types::limiter, false, {} });
    session::Track a, b;
    a.source = test::writeWav (test::tempDir() + "/switch-1.wav", test::pinkNoise (rate, 2, 8.0, -20.0, 11), rate, 32);
    b.source = test::writeWav (test::tempDir() + "/switch-2.wav", test::pinkNoise (rate, 2, 8.0, -22.0, 12), rate, 32);
    a.gapSeconds = 0.5;
    b.gapSeconds = 0.5;
    b.chain = shelfChain (0.0f);
    s.tracks = { a, b };
    session::assignTrackIds (s);
    return s;
}

/** Each version's integrated loudness per track, measured on the offline render (as a proof does). */
void measure (session::Session& s)
{
    for (auto& version : s.versions)
    {
        const auto state = session::withVersion (s, version);
        std::string error;
        auto timeline = album::Timeline::fromSources (state, album::Alignment::samples, error);
        REQUIRE (timeline);
        for (auto& track : version.tracks)
        {
            const int index = session::trackIndex (state, track.trackId);
            auto stream = album::AlbumStream::track (state, *timeline, index, error);
            REQUIRE (stream != nullptr);
            test::Buffer out (2, (int) stream->lengthInSamples());
            float* channels[] = { out.getWritePointer (0), out.getWritePointer (1) };
            REQUIRE (stream->read (channels, out.getNumSamples()) == out.getNumSamples());
            track.figures.integratedLufs = test::analyse (out, rate).integratedLufs;
        }
    }
}

/** Collects the master of the blocks played inside [from, to) of the programme. */
struct Collector : live::MasterTap
{
    int64_t from = 0, to = 0;
    std::vector<float> left, right;
    void master (const float* l, const float* r, int n, const live::TransportBlock& played) override
    {
        if (! played.sounding)
            return;
        const int64_t start = played.position - n;
        for (int k = 0; k < n; ++k)
            if (start + k >= from && start + k < to)
            {
                left.push_back (l[k]);
                right.push_back (r[k]);
            }
    }
    double integrated() const
    {
        analysis::LoudnessMeter meter;
        meter.prepare (rate, 2);
        const float* channels[] = { left.data(), right.data() };
        meter.process (channels, (int) left.size());
        return meter.integratedLufs().value_or (-200.0);
    }
};

/** Plays track `index` from its start to its end, hearing compared state `which`. */
Collector playTrack (live::SessionPlayer& player, int index, int which)
{
    Collector collector;
    const auto& track = player.tracks()[(size_t) index];
    collector.from = track.start;
    collector.to = track.start + track.length;
    player.setMasterTap (&collector);
    player.hearComparedState (which);
    player.jumpToTrack (index);
    player.play();
    std::vector<float> l ((size_t) block), r ((size_t) block);
    for (int guard = 0; player.position() < collector.to + block && guard < 100000; ++guard)
    {
        player.waitUntilBuffered (2000);
        player.processBlock (l.data(), r.data(), block);
    }
    player.stop();
    player.setMasterTap (nullptr);
    return collector;
}
} // namespace

TEST_CASE ("The version switch plays two versions' whole state loudness-matched, and a track's own chain differs audibly",
    "[live][compare]")
{
    auto s = twoTracks();
    session::SessionEditor editor (s);
    session::createVersion (editor, "A", "", "2026-12-07T10:00:00Z");
    // Version B: track 2's own shelf +6 dB and its gain +2 dB; track 1 as in A.
    auto edited = editor.session();
    edited.tracks[1].chain = shelfChain (6.0f);
    edited.tracks[1].gainDb = 2.0;
    edited.versions.push_back (session::captureVersion (edited, "B", "", "2026-12-07T11:00:00Z"));
    s = edited;
    s.tracks[1] = editor.session().tracks[1]; // the working state is A again
    measure (s);
    const auto lufsA = *session::findVersion (s, "A")->find (s.tracks[1].id)->figures.integratedLufs;
    const auto lufsB = *session::findVersion (s, "B")->find (s.tracks[1].id)->figures.integratedLufs;
    REQUIRE (lufsB > lufsA + 1.0); // B is louder as rendered: matching has work to do

    session::VersionComparison comparison;
    comparison.compare ("A", "B");
    std::string problem;
    const auto states = live::comparedStates (s, comparison, &problem);
    CHECK (problem.empty());
    CHECK (states.second.inputGainDb[1] == Approx (2.0));
    CHECK (states.second.matchGainDb[1] == Approx (lufsA - lufsB));
    CHECK (states.first.matchGainDb[1] == 0.0);
    CHECK (live::timingNotSwitched (s, comparison).empty());

    live::SessionPlayer player;
    player.prepare (rate, block);
    std::string error;
    REQUIRE (player.loadSession (s, "", error));
    REQUIRE (player.compareStates (states, error));
    REQUIRE (player.comparingStates());

    const auto a2 = playTrack (player, 1, 0), b2 = playTrack (player, 1, 1);
    REQUIRE (a2.left.size() == b2.left.size());
    REQUIRE (a2.left.size() > (size_t) (7.5 * rate));
    // Heard through the switch, the two versions of track 2 play at one loudness.
    CHECK (std::abs (a2.integrated() - b2.integrated()) < 0.1);

    // ...and they are not the same: B's own shelf is there, loudness-matched or not.
    double energy = 0.0, difference = 0.0;
    for (size_t k = 0; k < a2.left.size(); ++k)
    {
        energy += (double) a2.left[k] * a2.left[k];
        difference += std::pow ((double) a2.left[k] - b2.left[k], 2.0);
    }
    CHECK (10.0 * std::log10 (difference / energy) > -20.0);

    // Track 1 is the same in both versions: the switch changes nothing there.
    const auto a1 = playTrack (player, 0, 0), b1 = playTrack (player, 0, 1);
    REQUIRE (a1.left.size() == b1.left.size());
    float largest = 0.0f;
    for (size_t k = 0; k < a1.left.size(); ++k)
        largest = std::max (largest, std::abs (a1.left[k] - b1.left[k]));
    CHECK (largest < 1.0e-6f);
}

TEST_CASE ("The version switch keeps the play head, crossfades, and neither allocates nor locks", "[live][compare]")
{
    auto s = twoTracks();
    session::SessionEditor editor (s);
    session::createVersion (editor, "A", "", "2026-12-07T10:00:00Z");
    auto working = editor.session();
    working.tracks[1].chain = shelfChain (9.0f);
    working.tracks[1].gainDb = -3.0;
    working.chain.modules.front().params.push_back ({ engine::ids::limiter::ceiling, -3.0f });

    session::VersionComparison comparison;
    comparison.compare ("A", ""); // a version against the working state
    live::SessionPlayer player;
    player.prepare (rate, block);
    std::string error;
    REQUIRE (player.loadSession (working, "", error));
    REQUIRE (player.compareStates (live::comparedStates (working, comparison), error));
    player.hearComparedState (comparison.heardIndex());
    player.jumpToTrack (1);
    player.play();

    std::atomic<bool> running { true }, flip { false };
    std::atomic<int64_t> allocations { -1 }, locks { -1 }, blocks { 0 }, jumps { 0 };
    std::atomic<float> largestStep { 0.0f };
    std::thread audio (
        [&]
        {
            std::vector<float> l ((size_t) block), r ((size_t) block);
            // Warm-up, through the pre-roll into the track: until the play head moves on by a
            // block in each of ten blocks running. The player spreads a pre-roll over as many
            // blocks as it needs (half a block's time each), which under ASan at load 8 was more
            // than the 200 blocks this once assumed.
            for (int i = 0, moving = 0; i < 20000 && moving < 10; ++i)
            {
                player.waitUntilBuffered (2000);
                const auto before = player.position();
                player.processBlock (l.data(), r.data(), block);
                moving = player.position() == before + block ? moving + 1 : 0;
            }
            test::AllocationCounter allocationCounter;
            test::LockCounter lockCounter;
            float last = l[(size_t) block - 1];
            float step = 0.0f;
            int which = 0;
            while (running.load())
            {
                const auto before = player.position();
                if (flip.exchange (false))
                    player.hearComparedState (which = 1 - which);
                player.processBlock (l.data(), r.data(), block);
                if (player.position() != before + block)
                    jumps.fetch_add (1);
                step = std::max (step, std::abs (l[0] - last));
                last = l[(size_t) block - 1];
                blocks.fetch_add (1);
                std::this_thread::sleep_for (std::chrono::microseconds (1000));
            }
            largestStep.store (step);
            locks.store (lockCounter.count());
            allocations.store (allocationCounter.count());
        });
    auto waitBlocks = [&] (int n)
    {
        const auto target = blocks.load() + n;
        while (blocks.load() < target)
            std::this_thread::sleep_for (std::chrono::milliseconds (1));
    };
    for (int i = 0; i < 8; ++i)
    {
        waitBlocks (20);
        flip.store (true);
    }
    waitBlocks (20);
    running.store (false);
    audio.join();
    CHECK (allocations.load() == 0);
    CHECK (locks.load() == 0);
    CHECK (jumps.load() == 0); // the play head moved on by one block each time: no seek, no re-cue
    CHECK (player.underruns() == 0);
    CHECK (largestStep.load() < 0.5f); // no step at the block edges (pink noise at -20 dBFS RMS)
}

TEST_CASE ("The version switch says which timing edits it does not switch, and finds tracks by ID after a reorder",
    "[live][compare]")
{
    session::Session s;
    for (int i = 0; i < 3; ++i)
    {
        session::Track t;
        t.source = "/nowhere/" + std::to_string (i) + ".wav";
        t.gainDb = (double) i;
        s.tracks.push_back (t);
    }
    session::assignTrackIds (s);
    s.versions.push_back (session::captureVersion (s, "A", "", "2026-12-07T10:00:00Z"));

    session::VersionComparison comparison;
    comparison.compare ("A", "");
    CHECK (live::timingNotSwitched (s, comparison).empty());

    // The working state moves a gap and a fade, and swaps tracks 1 and 3.
    s.tracks[1].gapSeconds = 3.5;
    s.tracks[2].fadeOut = { 2.0, session::FadeCurve::linear };
    std::swap (s.tracks[0], s.tracks[2]);
    const auto said = live::timingNotSwitched (s, comparison);
    CHECK_THAT (said, Catch::StartsWith ("Not switched live (the working state's timing plays for both): "));
    CHECK_THAT (said, Catch::Contains ("the running order"));
    CHECK_THAT (said, Catch::Contains ("track 2's gap"));
    CHECK_THAT (said, Catch::Contains ("track 1's fade out")); // the faded track now plays first

    // Each player track gets its own state from the version, found by ID: the gains follow.
    s.tracks[0].gainDb = 5.0; // the working gain of the track now first (version A: 2 dB)
    const auto states = live::comparedStates (s, comparison);
    REQUIRE (states.first.inputGainDb.size() == 3);
    CHECK (states.first.inputGainDb[0] == Approx (2.0 - 5.0)); // version A's gain of that track
    CHECK (states.first.inputGainDb[2] == Approx (0.0 - 0.0));
    CHECK (states.second.inputGainDb[0] == 0.0); // the working state is what the programme reads
}
