#include "analysis/AnalysisJson.h"
#include "cli/CommandLine.h"

#include <cstdio>
#include <iostream>

namespace crest::cli
{

int runCheck (const std::vector<std::string>& words)
{
    const Arguments args (words, {});
    if (const auto unknown = args.unknownFlags ({ "--json" }); ! unknown.empty())
        throw std::runtime_error ("unknown option " + unknown.front());
    if (args.positional.empty())
        throw std::runtime_error ("no files given (usage: crest check [--json] FILE...)");

    const bool json = args.has ("--json");
    bool anySerious = false;

    const bool allGood = forEachAnalysedFile (args.positional, [&] (const engine::FileAnalysis& r) {
        analysis::DeliveryFormat format;
        format.formatName = r.file.formatName;
        format.bitsPerSample = r.file.bitsPerSample;
        format.isFloatingPoint = r.file.isFloatingPoint;
        format.isLossy = r.file.isLossy;

        const auto findings = analysis::checkMix (r.analysis, format);
        const auto worst = analysis::worstSeverity (findings);
        anySerious |= worst == analysis::Severity::serious;

        if (json)
        {
            nlohmann::ordered_json j;
            j["file"] = r.file.path;
            j["worst"] = worst ? nlohmann::ordered_json (analysis::severityName (*worst)) : nlohmann::ordered_json (nullptr);
            j["integrated_lufs"] = analysis::roundedOrNull (r.analysis.integratedLufs, 2);
            j["true_peak_dbtp"] = analysis::roundedOrNull (r.analysis.truePeakDbtp, 2);
            auto list = nlohmann::ordered_json::array();
            for (const auto& f : findings)
                list.push_back (analysis::findingToJson (f));
            j["findings"] = list;
            std::cout << j.dump() << std::endl;
            return;
        }

        std::printf ("%s\n", r.file.path.c_str());
        if (findings.empty())
            std::printf ("  no problems found\n");
        for (const auto& f : findings)
            std::printf ("  %-8s %-9s %s\n", analysis::severityName (f.severity),
                         f.timeSeconds ? clockTime (*f.timeSeconds).c_str() : "", f.message.c_str());
        std::printf ("\n");
        std::fflush (stdout);
    });

    if (! allGood)
        return exitError;
    return anySerious ? exitFindings : exitOk;
}

} // namespace crest::cli
