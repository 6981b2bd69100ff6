// `crest session new|set|show`: the session document from the command line, so the whole album
// path works without the GUI and from scripts.

#include "album/SourceAudio.h"
#include "album/Timeline.h"
#include "cli/CommandLine.h"
#include "engine/AudioFileInput.h"
#include "session/Identifiers.h"
#include "session/SessionFile.h"

#include <juce_core/juce_core.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>

namespace crest::cli
{
namespace
{
    namespace fs = std::filesystem;

    const char* sessionUsage = R"(usage:
  crest session new AUDIO... -o S.crest [--force]
                        a session with one track per file, in the order given
  crest session set S.crest [--album KEY=VALUE...] [--track N KEY=VALUE...]...
                        edit album and track fields; nothing is written unless every value is valid
  crest session show S.crest [--json]
                        the album, its tracks with start times and lengths, and totals
)";

    std::string timeText (double seconds)
    {
        // m:ss.ss, with hours when needed
        if (seconds < 0.0)
            return "-" + timeText (-seconds);
        const int hours = (int) (seconds / 3600.0);
        const int minutes = (int) ((seconds - hours * 3600.0) / 60.0);
        const double rest = seconds - hours * 3600.0 - minutes * 60.0;
        char text[64];
        if (hours > 0)
            std::snprintf (text, sizeof (text), "%d:%02d:%05.2f", hours, minutes, rest);
        else
            std::snprintf (text, sizeof (text), "%d:%05.2f", minutes, rest);
        return text;
    }

    int runNew (const std::vector<std::string>& words)
    {
        const Arguments args (words, { "-o", "--output" });
        if (const auto unknown = args.unknownFlags ({ "--force" }); ! unknown.empty())
            throw std::runtime_error ("unknown option " + unknown.front() + "\n" + sessionUsage);
        auto output = args.value ("-o");
        if (! output)
            output = args.value ("--output");
        if (! output || args.positional.empty())
            throw std::runtime_error (sessionUsage);
        if (fs::path (*output).extension() != session::SessionFile::extension)
            throw std::runtime_error (*output + ": a session file's name ends in .crest");
        if (fs::exists (*output) && ! args.has ("--force"))
        {
            reportFileError (*output, "already exists; use --force to replace it");
            return exitError;
        }

        session::Session s;
        for (const auto& path : args.positional)
        {
            std::string why;
            auto input = engine::AudioFileInput::open (path, why);
            if (input == nullptr)
            {
                reportFileError (path, why);
                return exitError;
            }
            session::Track track;
            std::error_code ec;
            track.source = fs::absolute (path, ec).lexically_normal().string();
            track.title = fs::path (path).stem().string();
            s.tracks.push_back (std::move (track));
        }
        session::SessionFile::save (s, *output);
        std::cerr << "crest session: wrote " << *output << " with " << s.tracks.size() << " track"
                  << (s.tracks.size() == 1 ? "" : "s") << "\n";
        return exitOk;
    }

