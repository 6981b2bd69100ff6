// `crest export SESSION -o DIR [--targets cd,ddp,...]`: a session delivered, all targets in one run.

#include "cli/CommandLine.h"
#include "export/ExportPreflight.h"
#include "export/ReleaseExport.h"
#include "session/SessionFile.h"

#include <atomic>
#include <csignal>
#include <iostream>
#include <sstream>
#include <stdexcept>

namespace crest::cli
{
namespace
{
    std::atomic<bool> interrupted { false };

    extern "C" void onInterrupt (int)
    {
        interrupted = true; // lock-free atomic store: safe in a signal handler
    }

    std::vector<std::string> splitList (const std::string& text)
    {
        std::vector<std::string> items;
        std::stringstream in (text);
        std::string item;
        while (std::getline (in, item, ','))
            if (! item.empty())
                items.push_back (item);
        return items;
    }
} // namespace

int runExport (const std::vector<std::string>& words)
{
    Arguments args (words, { "-o", "--output", "--targets" });
    if (const auto unknown = args.unknownFlags ({}); ! unknown.empty())
        throw std::runtime_error ("unknown option " + unknown.front());
    auto out = args.value ("-o");
    if (! out)
        out = args.value ("--output");
    if (args.positional.size() != 1 || ! out)
        throw std::runtime_error ("usage: crest export SESSION -o DIR [--targets " + session::targetNameList (",") + "]");
    const auto sessionPath = args.positional[0];

    session::Session s;
    try
    {
        s = session::SessionFile::load (sessionPath);
    }
    catch (const std::exception& e)
    {
        std::cerr << "crest export: " << e.what() << "\n";
        return exitError;
    }

    delivery::ReleaseExportOptions options;
    options.destination = *out;
    options.sessionPath = sessionPath;
    if (const auto list = args.value ("--targets"))
        for (const auto& name : splitList (*list))
        {
            const auto target = session::targetFromName (name);
            if (! target)
            {
                std::cerr << "crest export: " << sessionPath << ": unknown target '" << name
                          << "' (known: " << session::targetNameList() << ")\n";
                return exitError;
            }
            options.targets.push_back (*target);
        }
    // The preflight's rows (delivery::preflightRelease, the rules the export dialog lists too),
    // before anything renders: an error stops here with nothing created.
    const auto preflight = delivery::preflightRelease (s, options.targets);
    for (const auto& f : preflight)
        std::cerr << "crest export: preflight: " << delivery::describePreflight (f) << "\n";
    if (const auto* stop = delivery::firstPreflightError (preflight))
    {
        std::cerr << "crest export: " << sessionPath << ": stopped by the preflight: " << delivery::describePreflight (*stop)
                  << "\n";
        return exitError;
    }
    options.progress = [] (const std::string& line) { std::cerr << line << "\n"; };
    options.cancel = &interrupted;

    interrupted = false;
    auto previousInt = std::signal (SIGINT, onInterrupt);
    auto previousTerm = std::signal (SIGTERM, onInterrupt);
    const auto result = delivery::exportRelease (s, options);
    std::signal (SIGINT, previousInt);
    std::signal (SIGTERM, previousTerm);

    if (result.cancelled)
    {
        std::cerr << "crest export: cancelled (nothing was written)\n";
        return 130;
    }
    if (! result.succeeded)
    {
        std::cerr << "crest export: " << sessionPath << ": " << result.error << "\n";
        return exitError;
    }

    int warnings = 0, errors = 0;
    for (const auto& f : result.report.findings)
    {
        if (f.severity == delivery::Severity::info)
            continue;
        (f.severity == delivery::Severity::error ? errors : warnings)++;
        std::cerr << f.target << (f.track > 0 ? " track " + std::to_string (f.track) : std::string()) << ": "
                  << delivery::toString (f.severity) << ": " << f.check << ": " << f.message << "\n";
    }
    std::cout << *out << ": " << result.report.files.size() << " files written, report.json and report.html";
    if (warnings + errors > 0)
        std::cout << "; " << errors << " errors and " << warnings << " warnings in the report";
    std::cout << "\n";
    return exitOk;
}

} // namespace crest::cli
