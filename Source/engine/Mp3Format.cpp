#include "engine/Mp3Format.h"

#include <mpg123.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <vector>

namespace crest::engine
{
namespace
{
    /** libmpg123's I/O on a JUCE stream (the handle), so buffered and memory streams work as
        files do. Both behave as POSIX read and lseek. */
    mpg123_ssize_t readFromStream (void* handle, void* buffer, size_t bytes)
    {
        auto* stream = static_cast<juce::InputStream*> (handle);
        const int n = stream->read (buffer, (int) std::min<size_t> (bytes, INT_MAX));
        return n < 0 ? -1 : (mpg123_ssize_t) n;
    }

    off_t seekInStream (void* handle, off_t offset, int whence)
    {
        auto* stream = static_cast<juce::InputStream*> (handle);
        juce::int64 base = 0;
        if (whence == SEEK_CUR)
            base = stream->getPosition();
        else if (whence == SEEK_END)
        {
            base = stream->getTotalLength();
            if (base < 0)
                return -1;
        }
        else if (whence != SEEK_SET)
            return -1;
        const juce::int64 target = base + (juce::int64) offset;
        if (target < 0 || ! stream->setPosition (target))
            return -1;
        return (off_t) stream->getPosition();
    }

    /** Samples decoded per call to libmpg123 (per channel). */
    constexpr int decodeFrames = 4608;

    class Mp3Reader : public juce::AudioFormatReader
    {
    public:
        explicit Mp3Reader (juce::InputStream* stream) : juce::AudioFormatReader (stream, "MP3 file") {}

        ~Mp3Reader() override
        {
            if (decoder != nullptr)
                mpg123_delete (decoder); // closes the handle; the stream is the base class's
        }

        /** Opens the stream; false when it holds no decodable MPEG audio. */
        bool open()
        {
            static const bool initialised = [] { return mpg123_init() == MPG123_OK; }();
            if (! initialised)
                return false;

            int status = MPG123_OK;
            decoder = mpg123_new (nullptr, &status);
            if (decoder == nullptr)
                return false;

            // Gapless: LAME's Info tag says how many samples of encoder delay and padding to
            // cut. Quiet: libmpg123 would otherwise print resync notes to stderr. No
            // Frankenstein: the stream ends where its properties (layer, rate, channels) change,
            // as a concatenation of unlike files or a crafted stream does; decoding on past such a
            // change is where libmpg123 has written past its own buffers (CVE-2024-10573, and
            // the fuzz finding in Tests/fuzz/README.md).
            const long flags = MPG123_GAPLESS | MPG123_QUIET | MPG123_NO_FRANKENSTEIN;
            if (mpg123_param (decoder, MPG123_FLAGS, flags, 0.0) != MPG123_OK
                || mpg123_format_none (decoder) != MPG123_OK
                || mpg123_format2 (decoder, 0, MPG123_MONO | MPG123_STEREO, MPG123_ENC_FLOAT_32) != MPG123_OK
                || mpg123_replace_reader_handle (decoder, readFromStream, seekInStream, nullptr) != MPG123_OK
                || mpg123_open_handle (decoder, input) != MPG123_OK)
                return false;

            long rate = 0;
            int channels = 0, encoding = 0;
            if (mpg123_getformat (decoder, &rate, &channels, &encoding) != MPG123_OK || rate <= 0
                || channels < 1 || channels > 2 || encoding != MPG123_ENC_FLOAT_32)
                return false;

            // From here on the output format is fixed (see the design note).
            if (mpg123_format_none (decoder) != MPG123_OK || mpg123_format (decoder, rate, channels, MPG123_ENC_FLOAT_32) != MPG123_OK)
                return false;

            // Count the frames (and read the gapless trim) once, so the length is exact.
            if (mpg123_scan (decoder) != MPG123_OK)
                return false;
            const off_t length = mpg123_length (decoder);
            if (length <= 0)
                return false;

            sampleRate = (double) rate;
            numChannels = (unsigned int) channels;
            lengthInSamples = (juce::int64) length;
            bitsPerSample = 32;
            usesFloatingPointData = true;
            outputRate = rate;
            outputChannels = channels;
            decoded.resize ((size_t) (decodeFrames * channels));
            return true;
        }

