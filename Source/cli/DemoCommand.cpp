#include "cli/CommandLine.h"
#include "engine/DemoMix.h"

#include <iostream>

namespace crest::cli
{

int runDemo (const std::vector<std::string>& words)
{
    const Arguments args (words, {});
    if (args.positional.size() != 1)
        throw std::runtime_error ("usage: crest demo OUT.wav");

    const auto& path = args.positional.front();
    if (const auto error = engine::DemoMix::writeWav (path); ! error.empty())
    {
        reportFileError (path, error);
        return exitError;
    }
    return exitOk;
}

} // namespace crest::cli
