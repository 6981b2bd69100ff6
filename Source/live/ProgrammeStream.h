#pragma once

// What the player plays, read from disk ahead of the play head.
//
// Design note: a programme is a list of pieces of source files placed at programme positions
// (an album's tracks after the Timeline, or one file, or one reference), each with a gain and
// fades; pieces may overlap (crossfades are summed). A disk thread (juce::TimeSliceThread)
// renders the programme into fixed-size chunks of a single-producer single-consumer ring;
// the audio thread takes them. The ring holds about half a second.
//
// Every chunk carries the programme position of its first sample and the generation of the
// position request it was read for. A request (a seek, a loop wrap the disk thread could not
// foresee) is one atomic word: generation and position packed together, so both threads see
// the pair consistently. The audio thread drops chunks of older generations and checks that
// each chunk starts where it expects to be, so playback is sample-exact or silent, never
// misplaced. Loops are wrapped by the disk thread as it reads (a chunk ends exactly at the loop
// end, the next starts at the loop start), so a loop region plays sample-exactly with no gap.
//
// A programme has one lane (references: the pieces summed with their gains and fades) or two
// (the player's album): piece i is written raw, after its trim and gain but before any fade, to
// lane i % 2, so a track and the next one, which overlap in a crossfade, never share a lane. The
// player's TrackChains run each track's chain on its lane and apply the fades after it; they
// read each track's lane ahead of the play head by the chain's latency (peek()), so the ring
// holds that much more than the read-ahead (up to ChainHost::maximumLatencySeconds).
//
// Sources are opened on the message thread (create()), read only on the disk thread, and never
// written. The audio thread's side (pull, peek, advance, requestPosition) allocates, locks and
// reads nothing.

#include "session/Session.h"