    int runSet (const std::vector<std::string>& words)
    {
        if (words.empty())
            throw std::runtime_error (sessionUsage);
        const auto& path = words[0];
        auto s = session::SessionFile::load (path);

        // Each KEY=VALUE applies to the album or the track named by the --album / --track N before it.
        int track = -1; // -1: the album
        bool scoped = false;
        int edits = 0;
        for (size_t i = 1; i < words.size(); ++i)
        {
            const auto& w = words[i];
            if (w == "--album")
            {
                track = -1;
                scoped = true;
                continue;
            }
            if (w == "--track")
            {
                if (i + 1 >= words.size())
                    throw std::runtime_error ("--track needs a track number");
                const auto number = juce::String (words[++i]);
                if (! number.containsOnly ("0123456789") || number.isEmpty())
                    throw std::runtime_error ("--track " + number.toStdString() + ": a track number is a whole number from 1");
                track = number.getIntValue() - 1;
                if (track < 0 || (size_t) track >= s.tracks.size())
                    throw std::runtime_error ("--track " + number.toStdString() + ": there is no such track (the session has "
                                              + std::to_string (s.tracks.size()) + ")");
                scoped = true;
                continue;
            }
            const auto eq = w.find ('=');
            if (eq == std::string::npos || eq == 0 || w.rfind ("--", 0) == 0)
                throw std::runtime_error ("'" + w + "': expected KEY=VALUE after --album or --track N\n" + sessionUsage);
            if (! scoped)
                throw std::runtime_error ("'" + w + "': say whose field it is first: --album or --track N");
            const auto key = w.substr (0, eq), value = w.substr (eq + 1);
            try
            {
                if (track < 0)
                    session::SessionFile::setAlbumField (s, key, value);
                else
                    session::SessionFile::setTrackField (s, track, key, value);
            }
            catch (const session::SessionError& e)
            {
                reportFileError (path, std::string (e.what()) + " (nothing was written)");
                return exitError;
            }
            ++edits;
        }
        if (edits == 0)
            throw std::runtime_error ("nothing to set\n" + std::string (sessionUsage));

        if (const auto problems = session::validate (s); ! problems.empty())
        {
            reportFileError (path, problems.front() + " (nothing was written)");
            return exitError;
        }
        // Rules that need the audio (fades and crossfades within tracks, index points inside
        // them) are checked when every source is there.
        if (session::SessionFile::missingSources (s).empty())
        {
            std::string error;
            if (! album::Timeline::fromSources (s, album::Alignment::samples, error))
            {
                reportFileError (path, error + " (nothing was written)");
                return exitError;
            }
        }
        session::SessionFile::save (s, path);
        // A source replaced by this edit leaves its converted copy behind: prune it.
        std::string pruneError;
        for (const auto& removed : album::SourceAudio::pruneCache (s, pruneError))
            std::cout << "removed from the cache: " << removed << "\n";
        return exitOk;
    }

