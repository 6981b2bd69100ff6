#include "engine/AudioFileInput.h"

#include "engine/AudioChunksOnlyStream.h"
#include "engine/FileKind.h"
#include "engine/Mp3Format.h"

#include <FLAC/stream_decoder.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>

namespace crest::engine
{
juce::AudioFormatManager& readableFormats()
{
    static juce::AudioFormatManager manager;
    static const bool registered = [] {
        manager.registerBasicFormats(); // JUCE's MP3 format is compiled out (JUCE_USE_MP3AUDIOFORMAT=0)
        manager.registerFormat (new Mp3Format(), false);
        return true;
    }();
    juce::ignoreUnused (registered);
    return manager;
}

namespace
{
    uint32_t littleEndian32 (const uint8_t* p) { return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 | (uint32_t) p[3] << 24; }
    uint32_t bigEndian32 (const uint8_t* p) { return (uint32_t) p[3] | (uint32_t) p[2] << 8 | (uint32_t) p[1] << 16 | (uint32_t) p[0] << 24; }
    uint64_t littleEndian64 (const uint8_t* p) { return littleEndian32 (p) | (uint64_t) littleEndian32 (p + 4) << 32; }

    /** Calls `visit (offset, id, size)` for each chunk of a RIFF/RF64 or IFF (AIFF) file, with the
        stream placed just after the chunk's 8-byte header, until it returns a result (returned,
        empty or not) or the chunks run out (empty). `riff` is set to whether the sizes are
        little-endian; a file of neither kind is not walked. An RF64 data chunk's size is the one
        its ds64 chunk gives, as the readers take it. */
    template <typename Visit>
    std::string walkChunks (juce::FileInputStream& in, bool& riff, Visit&& visit)
    {
        const auto fileSize = (uint64_t) in.getTotalLength();
        uint8_t header[12];
        if (in.read (header, 12) != 12)
            return "the file is too short to hold an audio header";

        riff = std::memcmp (header, "RIFF", 4) == 0 || std::memcmp (header, "RF64", 4) == 0;
        if (! riff && std::memcmp (header, "FORM", 4) != 0)
            return {};

        // The walk must step where JUCE's WAV reader steps, or JUCE parses chunks the walk never
        // saw: in an RF64 file JUCE takes the data size from a ds64 chunk that comes first (at
        // least 28 bytes) and then uses it for the data chunk whatever the chunk's own 32-bit
        // size says (a fuzz finding: a data chunk of 0xfffff7ff bytes hid an inst chunk
        // declaring 3.7 GB, which JUCE then allocated).
        const bool rf64 = std::memcmp (header, "RF64", 4) == 0;
        uint64_t rf64DataSize = 0;
        for (uint64_t offset = 12; offset + 8 <= fileSize;)
        {
            uint8_t chunk[8];
            in.setPosition ((juce::int64) offset);
            if (in.read (chunk, 8) != 8)
                break;
            uint64_t size = riff ? littleEndian32 (chunk + 4) : bigEndian32 (chunk + 4);
            if (rf64 && offset == 12 && std::memcmp (chunk, "ds64", 4) == 0 && size >= 28)
            {
                uint8_t ds64[16];
                if (in.read (ds64, 16) == 16)
                    rf64DataSize = littleEndian64 (ds64 + 8);
                in.setPosition ((juce::int64) offset + 8);
            }
            if (rf64 && std::memcmp (chunk, "data", 4) == 0 && rf64DataSize > 0)
                size = rf64DataSize;
            if (std::optional<std::string> result = visit (offset, chunk, size))
                return *result;
            offset += 8 + size + (size & 1u);
        }
        return {};
    }

