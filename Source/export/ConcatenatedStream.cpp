#include "export/ConcatenatedStream.h"

#include <algorithm>

namespace crest::delivery
{

ConcatenatedStream::ConcatenatedStream (std::vector<Piece> p, int64_t totalLength, double sampleRate, int numChannels)
    : pieces (std::move (p)), total (totalLength), rate (sampleRate), channels (numChannels),
      offsetPointers ((size_t) numChannels)
{
}

ConcatenatedStream::~ConcatenatedStream() = default;

int ConcatenatedStream::read (float* const* destination, int numSamples)
{
    int done = 0;
    while (done < numSamples && position < total)
    {
        const int64_t wanted = std::min<int64_t> (numSamples - done, total - position);

        if (next >= pieces.size() || position < pieces[next].start)
        {
            // Silence up to the next piece (or the end).
            const int64_t until = next < pieces.size() ? pieces[next].start : total;
            const int n = (int) std::min<int64_t> (wanted, until - position);
            for (int c = 0; c < channels; ++c)
                std::fill_n (destination[c] + done, n, 0.0f);
            position += n;
            done += n;
            continue;
        }

        auto& piece = pieces[next];
        if (current == nullptr)
        {
            std::string error;
            current = piece.open (error);
            if (current == nullptr)
            {
                errorText = error;
                return -1;
            }
            if (current->numChannels() != channels || current->sampleRate() != rate || current->lengthInSamples() != piece.length)
            {
                errorText = "a piece of the album does not match its place (channels, rate or length differ)";
                return -1;
            }
        }

        const int64_t pieceEnd = piece.start + piece.length;
        const int n = (int) std::min<int64_t> (wanted, pieceEnd - position);
        for (int c = 0; c < channels; ++c)
            offsetPointers[(size_t) c] = destination[c] + done;
        int got = 0;
        while (got < n)
        {
            for (int c = 0; c < channels; ++c)
                offsetPointers[(size_t) c] = destination[c] + done + got;
            const int r = current->read (offsetPointers.data(), n - got);
            if (r < 0)
            {
                errorText = current->error();
                return -1;
            }
            if (r == 0)
            {
                errorText = "a piece of the album ended early";
                return -1;
            }
            got += r;
        }
        position += n;
        done += n;
        if (position >= pieceEnd)
        {
            current.reset();
            ++next;
        }
    }
    return done;
}

} // namespace crest::delivery