    int runShow (const std::vector<std::string>& words)
    {
        const Arguments args (words, {});
        if (const auto unknown = args.unknownFlags ({ "--json" }); ! unknown.empty())
            throw std::runtime_error ("unknown option " + unknown.front() + "\n" + sessionUsage);
        if (args.positional.size() != 1)
            throw std::runtime_error (sessionUsage);
        const auto& path = args.positional.front();
        const auto s = session::SessionFile::load (path);
        const auto missing = session::SessionFile::missingSources (s);

        std::optional<album::Timeline> timeline;
        std::string timelineError;
        if (missing.empty() && ! s.tracks.empty())
            timeline = album::Timeline::fromSources (s, album::Alignment::samples, timelineError);

        // Sources at another rate than the session play converted (album::SourceAudio).
        const auto conversions = album::SourceAudio::conversions (s);
        auto isCached = [] (const album::SourceConversion& c)
        {
            std::error_code ec;
            return ! c.cachePath.empty() && fs::exists (c.cachePath, ec);
        };

        const auto folder = fs::absolute (path).parent_path().string();
        if (args.has ("--json"))
        {
            auto doc = nlohmann::ordered_json::parse (session::SessionFile::toJson (s, folder));
            auto missingList = nlohmann::ordered_json::array();
            for (const auto& m : missing)
                missingList.push_back ({ { "track", m.trackNumber }, { "path", m.path } });
            doc["missing_sources"] = missingList;
            auto converted = nlohmann::ordered_json::array();
            for (const auto& c : conversions)
                converted.push_back ({ { "role", c.role }, { "source", c.source }, { "from_hz", c.fromRate }, { "from_bits", c.fromBits },
                                       { "to_hz", c.toRate }, { "cached", isCached (c) } });
            doc["sources_converted"] = converted;
            if (timeline)
            {
                const double rate = timeline->sampleRate();
                nlohmann::ordered_json t;
                t["sample_rate"] = rate;
                t["length_s"] = (double) timeline->lengthInSamples() / rate;
                t["tracks"] = nlohmann::ordered_json::array();
                for (const auto& p : timeline->tracks())
                    t["tracks"].push_back ({ { "number", p.number },
                                             { "pregap_s", (double) p.pregapStart / rate },
                                             { "start_s", (double) p.start / rate },
                                             { "length_s", (double) p.length() / rate },
                                             { "end_s", (double) p.end / rate } });
                doc["timeline"] = t;
            }
            else if (! timelineError.empty())
            {
                doc["timeline_error"] = timelineError;
            }
            std::cout << doc.dump (2) << "\n";
            return timelineError.empty() ? exitOk : exitError;
        }

        const auto& a = s.album;
        std::cout << "Album      " << (a.title.empty() ? "(untitled)" : a.title) << "\n";
        auto line = [] (const char* label, const std::string& value)
        {
            if (! value.empty())
                std::cout << label << value << "\n";
        };
        line ("Performer  ", a.performer);
        line ("UPC/EAN    ", a.upc);
        line ("Catalogue  ", a.catalogueNumber);
        line ("Genre      ", a.genre);
        line ("Language   ", a.language);
        line ("Year       ", a.year != 0 ? std::to_string (a.year) : "");
        std::string targets;
        for (const auto& t : s.deliverables.targets)
            targets += (targets.empty() ? "" : ", ") + std::string (session::targetName (t));
        line ("Targets    ", targets);
        std::cout << "Chain      " << (s.chain.modules.empty() ? "(none)" : "") ;
        for (size_t i = 0; i < s.chain.modules.size(); ++i)
            std::cout << (i > 0 ? " > " : "") << s.chain.modules[i].type;
        std::cout << "\n\n";

        char row[512];
        std::snprintf (row, sizeof (row), "%3s  %-10s %-10s %-11s %-15s %s\n", "#", "start", "length", "gap", "ISRC", "title");
        std::cout << row;
        for (size_t i = 0; i < s.tracks.size(); ++i)
        {
            const auto& t = s.tracks[i];
            std::string start = "-", length = "-";
            if (timeline)
            {
                const auto& p = timeline->tracks()[i];
                start = timeText ((double) p.start / timeline->sampleRate());
                length = timeText ((double) p.length() / timeline->sampleRate());
            }
            const auto gap = t.crossfade ? "xfade " + juce::String (t.crossfade->seconds, 2).toStdString()
                                         : juce::String (t.gapSeconds, 2).toStdString();
            std::snprintf (row, sizeof (row), "%3d  %-10s %-10s %-11s %-15s %s%s\n", (int) i + 1, start.c_str(), length.c_str(), gap.c_str(),
                           t.isrc.empty() ? "-" : session::formatIsrc (t.isrc).c_str(), t.title.c_str(),
                           t.chain ? "  [own chain]" : "");
            std::cout << row;
        }
        std::cout << "\n" << s.tracks.size() << " track" << (s.tracks.size() == 1 ? "" : "s");
        if (timeline)
            std::cout << ", " << timeText ((double) timeline->lengthInSamples() / timeline->sampleRate()) << " in all at "
                      << (int) timeline->sampleRate() << " Hz";
        std::cout << "\n";
        for (const auto& c : conversions)
            std::cout << "converted: " << c.role << ": " << c.source << ": " << c.fromRate / 1000.0 << " kHz " << c.fromBits
                      << "-bit -> " << c.toRate / 1000.0 << " kHz" << (isCached (c) ? "" : " (converted when first played or exported)")
                      << "\n";
        for (const auto& m : missing)
            std::cout << "missing: track " << m.trackNumber << ": " << m.path << "\n";
        if (! timelineError.empty())
        {
            reportFileError (path, timelineError);
            return exitError;
        }
        return missing.empty() ? exitOk : exitError;
    }
} // namespace

int runSession (const std::vector<std::string>& words)
{
    if (words.empty())
        throw std::runtime_error (sessionUsage);
    const auto sub = words[0];
    const std::vector<std::string> rest (words.begin() + 1, words.end());
    try
    {
        if (sub == "new")
            return runNew (rest);
        if (sub == "set")
            return runSet (rest);
        if (sub == "show")
            return runShow (rest);
    }
    catch (const session::SessionError& e)
    {
        std::cerr << "crest: " << e.what() << "\n";
        return exitError;
    }
    throw std::runtime_error ("unknown session command '" + sub + "'\n" + sessionUsage);
}

} // namespace crest::cli
