#include "engine/AudioChunksOnlyStream.h"

#include <algorithm>

namespace crest::engine
{
AudioChunksOnlyStream::AudioChunksOnlyStream (const juce::File& file, std::vector<int64_t> hiddenIdOffsets)
    : in (file), hidden (std::move (hiddenIdOffsets))
{
}

int AudioChunksOnlyStream::read (void* destination, int maxBytes)
{
    const int64_t start = in.getPosition();
    const int got = in.read (destination, maxBytes);
    if (got <= 0 || hidden.empty())
        return got;

    // The IDs that overlap [start, start + got): the first one that ends after start onwards.
    const int64_t end = start + got;
    auto* bytes = static_cast<char*> (destination);
    for (auto it = std::lower_bound (hidden.begin(), hidden.end(), start - 3); it != hidden.end() && *it < end; ++it)
        for (int64_t b = std::max (*it, start); b < std::min (*it + 4, end); ++b)
            bytes[b - start] = "JUNK"[b - *it];
    return got;
}
} // namespace crest::engine