    /** Walks the chunks of a RIFF/RF64 or IFF (AIFF) file and reports whether the audio chunk
        claims more bytes than the file holds. JUCE's readers pad a cut-off file with silence
        rather than failing, which would make a truncated transfer measure as a quiet ending. */
    std::string chunkTruncation (const juce::File& file)
    {
        juce::FileInputStream in (file);
        if (! in.openedOk())
            return {};

        const auto fileSize = (uint64_t) in.getTotalLength();
        bool riff = false;
        return walkChunks (in, riff,
            [&] (uint64_t offset, const uint8_t* chunk, uint64_t size) -> std::optional<std::string>
            {
                if (std::memcmp (chunk, riff ? "data" : "SSND", 4) != 0)
                    return std::nullopt;

                const uint64_t end = offset + 8 + size;
                if (end <= fileSize)
                    return std::string();
                const double missing = 100.0 * (double) (end - fileSize) / (double) size;
                return "the file is truncated: its audio data stops " + juce::String (missing, 1).toStdString()
                       + " % short of what its header declares (" + std::to_string (fileSize) + " of "
                       + std::to_string (end) + " bytes)";
            });
    }

    /** Problems in a RIFF or AIFF file's metadata chunks that JUCE's readers would act on
        before they could refuse the file:
        - An AIFF's comment (COMT) and marker (MARK) chunks start with a count, and JUCE's reader
          loops that many times whatever the chunk holds, reading zeros past its end: a fuzz
          finding of 585 bytes declaring 59,136 comments took 0.9 s to refuse (over 10 s under
          ASan), and a larger count takes longer. Each entry needs at least 8 bytes, so a count
          that cannot fit in its chunk (or the file) is refused.
        - JUCE allocates a buffer of a chunk's declared size for the bext, smpl, inst and cue
          chunks of a WAV and the INST chunk of an AIFF, whatever the file holds: a fuzz finding
          of a few hundred bytes whose smpl chunk declared 3,031,542,458 bytes made it ask for
          3 GB. A chunk of those kinds declaring more bytes than the file holds is refused.
        A file too short for a header is left to the readers, which name it as unreadable.
        The same walk fills `hidden` with the offsets of the IDs of the chunks that do not carry
        the audio (format, data, version), for AudioChunksOnlyStream to hide from JUCE's metadata
        parsers. A WAV's empty chunks stay visible: JUCE's WAV reader stops at an empty chunk it
        does not know, so hiding one could hide the audio after it. An AIFF's named empty chunks
        are hidden: JUCE's AIFF reader reads past an empty cate chunk (a fuzz finding). */
    std::string chunkContentProblem (const juce::File& file, std::vector<int64_t>& hidden)
    {
        juce::FileInputStream in (file);
        if (! in.openedOk() || in.getTotalLength() < 12)
            return {};

        const auto fileSize = (uint64_t) in.getTotalLength();
        bool riff = false;
        return walkChunks (in, riff,
            [&] (uint64_t offset, const uint8_t* chunk, uint64_t size) -> std::optional<std::string>
            {
                const std::string id (reinterpret_cast<const char*> (chunk), 4);
                const bool audio = riff ? (id == "fmt " || id == "data" || id == "ds64")
                                        : (id == "COMM" || id == "SSND" || id == "FVER");
                // In an AIFF an empty chunk is hidden too when it has a real name: JUCE's AIFF reader
                // reads an empty cate chunk as 4 bytes short, which it takes as "to the end of the
                // file". Runs of zero bytes (padding) read as nameless empty chunks and are left
                // alone, so a long run does not fill the list. (A WAV's empty chunks stay visible:
                // see above.)
                const bool named = std::all_of (chunk, chunk + 4, [] (uint8_t c) { return c >= 0x20 && c < 0x7f; });
                if (! audio && (size > 0 || (! riff && named)))
                    hidden.push_back ((int64_t) offset);

                const uint64_t room = fileSize - offset - 8;
                const bool copiedWhole = riff ? (id == "bext" || id == "smpl" || id == "inst" || id == "INST" || id == "cue ")
                                              : id == "INST";
                if (copiedWhole && size > room)
                    return "its " + id + " chunk declares " + std::to_string (size) + " bytes but the file holds only "
                           + std::to_string (room) + " after its header (a damaged file)";

                const bool comments = id == "COMT";
                uint8_t count[2];
                if (riff || (! comments && id != "MARK") || in.read (count, 2) != 2)
                    return std::nullopt;
                const uint64_t entries = (uint64_t) count[0] << 8 | count[1];
                if (2 + 8 * entries <= std::min (size, room))
                    return std::nullopt;
                return std::string ("its ") + (comments ? "comment (COMT)" : "marker (MARK)") + " chunk declares "
                       + std::to_string (entries) + (comments ? " comments" : " markers") + " but holds only "
                       + std::to_string (std::min (size, room)) + " bytes (damaged or not an AIFF file)";
            });
    }

