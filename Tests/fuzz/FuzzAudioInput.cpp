// libFuzzer target: audio input through Crest's own reading layer (engine::AudioFileInput),
// as `crest analyze`, `crest render` and the player open a stranger's file. The first byte
// picks the file's extension (WAV, AIFF, FLAC, Ogg Vorbis, MP3), the rest are its bytes.
// Built a second time with CREST_FUZZ_MP3_ONLY as crest_fuzz_mp3input: every input is an .mp3
// file (all its bytes), so the whole run goes to the MP3 reader (libmpg123, engine/Mp3Format).

#include "FuzzInput.h"
#include "engine/AudioFileInput.h"

#include <algorithm>

extern "C" int LLVMFuzzerTestOneInput (const uint8_t* data, size_t size)
{
    using namespace crest;
#ifdef CREST_FUZZ_MP3_ONLY
    const auto path = fuzz::scratchFolder() + "/input.mp3";
    fuzz::writeFile (path, data, size);
#else
    if (size < 1)
        return 0;
    static const char* extensions[] = { "wav", "aiff", "flac", "ogg", "mp3" };
    const auto path = fuzz::scratchFolder() + "/input." + extensions[data[0] % 5];
    fuzz::writeFile (path, data + 1, size - 1);
#endif

    std::string error;
    auto input = engine::AudioFileInput::open (path, error);
    if (input == nullptr)
        return 0;
    // Read it all, as an analysis would (bounded: a header may claim hours of audio).
    juce::AudioBuffer<float> buffer (std::max (1, input->info().numChannels), 4096);
    for (int64_t total = 0; total < (int64_t) 1 << 20;)
    {
        const int got = input->read (buffer, 4096);
        if (got <= 0)
            break;
        total += got;
    }
    return 0;
}
