#include "engine/ModuleIds.h"

namespace crest::engine::ids
{

std::string band (int band, const char* suffix)
{
    return "band" + std::to_string (band + 1) + "_" + suffix;
}

std::string crossover (int index)
{
    return "crossover" + std::to_string (index + 1) + "_hz";
}

} // namespace crest::engine::ids
