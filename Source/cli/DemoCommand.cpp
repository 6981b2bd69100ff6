#include "cli/CommandLine.h"
#include "demo/DemoAlbum.h"
#include "demo/DemoMix.h"

#include <iostream>

namespace crest::cli
{

int runDemo (const std::vector<std::string>& words)
{
    const Arguments args (words, { "--album", "--chain" });
    if (auto folder = args.value ("--album"))
    {
        const auto chain = args.value ("--chain");
        if (! args.positional.empty() || ! chain)
            throw std::runtime_error ("usage: crest demo --album FOLDER --chain CHAIN.json");
        if (const auto error = demo::DemoAlbum::write (*folder, *chain); ! error.empty())
        {
            reportFileError (*folder, error);
            return exitError;
        }
        return exitOk;
    }

    if (args.positional.size() != 1)
        throw std::runtime_error ("usage: crest demo OUT.wav | crest demo --album FOLDER --chain CHAIN.json");

    const auto& path = args.positional.front();
    if (const auto error = demo::DemoMix::writeWav (path); ! error.empty())
    {
        reportFileError (path, error);
        return exitError;
    }
    return exitOk;
}

} // namespace crest::cli