#include <juce_audio_formats/juce_audio_formats.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace crest::live
{

/** A piece of a source file placed in a programme. */
struct ProgrammePiece
{
    int source = 0; ///< index into the programme's files
    int64_t sourceStart = 0; ///< first source sample played
    int64_t start = 0; ///< programme position of that sample
    int64_t length = 0; ///< samples played
    float gain = 1.0f; ///< linear
    int64_t fadeInLength = 0, fadeOutLength = 0; ///< the piece's own fades (samples)
    session::FadeCurve fadeInCurve = session::FadeCurve::linear, fadeOutCurve = session::FadeCurve::linear;
    int64_t crossfadeInLength = 0, crossfadeOutLength = 0; ///< overlaps with neighbours (samples)
    session::FadeCurve crossfadeInCurve = session::FadeCurve::linear, crossfadeOutCurve = session::FadeCurve::linear;
};

/** A programme streamed from disk into a lock-free chunk ring. */
class ProgrammeStream : public juce::TimeSliceClient
{
public:
    /** Samples per chunk of the ring. */
    static constexpr int chunkSize = 1024;

    /** Opens the files (message thread). Every file must run at `sampleRate` and hold 1 or 2
        channels; otherwise returns nullptr with `error` naming the file and the reason.
        `lanes` 1: the pieces mixed with their fades; 2: piece i raw (trim and gain only) on lane
        i % 2, and the ring holds `lookaheadSeconds` more for peek(). */
    static std::unique_ptr<ProgrammeStream> create (const std::vector<std::string>& files, std::vector<ProgrammePiece> pieces,
        int64_t length, double sampleRate, double readAheadSeconds, std::string& error, int lanes = 1,
        double lookaheadSeconds = 0.0);

    /** 1 (mixed) or 2 (a lane per track parity); see create(). */
    int numLanes() const noexcept { return lanes; }

    ~ProgrammeStream() override;

    /** Programme length in samples. */
    int64_t lengthSamples() const noexcept { return length; }

    /** The rate the sources run at. */
    double sampleRate() const noexcept { return rate; }

    /** Asks the disk thread to read from a position (a new generation). Any thread; realtime-safe. */
    void requestPosition (int64_t position) noexcept;

    /** Loop region used by the disk thread when it reads on ([start, end), or none with end <= start). Any thread. */
    void setLoop (int64_t start, int64_t end) noexcept;

    /** Audio thread: fills `numSamples` of stereo audio starting at the audio thread's position,
        following the loop. Returns the number of samples that were available (the rest is
        silence: a disk underrun, or the programme's end). Updates position(). With two lanes,
        gives their sum (no fades: see TrackChains). */
    int pull (float* left, float* right, int numSamples) noexcept;

    /** Audio thread: takes up a new position request (a seek) if there is one, so position()
        is where the next pull(), peek() or advance() starts. */
    void sync() noexcept;

    /** Audio thread, after sync(): visits `numSamples` buffered samples that start `offset`
        samples after the play head, in play order (following the loop), without consuming them:
        visit (const float* const* channels, int64_t programmePosition, int index, int count) for
        each run of consecutive positions, `channels` holding 2 per lane (left, right), each at
        the run's first sample; `index` counts from 0 at the first visited sample. Stops early
        where the ring holds no more (or the programme ends). Returns the samples visited. */
    template <typename Visit>
    int peek (int offset, int numSamples, Visit&& visit) const noexcept;

    /** Audio thread: moves the play head on by `numSamples` (as pull() does, without copying).
        Returns the number that were available. */
    int advance (int numSamples) noexcept;

    /** The loop region the disk thread wraps at (end <= start: none). Any thread. */
    int64_t loopStartSample() const noexcept { return loopStart.load (std::memory_order_relaxed); }
    int64_t loopEndSample() const noexcept { return loopEnd.load (std::memory_order_relaxed); }

    /** Audio thread, while not pulling (stopped): drops chunks read for an older request, so
        the disk thread can read ahead for the new one. */
    void dropStale() noexcept;

    /** Audio thread: the programme position of the next sample pull() gives. */
    int64_t position() const noexcept { return audioPosition; }

    /** True when the ring holds at least `samples` of the current request, or the programme's
        end is buffered. Any thread (approximate outside the audio thread). */
    bool isBuffered (int samples) const noexcept;

    /** The disk thread's work (juce::TimeSliceClient). */
    int useTimeSlice() override;

    /** The first read error, naming the file (empty: none). Message thread. */
    std::string readError() const;

private:
    struct Chunk
    {
        int64_t start = 0;
        uint32_t generation = 0;
        int length = 0;
    };

    static constexpr int positionBits = 44;
    static uint64_t pack (uint32_t generation, int64_t position) noexcept;

    ProgrammeStream() = default;
    template <typename Take>
    int consume (int numSamples, Take&& take) noexcept;
    const float* chunkData (int index) const noexcept
    {
        return samples.data() + (size_t) (index % numChunks) * chunkSize * 2 * (size_t) lanes;
    }
    bool renderChunk (Chunk& chunk, float* data) noexcept;

    double rate = 48000.0;
    int64_t length = 0;
    int lanes = 1;
    std::vector<std::unique_ptr<juce::AudioFormatReader>> readers;
    std::vector<std::string> paths;
    std::vector<ProgrammePiece> pieces;

    // the ring
    int numChunks = 0;
    std::vector<Chunk> chunks;
    std::vector<float> samples; // numChunks * chunkSize * 2 * lanes: per chunk, left then right of each lane
    std::atomic<int> readIndex { 0 }, writeIndex { 0 }; // ever-increasing counts, modulo numChunks

    std::atomic<uint64_t> request { 0 };
    std::atomic<int64_t> loopStart { 0 }, loopEnd { 0 };

    // audio thread
    uint32_t audioGeneration = 0;
    int64_t audioPosition = 0;
    int chunkOffset = 0;

    // disk thread
    std::atomic<uint32_t> diskGeneration { ~0u };
    int64_t diskPosition = 0;
    std::atomic<bool> diskAtEnd { false };
    juce::AudioBuffer<float> scratch;
    std::atomic<bool> failed { false };
    std::string failure;
    mutable std::atomic<bool> failureWritten { false };
};

template <typename Visit>
int ProgrammeStream::peek (int offset, int n, Visit&& visit) const noexcept
{
    const int64_t ls = loopStart.load (std::memory_order_relaxed), le = loopEnd.load (std::memory_order_relaxed);
    const int w = writeIndex.load (std::memory_order_acquire);
    int r = readIndex.load (std::memory_order_relaxed), at = chunkOffset, toSkip = offset, done = 0;
    int64_t expected = audioPosition;
    const float* channels[4] = {};
    while (done < n && r != w && expected < length)
    {
        const auto& chunk = chunks[(size_t) (r % numChunks)];
        if (chunk.generation != (audioGeneration & 0xfffff))
        {
            ++r;
            at = 0;
            continue;
        }
        if (chunk.start + at != expected)
            break; // a discontinuity that the next advance() resolves
        int k = chunk.length - at;
        if (toSkip > 0)
            k = std::min (k, toSkip);
        else
        {
            k = std::min (k, n - done);
            const float* base = chunkData (r);
            for (int c = 0; c < 2 * lanes; ++c)
                channels[c] = base + (size_t) c * chunkSize + (size_t) at;
            visit (static_cast<const float* const*> (channels), expected, done, k);
            done += k;
        }
        if (toSkip > 0)
            toSkip -= k;
        at += k;
        expected += k;
        if (at == chunk.length)
        {
            ++r;
            at = 0;
        }
        if (le > ls && expected == le)
            expected = ls;
    }
    return done;
}

} // namespace crest::live
