// `crest ddp verify DIR` and `crest ddp extract DIR -o OUT`: a DDP image read back.

#include "cli/CommandLine.h"

#include "engine/AudioFileOutput.h"
#include "engine/ContainedPath.h"
#include "export/DdpReader.h"
#include "export/RedBookPreflight.h"
#include "session/Identifiers.h"

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <stdexcept>

namespace crest::cli
{

namespace
{
    int verify (const std::string& directory)
    {
        std::optional<delivery::DdpImage> image;
        const auto problems = delivery::verifyDdpImage (directory, image);

        if (image)
        {
            const auto& layout = image->layout;
            std::cout << directory << ": " << image->level << ", " << layout.tracks.size() << " tracks, "
                      << delivery::cdTime (layout.totalFrames) << "\n";
            if (! layout.upc.empty())
                std::cout << "UPC/EAN   " << layout.upc << "\n";
            if (! layout.text.title.empty() || ! layout.text.performer.empty())
                std::cout << "Album     " << layout.text.title << (layout.text.performer.empty() ? "" : " / ")
                          << layout.text.performer << "\n";
            std::cout << "\nTrack  Index 00  Index 01  Length    ISRC             Title / Performer\n";
            for (const auto& t : layout.tracks)
            {
                char line[128];
                std::snprintf (line, sizeof (line), "%5d  %s  %s  %s  %-15s  ", t.number,
                               t.pregapFrame < t.startFrame ? delivery::cdTime (t.pregapFrame).c_str() : "        ",
                               delivery::cdTime (t.startFrame).c_str(), delivery::cdTime (t.endFrame - t.startFrame).c_str(),
                               t.isrc.empty() ? "-" : session::formatIsrc (t.isrc).c_str());
                std::cout << line << t.text.title << (t.text.performer.empty() ? "" : " / ") << t.text.performer << "\n";
                for (size_t k = 0; k < t.indexFrames.size(); ++k)
                {
                    std::snprintf (line, sizeof (line), "       INDEX %02d at %s\n", (int) k + 2, delivery::cdTime (t.indexFrames[k]).c_str());
                    std::cout << line;
                }
            }
            std::cout << "Lead-out at " << delivery::cdTime (layout.totalFrames) << "\n";
        }

        if (! problems.empty())
        {
            for (const auto& p : problems)
                reportFileError (directory, p);
            return exitError;
        }
        std::cout << "\nStructure and checksums OK\n";
        return exitOk;
    }

    int extract (const std::string& directory, const std::string& out)
    {
        std::string error;
        const auto image = delivery::readDdpImage (directory, error);
        if (! image)
        {
            reportFileError (directory, error);
            return exitError;
        }
        std::error_code ec;
        std::filesystem::create_directories (out, ec);
        if (! std::filesystem::is_directory (out))
        {
            reportFileError (out, "cannot create the output folder");
            return exitError;
        }

        for (const auto& t : image->layout.tracks)
        {
            char name[32];
            std::snprintf (name, sizeof (name), "%02d.wav", t.number);
            const auto contained = engine::containedPath (out, name, error);
            if (! contained)
            {
                reportFileError (directory, error);
                return exitError;
            }
            const auto path = contained->string();

            // A track runs from its INDEX 01 to the next track's INDEX 00: the gap before a
            // track is not part of it, as a player counts it.
            delivery::DdpAudio audio (*image, t.startFrame, t.endFrame);
            auto file = engine::AudioFileOutput::create (path, 44100.0, 2, 16, error);
            if (file == nullptr)
            {
                reportFileError (path, error);
                return exitError;
            }
            std::vector<float> left (44100), right (44100);
            float* channels[] = { left.data(), right.data() };
            for (;;)
            {
                const int got = audio.read (channels, (int) left.size());
                if (got < 0)
                {
                    reportFileError (directory, audio.error());
                    return exitError;
                }
                if (got == 0)
                    break;
                if (! file->write (channels, got))
                {
                    reportFileError (path, "writing failed");
                    return exitError;
                }
            }
            if (! file->finish (error))
            {
                reportFileError (path, error);
                return exitError;
            }
            std::cout << path << "\n";
        }
        return exitOk;
    }
} // namespace

int runDdp (const std::vector<std::string>& words)
{
    Arguments args (words, { "-o", "--output" });
    if (const auto unknown = args.unknownFlags ({}); ! unknown.empty())
        throw std::runtime_error ("unknown option " + unknown.front());
    if (args.positional.size() != 2 || (args.positional[0] != "verify" && args.positional[0] != "extract"))
        throw std::runtime_error ("usage: crest ddp verify DIR | crest ddp extract DIR -o OUT");

    if (args.positional[0] == "verify")
        return verify (args.positional[1]);

    auto out = args.value ("-o");
    if (! out)
        out = args.value ("--output");
    if (! out)
        throw std::runtime_error ("extract needs -o OUT (a folder for the track WAVs)");
    return extract (args.positional[1], *out);
}

} // namespace crest::cli