        bool readSamples (int* const* destSamples, int numDestChannels, int startOffsetInDestBuffer,
            juce::int64 startSampleInFile, int numSamples) override
        {
            clearSamplesBeyondAvailableLength (destSamples, numDestChannels, startOffsetInDestBuffer, startSampleInFile, numSamples, lengthInSamples);
            if (numSamples <= 0)
                return true;
            if (broken)
                return fail (destSamples, numDestChannels, startOffsetInDestBuffer, numSamples);

            if (startSampleInFile != nextSample)
            {
                // libmpg123 seeks sample-exactly (it decodes from an earlier frame as needed).
                if (mpg123_seek (decoder, (off_t) startSampleInFile, SEEK_SET) < 0)
                    return fail (destSamples, numDestChannels, startOffsetInDestBuffer, numSamples);
                nextSample = startSampleInFile;
                waitingFrames = waitingStart = 0;
            }

            int done = 0;
            while (done < numSamples)
            {
                if (waitingFrames == 0)
                {
                    size_t bytes = 0;
                    const int status = mpg123_read (decoder, decoded.data(), decoded.size() * sizeof (float), &bytes);
                    waitingStart = 0;
                    waitingFrames = (int) (bytes / (sizeof (float) * (size_t) outputChannels));
                    if (status == MPG123_NEW_FORMAT)
                    {
                        long rate = 0;
                        int channels = 0, encoding = 0;
                        if (mpg123_getformat (decoder, &rate, &channels, &encoding) != MPG123_OK || rate != outputRate
                            || channels != outputChannels || encoding != MPG123_ENC_FLOAT_32)
                            return fail (destSamples, numDestChannels, startOffsetInDestBuffer + done, numSamples - done);
                    }
                    else if (status == MPG123_DONE && waitingFrames == 0)
                        break; // fewer frames decode than were counted: the rest stays silent
                    else if (status != MPG123_OK && status != MPG123_DONE)
                        return fail (destSamples, numDestChannels, startOffsetInDestBuffer + done, numSamples - done);
                    if (waitingFrames == 0)
                        continue;
                }

                const int n = std::min (waitingFrames, numSamples - done);
                for (int c = 0; c < numDestChannels; ++c)
                {
                    if (destSamples[c] == nullptr)
                        continue;
                    auto* out = reinterpret_cast<float*> (destSamples[c]) + startOffsetInDestBuffer + done;
                    if (c >= outputChannels)
                    {
                        std::fill (out, out + n, 0.0f);
                        continue;
                    }
                    const float* in = decoded.data() + (size_t) waitingStart * (size_t) outputChannels + (size_t) c;
                    for (int i = 0; i < n; ++i)
                        out[i] = in[(size_t) i * (size_t) outputChannels];
                }
                waitingStart += n;
                waitingFrames -= n;
                done += n;
                nextSample += n;
            }

            if (done < numSamples)
                zero (destSamples, numDestChannels, startOffsetInDestBuffer + done, numSamples - done);
            return true;
        }

    private:
        static void zero (int* const* destSamples, int numDestChannels, int offset, int numSamples)
        {
            for (int c = 0; c < numDestChannels; ++c)
                if (destSamples[c] != nullptr)
                    std::memset (destSamples[c] + offset, 0, sizeof (int) * (size_t) numSamples);
        }

        /** A decoding error: the rest of the request is silence and the read reports failure.
            The decoder is not used again: after an error its state is not to be trusted (the
            fuzzer found libmpg123 writing past a buffer when asked to seek and decode on after
            a failed format change), so every later read is silence and failure too. */
        bool fail (int* const* destSamples, int numDestChannels, int offset, int numSamples)
        {
            zero (destSamples, numDestChannels, offset, numSamples);
            broken = true;
            waitingFrames = waitingStart = 0;
            return false;
        }

        mpg123_handle* decoder = nullptr;
        long outputRate = 0;
        int outputChannels = 0;
        std::vector<float> decoded;       // interleaved, as libmpg123 writes it
        int waitingStart = 0, waitingFrames = 0; // decoded frames not yet handed out
        juce::int64 nextSample = 0;       // the file position of the first waiting frame
        bool broken = false;              // a decoding error happened: the decoder is not called again
    };
} // namespace

Mp3Format::Mp3Format() : juce::AudioFormat ("MP3 file", ".mp3") {}

Mp3Format::~Mp3Format() = default;

juce::Array<int> Mp3Format::getPossibleSampleRates()
{
    return { 8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000 };
}

juce::Array<int> Mp3Format::getPossibleBitDepths()
{
    return { 32 };
}

juce::AudioFormatReader* Mp3Format::createReaderFor (juce::InputStream* sourceStream, bool deleteStreamIfOpeningFails)
{
    if (sourceStream == nullptr)
        return nullptr;
    auto reader = std::make_unique<Mp3Reader> (sourceStream);
    if (reader->open())
        return reader.release();
    if (! deleteStreamIfOpeningFails)
        reader->input = nullptr; // the caller keeps its stream
    return nullptr;
}

juce::AudioFormatWriter* Mp3Format::createWriterFor (juce::OutputStream*, double, unsigned int, int, const juce::StringPairArray&, int)
{
    return nullptr;
}

} // namespace crest::engine
