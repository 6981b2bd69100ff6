#pragma once

// MP3 decoding for Crest's reading layer, through libmpg123 instead of JUCE's MP3AudioFormat.
//
// Design note: JUCE's own MP3 decoder reads and writes past one of its arrays on a crafted
// frame (found by the audio fuzz target; Tests/fuzz/findings/), and Debian's JUCE is not ours
// to patch, so JUCE's MP3 format is compiled out (JUCE_USE_MP3AUDIOFORMAT=0) and this format
// takes its place in the manager every reader uses (readableFormats() in AudioFileInput.h).
// libmpg123 is Debian's maintained decoder. It is asked for gapless output (MPG123_GAPLESS):
// the encoder delay and padding that LAME records in its Info tag are cut, so an MP3 made
// from a 44100-sample WAV reads back as 44100 samples, as `lame --decode` gives them. The
// length is counted by scanning the frames once at open (mpg123_scan), not guessed from the
// first frame's bitrate. Output is 32-bit float at the file's rate and channel count, fixed at
// open: a stream that changes rate or channels part-way is an error, not a silent resample.

#include <juce_audio_formats/juce_audio_formats.h>

namespace crest::engine
{

/** Reads .mp3 files (MPEG-1/2/2.5 layer III, and layers I/II) with libmpg123. Read-only. */
class Mp3Format : public juce::AudioFormat
{
public:
    Mp3Format();
    ~Mp3Format() override;

    /** The rates MPEG audio defines. */
    juce::Array<int> getPossibleSampleRates() override;
    /** 32: the decoder produces floats. */
    juce::Array<int> getPossibleBitDepths() override;
    bool canDoStereo() override { return true; }
    bool canDoMono() override { return true; }
    bool isCompressed() override { return true; }

    /** A reader, or nullptr when libmpg123 finds no MPEG audio frames in the stream (the
        stream is then deleted only if `deleteStreamIfOpeningFails`). */
    juce::AudioFormatReader* createReaderFor (juce::InputStream* sourceStream, bool deleteStreamIfOpeningFails) override;

    /** Always nullptr: Crest writes MP3 with LAME (export/Mp3Writer). */
    juce::AudioFormatWriter* createWriterFor (juce::OutputStream*, double, unsigned int, int,
        const juce::StringPairArray&, int) override;
    using juce::AudioFormat::createWriterFor;
};

} // namespace crest::engine
