#pragma once

#include <memory>
#include <vector>

namespace crest::analysis
{

/** A long-term average spectrum, fine and in 1/3-octave bands, as used for tonal-balance
    checks and for overlaying a reference's spectrum on the master's.

    Frames of about 170 ms (a power of two: 8192 at 44.1/48 kHz) are Hann-windowed with 50 %
    overlap and transformed with FFTW; the power of every channel is averaged. Levels are
    power spectral density in dB relative to full-scale sine per bin, so a stationary sine at
    -20 dBFS reads about -20 dB in its bin, and band levels are the band's summed power.

    FFTW plans are made in prepare() (FFTW's planner is not thread-safe, so planning is
    serialised); process() allocates nothing.
*/
class SpectrumAnalyser
{
public:
    SpectrumAnalyser();
    ~SpectrumAnalyser();
    SpectrumAnalyser (SpectrumAnalyser&&) noexcept;
    SpectrumAnalyser& operator= (SpectrumAnalyser&&) noexcept;

    /** FFT size used at a sample rate. */
    static int fftSizeFor (double sampleRate) noexcept;

    /** Plans the transform for a rate and channel count. Not realtime-safe. */
    void prepare (double sampleRate, int numChannels);

    /** Forgets the average. */
    void reset() noexcept;

    /** Adds a block of non-interleaved channels. */
    void process (const float* const* channels, int numSamples) noexcept;

    /** Frames averaged so far. */
    int framesAveraged() const noexcept { return frames; }

    /** Frequency of a fine bin in Hz. */
    double binFrequency (int bin) const noexcept { return bin * sampleRate / fftSize; }

    /** The fine long-term spectrum: one level in dB per bin from DC to Nyquist
        (-200 where there is nothing). */
    std::vector<double> averageSpectrumDb() const;

    /** A 1/3-octave band of the long-term spectrum. */
    struct Band
    {
        double centreHz, lowHz, highHz, levelDb;
    };

    /** 1/3-octave bands (ISO 266 base-ten centres) from 20 Hz up to the highest band that
        fits below Nyquist. */
    std::vector<Band> thirdOctaveBands() const;

    /** Summed power between two frequencies, in dB (for checks: "energy above 22 kHz"). */
    double bandLevelDb (double lowHz, double highHz) const;

private:
    struct Plan;
    std::unique_ptr<Plan> plan;
    double sampleRate = 48000.0;
    int fftSize = 8192, hop = 4096, numChannels = 0, fill = 0, frames = 0;
    std::vector<float> window;
    std::vector<std::vector<float>> pending; // per channel, the frame being collected
    std::vector<double> powerSum;            // per bin, summed over channels and frames
    double windowPowerNorm = 1.0;

    void transformFrame() noexcept;
};

} // namespace crest::analysis
