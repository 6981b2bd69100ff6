#pragma once

// Shared helpers for testing mastering modules: run a buffer through a module in blocks,
// compare buffers, measure levels.

#include "TestSignals.h"
#include "engine/Module.h"

#include <algorithm>
#include <initializer_list>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

namespace crest::test
{

/** Runs a copy of `input` (1 or 2 channels; mono is processed as dual mono) through a
    prepared module in blocks of `blockSize` and returns the stereo output. */
inline Buffer processThrough (engine::Module& module, const Buffer& input, int blockSize = 512)
{
    Buffer out (2, input.getNumSamples());
    out.copyFrom (0, 0, input, 0, 0, input.getNumSamples());
    out.copyFrom (1, 0, input, std::min (1, input.getNumChannels() - 1), 0, input.getNumSamples());
    for (int offset = 0; offset < input.getNumSamples(); offset += blockSize)
    {
        const int n = std::min (blockSize, input.getNumSamples() - offset);
        module.process (out.getWritePointer (0, offset), out.getWritePointer (1, offset), n);
    }
    return out;
}

/** Sets a parameter by ID (fails the test when the ID does not exist). */
inline void setParameter (engine::Module& module, const std::string& id, float value)
{
    auto* p = module.findParameter (id);
    if (p == nullptr)
        throw std::runtime_error ("no parameter " + id);
    p->set (value);
}

/** Largest absolute difference between two buffers over a sample range, in dBFS
    (-300 when identical). `offsetB` shifts b (for latency). */
inline double differenceDb (const Buffer& a, const Buffer& b, int start, int length, int offsetB = 0)
{
    double worst = 0.0;
    for (int c = 0; c < std::min (a.getNumChannels(), b.getNumChannels()); ++c)
        for (int i = start; i < start + length; ++i)
            worst = std::max (worst, (double) std::fabs (a.getSample (c, i) - b.getSample (c, i + offsetB)));
    return worst > 0.0 ? 20.0 * std::log10 (worst) : -300.0;
}

/** RMS level of one channel over a range, in dBFS. */
inline double rmsDb (const Buffer& b, int channel, int start, int length)
{
    double sum = 0.0;
    for (int i = start; i < start + length; ++i)
        sum += (double) b.getSample (channel, i) * b.getSample (channel, i);
    return 10.0 * std::log10 (std::max (sum / length, 1.0e-30));
}

/** Two low tones with some stereo difference: smooth enough that a click stands out in the
    second difference. */
inline Buffer lowTones (double rate, double seconds)
{
    constexpr double pi = 3.14159265358979323846;
    const int n = (int) (rate * seconds);
    Buffer b (2, n);
    for (int i = 0; i < n; ++i)
    {
        const double t = i / rate;
        const double a = 0.35 * std::sin (2.0 * pi * 60.0 * t), c = 0.2 * std::sin (2.0 * pi * 230.0 * t);
        b.setSample (0, i, (float) (a + c));
        b.setSample (1, i, (float) (a - 0.5 * c));
    }
    return b;
}

/** Largest second difference of a stereo buffer over a range: a click detector that ignores
    smooth level changes. */
inline double largestSecondDifference (const Buffer& b, int start, int end)
{
    double worst = 0.0;
    for (int c = 0; c < 2; ++c)
        for (int i = std::max (2, start); i < end; ++i)
            worst = std::max (
                worst, (double) std::abs (b.getSample (c, i) - 2.0f * b.getSample (c, i - 1) + b.getSample (c, i - 2)));
    return worst;
}

/** Largest magnitude of a stereo buffer over a range. */
inline double peak (const Buffer& b, int start, int end)
{
    double p = 0.0;
    for (int c = 0; c < 2; ++c)
        for (int i = start; i < end; ++i)
            p = std::max (p, (double) std::abs (b.getSample (c, i)));
    return p;
}

/** Parameter changes scheduled at sample positions: (sample, (parameter ID, value)). */
using ParameterChanges = std::vector<std::pair<int, std::pair<std::string, float>>>;

/** Processes a stereo buffer in place in blocks of `blockSize`, applying each scheduled change
    at the start of the block that begins at its sample. Allocates nothing itself. */
inline void processWithChanges (engine::Module& module, Buffer& audio, int blockSize, const ParameterChanges& changes)
{
    for (int offset = 0; offset < audio.getNumSamples(); offset += blockSize)
    {
        for (const auto& [at, change] : changes)
            if (at == offset)
                setParameter (module, change.first, change.second);
        module.process (audio.getWritePointer (0, offset), audio.getWritePointer (1, offset),
            std::min (blockSize, audio.getNumSamples() - offset));
    }
}

/** How far the outputs for several block sizes differ from the output for the first one: the
    largest differenceDb over the whole length (-300 when all are identical). `render (block)`
    builds the module, runs the programme through it in blocks of that size and returns the
    output. */
template <typename Render>
double blockSizeDifferenceDb (std::initializer_list<int> blockSizes, Render&& render)
{
    Buffer reference;
    double worst = -300.0;
    for (const int blockSize : blockSizes)
    {
        const Buffer out = render (blockSize);
        if (reference.getNumSamples() == 0)
            reference.makeCopyOf (out);
        else
            worst = std::max (worst, differenceDb (out, reference, 0, out.getNumSamples()));
    }
    return worst;
}

/** What a parameter step did to a module's output: the largest second difference before the
    step, during the 0.5 s after it, and after that, and what a 20 ms glide allows. */
struct StepChange
{
    double before = 0.0, during = 0.0, after = 0.0, allowed = 0.0;
};

/** Processes `input` (1.2 s or longer) through `module` in 480-sample blocks, setting
    parameter `id` to `target` at sample `change` (0.5 s in). A step would show as a second
    difference of the size of the level change; a 20 ms glide bends the waveform by only a few
    960ths of it, so `allowed` is the steady signal's own curvature plus that. */
inline StepChange stepChange (engine::Module& module, const Buffer& input, double rate, int change, const std::string& id,
                              float target)
{
    Buffer out;
    out.makeCopyOf (input);
    processWithChanges (module, out, 480, { { change, { id, target } } });

    StepChange s;
    s.before = largestSecondDifference (out, (int) (0.3 * rate), change);
    s.after = largestSecondDifference (out, (int) (1.0 * rate), input.getNumSamples());
    s.during = largestSecondDifference (out, change, (int) (1.0 * rate));
    const double levelChange
        = std::abs (peak (out, (int) (1.0 * rate), input.getNumSamples()) - peak (out, (int) (0.3 * rate), change));
    s.allowed = 1.5 * std::max (s.before, s.after) + 3.0 * levelChange / (0.02 * rate) + 1.0e-5;
    return s;
}

} // namespace crest::test
