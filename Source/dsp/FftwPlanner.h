#pragma once

#include <mutex>

namespace crest::dsp
{

/** The one lock around FFTW's planner. FFTW's plan creation and destruction are not
    thread-safe (only fftwf_execute is), so every part of Crest that makes or destroys a plan
    holds this mutex; they may prepare on different threads (message thread, export workers).
    Never taken on the audio thread: plans are made in prepare(). */
std::mutex& fftwPlannerMutex();

} // namespace crest::dsp
