#include "dsp/FftwPlanner.h"

namespace crest::dsp
{

std::mutex& fftwPlannerMutex()
{
    static std::mutex m;
    return m;
}

} // namespace crest::dsp
