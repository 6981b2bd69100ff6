#pragma once

// Streams played one after another with silence between them: how the CD album and a vinyl
// side are assembled from the per-track masters of an export's first pass.
//
// Design note: a per-track master holds album samples [audioStart, ownAudioEnd) (see
// album/AlbumRenderer.h). Placing each master at its audioStart on a timeline, with exact
// zeros wherever no master plays, rebuilds the album's audio without running any chain again:
// crossfades are already mixed into the later track's master, so pieces never overlap. Pieces
// are opened only when they begin and closed when they end, so one file is open at a time.

#include "engine/AudioStream.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace crest::delivery
{

/** A stream made of pieces placed at positions, silence elsewhere. */
class ConcatenatedStream : public engine::AudioStream
{
public:
    /** Opens a piece when the stream reaches it; nullptr with `error` set on failure. */
    using Opener = std::function<std::unique_ptr<engine::AudioStream> (std::string& error)>;

    /** One piece: where it starts, how long it is, and how to open it. */
    struct Piece
    {
        int64_t start = 0;
        int64_t length = 0;
        Opener open;
    };

    /** Pieces must be in order and must not overlap; `totalLength` must reach the last piece's
        end (anything after it is silence). Opened pieces must have `numChannels` channels, the
        given rate and exactly their stated length, or read() fails saying so. */
    ConcatenatedStream (std::vector<Piece> pieces, int64_t totalLength, double sampleRate, int numChannels);
    ~ConcatenatedStream() override;

    double sampleRate() const override { return rate; }
    int numChannels() const override { return channels; }
    int64_t lengthInSamples() const override { return total; }
    int read (float* const* destination, int numSamples) override;
    const char* error() const override { return errorText.c_str(); }

private:
    std::vector<Piece> pieces;
    int64_t total = 0, position = 0;
    double rate = 0.0;
    int channels = 2;
    size_t next = 0; // the piece that plays at or after `position`
    std::unique_ptr<engine::AudioStream> current;
    std::vector<float*> offsetPointers;
    std::string errorText;
};

} // namespace crest::delivery
