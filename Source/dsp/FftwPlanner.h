#pragma once

#include <fftw3.h>

#include <mutex>

namespace crest::dsp
{

/** The one lock around FFTW's planner. FFTW's plan creation and destruction are not
    thread-safe (only fftwf_execute is), so every part of Crest that makes or destroys a plan
    holds this mutex; they may prepare on different threads (message thread, export workers).
    Never taken on the audio thread: plans are made in prepare(). */
std::mutex& fftwPlannerMutex();

/** A real-to-complex FFTW plan of one size with its own aligned buffers, made and destroyed
    under the planner lock. Create it in prepare(); executing it (fftwf_execute) is realtime-safe. */
struct RealFftPlan
{
    explicit RealFftPlan (int size);
    ~RealFftPlan();
    RealFftPlan (const RealFftPlan&) = delete;
    RealFftPlan& operator= (const RealFftPlan&) = delete;

    float* input = nullptr;          ///< `size` samples
    fftwf_complex* output = nullptr; ///< size / 2 + 1 bins
    fftwf_plan plan = nullptr;
};

} // namespace crest::dsp
