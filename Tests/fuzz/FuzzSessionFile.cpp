// libFuzzer target: session documents (session::SessionFile), as `crest session`, `crest
// export` and the app open a .crest file. A document that parses must survive a save and a
// reload unchanged (the round trip is the invariant checked here).

#include "FuzzInput.h"
#include "session/SessionFile.h"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput (const uint8_t* data, size_t size)
{
    using namespace crest;
    const std::string text ((const char*) data, size);
    session::Session parsed;
    try
    {
        parsed = session::SessionFile::parse (text, "fuzz.crest", fuzz::scratchFolder());
    }
    catch (const std::exception&)
    {
        return 0; // refused, with a message: what a bad document should get
    }
    const auto saved = session::SessionFile::toJson (parsed, fuzz::scratchFolder());
    try
    {
        const auto again = session::SessionFile::parse (saved, "saved.crest", fuzz::scratchFolder());
        if (session::SessionFile::toJson (again, fuzz::scratchFolder()) != saved)
            std::abort(); // a save that does not reload as itself
    }
    catch (const std::exception&)
    {
        std::abort(); // Crest accepted a document it then cannot read back
    }
    return 0;
}
