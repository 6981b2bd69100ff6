// libFuzzer target: the notes.json a client sends back from the review page (session::NotesFile),
// as `crest notes import` and the window's drop read it, checked against a three-track session
// with two versions. Notes that parse must write out and read back as the same notes.

#include "session/NotesFile.h"

#include <cstdint>
#include <cstdlib>
#include <string>

namespace
{
    /** The album every input is read against: tracks t1..t3, versions "v1 proof" and "v2". */
    const crest::session::Session& album()
    {
        static const auto session = [] {
            crest::session::Session s;
            for (const auto* id : { "t1", "t2", "t3" })
            {
                crest::session::Track track;
                track.id = id;
                track.source = std::string (id) + ".wav";
                s.tracks.push_back (track);
            }
            for (const auto* name : { "v1 proof", "v2" })
            {
                crest::session::Version version;
                version.name = name;
                s.versions.push_back (version);
            }
            return s;
        }();
        return session;
    }
} // namespace

extern "C" int LLVMFuzzerTestOneInput (const uint8_t* data, size_t size)
{
    using namespace crest::session;
    const std::string text ((const char*) data, size);
    std::vector<Note> notes;
    try
    {
        notes = NotesFile::parse (text, "fuzz.json", album());
    }
    catch (const std::exception&)
    {
        return 0;
    }
    const auto written = NotesFile::toJson (notes, album());
    try
    {
        if (NotesFile::toJson (NotesFile::parse (written, "written.json", album()), album()) != written)
            std::abort();
    }
    catch (const std::exception&)
    {
        std::abort();
    }
    return 0;
}