    /** A FLAC file cut short cannot seek to its last sample. */
    std::string flacTruncation (const juce::File& file, int64_t totalSamples)
    {
        if (totalSamples <= 0)
            return {};

        auto* decoder = FLAC__stream_decoder_new();
        if (decoder == nullptr)
            return {};

        const auto write = [] (const FLAC__StreamDecoder*, const FLAC__Frame*, const FLAC__int32* const*, void*) {
            return FLAC__STREAM_DECODER_WRITE_STATUS_CONTINUE;
        };
        const auto error = [] (const FLAC__StreamDecoder*, FLAC__StreamDecoderErrorStatus, void*) {};

        std::string reason;
        if (FLAC__stream_decoder_init_file (decoder, file.getFullPathName().toRawUTF8(), write, nullptr, error, nullptr)
            == FLAC__STREAM_DECODER_INIT_STATUS_OK)
        {
            if (! FLAC__stream_decoder_process_until_end_of_metadata (decoder)
                || ! FLAC__stream_decoder_seek_absolute (decoder, (FLAC__uint64) totalSamples - 1))
                reason = "the file is truncated or damaged: its last frames cannot be decoded";
            FLAC__stream_decoder_finish (decoder);
        }
        FLAC__stream_decoder_delete (decoder);
        return reason;
    }

