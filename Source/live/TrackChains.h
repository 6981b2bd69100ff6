#pragma once

// The player's master, made exactly as `crest export` makes the album (album::AlbumStream).
//
// Design note. Per track, in the renderer's order: the source after trims and gain (read by the
// disk thread onto the programme's lane for the track's parity, see ProgrammeStream) -> the
// track's chain (its override, or the album chain), with fresh state from the track's first
// sample, its latency removed and its tail flushed -> the track's fades and crossfade gains
// (album::trackFadeGain, the renderer's own function) -> summed at the Timeline's positions.
// Each track has its own ChainHost (so a chain edit is heard at once, and the host's
// before/after compare stays available); a host runs only while its track's audio, or the
// chain's latency before it, is under the play head, so while two tracks overlap in a
// crossfade, two chains run.
//
// Latency: a chain of latency L gives input sample t back as output sample t - L. The renderer
// removes that by discarding the first L outputs and feeding L zeros after the source; here a
// track's chain reads its lane L samples ahead of the play head (ProgrammeStream::peek), starting
// when the look-ahead reaches the track's first sample (fresh state then: ChainHost::reset()) and
// reading zeros past its last, so output sample p of the track is the render's sample p. The
// ring holds the longest latency more than the read-ahead.
//
// Seeking: a chain's state at a position depends on everything before it, so after a seek the
// transport pre-rolls (Transport.h): it renders prerollSamples() before the target silently.
// Pre-roll = the longest chain latency + prerollSeconds (3 s). Why 3 s: the state that outlives
// the latency is the envelopes' memory; Crest's slowest is a compressor's or limiter's release
// (at most 1-2 s at the modules' ranges) and a multiband's band envelopes, and an exponential
// envelope has decayed below the float resolution after a few time constants. Measured
// (Tests/live/LiveRenderEqualityTests.cpp, music-like material 8 s into a track, album chain a
// linear-phase EQ and a limiter driven 6 dB): residual peak -125.9 dBFS against the render once
// the pre-roll is done; the test asserts below -100 dBFS. A target within 3 s of a track's start
// (including a jump to a track) pre-rolls from before that start, where the chain starts fresh
// exactly as in the render: no residual at all (bit-exact). The cost is time, not CPU: the
// transport pre-rolls within half of each block's duration, so 3 s of a chain running at 50x
// real time takes about 120 ms after a seek, silent, before the fade-in.
//
// Comparing two mastering states live (a version against another, or against the working
// state): each track then runs two chains side by side on the same input, one per state, each
// with the state's chain (the track's own or the state's album chain), the state's track gain
// (as a factor on the input relative to the gain the programme was read with; a gain is linear,
// so this equals reading the source at the state's gain) and the state's loudness-match gain on
// its output. Switching which state is heard is one atomic; the audio thread crossfades the two
// outputs over compareCrossfadeSeconds (equal gain: both are the same programme, time-aligned,
// each chain's latency removed by its own look-ahead), so the switch is instant, click-free and
// leaves the play head where it is. Both chains keep running, so the state switched to has its
// envelopes settled. Timing (trims, gaps, fades, order) is the programme's for both states.
//
// Parameter edits of the album chain reach every host that runs it (not the hosts of tracks
// with their own chain, even when those differ only in parameter values); structural edits
// rebuild the chain of each of those hosts. Message thread; the audio thread (render())
// allocates, locks and waits for nothing.

