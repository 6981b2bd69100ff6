#include "dsp/FftwPlanner.h"

namespace crest::dsp
{

std::mutex& fftwPlannerMutex()
{
    static std::mutex m;
    return m;
}

RealFftPlan::RealFftPlan (int size)
{
    std::lock_guard<std::mutex> lock (fftwPlannerMutex());
    input = fftwf_alloc_real ((size_t) size);
    output = fftwf_alloc_complex ((size_t) size / 2 + 1);
    plan = fftwf_plan_dft_r2c_1d (size, input, output, FFTW_ESTIMATE);
}

RealFftPlan::~RealFftPlan()
{
    std::lock_guard<std::mutex> lock (fftwPlannerMutex());
    fftwf_destroy_plan (plan);
    fftwf_free (input);
    fftwf_free (output);
}

} // namespace crest::dsp
