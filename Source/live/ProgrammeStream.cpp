#include "live/ProgrammeStream.h"

#include "album/Fades.h"
#include "engine/AudioFileInput.h"

#include <algorithm>
#include <cmath>

namespace crest::live
{

namespace
{
    constexpr uint64_t positionMask = (uint64_t (1) << 44) - 1;
}

uint64_t ProgrammeStream::pack (uint32_t generation, int64_t position) noexcept
{
    return (uint64_t (generation & 0xfffff) << positionBits) | (uint64_t (std::max<int64_t> (0, position)) & positionMask);
}

std::unique_ptr<ProgrammeStream> ProgrammeStream::create (const std::vector<std::string>& files,
    std::vector<ProgrammePiece> pieces, int64_t length, double sampleRate, double readAheadSeconds, std::string& error, int lanes,
    double lookaheadSeconds)
{
    std::unique_ptr<ProgrammeStream> stream (new ProgrammeStream());
    auto& formats = engine::readableFormats();
    for (const auto& path : files)
    {
        const juce::File file (juce::File::getCurrentWorkingDirectory().getChildFile (path));
        if (! file.existsAsFile())
        {
            error = path + ": no such file";
            return nullptr;
        }
        std::unique_ptr<juce::AudioFormatReader> reader (formats.createReaderFor (file));
        if (reader == nullptr)
        {
            error = path + ": not an audio file Crest can read";
            return nullptr;
        }
        if (reader->numChannels < 1 || reader->numChannels > 2)
        {
            error = path + ": has " + std::to_string (reader->numChannels) + " channels; the player plays mono and stereo";
            return nullptr;
        }
        if (std::abs (reader->sampleRate - sampleRate) > 0.5)
        {
            error = path + ": runs at " + std::to_string ((int) reader->sampleRate) + " Hz but the player at "
                + std::to_string ((int) sampleRate) + " Hz (set the audio device to the source's rate; "
                + "Crest does not resample what you monitor)";
            return nullptr;
        }
        stream->readers.push_back (std::move (reader));
        stream->paths.push_back (path);
    }

    stream->rate = sampleRate;
    stream->length = length;
    stream->pieces = std::move (pieces);
    stream->lanes = std::clamp (lanes, 1, 2);
    stream->numChunks = std::max (4, (int) std::ceil ((readAheadSeconds + lookaheadSeconds) * sampleRate / chunkSize) + 1);
    stream->chunks.resize ((size_t) stream->numChunks);
    stream->samples.assign ((size_t) stream->numChunks * chunkSize * 2 * (size_t) stream->lanes, 0.0f);
    stream->scratch.setSize (2, chunkSize);
    stream->requestPosition (0);
    return stream;
}

ProgrammeStream::~ProgrammeStream() = default;

void ProgrammeStream::requestPosition (int64_t position) noexcept
{
    auto word = request.load (std::memory_order_relaxed);
    while (
        ! request.compare_exchange_weak (word, pack ((uint32_t) (word >> positionBits) + 1, position), std::memory_order_acq_rel))
    {
    }
}

void ProgrammeStream::setLoop (int64_t start, int64_t end) noexcept
{
    // End first: a reader that sees the new start with the old end gets an empty or a
    // harmless region, never one reaching past what was asked.
    loopEnd.store (std::min (end, length));
    loopStart.store (start);
}

void ProgrammeStream::sync() noexcept
{
    const auto word = request.load (std::memory_order_acquire);
    const auto generation = (uint32_t) (word >> positionBits);
    if (generation != audioGeneration)
    {
        audioGeneration = generation;
        audioPosition = (int64_t) (word & positionMask);
        chunkOffset = 0;
    }
}

template <typename Take>
int ProgrammeStream::consume (int n, Take&& take) noexcept
{
    sync();
    int filled = 0;
    while (filled < n)
    {
        const int64_t ls = loopStart.load (std::memory_order_relaxed), le = loopEnd.load (std::memory_order_relaxed);
        if (audioPosition >= length)
            break;
        const int r = readIndex.load (std::memory_order_relaxed);
        if (r == writeIndex.load (std::memory_order_acquire))
            break; // underrun
        const auto& chunk = chunks[(size_t) (r % numChunks)];
        if (chunk.generation != (audioGeneration & 0xfffff))
        {
            readIndex.store (r + 1, std::memory_order_release);
            chunkOffset = 0;
            continue;
        }
        if (chunk.start + chunkOffset != audioPosition)
        {
            // The disk thread read on from somewhere else (a loop set after it had read past
            // its end): ask again from here. Everything already read is then stale.
            requestPosition (audioPosition);
            audioGeneration = (uint32_t) (request.load (std::memory_order_acquire) >> positionBits);
            readIndex.store (r + 1, std::memory_order_release);
            chunkOffset = 0;
            continue;
        }
        const int k = std::min (n - filled, chunk.length - chunkOffset);
        take (chunkData (r), chunkOffset, filled, k);
        filled += k;
        chunkOffset += k;
        audioPosition += k;
        if (chunkOffset == chunk.length)
        {
            readIndex.store (r + 1, std::memory_order_release);
            chunkOffset = 0;
        }
        if (le > ls && audioPosition == le)
            audioPosition = ls;
    }
    return filled;
}

int ProgrammeStream::pull (float* left, float* right, int n) noexcept
{
    const int filled = consume (n,
        [this, left, right] (const float* data, int from, int to, int k) noexcept
        {
            std::copy (data + from, data + from + k, left + to);
            std::copy (data + chunkSize + from, data + chunkSize + from + k, right + to);
            if (lanes == 2)
            {
                juce::FloatVectorOperations::add (left + to, data + 2 * chunkSize + from, k);
                juce::FloatVectorOperations::add (right + to, data + 3 * chunkSize + from, k);
            }
        });
    std::fill (left + filled, left + n, 0.0f);
    std::fill (right + filled, right + n, 0.0f);
    return filled;
}

int ProgrammeStream::advance (int n) noexcept
{
    return consume (n, [] (const float*, int, int, int) noexcept {});
}

void ProgrammeStream::dropStale() noexcept
{
    const auto generation = (uint32_t) (request.load (std::memory_order_acquire) >> positionBits) & 0xfffff;
    for (;;)
    {
        const int r = readIndex.load (std::memory_order_relaxed);
        if (r == writeIndex.load (std::memory_order_acquire) || chunks[(size_t) (r % numChunks)].generation == generation)
            return;
        readIndex.store (r + 1, std::memory_order_release);
        chunkOffset = 0;
    }
}

bool ProgrammeStream::isBuffered (int wanted) const noexcept
{
    const auto generation = (uint32_t) (request.load (std::memory_order_acquire) >> positionBits) & 0xfffff;
    const int r = readIndex.load (std::memory_order_acquire), w = writeIndex.load (std::memory_order_acquire);
    int64_t available = 0;
    for (int i = r; i != w; ++i)
    {
        const auto& chunk = chunks[(size_t) (i % numChunks)];
        if (chunk.generation == generation)
            available += chunk.length;
    }
    const int64_t capacity = (int64_t) (numChunks - 1) * chunkSize;
    return available >= std::min<int64_t> (wanted, capacity) || (diskGeneration == generation && diskAtEnd);
}

int ProgrammeStream::useTimeSlice()
{
    const auto word = request.load (std::memory_order_acquire);
    const auto generation = (uint32_t) (word >> positionBits) & 0xfffff;
    if (generation != diskGeneration.load (std::memory_order_relaxed))
    {
        diskAtEnd.store (false);
        diskPosition = (int64_t) (word & positionMask);
        diskGeneration.store (generation);
    }

    int produced = 0;
    for (;;)
    {
        const int r = readIndex.load (std::memory_order_acquire), w = writeIndex.load (std::memory_order_relaxed);
        if (w - r >= numChunks)
            break; // full
        if (((uint32_t) (request.load (std::memory_order_acquire) >> positionBits) & 0xfffff) != generation)
            return 0; // a new request: start over at once

        const int64_t ls = loopStart.load(), le = loopEnd.load();
        const bool looping = le > ls && diskPosition < le;
        if (diskPosition >= length)
        {
            diskAtEnd.store (true);
            break;
        }
        int64_t span = std::min<int64_t> (chunkSize, length - diskPosition);
        if (looping)
            span = std::min (span, le - diskPosition);

        auto& chunk = chunks[(size_t) (w % numChunks)];
        chunk.start = diskPosition;
        chunk.generation = generation;
        chunk.length = (int) span;
        if (! renderChunk (chunk, samples.data() + (size_t) (w % numChunks) * chunkSize * 2 * (size_t) lanes))
            return 50;
        writeIndex.store (w + 1, std::memory_order_release);

        diskPosition += span;
        if (looping && diskPosition == le)
            diskPosition = ls;
        if (++produced >= 16)
            return 0; // let the other streams have a turn
    }
    return produced > 0 ? 0 : 2;
}

bool ProgrammeStream::renderChunk (Chunk& chunk, float* data) noexcept
{
    for (int c = 0; c < 2 * lanes; ++c)
        std::fill (data + (size_t) c * chunkSize, data + (size_t) c * chunkSize + chunk.length, 0.0f);
    const int64_t from = chunk.start, to = chunk.start + chunk.length;

    for (size_t p = 0; p < pieces.size(); ++p)
    {
        const auto& piece = pieces[p];
        float* left = data + (lanes == 2 ? (p % 2) * 2 * chunkSize : 0);
        float* right = left + chunkSize;
        const int64_t begin = std::max (from, piece.start), end = std::min (to, piece.start + piece.length);
        if (begin >= end)
            continue;
        const int count = (int) (end - begin);
        auto& reader = *readers[(size_t) piece.source];
        float* destinations[] = { scratch.getWritePointer (0), scratch.getWritePointer (1) };
        if (! reader.read (destinations, (int) reader.numChannels, piece.sourceStart + (begin - piece.start), count))
        {
            if (! failed.exchange (true))
            {
                failure = paths[(size_t) piece.source] + ": could not be read (truncated or unreadable)";
                failureWritten.store (true);
            }
            return false;
        }
        if (reader.numChannels == 1)
            std::copy (destinations[0], destinations[0] + count, destinations[1]);

        const int offset = (int) (begin - from);
        const int64_t first = begin - piece.start; // index within the piece
        for (int c = 0; c < 2; ++c)
        {
            float* s = destinations[c];
            juce::FloatVectorOperations::multiply (s, piece.gain, count);
            if (lanes == 2)
            {
                // Raw, for the track's chain: TrackChains fades after it. (Overlapping pieces
                // of one parity never happen: a crossfade joins neighbours only.)
                std::copy (s, s + count, c == 0 ? left + offset : right + offset);
                continue;
            }
            // Only the stretches that lie inside a fade pay for its curve.
            if (first < piece.fadeInLength)
                album::applyFade (s, count, first, piece.fadeInLength, piece.fadeInCurve, true);
            if (first < piece.crossfadeInLength)
                album::applyFade (s, count, first, piece.crossfadeInLength, piece.crossfadeInCurve, true);
            if (piece.fadeOutLength > 0 && first + count > piece.length - piece.fadeOutLength)
                album::applyFade (
                    s, count, first - (piece.length - piece.fadeOutLength), piece.fadeOutLength, piece.fadeOutCurve, false);
            if (piece.crossfadeOutLength > 0 && first + count > piece.length - piece.crossfadeOutLength)
                album::applyFade (s, count, first - (piece.length - piece.crossfadeOutLength), piece.crossfadeOutLength,
                    piece.crossfadeOutCurve, false);
            juce::FloatVectorOperations::add (c == 0 ? left + offset : right + offset, s, count);
        }
    }
    return true;
}

std::string ProgrammeStream::readError() const
{
    return failureWritten.load() ? failure : std::string();
}

} // namespace crest::live
