#include "export/AppleDigitalMasters.h"

#include "analysis/TruePeakMeter.h"

#include "export/LameEncoding.h"
#include "session/DeliverableTarget.h"

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <memory>

namespace crest::delivery
{

namespace
{
    struct HipDeleter
    {
        void operator() (hip_global_flags* h) const noexcept { hip_decode_exit (h); }
    };

    // hip reports recoverable stream details on stderr by default; the check reports through
    // its result instead.
    void quiet (const char*, va_list) { }

    std::string fixed (double v, int decimals)
    {
        char text[64];
        std::snprintf (text, sizeof (text), "%.*f", decimals, v);
        return text;
    }

    /** Decodes whatever whole frames hip holds, measuring them. */
    class DecodedMeter
    {
    public:
        DecodedMeter (double rate, int channels) : numChannels (channels) { truePeak.prepare (rate, channels); }

        /** Feeds bytes (possibly none) and drains every frame they complete. False on a decode error. */
        bool feed (hip_global_flags* hip, unsigned char* bytes, size_t length)
        {
            for (;;)
            {
                const int n = hip_decode1 (hip, bytes, length, left, right);
                bytes = nullptr;
                length = 0;
                if (n < 0)
                    return false;
                if (n == 0)
                    return true;
                measure (n);
            }
        }

        AdmCodecCheck result;
        analysis::TruePeakMeter truePeak;

    private:
        void measure (int n)
        {
            short* in[2] = { left, right };
            for (int c = 0; c < numChannels; ++c)
                for (int i = 0; i < n; ++i)
                {
                    const int s = in[c][i];
                    result.clippedSamples += (s >= 32767 || s <= -32767) ? 1 : 0;
                    scratch[c][i] = (float) s / 32768.0f;
                    peak = std::max (peak, std::abs (s));
                }
            const float* p[2] = { scratch[0], scratch[1] };
            truePeak.process (p, n);
            result.decodedSamples += n;
        }

    public:
        int peak = 0;

    private:
        int numChannels;
        short left[1152 * 2] {}, right[1152 * 2] {}; // hip returns at most one frame (1152 samples) per call
        float scratch[2][1152 * 2] {};
    };
} // namespace

double admCodecRateFor (double sampleRate) noexcept
{
    if (sampleRate == 32000.0 || sampleRate == 44100.0 || sampleRate == 48000.0)
        return sampleRate;
    if (sampleRate == 88200.0 || sampleRate == 176400.0)
        return 44100.0;
    if (sampleRate == 96000.0 || sampleRate == 192000.0)
        return 48000.0;
    return 0.0;
}

std::optional<AdmCodecCheck> checkCodecClipping (engine::AudioStream& master, std::string& error, const std::atomic<bool>* cancel)
{
    const int channels = master.numChannels();
    const double outRate = admCodecRateFor (master.sampleRate());
    if (channels < 1 || channels > 2)
    {
        error = "the codec check takes 1 or 2 channels, the master has " + std::to_string (channels);
        return std::nullopt;
    }
    if (outRate == 0.0)
    {
        error = "the codec check takes masters at 32, 44.1, 48, 88.2, 96, 176.4 or 192 kHz, not "
            + fixed (master.sampleRate() / 1000.0, 3) + " kHz";
        return std::nullopt;
    }

    LameEncoder lame (lame_init());
    std::unique_ptr<hip_global_flags, HipDeleter> hip (hip_decode_init());
    if (lame == nullptr || hip == nullptr)
    {
        error = "the MP3 codec could not start";
        return std::nullopt;
    }
    hip_set_errorf (hip.get(), quiet);
    hip_set_debugf (hip.get(), quiet);
    hip_set_msgf (hip.get(), quiet);
    lame_set_errorf (lame.get(), quiet);
    lame_set_debugf (lame.get(), quiet);
    lame_set_msgf (lame.get(), quiet);

    lame_set_in_samplerate (lame.get(), (int) master.sampleRate());
    lame_set_out_samplerate (lame.get(), (int) outRate);
    lame_set_num_channels (lame.get(), channels);
    lame_set_mode (lame.get(), channels == 2 ? JOINT_STEREO : MONO);
    lame_set_quality (lame.get(), 2);
    lame_set_VBR (lame.get(), vbr_off);
    lame_set_brate (lame.get(), 256);
    lame_set_bWriteVbrTag (lame.get(), 0); // nothing to seek back to in memory
    lame_set_write_id3tag_automatic (lame.get(), 0);
    if (lame_init_params (lame.get()) < 0)
    {
        error = "the MP3 encoder refused its settings";
        return std::nullopt;
    }

    DecodedMeter meter (outRate, channels);
    const auto toDecoder = [&] (unsigned char* bytes, size_t numBytes) -> std::string
    {
        return meter.feed (hip.get(), bytes, numBytes) ? std::string() : "LAME's decoder could not read the encoded audio";
    };
    if (! encodeWithLame (*lame, master, toDecoder, error, cancel))
        return std::nullopt;

    meter.truePeak.flush();
    auto result = meter.result;
    result.encodedSampleRate = outRate;
    float tp = 0.0f;
    for (int c = 0; c < channels; ++c)
        tp = std::max (tp, meter.truePeak.getPeak (c));
    result.decodedTruePeakDbtp = tp > 0.0f ? 20.0 * std::log10 ((double) tp) : -300.0;
    result.decodedSamplePeakDbfs = meter.peak > 0 ? 20.0 * std::log10 (meter.peak / 32768.0) : -300.0;
    return result;
}

std::vector<DeliveryFinding> admFindings (int track, int bits, double sampleRate, int64_t masterClippedSamples,
    double masterTruePeakDbtp, double ceilingDbtp, const AdmCodecCheck& codec)
{
    std::vector<DeliveryFinding> findings;
    const auto add = [&] (const char* check, Severity severity, std::string message)
    {
        findings.push_back (
            { session::targetName (session::DeliverableTarget::adm), check, severity, track, std::nullopt, std::move (message) });
    };

    if (bits < 24)
        add ("bit-depth", Severity::error,
            "Apple Digital Masters need 24-bit files; this one is " + std::to_string (bits) + "-bit.");
    if (sampleRate < 44100.0)
        add ("sample-rate", Severity::error,
            "Apple Digital Masters need 44.1 kHz or higher; this one is " + fixed (sampleRate / 1000.0, 1) + " kHz.");
    if (masterClippedSamples > 0)
        add ("master-clipping", Severity::error, "The master has " + std::to_string (masterClippedSamples) + " clipped samples.");
    if (masterTruePeakDbtp > ceilingDbtp + 0.05)
        add ("true-peak", Severity::warning,
            "The master's true peak is " + fixed (masterTruePeakDbtp, 2) + " dBTP, over the " + fixed (ceilingDbtp, 1)
                + " dBTP ceiling.");
    if (codec.clips())
        add ("codec-clipping", Severity::warning,
            "Encoded and decoded (MP3 256 kbps through LAME, as a stand-in for AAC), " + std::to_string (codec.clippedSamples)
                + " samples clip (decoded true peak " + fixed (codec.decodedTruePeakDbtp, 2)
                + " dBTP); lower the ceiling or the level until the round trip stays under full scale.");
    else
        add ("codec-clipping", Severity::info,
            "The encoded round trip (MP3 256 kbps through LAME) does not clip; decoded true peak "
                + fixed (codec.decodedTruePeakDbtp, 2) + " dBTP.");
    return findings;
}

} // namespace crest::delivery
