#include "export/FlacWriter.h"

#include "dsp/PcmQuantiser.h"
#include "engine/AtomicFile.h"

#include <juce_core/juce_core.h>

#include <FLAC/metadata.h>
#include <FLAC/stream_encoder.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

namespace crest::delivery
{

namespace
{
    struct EncoderDeleter
    {
        void operator() (FLAC__StreamEncoder* e) const noexcept { FLAC__stream_encoder_delete (e); }
    };

    struct MetadataDeleter
    {
        void operator() (FLAC__StreamMetadata* m) const noexcept { FLAC__metadata_object_delete (m); }
    };

    bool addComment (FLAC__StreamMetadata* block, const char* name, const std::string& value)
    {
        if (value.empty())
            return true;
        FLAC__StreamMetadata_VorbisComment_Entry entry;
        if (! FLAC__metadata_object_vorbiscomment_entry_from_name_value_pair (&entry, name, value.c_str()))
            return false;
        return FLAC__metadata_object_vorbiscomment_append_comment (block, entry, false); // takes ownership
    }

    // libFLAC writes through these into the AtomicFile; seek and tell let it rewrite STREAMINFO
    // (MD5, total samples) at the end, as its own file writer does.
    FLAC__StreamEncoderWriteStatus writeToFile (
        const FLAC__StreamEncoder*, const FLAC__byte buffer[], size_t bytes, uint32_t, uint32_t, void* file)
    {
        return static_cast<engine::AtomicFile*> (file)->write (buffer, bytes) ? FLAC__STREAM_ENCODER_WRITE_STATUS_OK
                                                                              : FLAC__STREAM_ENCODER_WRITE_STATUS_FATAL_ERROR;
    }

    FLAC__StreamEncoderSeekStatus seekInFile (const FLAC__StreamEncoder*, FLAC__uint64 offset, void* file)
    {
        return static_cast<engine::AtomicFile*> (file)->seek ((int64_t) offset) ? FLAC__STREAM_ENCODER_SEEK_STATUS_OK
                                                                                : FLAC__STREAM_ENCODER_SEEK_STATUS_ERROR;
    }

