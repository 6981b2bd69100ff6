#pragma once

// The player's first stage: the programme read from disk and the transport that plays it.
//
// Design note. A programme (ProgrammeStream) is read ahead of the play head by the player's
// disk thread (a juce::TimeSliceThread) into fixed-size chunks of a single-producer
// single-consumer FIFO, about 0.5 s ahead. Each chunk is tagged with its programme position and
// a seek generation, so the audio thread drops stale chunks after a seek and plays loop regions
// sample-exactly: the disk thread wraps at the loop end itself, and the audio thread checks
// every chunk's position (see ProgrammeStream.h).
//
// Transport commands (play, stop, seek, jump, loop) come from any thread as atomics, and the
// audio thread applies them at the start of each block. Start, stop and seek are de-clicked by
// a 3 ms gain ramp: a seek while sounding fades out first and jumps when silent. After a seek
// or a load the transport stays silent until the disk thread has read the new place (a few ms),
// then fades in from its first sample: no click, no skipped audio, and not an underrun.
//
// The message thread owns the programme; the audio thread sees it through an atomic pointer,
// and a replaced programme is freed through RetiredObjects once the audio thread is done with it.
// process() never allocates, locks, logs, waits or touches a file.

#include "dsp/LinearSmoother.h"
#include "live/ProgrammeStream.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace juce
{
class TimeSliceThread;
}

namespace crest::live
{

class RetiredObjects;

/** A region of the programme, in samples: [start, end). */
struct LoopRegion
{
    int64_t start = 0, end = 0;
};

/** Where a track sits in the programme (for track buttons, keys 1-9 and the overview). */
struct PlayerTrack
{
    std::string title;
    int64_t start = 0; ///< programme sample of the track's first sample (INDEX 01)
    int64_t length = 0; ///< samples
};

/** What the transport did in one block, for the stages that follow the master. */
struct TransportBlock
{
    bool sounding = false; ///< the programme was pulled this block (and is to be metered)
    float gain = 0.0f; ///< the de-click gain reached at the block's end
    int64_t position = 0; ///< the play position after the block
    int64_t seekedTo = -1; ///< where the play head was moved to in this block (-1: nowhere)
};

/** Plays a programme from the disk FIFO: play, stop, seek, jump and loop. */
class Transport
{
public:
    /** The programme is read on `diskThread`; replaced programmes go to `retired`. */
    Transport (juce::TimeSliceThread& diskThread, RetiredObjects& retired);
    ~Transport();

    /** Prepares for the engine's rate (message thread, audio held off). A programme at another
        rate stays silent. */
    void prepare (double engineRate) noexcept;

    /** Replaces the programme (message thread): the play head goes to its start, the loop
        region is kept, and the old programme is retired. */
    void setProgramme (std::unique_ptr<ProgrammeStream> stream, std::vector<PlayerTrack> tracks);

    /** The programme (message thread; nullptr before one is loaded). */
    const ProgrammeStream* programme() const noexcept { return owner.get(); }

    /** Length of the programme in samples (any thread). */
    int64_t lengthSamples() const noexcept { return length.load (std::memory_order_relaxed); }

    /** The programme's tracks (message thread). */
    const std::vector<PlayerTrack>& tracks() const noexcept { return placements; }

    /** Starts or stops playback (stop keeps the position). Any thread. */
    void play() noexcept { playing.store (true); }
    void stop() noexcept { playing.store (false); }
    bool isPlaying() const noexcept { return playing.load(); }

    /** The play position, as last processed by the audio thread. Any thread. */
    int64_t position() const noexcept { return playPosition.load (std::memory_order_relaxed); }

    /** Moves the play head (clamped to the programme) at the next block. Any thread. */
    void seek (int64_t sample) noexcept;

    /** Moves the play head to a track's start (0-based). Message thread. */
    void jumpToTrack (int index) noexcept;

    /** The track under the play head (0-based), or -1 in a gap before the first. Message thread. */
    int currentTrack() const noexcept;

    /** Loops a region (sample-exact; clamped to the programme), or stops looping with
        std::nullopt. Returns the region as applied ({0, 0} for none). Message thread. */
    LoopRegion setLoop (std::optional<LoopRegion> region) noexcept;
    std::optional<LoopRegion> loop() const noexcept;

    /** Blocks that found the FIFO short of audio while playing (disk underruns). Any thread. */
    int64_t underruns() const noexcept { return underrunCount.load (std::memory_order_relaxed); }

    /** Audio thread: applies the transport commands and fills `numSamples` (at most the
        prepared block) of the programme, de-clicked, or silence. */
    TransportBlock process (float* left, float* right, int numSamples) noexcept;

private:
    void applySeek (ProgrammeStream& stream, int64_t target) noexcept;

    juce::TimeSliceThread& disk;
    RetiredObjects& retiredObjects;
    double rate = 0.0;

    // Owned by the message thread; the audio thread sees them through the atomics.
    std::unique_ptr<ProgrammeStream> owner;
    std::atomic<ProgrammeStream*> current { nullptr };
    std::atomic<int64_t> length { 0 };
    std::vector<PlayerTrack> placements;

    std::atomic<bool> playing { false };
    std::atomic<int64_t> playPosition { 0 };
    std::atomic<int64_t> seekRequest { -1 };
    std::atomic<int64_t> loopStart { 0 }, loopEnd { 0 };
    std::atomic<int64_t> underrunCount { 0 };

    // audio thread
    int64_t pendingSeek = -1; // waiting for the fade-out
    int64_t seekedThisBlock = -1;
    bool awaitingData = true; // after a seek or load, silent until the disk has read
    ProgrammeStream* running = nullptr; // the programme of the last block
    dsp::LinearSmoother gain; // de-clicks start, stop and seek
};

} // namespace crest::live
