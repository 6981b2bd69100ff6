#pragma once

// The album rendered as audio: the whole album as one stream, or one track alone.
//
// Design note: this is where the session becomes samples, for every deliverable (album WAV,
// CD image, per-track files) and for the player's offline previews. It streams from disk:
// a track's source is opened when its audio begins and closed when it ends, so at most two
// sources and two chains (during a crossfade) are alive at once, and memory does not grow with
// the album's length.
//
// Per track, in this order: the source (after trims; mono played as dual mono) -> the gain
// offset -> the chain (the track's override, or the album chain), its latency removed and its
// tail flushed exactly as engine::renderFile does (engine::ChainStream), with fresh state for
// each track -> the track's fades and crossfade gains (album/Fades.h) -> placed on the album at
// the Timeline's sample positions and summed. Gaps are digital silence (exact zeros). Fading
// after the chain means a limiter never pumps against a fade.
//
// Because each track runs through its own chain from its own start, a track's samples are the
// same in the album stream and in its own stream: a per-track file nulls against the album.
// A per-track stream holds album samples [audioStart, ownAudioEnd): a crossfade region belongs
// to the later track, mixed exactly as on the album (the earlier track's file stops where the
// crossfade begins), so track files played gaplessly in order give the album's audio without
// its gaps. Gaps and CD padding are not in per-track streams; the CD writers cut the album
// stream at the CdLayout's frames instead.
//
// Sources at another rate than the session are read converted to it (SourceAudio::open, the
// same converted files the player reads); channels: mono or stereo sources, always stereo output.

#include "album/Timeline.h"
#include "engine/AudioStream.h"
#include "session/Session.h"

#include <memory>
#include <string>

namespace crest::album
{

/** An album, or one of its tracks, as an AudioStream (stereo, at the timeline's rate). */
class AlbumStream : public engine::AudioStream
{
public:
    /** Processing block of the chains; the output does not depend on it. */
    static constexpr int defaultBlockSize = 4096;

    /** The whole album, [0, timeline.lengthInSamples()): gaps as silence, crossfades mixed, CD
        padding (with a cdFrames timeline) as silence. `session` and `timeline` are copied; the
        timeline must have been built from this session. Returns nullptr with `error` set
        (naming the track and path, or the chain's module) when a source cannot be opened, has
        more than two channels, or a chain cannot be built. Sources are checked here, chains
        are built as their tracks begin. */
    static std::unique_ptr<AlbumStream> album (const session::Session& session, const Timeline& timeline, std::string& error,
                                               int blockSize = defaultBlockSize);

    /** Track `index` (0-based) alone: album samples [audioStart, ownAudioEnd) of that track,
        including the previous track's crossfade tail mixed in when it crossfades into it. */
    static std::unique_ptr<AlbumStream> track (const session::Session& session, const Timeline& timeline, int index,
                                               std::string& error, int blockSize = defaultBlockSize);

    ~AlbumStream() override;

    double sampleRate() const override;
    int numChannels() const override { return 2; }
    int64_t lengthInSamples() const override;

    /** Renders the next samples. Returns -1 when a source fails mid-way (truncated, unreadable)
        or a chain cannot be built, with error() naming the track, the file and the reason. */
    int read (float* const* channels, int numSamples) override;
    const char* error() const override;

    /** The album position of the next sample read() produces. */
    int64_t position() const noexcept;

private:
    struct State;
    explicit AlbumStream (std::unique_ptr<State>);
    std::unique_ptr<State> state;
};

} // namespace crest::album
