#pragma once

#include <array>
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

    Speed: the branch filters are computed 64 outputs at a time, each output summed in tap
    order in its own vector lane (so nothing is reassociated and the result does not depend on
    block sizes), in clones for AVX-512, AVX2 and plain x86-64 picked at load time. Each stage
    writes straight into the next one's input line, and the lines keep their history in front
    of the new samples, shifted back only when full. A peak detector can have the later
    stages' work deferred over blocks that provably stay under a level (upsampleReaching()).

    Must never: allocate, lock or do I/O after prepare(). upsample(), upsampleReaching() and
    downsample() take at most the maxBlockSize given to prepare() base-rate samples per call.
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
        (and writable, for processing in place) until the next call. Before them sit the last
        `lookback` upsampled samples of the previous call (as returned, before any processing
        in place), so that a caller can look across the block boundary. */
    float* upsample (const float* input, int numSamples) noexcept;

    /** How many upsampled samples of the previous block are readable before a block. */
    static constexpr int lookback = 16;

    /** Like upsample(), for a caller that only cares about upsampled samples that reach
        `level` in magnitude (a peak detector). When the first stage's output proves that no
        upsampled sample of this block can reach it (the later stages raise a magnitude by at
        most the L1 norm of their combined response), their work is deferred: `complete` is
        set to false and the block's samples are left undefined (its lookback too, unless the
        previous block was complete). The next complete block first catches up, so the
        filters' memory, its samples and its lookback are exactly what upsample() would give:
        nothing later depends on which happened. With a single stage (factor 2) or when the
        level may be reached, everything is computed and `complete` is true. */
    float* upsampleReaching (const float* input, int numSamples, float level, bool& complete) noexcept;

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

    /** The padding delay and the lookback, for the n new samples the last stage wrote; returns
        the block. */
    float* finishTop (int n) noexcept;

    /** Runs the later stages over the last catchUpLength samples (see upsampleReaching()). */
    void catchUp() noexcept;

    int factor = 1, maxBlock = 0;
    int upLatency = 0, downLatency = 0;
    std::vector<std::unique_ptr<Stage>> upStages, downStages;
    std::vector<std::vector<float>> levels; // down stages' outputs, 1x .. factor/2 x
    std::vector<float> topUp; // lookback, then the upsampled block after the padding delay
    std::vector<float> upHistory, downHistory; // the padding delays' memory
    int upPad = 0, downPad = 0;
    // The stages after the first raise a magnitude by at most laterGain, and an upsampled
    // sample depends on laterSupport first-stage outputs back. Their work can be deferred for
    // up to catchUpLength base-rate samples (`deferred` now), caught up into caughtUp.
    float laterGain = 0.0f;
    int laterSupport = 0, catchUpLength = 0, deferred = 0;
    std::vector<float> caughtUp;
    std::array<float, lookback> nextLookback {}; // the last block's end, for the next block
    bool lookbackReady = false;
    std::vector<std::vector<double>> prototypes;
};

} // namespace crest::dsp
