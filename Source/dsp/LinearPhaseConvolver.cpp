#include "dsp/LinearPhaseConvolver.h"

#include "dsp/FftwPlanner.h"
#include "dsp/FirDesign.h"

#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <mutex>

namespace crest::dsp
{
namespace
{
    /** Kaiser window beta: about 80 dB of side-lobe rejection, enough for the deepest cut
        slopes while keeping the frequency smearing to a few bins. */
    constexpr double windowBeta = 8.0;

    int nextPowerOfTwo (int n)
    {
        int p = 1;
        while (p < n)
            p *= 2;
        return p;
    }

    struct FftwFloats
    {
        float* data = nullptr;
        void allocate (size_t n) { data = fftwf_alloc_real (n); }
        ~FftwFloats() { fftwf_free (data); }
    };

    struct FftwComplex
    {
        fftwf_complex* data = nullptr;
        void allocate (size_t n) { data = fftwf_alloc_complex (n); }
        ~FftwComplex() { fftwf_free (data); }
    };

    /** Spectra stored as separate real and imaginary arrays, so that the multiply-accumulate
        over partitions vectorises. */
    struct SplitSpectra
    {
        std::vector<float> re, im;
        void allocate (size_t n)
        {
            re.assign (n, 0.0f);
            im.assign (n, 0.0f);
        }
        void clear()
        {
            std::fill (re.begin(), re.end(), 0.0f);
            std::fill (im.begin(), im.end(), 0.0f);
        }
    };
} // namespace

struct LinearPhaseConvolver::Impl
{
    int taps = 1, block = 1, bins = 1, partitions = 1, grid = 2;

    // FFT work buffers and plans (made once, under the planner mutex).
    FftwFloats timeBuffer; // 2 * block real samples
    FftwComplex frequencyBuffer; // block + 1 bins
    FftwFloats designTime; // grid real samples
    FftwComplex designFrequency; // grid / 2 + 1 bins
    fftwf_plan forward = nullptr, inverse = nullptr, designInverse = nullptr;

    std::vector<double> window;
    std::vector<double> spectra[4]; // design input, entry = output * 2 + input

    /** One filter: its layout, its taps (for tests) and its partitioned spectra. */
    struct Slot
    {
        Layout layout = Layout::identity;
        std::vector<float> taps[4];
        SplitSpectra partitions[4]; // partitions * bins each
    };
    Slot slots[2];
    int current = 0;

    // Signal memory.
    std::vector<float> history[2]; // the last two frames of input, per channel
    SplitSpectra delayLine[2]; // input spectra of the last `partitions` frames
    int head = 0; // partition slot of the newest input spectrum
    std::vector<float> raw[2]; // plain input rings for the identity filter
    int rawMask = 0;
    long long rawWritten = 0; // samples written into `raw` since reset
    std::vector<float> frameOut[2]; // output being played out, per channel
    std::vector<float> slotOut[2][2];
    SplitSpectra accumulator;
    int fill = 0;
    int fadePosition = 0;

    ~Impl()
    {
        std::lock_guard<std::mutex> lock (fftwPlannerMutex());
        fftwf_destroy_plan (forward);
        fftwf_destroy_plan (inverse);
        fftwf_destroy_plan (designInverse);
    }

    static bool usesEntry (Layout layout, int entry) noexcept
    {
        switch (layout)
        {
            case Layout::identity:
                return false;
            case Layout::shared:
                return entry == 0;
            case Layout::diagonal:
                return entry == 0 || entry == 3;
            case Layout::full:
                return true;
        }
        return false;
    }

