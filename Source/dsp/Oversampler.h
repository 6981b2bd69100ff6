#pragma once

#include <memory>
#include <vector>

namespace crest::dsp
{

/** Up- and down-sampling of one channel by 2, 4 or 8, for processes that create frequencies
    the base rate cannot hold (saturation) or that must see between the samples (true-peak
    detection).

    Design: a cascade of 2x stages. Each stage is a Kaiser-windowed half-band filter run as two
    polyphase branches, so a linear-phase stage costs about one multiply per tap per base-rate
    sample and passes the original samples through exactly. The first stage does the hard work
    (its transition band sits around the base Nyquist frequency); later stages only have to
    reject images far away and are short. In the low-latency mode every stage is replaced by
    its minimum-phase counterpart (same magnitude response, most of the delay removed).

    Latency: in linear phase each direction is padded at the top rate so that it is a whole
    number of base-rate samples, which makes latencySamples() exact (an impulse comes back
    exactly that many samples later) and puts the original samples on every factor-th
    oversampled sample. In the low-latency mode the filters have no single delay; the value
    reported is their low-frequency group delay, rounded up the same way.

    Must never: allocate, lock or do I/O after prepare(). upsample() and downsample() take at
    most the maxBlockSize given to prepare() base-rate samples per call.
*/
class Oversampler
{
public:
    /** The phase response of the filters. */
    enum class Phase
    {
        linear, ///< symmetric filters: a pure delay, exactly reported
        lowLatency ///< minimum-phase filters: little delay, phase shift near the top of the band
    };

    /** What to build. */
    struct Options
    {
        int factor = 4; ///< 1 (pass-through), 2, 4 or 8
        Phase phase = Phase::linear; ///< see Phase
        double passband = 0.4535; ///< highest frequency kept flat, as a fraction of the base rate (at most 0.49)
        double stopbandDb = 120.0; ///< attenuation of images and aliases
    };

    Oversampler();
    ~Oversampler();
    Oversampler (Oversampler&&) noexcept;
    Oversampler& operator= (Oversampler&&) noexcept;

    /** Designs the filters and sizes every buffer. Not realtime-safe. */
    void prepare (const Options& options, int maxBlockSize);

    /** Clears the filters' memory. */
    void reset() noexcept;

    /** The oversampling factor prepared. */
    int getFactor() const noexcept { return factor; }

    /** Upsamples numSamples base-rate samples. Returns numSamples * getFactor() samples, valid
        (and writable, for processing in place) until the next call. */
    float* upsample (const float* input, int numSamples) noexcept;

    /** Downsamples numSamples * getFactor() oversampled samples into numSamples outputs. The
        input may be the buffer upsample() returned. */
    void downsample (const float* oversampled, float* output, int numSamples) noexcept;

    /** Delay of the upsampled signal, in base-rate samples: oversampled sample k * factor
        stands for base-rate time k - upsamplingLatency(). */
    int upsamplingLatency() const noexcept { return upLatency; }

    /** Delay added by downsample(), in base-rate samples. */
    int downsamplingLatency() const noexcept { return downLatency; }

    /** Delay of a round trip (upsample, then downsample), in base-rate samples. */
    int latencySamples() const noexcept { return upLatency + downLatency; }

    /** Number of 2x stages in the cascade. */
    int getNumStages() const noexcept { return (int) upStages.size(); }

    /** The prototype low-pass of a stage (at that stage's output rate, unity gain at DC), for tests. */
    const std::vector<double>& getStagePrototype (int stage) const noexcept;

    /** A stage's prototype design (used by prepare(); public so tests can inspect it). Linear
        phase: a half-band filter whose centre tap is exactly 0.5 and whose length is 2 * c + 1 with
        c odd. `transition` is the full transition width as a fraction of the stage's rate. */
    static std::vector<double> designHalfBand (double transition, double stopbandDb);

    /** The minimum-phase filter with (nearly) the same magnitude response, by the real
        cepstrum. Same length. */
    static std::vector<double> minimumPhase (const std::vector<double>& prototype);

private:
    struct Stage; // one 2x filter stage (defined in the .cpp)

    int factor = 1, maxBlock = 0;
    int upLatency = 0, downLatency = 0;
    std::vector<std::unique_ptr<Stage>> upStages, downStages;
    std::vector<std::vector<float>> levels; // one buffer per rate, 2x .. factor x
    std::vector<float> topUp, topDown; // the top-rate signal after the padding delay
    std::vector<float> upHistory, downHistory; // the padding delays' memory
    int upPad = 0, downPad = 0;
    std::vector<std::vector<double>> prototypes;
};

} // namespace crest::dsp