    /** A reader as AudioFormatManager::createReaderFor (File) makes it (the first format that
        claims the file's extension and can parse it), but over a buffered stream: JUCE's WAV
        reader asks its stream for 5760 bytes at a time, which from a bare file stream is one
        system call per 720 stereo float frames. The stream hides the metadata chunks from JUCE's
        parsers (AudioChunksOnlyStream): `hidden` from chunkContentProblem(). */
    std::unique_ptr<juce::AudioFormatReader> createBufferedReader (const juce::File& file, const std::vector<int64_t>& hidden)
    {
        constexpr int bufferBytes = 1 << 16; // 64 kB: stays in the L2 cache between the copies
        auto& manager = readableFormats();
        for (int i = 0; i < manager.getNumKnownFormats(); ++i)
        {
            auto* format = manager.getKnownFormat (i);
            if (! format->canHandleFile (file))
                continue;
            auto stream = std::make_unique<AudioChunksOnlyStream> (file, hidden);
            if (stream->openedOk())
                if (auto* reader = format->createReaderFor (new juce::BufferedInputStream (stream.release(), bufferBytes, true), true))
                    return std::unique_ptr<juce::AudioFormatReader> (reader);
        }
        return nullptr;
    }
} // namespace

AudioFileInput::~AudioFileInput() = default;

std::unique_ptr<AudioFileInput> AudioFileInput::open (const std::string& path, std::string& error)
{
    const juce::File file = juce::File::getCurrentWorkingDirectory().getChildFile (juce::String (path));

    // A FIFO would block the open forever and a device never ends: refused before opening.
    if (const auto problem = fileKindProblem (file.getFullPathName().toStdString()); ! problem.empty())
    {
        error = file.isDirectory() ? "it is a directory, not an audio file" : problem;
        return nullptr;
    }
    if (file.getSize() == 0)
    {
        error = "the file is empty (0 bytes)";
        return nullptr;
    }

    {
        juce::FileInputStream probe (file);
        if (! probe.openedOk())
        {
            error = "the file cannot be read (" + probe.getStatus().getErrorMessage().toStdString() + ")";
            return nullptr;
        }
    }

    std::vector<int64_t> hidden;
    if (error = chunkContentProblem (file, hidden); ! error.empty())
        return nullptr;

    std::unique_ptr<AudioFileInput> input (new AudioFileInput());
    input->reader = createBufferedReader (file, hidden);
    if (input->reader == nullptr)
    {
        error = "not a readable audio file (Crest reads WAV, AIFF, FLAC, Ogg Vorbis and MP3)";
        return nullptr;
    }

    auto& r = *input->reader;
    auto& info = input->fileInfo;
    info.path = path;
    info.formatName = r.getFormatName().toStdString();
    if (info.formatName.rfind ("WAV", 0) == 0)
        info.formatName = "WAV";
    else if (info.formatName.rfind ("AIFF", 0) == 0)
        info.formatName = "AIFF";
    else if (info.formatName.find ("FLAC") != std::string::npos)
        info.formatName = "FLAC";
    else if (info.formatName.find ("Ogg") != std::string::npos)
        info.formatName = "Ogg Vorbis";
    else if (info.formatName.find ("MP3") != std::string::npos)
        info.formatName = "MP3";
    info.sampleRate = r.sampleRate;
    info.numChannels = (int) r.numChannels;
    info.lengthInSamples = r.lengthInSamples;
    info.bitsPerSample = (int) r.bitsPerSample;
    info.isFloatingPoint = r.usesFloatingPointData;
    info.isLossy = info.formatName == "MP3" || info.formatName == "Ogg Vorbis";

    if (! std::isfinite (info.sampleRate) || info.sampleRate < minimumSampleRate || info.sampleRate > maximumSampleRate)
    {
        error = "unsupported sample rate " + juce::String (info.sampleRate, 0).toStdString()
                + " Hz (Crest works from 8 kHz to 384 kHz)";
        return nullptr;
    }
    if (info.numChannels < 1 || info.numChannels > maximumChannels)
    {
        error = "unsupported channel count " + std::to_string (info.numChannels) + " (Crest works with 1 to 8 channels)";
        return nullptr;
    }
    if (info.lengthInSamples <= 0)
    {
        error = "the file holds no audio (0 samples)";
        return nullptr;
    }

    error = info.formatName == "FLAC" ? flacTruncation (file, info.lengthInSamples) : chunkTruncation (file);
    if (! error.empty())
        return nullptr;

    // A PCM file cannot hold more samples than it has bytes. The chunk walk above can miss the
    // audio chunk behind a damaged chunk list that JUCE's parser reads past (a fuzz finding: a
    // 293-byte AIFF declaring 13 million frames, read as five minutes of padding silence).
    if ((info.formatName == "WAV" || info.formatName == "AIFF") && info.bitsPerSample > 0)
    {
        const auto declared = (double) info.lengthInSamples * (double) info.numChannels * (double) info.bitsPerSample / 8.0;
        if (declared > (double) file.getSize())
        {
            error = "the file is truncated: its header declares " + std::to_string (info.lengthInSamples)
                    + " samples per channel (" + juce::String (declared, 0).toStdString() + " bytes of audio), but the file holds "
                    + std::to_string (file.getSize()) + " bytes";
            return nullptr;
        }
    }

    // JUCE reports what the header says; a damaged header can say a negative or absurd sample
    // size (a fuzz finding: an AIFF whose chunks JUCE misreads as -14336 bits, which its reader
    // then crawls through for minutes). PCM has 8 to 64 bits per sample, in whole bytes.
    if ((info.formatName == "WAV" || info.formatName == "AIFF")
        && (info.bitsPerSample < 8 || info.bitsPerSample > 64 || info.bitsPerSample % 8 != 0))
    {
        error = "unsupported or damaged sample format: the header says " + std::to_string (info.bitsPerSample)
                + " bits per sample (Crest reads 8 to 64, in whole bytes)";
        return nullptr;
    }

    return input;
}

int AudioFileInput::read (juce::AudioBuffer<float>& buffer, int numSamples)
{
    const auto n = (int) std::min<int64_t> (numSamples, fileInfo.lengthInSamples - readPosition);
    if (n <= 0)
        return 0;

    reader->read (buffer.getArrayOfWritePointers(), fileInfo.numChannels, readPosition, n);
    readPosition += n;
    return n;
}

} // namespace crest::engine
