// libFuzzer target: chain files (engine::ChainFile), as `crest render --chain` and sessions
// read them. A chain that parses must survive a save and a reload unchanged.

#include "engine/ChainFile.h"

#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput (const uint8_t* data, size_t size)
{
    using namespace crest;
    const std::string text ((const char*) data, size);
    engine::ChainDescription chain;
    try
    {
        chain = engine::ChainFile::parse (text, "fuzz.json");
    }
    catch (const std::exception&)
    {
        return 0;
    }
    const auto saved = engine::ChainFile::toJson (chain);
    try
    {
        if (engine::ChainFile::toJson (engine::ChainFile::parse (saved, "saved.json")) != saved)
            std::abort();
    }
    catch (const std::exception&)
    {
        std::abort();
    }
    return 0;
}