    /** The filter's output for the frame just completed, for one slot, into slotOut[s]. */
    void filterFrame (int s) noexcept
    {
        const auto& slot = slots[s];
        if (slot.layout == Layout::identity)
        {
            // y[n] = x[n - centre], for the block of samples that ended at rawWritten.
            const long long first = rawWritten - block - (taps - 1) / 2;
            for (int c = 0; c < 2; ++c)
                for (int j = 0; j < block; ++j)
                {
                    const long long index = first + j;
                    slotOut[s][c][(size_t) j] = index >= 0 ? raw[c][(size_t) (index & rawMask)] : 0.0f;
                }
            return;
        }

        for (int out = 0; out < 2; ++out)
        {
            accumulator.clear();
            float* accRe = accumulator.re.data();
            float* accIm = accumulator.im.data();
            for (int in = 0; in < 2; ++in)
            {
                const int entry = slot.layout == Layout::shared ? (out == in ? 0 : -1) : out * 2 + in;
                if (entry < 0 || ! usesEntry (slot.layout, entry))
                    continue;
                for (int p = 0; p < partitions; ++p)
                {
                    const size_t x = (size_t) ((head - p + partitions) % partitions) * (size_t) bins;
                    const size_t h = (size_t) p * (size_t) bins;
                    const float* xr = delayLine[in].re.data() + x;
                    const float* xi = delayLine[in].im.data() + x;
                    const float* hr = slot.partitions[entry].re.data() + h;
                    const float* hi = slot.partitions[entry].im.data() + h;
                    for (int k = 0; k < bins; ++k)
                    {
                        accRe[k] += xr[k] * hr[k] - xi[k] * hi[k];
                        accIm[k] += xr[k] * hi[k] + xi[k] * hr[k];
                    }
                }
            }
            for (int k = 0; k < bins; ++k)
            {
                frequencyBuffer.data[k][0] = accRe[k];
                frequencyBuffer.data[k][1] = accIm[k];
            }
            fftwf_execute (inverse);
            // Overlap-save: the second half of the circular result is the linear convolution.
            std::copy (timeBuffer.data + block, timeBuffer.data + 2 * block, slotOut[s][out].begin());
        }
    }
};

LinearPhaseConvolver::LinearPhaseConvolver() = default;
LinearPhaseConvolver::~LinearPhaseConvolver() = default;

void LinearPhaseConvolver::prepare (int numTaps, int partitionSize, int crossfadeFrames)
{
    impl = std::make_unique<Impl>();
    auto& m = *impl;

    taps = std::max (1, numTaps) | 1;
    partition = nextPowerOfTwo (std::max (1, partitionSize));
    fadeFrames = std::max (1, crossfadeFrames);
    fadeRemaining = 0;
    // Sampling the response at more than twice the FIR length keeps the time aliasing of
    // the frequency-sampled impulse response far below the window's side lobes.
    gridSize = nextPowerOfTwo (2 * taps);

    m.taps = taps;
    m.block = partition;
    m.bins = partition + 1;
    m.partitions = (taps + partition - 1) / partition;
    m.grid = gridSize;

    m.timeBuffer.allocate ((size_t) (2 * partition));
    m.frequencyBuffer.allocate ((size_t) m.bins);
    m.designTime.allocate ((size_t) gridSize);
    m.designFrequency.allocate ((size_t) (gridSize / 2 + 1));
    {
        std::lock_guard<std::mutex> lock (fftwPlannerMutex());
        m.forward = fftwf_plan_dft_r2c_1d (2 * partition, m.timeBuffer.data, m.frequencyBuffer.data, FFTW_ESTIMATE);
        m.inverse = fftwf_plan_dft_c2r_1d (2 * partition, m.frequencyBuffer.data, m.timeBuffer.data, FFTW_ESTIMATE);
        m.designInverse = fftwf_plan_dft_c2r_1d (gridSize, m.designFrequency.data, m.designTime.data, FFTW_ESTIMATE);
    }

    m.window.resize ((size_t) taps);
    const double centre = 0.5 * (taps - 1);
    const double i0Beta = besselI0 (windowBeta);
    for (int n = 0; n < taps; ++n)
    {
        const double r = centre > 0.0 ? (n - centre) / centre : 0.0;
        m.window[(size_t) n] = besselI0 (windowBeta * std::sqrt (std::max (0.0, 1.0 - r * r))) / i0Beta;
    }

    for (auto& s : m.spectra)
        s.assign ((size_t) (gridSize / 2 + 1), 1.0);
    for (auto& slot : m.slots)
        for (int e = 0; e < 4; ++e)
        {
            slot.taps[e].assign ((size_t) taps, 0.0f);
            slot.partitions[e].allocate ((size_t) m.partitions * (size_t) m.bins);
        }

    for (int c = 0; c < 2; ++c)
    {
        m.history[c].assign ((size_t) (2 * partition), 0.0f);
        m.delayLine[c].allocate ((size_t) m.partitions * (size_t) m.bins);
        m.frameOut[c].assign ((size_t) partition, 0.0f);
        for (int s = 0; s < 2; ++s)
            m.slotOut[s][c].assign ((size_t) partition, 0.0f);
    }
    m.accumulator.allocate ((size_t) m.bins);
    const int rawSize = nextPowerOfTwo (latencySamples() + 2 * partition + 1);
    for (auto& r : m.raw)
        r.assign ((size_t) rawSize, 0.0f);
    m.rawMask = rawSize - 1;
    m.current = 0;
    m.slots[0].layout = Layout::identity;
    m.slots[1].layout = Layout::identity;
    reset();
}

double* LinearPhaseConvolver::designSpectrum (int output, int input) noexcept
{
    return impl->spectra[(output & 1) * 2 + (input & 1)].data();
}

void LinearPhaseConvolver::commitDesign (Layout layout, bool immediately) noexcept
{
    if (impl == nullptr || (fadeRemaining > 0 && ! immediately))
        return;
    auto& m = *impl;
    const int target = immediately ? m.current : 1 - m.current;
    auto& slot = m.slots[target];
    slot.layout = layout;

    const int centre = (taps - 1) / 2;
    // FFTW's inverse transforms are unnormalised: 1/gridSize for the design, and 1/(2 * partition)
    // for the overlap-save inverse, folded into the partition spectra.
    const double scale = 1.0 / gridSize;
    const float partitionScale = 1.0f / (2.0f * (float) partition);
    for (int e = 0; e < 4; ++e)
    {
        if (! Impl::usesEntry (layout, e))
            continue;

        // The real zero-phase spectrum gives a real, even impulse response centred on zero.
        const auto& spectrum = m.spectra[e];
        for (int k = 0; k <= gridSize / 2; ++k)
        {
            m.designFrequency.data[k][0] = (float) spectrum[(size_t) k];
            m.designFrequency.data[k][1] = 0.0f;
        }
        fftwf_execute (m.designInverse);

        // Centre it, window it and force exact symmetry (averaging the two halves removes the
        // last rounding asymmetry of the transform).
        auto& t = slot.taps[e];
        for (int k = 0; k <= centre; ++k)
        {
            const int offset = centre - k;
            const double v
                = 0.5 * ((double) m.designTime.data[offset] + (double) m.designTime.data[(gridSize - offset) % gridSize]);
            const float tap = (float) (v * m.window[(size_t) k] * scale);
            t[(size_t) k] = tap;
            t[(size_t) (taps - 1 - k)] = tap;
        }

        for (int p = 0; p < m.partitions; ++p)
        {
            const int start = p * partition;
            const int count = std::min (partition, taps - start);
            std::fill (m.timeBuffer.data, m.timeBuffer.data + 2 * partition, 0.0f);
            std::copy (t.begin() + start, t.begin() + start + count, m.timeBuffer.data);
            fftwf_execute (m.forward);
            const size_t base = (size_t) p * (size_t) m.bins;
            for (int k = 0; k < m.bins; ++k)
            {
                slot.partitions[e].re[base + (size_t) k] = m.frequencyBuffer.data[k][0] * partitionScale;
                slot.partitions[e].im[base + (size_t) k] = m.frequencyBuffer.data[k][1] * partitionScale;
            }
        }
    }

    if (! immediately)
    {
        m.current = target;
        fadeRemaining = fadeFrames;
        m.fadePosition = 0;
    }
}

void LinearPhaseConvolver::reset() noexcept
{
    if (impl == nullptr)
        return;
    auto& m = *impl;
    for (int c = 0; c < 2; ++c)
    {
        std::fill (m.history[c].begin(), m.history[c].end(), 0.0f);
        m.delayLine[c].clear();
        std::fill (m.frameOut[c].begin(), m.frameOut[c].end(), 0.0f);
    }
    for (auto& r : m.raw)
        std::fill (r.begin(), r.end(), 0.0f);
    m.rawWritten = 0;
    m.head = 0;
    m.fill = 0;
    if (fadeRemaining > 0)
    {
        // Finish any crossfade at once: the old filter's memory is gone anyway.
        fadeRemaining = 0;
        m.fadePosition = 0;
    }
}

void LinearPhaseConvolver::process (float* left, float* right, int numSamples) noexcept
{
    if (impl == nullptr)
        return;
    auto& m = *impl;
    float* channels[2] = { left, right };
    int done = 0;
    while (done < numSamples)
    {
        const int chunk = std::min (numSamples - done, partition - m.fill);
        for (int c = 0; c < 2; ++c)
        {
            float* io = channels[c] + done;
            float* hist = m.history[c].data() + partition + m.fill;
            float* ring = m.raw[c].data();
            const float* out = m.frameOut[c].data() + m.fill;
            for (int j = 0; j < chunk; ++j)
            {
                hist[j] = io[j];
                ring[(size_t) ((m.rawWritten + j) & m.rawMask)] = io[j];
                io[j] = out[j];
            }
        }
        m.rawWritten += chunk;
        m.fill += chunk;
        done += chunk;
        if (m.fill == partition)
        {
            computeFrame();
            m.fill = 0;
        }
    }
}

void LinearPhaseConvolver::computeFrame() noexcept
{
    auto& m = *impl;

    // The newest input spectrum: FFT of the last two frames (overlap-save).
    m.head = (m.head + 1) % m.partitions;
    for (int c = 0; c < 2; ++c)
    {
        std::copy (m.history[c].begin(), m.history[c].end(), m.timeBuffer.data);
        fftwf_execute (m.forward);
        const size_t base = (size_t) m.head * (size_t) m.bins;
        for (int k = 0; k < m.bins; ++k)
        {
            m.delayLine[c].re[base + (size_t) k] = m.frequencyBuffer.data[k][0];
            m.delayLine[c].im[base + (size_t) k] = m.frequencyBuffer.data[k][1];
        }
        std::copy (m.history[c].begin() + partition, m.history[c].end(), m.history[c].begin());
    }

    m.filterFrame (m.current);
    if (fadeRemaining > 0)
    {
        m.filterFrame (1 - m.current);
        const double total = (double) fadeFrames * partition;
        for (int c = 0; c < 2; ++c)
            for (int j = 0; j < partition; ++j)
            {
                const double t = (m.fadePosition + j + 1) / total;
                const float w = (float) (t * t * (3.0 - 2.0 * t)); // smoothstep: no kinks at the ends
                const float before = m.slotOut[1 - m.current][c][(size_t) j];
                m.frameOut[c][(size_t) j] = before + w * (m.slotOut[m.current][c][(size_t) j] - before);
            }
        m.fadePosition += partition;
        --fadeRemaining;
    }
    else
    {
        for (int c = 0; c < 2; ++c)
            std::copy (m.slotOut[m.current][c].begin(), m.slotOut[m.current][c].end(), m.frameOut[c].begin());
    }

    // Non-finite input would stay in the spectra of the delay line for a whole filter length;
    // clear all signal memory instead and play silence for this frame.
    float probe = 0.0f;
    for (int c = 0; c < 2; ++c)
        for (float v : m.frameOut[c])
            probe += v - v;
    if (! (probe == 0.0f))
        reset();
}

std::vector<float> LinearPhaseConvolver::currentTaps (int output, int input) const
{
    if (impl == nullptr)
        return {};
    const auto& slot = impl->slots[impl->current];
    if (slot.layout == Layout::identity)
    {
        std::vector<float> t ((size_t) taps, 0.0f);
        if (output == input)
            t[(size_t) (taps - 1) / 2] = 1.0f;
        return t;
    }
    const int entry = slot.layout == Layout::shared ? (output == input ? 0 : -1) : (output & 1) * 2 + (input & 1);
    if (entry < 0 || ! Impl::usesEntry (slot.layout, entry))
        return std::vector<float> ((size_t) taps, 0.0f);
    return slot.taps[entry];
}

} // namespace crest::dsp