#include "album/Timeline.h"
#include "dsp/LinearSmoother.h"
#include "engine/ProcessingChain.h"
#include "live/ChainHost.h"
#include "live/Transport.h"

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace crest::live
{

/** One state of a live comparison as the programme's tracks play it (index: placed track). */
struct ComparedState
{
    std::vector<engine::ChainDescription> chains; ///< the chain each track plays in this state
    std::vector<double> inputGainDb; ///< the state's track gain minus the programme's (0 when missing)
    std::vector<double> matchGainDb; ///< loudness-match gain on the track's output (0 when missing)
};

/** The two states compared (TrackChains, SessionPlayer::compareStates). */
struct ComparedStates
{
    ComparedState first, second;
};

/** Every track's chain and fades, run live (see the design note). */
class TrackChains : public ProgrammeRender
{
public:
    /** Seconds of pre-roll after a seek beyond the chains' latency (see the design note). */
    static constexpr double prerollSeconds = 3.0;

    /** Length of the crossfade between two compared states (equal gain). */
    static constexpr double compareCrossfadeSeconds = 0.005;

    /** One host per placed track: `overrides[i]` is track i's own chain (std::nullopt: the
        album chain). Builds every chain (message thread). Returns nullptr with `error` naming
        the track when a chain cannot be built. With `comparison`, every track runs the two
        states' chains instead (see the design note); the album chain then only waits in a
        spare host, and album-chain edits reach no track. */
    static std::unique_ptr<TrackChains> create (std::vector<album::TrackPlacement> placements,
        std::vector<std::optional<engine::ChainDescription>> overrides, const engine::ChainDescription& albumChain,
        double sampleRate, int maxBlockSize, std::string& error, const ComparedStates* comparison = nullptr);

    ~TrackChains() override;

    /** Posts a new album chain to every track that uses it (message thread). False (nothing
        changed on the tracks that failed) when a chain cannot be built or a host still has a
        change pending (call collectGarbage() and retry). */
    bool setAlbumChain (const engine::ChainDescription& description, std::string& error);

    /** A parameter edit of the album chain, on every running instance of it (see
        engine::ProcessingChain::apply). False when any instance refused it. Message thread. */
    bool applyToAlbumChain (const engine::ParameterChange& change) noexcept;

    /** Makes every album-chain instance follow a description (see ProcessingChain::follow).
        False when a rebuild is needed. Message thread. */
    bool followAlbumChain (const engine::ChainDescription& wanted);

    /** The host whose album chain the GUI reads (gain reduction, module positions): the first
        track's that uses the album chain, or a spare one holding it. Message thread. */
    ChainHost& albumHost() noexcept;

    /** The album-chain instance being heard, for the gain-reduction readouts: the host of the
        track under the play head (in a crossfade, the later track's) when that track plays the
        album chain; nullptr when the track heard plays its own chain (the album chain's modules
        then reduce nothing that is heard). Before the first render: albumHost(). Message
        thread. */
    ChainHost* heardAlbumHost() noexcept;

    /** Before/after compare, loudness matching and solo-the-change on every host. Any thread
        but the audio thread's. */
    void setCompareUnprocessed (bool unprocessed) noexcept;
    void setLoudnessMatch (bool on) noexcept;
    void setSoloChange (int index) noexcept;

    /** True when built with a comparison. */
    bool comparing() const noexcept { return comparisonOn; }

    /** Hears the compared state `which` (0: first, 1: second), crossfaded. Any thread. */
    void hearComparedState (int which) noexcept { heardState.store (which == 0 ? 0 : 1); }

    /** True once the audio thread has rendered with these chains (until then, every chain
        posted at create() is still waiting in its host's mailbox). Any thread. */
    bool hasStarted() const noexcept { return started.load(); }

    /** Frees chains the hosts have retired. Message thread. */
    void collectGarbage();

    /** The unprocessed programme of the last render() (sources with their fades, before the
        chains), for the input meter. Audio thread. */
    const float* dryLeft() const noexcept { return dry[0].data(); }
    const float* dryRight() const noexcept { return dry[1].data(); }

    // ProgrammeRender (audio thread)
    int render (ProgrammeStream& stream, float* left, float* right, int numSamples) noexcept override;
    int lookahead() const noexcept override { return longestLatency.load (std::memory_order_relaxed); }
    int64_t prerollSamples() const noexcept override;
    void restart() noexcept override;

private:
    struct Voice
    {
        album::TrackPlacement placement;
        bool albumChain = true;
        std::unique_ptr<ChainHost> host; // while comparing: the first state's chain
        std::unique_ptr<ChainHost> compared; // while comparing: the second state's chain
        std::atomic<int> postedLatency { 0 }; // of the chain last posted (message thread writes)
        int comparedLatency = 0; // of the second state's chain (set at create)
        float inputGain[2] { 1.0f, 1.0f }, matchGain[2] { 1.0f, 1.0f }; // per compared state
        dsp::LinearSmoother mix; // audio thread: 0 hears the first state, 1 the second
        bool active = false; // audio thread: running since its track's first sample
    };

    TrackChains() = default;
    bool post (Voice& voice, const engine::ChainDescription& description, std::string& error);
    void updateLatency() noexcept;
    int gather (
        const ProgrammeStream& stream, const Voice& voice, int lane, int latency, int n, std::vector<float>* into) noexcept;

    double rate = 48000.0;
    int block = 0;
    std::vector<std::unique_ptr<Voice>> voices;
    std::unique_ptr<ChainHost> spare; // holds the album chain when no track uses it
    std::atomic<int> longestLatency { 0 };
    std::atomic<bool> started { false };
    std::atomic<int> heardAlbumVoice { notRendered }; // audio thread writes: the index, -1 (own chain heard)
    static constexpr int notRendered = -2;
    bool comparisonOn = false;
    std::atomic<int> heardState { 0 };
    std::vector<float> in[2], dry[2], alt[2];
    std::vector<int64_t> outPosition; // per sample of the block: its programme position, or -1
};

} // namespace crest::live
