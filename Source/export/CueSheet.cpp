#include "export/CueSheet.h"

#include "engine/AtomicFile.h"
#include "export/RedBookPreflight.h"
#include "session/Identifiers.h"

#include <cstdio>
#include <sstream>

namespace crest::delivery
{

namespace
{
    std::string quoted (std::string s)
    {
        for (auto& c : s)
            if (c == '"')
                c = '\'';
        return "\"" + s + "\"";
    }

    void writeText (std::ostringstream& out, const album::CdText& text, const char* indent)
    {
        if (! text.title.empty())
            out << indent << "TITLE " << quoted (text.title) << "\n";
        if (! text.performer.empty())
            out << indent << "PERFORMER " << quoted (text.performer) << "\n";
        if (! text.songwriter.empty())
            out << indent << "SONGWRITER " << quoted (text.songwriter) << "\n";
        if (! text.composer.empty())
            out << indent << "REM COMPOSER " << quoted (text.composer) << "\n";
        if (! text.arranger.empty())
            out << indent << "REM ARRANGER " << quoted (text.arranger) << "\n";
        if (! text.message.empty())
            out << indent << "REM MESSAGE " << quoted (text.message) << "\n";
    }

    std::string indexLine (int index, int64_t frame)
    {
        char s[40];
        std::snprintf (s, sizeof (s), "    INDEX %02d %s\n", index, cdTime (frame).c_str());
        return s;
    }
} // namespace

std::string cueSheetText (const album::CdLayout& layout, const CueSheetOptions& options)
{
    std::ostringstream out;
    out << "REM COMMENT \"Crest " << CREST_VERSION << "\"\n";
    if (! layout.upc.empty())
        out << "CATALOG " << session::upcAsEan13 (layout.upc) << "\n";
    writeText (out, layout.text, "");
    out << "FILE " << quoted (options.wavFileName) << " WAVE\n";

    const int64_t offset = options.firstPregapInFile || layout.tracks.empty() ? 0 : layout.tracks.front().startFrame;
    for (size_t i = 0; i < layout.tracks.size(); ++i)
    {
        const auto& t = layout.tracks[i];
        char line[32];
        std::snprintf (line, sizeof (line), "  TRACK %02d AUDIO\n", t.number);
        out << line;
        if (t.preEmphasis || t.copyPermitted)
            out << "    FLAGS" << (t.copyPermitted ? " DCP" : "") << (t.preEmphasis ? " PRE" : "") << "\n";
        writeText (out, t.text, "    ");
        if (! t.isrc.empty())
            out << "    ISRC " << t.isrc << "\n";

        if (i == 0 && ! options.firstPregapInFile)
        {
            if (t.startFrame > t.pregapFrame)
                out << "    PREGAP " << cdTime (t.startFrame - t.pregapFrame) << "\n";
        }
        else if (t.pregapFrame < t.startFrame)
            out << indexLine (0, t.pregapFrame - offset);

        out << indexLine (1, t.startFrame - offset);
        for (size_t k = 0; k < t.indexFrames.size(); ++k)
            out << indexLine ((int) k + 2, t.indexFrames[k] - offset);
    }
    return out.str();
}

bool writeCueSheet (const album::CdLayout& layout, const std::string& path, std::string& error, const CueSheetOptions& options)
{
    return engine::writeFileAtomically (path, cueSheetText (layout, options), error);
}

} // namespace crest::delivery
