#pragma once

// What the meter bridge draws, and how it gets from the audio thread to the screen.
//
// Design note: the audio thread measures (LiveMeter) and, about 60 times a second, fills a
// complete MeterSnapshot and publishes it through a MeterSnapshotBuffer, a dsp::TripleBuffer:
// the writer always has a private slot to fill, the reader always has a private slot to read,
// and a third slot is exchanged between them with one atomic operation. Neither side ever
// waits, locks or allocates; the reader simply gets the newest complete snapshot (older ones it
// never asked for are skipped). A snapshot is plain, fixed-size data (no pointers, no heap),
// so the GUI can keep a copy for as long as it likes.
//
// Units: loudness in LUFS/LU, levels in dB relative to full scale (dBFS, dBTP). "No reading"
// (silence below the gate, not enough audio yet) is an empty optional for the single figures
// and MeterSnapshot::noReading (-infinity) inside the arrays; never NaN.

#include "dsp/TripleBuffer.h"

#include <array>
#include <cstdint>
#include <limits>
#include <optional>

namespace crest::live
{

/** One sample pair for the goniometer (vectorscope): left and right, linear. */
struct StereoPoint
{
    float left = 0.0f, right = 0.0f;
};

/** Everything one meter point (the chain's input or its output) shows at one moment. */
struct MeterSnapshot
{
    /** Value used in the arrays for "no reading" (silence, not enough audio yet). */
    static constexpr float noReading = -std::numeric_limits<float>::infinity();

    /** Channels metered (the player is stereo). */
    static constexpr int numChannels = 2;

    /** Goniometer points kept: the most recent samples, oldest first (about 21 ms at 48 kHz). */
    static constexpr int goniometerSize = 1024;

    /** Fine spectrum: this many points, logarithmically spaced from spectrumLowHz to spectrumHighHz. */
    static constexpr int fineSpectrumSize = 256;
    static constexpr float spectrumLowHz = 20.0f, spectrumHighHz = 20000.0f;

    /** 1/3-octave bands: the 31 ISO 266 centres from 20 Hz to 20 kHz. */
    static constexpr int thirdOctaveSize = 31;

    /** Loudness history: one entry per 100 ms (the meter's step), the last 3 minutes, oldest first. */
    static constexpr int historySize = 1800;
    static constexpr double historyStepSeconds = 0.1;

    /** Centre frequency of a fine spectrum point, in Hz. */
    static float fineSpectrumFrequency (int index) noexcept;

    /** Centre frequency of a 1/3-octave band (the exact base-ten value, e.g. 19.95 for "20"). */
    static float thirdOctaveFrequency (int index) noexcept;

    /** Increments with every snapshot published (0: nothing published yet). */
    uint64_t sequence = 0;

    /** Samples metered since the last reset, at `sampleRate`. */
    int64_t samplesMetered = 0;
    double sampleRate = 0.0;

    // ---- loudness (ITU-R BS.1770 / EBU R128), since the last reset
    std::optional<float> momentaryLufs; ///< last 400 ms
    std::optional<float> shortTermLufs; ///< last 3 s
    std::optional<float> integratedLufs; ///< gated, since reset
    std::optional<float> loudnessRangeLu; ///< EBU Tech 3342, since reset
    std::optional<float> momentaryMaxLufs; ///< highest momentary since reset
    std::optional<float> shortTermMaxLufs; ///< highest short-term since reset

    // ---- peaks, per channel (0 = left, 1 = right)
    std::array<float, numChannels> samplePeakDb {}; ///< largest |sample| since the previous snapshot, dBFS
    std::array<float, numChannels>
        ppmDb {}; ///< quasi-peak programme meter (IEC 60268-10 Type I ballistics), highest since the previous snapshot, dBFS
    std::array<float, numChannels> truePeakDb {}; ///< largest true peak since the previous snapshot, dBTP
    std::array<float, numChannels> truePeakHoldDb {}; ///< peak hold: the largest true peak of the last `peakHoldSeconds`, dBTP
    std::array<float, numChannels> truePeakMaxDb {}; ///< largest true peak since reset, dBTP
    std::array<bool, numChannels> clipped {}; ///< latched: a true peak went over clipThresholdDbtp since reset

    /** How long truePeakHoldDb holds a peak before it falls back. */
    static constexpr double peakHoldSeconds = 2.0;

    /** Threshold of the clip indicator, dBTP (settable on the meter: e.g. -1 for a streaming ceiling). */
    float clipThresholdDbtp = 0.0f;

    /** Peak-to-loudness ratio: largest true peak since reset minus integrated loudness (EBU R128 s1 / AES TD1008). */
    std::optional<float> plrDb;

    /** Peak-to-short-term-loudness ratio: the last 3 s's true peak minus short-term loudness. */
    std::optional<float> psrDb;

    // ---- stereo field
    std::optional<float> correlation; ///< phase correlation of the last 400 ms, -1..+1
    std::array<StereoPoint, goniometerSize> goniometer {}; ///< most recent L/R samples, oldest first

    // ---- spectrum (exponentially averaged power, dB re full-scale sine; slope applied)
    std::array<float, fineSpectrumSize> fineSpectrumDb {};
    std::array<float, fineSpectrumSize> fineSpectrumPeakDb {}; ///< peak hold of the above
    std::array<float, thirdOctaveSize> thirdOctaveDb {}; ///< band power
    std::array<float, thirdOctaveSize> thirdOctavePeakDb {}; ///< peak hold of the above

    // ---- loudness history, 10 entries a second, oldest first (noReading where silent or before the start)
    std::array<float, historySize> momentaryHistory {};
    std::array<float, historySize> shortTermHistory {};
};

/** The hand-over of the newest MeterSnapshot from the audio thread to the GUI (see
    dsp::TripleBuffer): the writer (audio thread) fills writeSlot() and calls publish(); the reader
    (message thread) calls read() or latest(). It holds three snapshots (tens of kilobytes): make
    it once, off the audio thread. */
using MeterSnapshotBuffer = dsp::TripleBuffer<MeterSnapshot>;

} // namespace crest::live