    FLAC__StreamEncoderTellStatus tellInFile (const FLAC__StreamEncoder*, FLAC__uint64* offset, void* file)
    {
        const auto position = static_cast<engine::AtomicFile*> (file)->position();
        if (position < 0)
            return FLAC__STREAM_ENCODER_TELL_STATUS_ERROR;
        *offset = (FLAC__uint64) position;
        return FLAC__STREAM_ENCODER_TELL_STATUS_OK;
    }
} // namespace

int quantiseSample (float sample, int bits) noexcept
{
    // Ties to even, as this writer always has (AudioFileOutput's WAVs round them away from
    // zero); infinities clip to the rails like any sample beyond full scale.
    return dsp::PcmQuantiser (bits, dsp::TieRounding::toEven).toInteger (sample);
}

bool writeFlac (engine::AudioStream& source, const std::string& path, int bits, const TrackTags& tags, std::string& error,
    const std::atomic<bool>* cancel)
{
    const auto fail = [&] (const std::string& why)
    {
        error = path + ": " + why;
        return false;
    };

    const int channels = source.numChannels();
    const double rate = source.sampleRate();
    if (bits != 16 && bits != 24)
        return fail ("FLAC deliverables are 16 or 24-bit, not " + std::to_string (bits));
    if (channels < 1 || channels > 8)
        return fail ("FLAC carries 1 to 8 channels, the audio has " + std::to_string (channels));
    if (rate < 44100.0 || rate > 192000.0 || rate != std::floor (rate))
        return fail ("FLAC deliverables are 44.1 to 192 kHz, not " + juce::String (rate / 1000.0, 3).toStdString() + " kHz");

    const juce::File target (path);
    if (! target.getParentDirectory().isDirectory())
        return fail ("the folder does not exist");
    engine::AtomicFile file (path);
    if (! file.isOpen())
        return fail (file.reason());

    std::unique_ptr<FLAC__StreamMetadata, MetadataDeleter> comments (
        FLAC__metadata_object_new (FLAC__METADATA_TYPE_VORBIS_COMMENT));
    if (comments == nullptr)
        return fail ("out of memory");
    const bool tagged = addComment (comments.get(), "TITLE", tags.title) && addComment (comments.get(), "ARTIST", tags.artist)
        && addComment (comments.get(), "ALBUM", tags.album) && addComment (comments.get(), "ALBUMARTIST", tags.albumArtist)
        && addComment (comments.get(), "GENRE", tags.genre)
        && addComment (comments.get(), "TRACKNUMBER", tags.trackNumber > 0 ? std::to_string (tags.trackNumber) : "")
        && addComment (comments.get(), "TRACKTOTAL", tags.trackTotal > 0 ? std::to_string (tags.trackTotal) : "")
        && addComment (comments.get(), "DATE", tags.year > 0 ? std::to_string (tags.year) : "")
        && addComment (comments.get(), "ISRC", tags.isrc);
    if (! tagged)
        return fail ("a tag is not valid text for a Vorbis comment");

    std::unique_ptr<FLAC__StreamEncoder, EncoderDeleter> encoder (FLAC__stream_encoder_new());
    if (encoder == nullptr)
        return fail ("the FLAC encoder could not start");
    auto* e = encoder.get();
    FLAC__StreamMetadata* blocks[1] = { comments.get() };
    bool ok = FLAC__stream_encoder_set_channels (e, (unsigned) channels)
        && FLAC__stream_encoder_set_bits_per_sample (e, (unsigned) bits)
        && FLAC__stream_encoder_set_sample_rate (e, (unsigned) rate) && FLAC__stream_encoder_set_compression_level (e, 5)
        // No verify-while-encoding, as the flac command has it by default: libFLAC's verify
        // decodes every frame again (a sixth of the encode), and the encoder is the reference
        // one; the tests decode Crest's FLACs with `flac -t` and `flac -d` and compare samples.
        && FLAC__stream_encoder_set_verify (e, false)
        && FLAC__stream_encoder_set_total_samples_estimate (e, (FLAC__uint64) std::max<int64_t> (0, source.lengthInSamples()))
        && FLAC__stream_encoder_set_metadata (e, blocks, 1);
    if (! ok)
        return fail ("the FLAC encoder refused its settings");
    if (FLAC__stream_encoder_init_stream (e, writeToFile, seekInFile, tellInFile, nullptr, &file)
        != FLAC__STREAM_ENCODER_INIT_STATUS_OK)
        return fail (file.reasonOr ("the FLAC encoder could not start writing"));

    constexpr int block = 4096;
    const dsp::PcmQuantiser quantiser (bits, dsp::TieRounding::toEven);
    std::vector<std::vector<float>> input ((size_t) channels, std::vector<float> (block));
    std::vector<std::vector<FLAC__int32>> integers ((size_t) channels, std::vector<FLAC__int32> (block));
    std::vector<float*> in;
    std::vector<const FLAC__int32*> out;
    for (int c = 0; c < channels; ++c)
    {
        in.push_back (input[(size_t) c].data());
        out.push_back (integers[(size_t) c].data());
    }

    const auto abandon = [&] (const std::string& why)
    {
        FLAC__stream_encoder_finish (e);
        return fail (why);
    };

    for (;;)
    {
        if (cancel != nullptr && cancel->load())
            return abandon ("cancelled");
        const int n = source.read (in.data(), block);
        if (n < 0)
            return abandon (std::string ("reading the audio failed: ") + source.error());
        if (n == 0)
            break;
        for (int c = 0; c < channels; ++c)
            quantiser.toIntegers (input[(size_t) c].data(), integers[(size_t) c].data(), n);
        if (! FLAC__stream_encoder_process (e, out.data(), (unsigned) n))
            return abandon (file.reasonOr (std::string ("the FLAC encoder failed: ")
                                           + FLAC__StreamEncoderStateString[FLAC__stream_encoder_get_state (e)]));
    }
    if (! FLAC__stream_encoder_finish (e))
        return fail (file.reasonOr (std::string ("the FLAC encoder failed to finish: ")
                                    + FLAC__StreamEncoderStateString[FLAC__stream_encoder_get_state (e)]));

    if (! file.commit())
        return fail (file.reason());
    return true;
}

} // namespace crest::delivery
