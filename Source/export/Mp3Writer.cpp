#include "export/Mp3Writer.h"

#include "engine/AtomicFile.h"
#include "export/Id3Tag.h"
#include "export/LameEncoding.h"

#include <juce_core/juce_core.h>

#include <memory>
#include <vector>

namespace crest::delivery
{

bool isMp3SampleRate (double sampleRate) noexcept
{
    return sampleRate == 32000.0 || sampleRate == 44100.0 || sampleRate == 48000.0;
}

std::optional<Mp3Result> writeMp3 (engine::AudioStream& source, const std::string& path, Mp3Mode mode, const TrackTags& tags,
    std::string& error, const std::atomic<bool>* cancel)
{
    const auto fail = [&] (const std::string& why) -> std::optional<Mp3Result>
    {
        error = path + ": " + why;
        return std::nullopt;
    };

    const int channels = source.numChannels();
    if (channels < 1 || channels > 2)
        return fail ("MP3 carries 1 or 2 channels, the audio has " + std::to_string (channels));
    if (! isMp3SampleRate (source.sampleRate()))
        return fail ("MP3 at 320 kbps takes 32, 44.1 or 48 kHz audio, not "
            + juce::String (source.sampleRate() / 1000.0, 3).toStdString() + " kHz; convert the sample rate first");

    LameEncoder lame (lame_init());
    if (lame == nullptr)
        return fail ("the MP3 encoder could not start");
    const int rate = (int) source.sampleRate();
    lame_set_in_samplerate (lame.get(), rate);
    lame_set_out_samplerate (lame.get(), rate);
    lame_set_num_channels (lame.get(), channels);
    lame_set_mode (lame.get(), channels == 2 ? JOINT_STEREO : MONO);
    // -q 3, the lame command's own default: at 320 kbps and V0 the difference from -q 2 is
    // inaudible, and it costs a third more time.
    lame_set_quality (lame.get(), 3);
    lame_set_write_id3tag_automatic (lame.get(), 0); // our own ID3v2.4 tag, below
    lame_set_bWriteVbrTag (lame.get(), 1); // the info frame that carries delay and padding
    if (mode == Mp3Mode::cbr320)
    {
        lame_set_VBR (lame.get(), vbr_off);
        lame_set_brate (lame.get(), 320);
    }
    else
    {
        lame_set_VBR (lame.get(), vbr_mtrh);
        lame_set_VBR_quality (lame.get(), 0.0f);
    }
    if (lame_init_params (lame.get()) < 0)
        return fail ("the MP3 encoder refused its settings");

    const juce::File target (path);
    if (! target.getParentDirectory().isDirectory())
        return fail ("the folder does not exist");
    engine::AtomicFile file (path);
    if (! file.isOpen())
        return fail (file.reason());

    Mp3Result result;
    const auto id3 = makeId3v24Tag (tags);
    result.id3Bytes = id3.size();
    if (! file.write (id3.data(), id3.size()))
        return fail (file.reason());

    const auto toFile = [&file] (unsigned char* bytes, size_t numBytes) -> std::string
    { return file.write (bytes, numBytes) ? std::string() : file.reason(); };
    std::string why;
    const auto samples = encodeWithLame (*lame, source, toFile, why, cancel);
    if (! samples)
        return fail (why);
    result.samples = *samples;

    // The info frame: LAME wrote a placeholder of the same size as the first frame; now that
    // the totals are known, its final contents go over it, just past the ID3 tag.
    std::vector<unsigned char> info (2880);
    result.infoFrameBytes = lame_get_lametag_frame (lame.get(), info.data(), info.size());
    if (result.infoFrameBytes == 0 || result.infoFrameBytes > info.size())
        return fail ("the MP3 encoder produced no info frame");
    if (! file.seek ((int64_t) result.id3Bytes) || ! file.write (info.data(), result.infoFrameBytes))
        return fail (file.reason());

    result.encoderDelay = lame_get_encoder_delay (lame.get());
    result.encoderPadding = lame_get_encoder_padding (lame.get());

    if (! file.commit())
        return fail (file.reason());
    return result;
}

} // namespace crest::delivery
