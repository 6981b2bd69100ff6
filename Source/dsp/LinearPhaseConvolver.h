#pragma once

#include <memory>
#include <vector>

namespace crest::dsp
{

/*  Linear-phase stereo filtering by FFT convolution.

    What it is for: the linear-phase mode of the equaliser. The caller describes the wanted
    response as real zero-phase spectra on a dense frequency grid, one for each entry of a
    2x2 matrix (left/right in, left/right out: mid/side and single-channel bands mix the two
    channels); the convolver turns each into a symmetric FIR by frequency sampling and a
    Kaiser window and runs it with uniformly partitioned overlap-save convolution (FFTW,
    single precision).

    Timing: the internal frame (partition) size is fixed at prepare(), independent of the
    host's block size, so the output never depends on how the input was cut. The latency is
    exactly partitionSize + (numTaps - 1) / 2 samples. A new filter takes over at the next
    frame boundary with a crossfade of a few frames (no click); while that runs, a further
    design waits (readyForDesign() is false). The identity filter is a plain delay line, so
    a neutral equaliser stays bit-exact, only delayed.

    What it must never do: allocate, lock or plan FFTs after prepare(). Designing a filter
    (commitDesign) is realtime-safe but costs about a millisecond, so callers do it only when
    the response changed. FFTW plans are made and destroyed under Crest's one planner lock
    (dsp/FftwPlanner.h), because FFTW's planner is not thread-safe.
*/
class LinearPhaseConvolver
{
public:
    LinearPhaseConvolver();
    ~LinearPhaseConvolver();
    LinearPhaseConvolver (const LinearPhaseConvolver&) = delete;
    LinearPhaseConvolver& operator= (const LinearPhaseConvolver&) = delete;

    /** Allocates everything and plans the FFTs. numTaps is made odd; partitionSize must be a
        power of two. Not realtime-safe. Starts with the identity filter. */
    void prepare (int numTaps, int partitionSize, int crossfadeFrames = 4);

    /** The FIR length (odd). */
    int numTaps() const noexcept { return taps; }

    /** Delay from input to output in samples: partitionSize + (numTaps - 1) / 2. */
    int latencySamples() const noexcept { return partition + (taps - 1) / 2; }

    /** Size of the design grid: the zero-phase spectra have designSize()/2 + 1 points, point k
        at frequency k * sampleRate / designSize(). */
    int designSize() const noexcept { return gridSize; }

    /** The zero-phase response of matrix entry (output, input) to fill before commitDesign()
        (designSize()/2 + 1 real values; negative values are allowed). */
    double* designSpectrum (int output, int input) noexcept;

    /** True when a new design may be committed (no crossfade is running). */
    bool readyForDesign() const noexcept { return fadeRemaining == 0; }

    /** How a committed design uses the spectra. */
    enum class Layout
    {
        identity, ///< a pure delay; spectra ignored
        shared, ///< entry (0, 0) for both channels, no cross terms
        diagonal, ///< entries (0, 0) and (1, 1), no cross terms
        full ///< all four entries
    };

    /** Builds the FIRs from the filled spectra and makes them the filter from the next frame
        on, crossfading from the old one; `immediately` switches without a crossfade (use it
        right after prepare or reset). Realtime-safe. Ignored while !readyForDesign(). */
    void commitDesign (Layout layout, bool immediately = false) noexcept;

    /** Clears the signal memory (the filter stays). */
    void reset() noexcept;

    /** Filters a block in place. */
    void process (float* left, float* right, int numSamples) noexcept;

    /** The taps of entry (output, input) of the current filter (for tests; not realtime-safe). */
    std::vector<float> currentTaps (int output, int input) const;

private:
    struct Impl;
    void computeFrame() noexcept;

    std::unique_ptr<Impl> impl;
    int taps = 1, partition = 1, gridSize = 2, fadeFrames = 4, fadeRemaining = 0;
};

} // namespace crest::dsp
