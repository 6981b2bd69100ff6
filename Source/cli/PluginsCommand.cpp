#include "cli/CommandLine.h"
#include "plugins/PluginCatalogue.h"
#include "plugins/PluginScan.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <iostream>
#include <unistd.h>

namespace crest::cli
{
namespace
{
    const char* usage = "usage: crest plugins scan [--folder DIR]... [--only-folders] [--timeout S] | crest plugins list [--json]";

    /** This program's own path, for the scan's child processes. */
    std::string ownProgram()
    {
        char path[PATH_MAX];
        const auto n = ::readlink ("/proc/self/exe", path, sizeof (path) - 1);
        if (n <= 0)
            throw std::runtime_error ("cannot find this program's path (/proc/self/exe) to start the scan's child processes");
        path[n] = 0;
        return path;
    }

    int scan (const std::vector<std::string>& words)
    {
        std::vector<std::string> folders, rest;
        for (size_t i = 0; i < words.size(); ++i)
            if (words[i] == "--folder" && i + 1 < words.size())
                folders.push_back (words[++i]);
            else
                rest.push_back (words[i]);
        const Arguments args (rest, { "--timeout" });
        if (const auto unknown = args.unknownFlags ({ "--only-folders", "--timeout" }); ! unknown.empty())
            throw std::runtime_error ("unknown option " + unknown.front());
        if (! args.positional.empty())
            throw std::runtime_error (usage);

        const auto file = plugins::PluginCatalogue::defaultFile();
        const auto previous = plugins::PluginCatalogue::load (file);
        plugins::ScanOptions options;
        options.program = ownProgram();
        options.folders = previous.folders; // folders added before are remembered
        for (const auto& f : folders)
            if (std::find (options.folders.begin(), options.folders.end(), f) == options.folders.end())
                options.folders.push_back (f);
        options.standardFolders = ! args.has ("--only-folders");
        if (const auto t = args.value ("--timeout"))
        {
            options.timeoutSeconds = std::stod (*t);
            if (! (options.timeoutSeconds > 0.0))
                throw std::runtime_error ("--timeout must be a positive number of seconds");
        }

        const auto catalogue = plugins::scanPlugins (options, [] (const std::string& line) { std::printf ("%s\n", line.c_str()); });
        catalogue.save (file);
        std::printf ("%zu plugins usable, %zu blacklisted; list saved to %s\n", catalogue.plugins.size(), catalogue.blacklisted.size(),
            file.c_str());
        return exitOk;
    }

    int list (const std::vector<std::string>& words)
    {
        const Arguments args (words, {});
        if (const auto unknown = args.unknownFlags ({ "--json" }); ! unknown.empty())
            throw std::runtime_error ("unknown option " + unknown.front());
        const auto file = plugins::PluginCatalogue::defaultFile();
        const auto catalogue = plugins::PluginCatalogue::load (file);
        if (args.has ("--json"))
        {
            std::cout << catalogue.toJson().dump (2) << std::endl;
            return exitOk;
        }
        if (catalogue.plugins.empty() && catalogue.blacklisted.empty())
            std::printf ("no plugins known yet: run `crest plugins scan` (list: %s)\n", file.c_str());
        for (const auto& p : catalogue.plugins)
        {
            std::printf ("%s  %s\n  %s%s%s, latency %d samples at 48 kHz, %zu parameters\n", p.format.c_str(), p.name.c_str(),
                p.id.c_str(), p.version.empty() ? "" : ", version ", p.version.c_str(), p.latencySamples, p.parameters.size());
            for (const auto& param : p.parameters)
                std::printf ("    %-24s %-28s %g .. %g %s  (default %g)\n", param.value ("id", std::string()).c_str(),
                    param.value ("name", std::string()).c_str(), param.value ("min", 0.0), param.value ("max", 0.0),
                    param.value ("unit", std::string()).c_str(), param.value ("default", 0.0));
        }
        for (const auto& b : catalogue.blacklisted)
            std::printf ("BLACKLISTED %s  %s\n  %s\n", b.format.c_str(), b.id.c_str(), b.reason.c_str());
        return exitOk;
    }
} // namespace

int runPlugins (const std::vector<std::string>& words)
{
    if (words.empty())
        throw std::runtime_error (usage);
    const std::vector<std::string> rest (words.begin() + 1, words.end());
    if (words[0] == "scan")
        return scan (rest);
    if (words[0] == "list")
        return list (rest);
    if (words[0] == "probe") // the scan's child process: crest plugins probe lv2 URI --lv2-path PATH | probe vst3 BUNDLE
    {
        const Arguments args (rest, { "--lv2-path" });
        if (args.positional.size() == 2 && args.positional[0] == "vst3")
            return plugins::probePlugin (args.positional[0], args.positional[1], {}, std::cout);
        if (args.positional.size() != 2 || ! args.value ("--lv2-path"))
            throw std::runtime_error ("usage: crest plugins probe FORMAT ID --lv2-path PATH (run by `crest plugins scan`)");
        return plugins::probePlugin (args.positional[0], args.positional[1], *args.value ("--lv2-path"), std::cout);
    }
    throw std::runtime_error (usage);
}

} // namespace crest::cli
