#pragma once

#include <juce_core/juce_core.h>

#include <cstdint>
#include <vector>

namespace crest::engine
{
/** A WAV or AIFF file as JUCE's readers should see it: only the chunks that carry the audio.

    JUCE's WAV and AIFF readers parse every metadata chunk they know (bext, smpl, inst, cue, LIST,
    acid, iXML in a WAV; COMT, MARK, INST, cate, basc in an AIFF) while they open a file, and their
    parsers trust the sizes and counts inside: fuzzing found a 3 GB allocation for a smpl chunk, a
    loop over 59,136 comments in an 18-byte chunk, and a read past the end of a cate chunk. Crest
    reads the audio of a client's file, never its tags, so this stream shows each such chunk to the
    parsers under the name "JUNK", which they skip by its size like any unknown chunk. The bytes
    are otherwise the file's own: positions, sizes and the audio are untouched. */
class AudioChunksOnlyStream final : public juce::InputStream
{
public:
    /** Reads `file`, showing the chunk IDs at `hiddenIdOffsets` (sorted byte offsets of 4-byte
        chunk IDs) as "JUNK". */
    AudioChunksOnlyStream (const juce::File& file, std::vector<int64_t> hiddenIdOffsets);

    /** Whether the file could be opened. */
    bool openedOk() const { return in.openedOk(); }

    juce::int64 getTotalLength() override { return in.getTotalLength(); }
    bool isExhausted() override { return in.isExhausted(); }
    juce::int64 getPosition() override { return in.getPosition(); }
    bool setPosition (juce::int64 position) override { return in.setPosition (position); }
    int read (void* destination, int maxBytes) override;

private:
    juce::FileInputStream in;
    std::vector<int64_t> hidden;
};
} // namespace crest::engine
