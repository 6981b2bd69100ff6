#pragma once

// One meter point of the meter bridge (the chain's input, or its output), run on the audio
// thread and published as MeterSnapshots.
//
// Design note: reuses the analysis meters (LoudnessMeter, TruePeakMeter, StereoFieldMeter),
// which are realtime-safe after prepare(), and adds what only a live display needs: PPM
// ballistics, true-peak hold, a clip latch, a goniometer ring, a loudness history, and a
// short-window spectrum (FFTW, Hann, 75 % overlap) with exponential averaging, slope and peak
// hold, reduced to fixed-size fine and 1/3-octave bins. Everything is sized in prepare();
// process() only does arithmetic and, about 60 times a second, fills and publishes a snapshot.
//
// PPM: IEC 60268-10 Type I (DIN 45406) ballistics: a 10 ms 5 kHz tone burst reads -1 dB (an
// attack time constant of 1.5 ms on the rectified signal, calibrated for exactly that), and the
// reading falls 20 dB in 1.5 s. A snapshot carries the highest reading since the previous one.
//
// Never: allocate, lock, log or do I/O in process().

#include "analysis/LoudnessMeter.h"
#include "analysis/StereoFieldMeter.h"
#include "analysis/TruePeakMeter.h"
#include "live/MeterSnapshot.h"

#include <array>
#include <atomic>
#include <memory>
#include <vector>

namespace crest::live
{

/** Measures a stereo signal live and publishes MeterSnapshots. */
class LiveMeter
{
public:
    LiveMeter();
    ~LiveMeter();

    /** FFT size of the live spectrum at a rate (about 85 ms: 4096 at 44.1/48 kHz). */
    static int fftSizeFor (double sampleRate) noexcept;

    /** Sizes everything and plans the FFT. Not realtime-safe. */
    void prepare (double sampleRate, int maxBlockSize);

    /** Measures a block; publishes to `out` whenever a display frame (1/60 s) has passed. Audio thread. */
    void process (const float* left, const float* right, int numSamples, MeterSnapshotBuffer& out) noexcept;

    /** Publishes the current state now (e.g. after stopping). Audio thread. */
    void publish (MeterSnapshotBuffer& out) noexcept;

    /** Asks for a reset of everything measured, done at the next process(). Any thread. */
    void requestReset() noexcept { resetRequested.store (true); }

    /** Clip indicator threshold, dBTP. Any thread. */
    void setClipThreshold (float dbtp) noexcept { clipThreshold.store (dbtp); }

    /** Spectrum options (see SessionPlayer::setSpectrumOptions). Any thread. */
    void setSpectrumOptions (float averagingSeconds, float slopeDbPerOctave, float peakFallDbPerSecond) noexcept;

    /** The loudness meter (audio thread, or when audio has stopped). */
    const analysis::LoudnessMeter& loudness() const noexcept { return loudnessMeter; }

    /** Largest true peak since reset over both channels, dBTP (-inf if none). Audio thread. */
    float truePeakMaxDb() const noexcept;

private:
    struct Fft;
    void resetAll() noexcept;
    void measure (const float* left, const float* right, int numSamples) noexcept;
    void completeLoudnessStep() noexcept;
    void transformFrame() noexcept;

    double sampleRate = 48000.0;
    int publishInterval = 800, sinceLastPublish = 0;
    uint64_t sequence = 0;
    int64_t samplesMetered = 0;

    analysis::LoudnessMeter loudnessMeter;
    analysis::TruePeakMeter truePeak;
    analysis::StereoFieldMeter stereoField;

    // peaks
    std::array<float, 2> samplePeak {}, ppm {}, ppmHighest {}, holdLinear {}, intervalTruePeak {};
    std::array<double, 2> holdAge {};
    std::array<bool, 2> clippedLatch {};
    float ppmAttack = 0.0f, ppmRelease = 1.0f;
    std::array<float, 30> stepTruePeaks {}; // true peak per 100 ms step, last 3 s
    float currentStepTruePeak = 0.0f;
    int stepTruePeakHead = 0;

    // goniometer and history rings
    std::array<StereoPoint, MeterSnapshot::goniometerSize> goniometer {};
    int goniometerHead = 0;
    std::array<float, MeterSnapshot::historySize> momentaryHistory {}, shortTermHistory {};
    int historyHead = 0;

    // spectrum
    std::unique_ptr<Fft> fft;
    int fftSize = 4096, hop = 1024, fill = 0;
    std::vector<float> window, frameLeft, frameRight; // rings of fftSize
    std::vector<float> averagedPower; // per FFT bin
    std::array<float, MeterSnapshot::fineSpectrumSize> fineDb {}, finePeakDb {};
    std::array<float, MeterSnapshot::thirdOctaveSize> bandDb {}, bandPeakDb {};
    std::array<int, MeterSnapshot::fineSpectrumSize> fineLow {}, fineHigh {};
    std::array<float, MeterSnapshot::fineSpectrumSize> fineExact {};
    std::array<int, MeterSnapshot::thirdOctaveSize> bandLow {}, bandHigh {};
    bool spectrumValid = false;

    std::atomic<bool> resetRequested { false };
    std::atomic<float> clipThreshold { 0.0f };
    std::atomic<float> averagingSeconds { 0.3f }, slopeDbPerOctave { 0.0f }, peakFallDbPerSecond { 12.0f };
};

} // namespace crest::live
