#include "analysis/AnalysisJson.h"
#include "cli/CommandLine.h"

#include <cstdio>
#include <iostream>

namespace crest::cli
{
namespace
{
    std::string describeFormat (const engine::AudioFileInfo& f)
    {
        std::string channels = f.numChannels == 1   ? "mono"
                               : f.numChannels == 2 ? "stereo"
                               : f.numChannels == 6 ? "5.1"
                                                    : std::to_string (f.numChannels) + " channels";
        char text[160];
        std::snprintf (text, sizeof (text), "%s, %.1f kHz, %s, %s, %s", f.formatName.c_str(), f.sampleRate / 1000.0,
                       f.isLossy            ? "lossy"
                       : f.isFloatingPoint  ? (std::to_string (f.bitsPerSample) + "-bit float").c_str()
                                            : (std::to_string (f.bitsPerSample) + "-bit").c_str(),
                       channels.c_str(), clockTime (f.durationSeconds()).c_str());
        return text;
    }

    std::string number (std::optional<double> v, const char* unit, int decimals = 1, bool sign = false)
    {
        char text[64];
        if (! v)
            std::snprintf (text, sizeof (text), "%7s %s", "--", unit);
        else
            std::snprintf (text, sizeof (text), sign ? "%+7.*f %s" : "%7.*f %s", decimals, *v, unit);
        return text;
    }

    void printTable (const engine::FileAnalysis& r)
    {
        const auto& a = r.analysis;
        const auto row = [] (const char* label, const std::string& value) {
            std::printf ("  %-18s %s\n", label, value.c_str());
        };

        std::printf ("%s  (%s)\n", r.file.path.c_str(), describeFormat (r.file).c_str());
        row ("Integrated", number (a.integratedLufs, "LUFS"));
        row ("Loudness range", number (a.loudnessRangeLu, "LU"));
        row ("Momentary max", number (a.momentaryMaxLufs, "LUFS"));
        row ("Short-term max", number (a.shortTermMaxLufs, "LUFS"));
        row ("True peak", number (a.truePeakDbtp, "dBTP") + "   (" + std::to_string (a.oversampling) + "x oversampled)");
        row ("Sample peak", number (a.samplePeakDbfs, "dBFS"));
        row ("PLR", number (a.plrDb, "dB"));
        row ("Crest factor", number (a.crestFactorDb, "dB"));
        char clipped[32];
        std::snprintf (clipped, sizeof (clipped), "%7lld", (long long) a.clippedSamples);
        row ("Clipped samples", clipped
                                    + (a.clipRuns > 0 ? " in " + std::to_string (a.clipRuns) + " runs, first at "
                                                            + clockTime ((double) a.firstClipSample / a.sampleRate)
                                                      : std::string()));
        row ("DC offset", number (a.dcOffsetDbfs, "dBFS"));
        if (a.numChannels >= 2)
        {
            std::string lowest, lowBand;
            if (a.correlationMin)
            {
                char text[64];
                std::snprintf (text, sizeof (text), "   (lowest %.2f at %s)", *a.correlationMin, clockTime (a.correlationMinSeconds).c_str());
                lowest = text;
            }
            if (a.lowBandMonoFoldDownDb)
            {
                char text[64];
                std::snprintf (text, sizeof (text), "   (below 150 Hz: %+.1f dB)", *a.lowBandMonoFoldDownDb);
                lowBand = text;
            }
            row ("Correlation", number (a.correlation, "", 2) + lowest);
            row ("Side/mid", number (a.sideToMidDb, "dB"));
            row ("Balance L/R", number (a.balanceDb, "dB", 1, true));
            row ("Mono fold-down", number (a.monoFoldDownDb, "dB", 1, true) + lowBand);
        }
        if (a.nonFiniteSamples > 0)
            row ("NaN/Inf samples", std::to_string (a.nonFiniteSamples));
        std::printf ("\n");
    }
} // namespace

int runAnalyze (const std::vector<std::string>& words)
{
    const Arguments args (words, {});
    if (const auto unknown = args.unknownFlags ({ "--json", "--series" }); ! unknown.empty())
        throw std::runtime_error ("unknown option " + unknown.front());
    if (args.positional.empty())
        throw std::runtime_error ("no files given (usage: crest analyze [--json] [--series] FILE...)");

    const bool json = args.has ("--json");
    analysis::AnalysisJsonOptions options;
    options.includeSeries = args.has ("--series");

    const bool allGood = forEachAnalysedFile (args.positional, [&] (const engine::FileAnalysis& r) {
        if (json)
        {
            nlohmann::ordered_json j;
            j["file"] = r.file.path;
            j["format"] = r.file.formatName;
            j["bits_per_sample"] = r.file.bitsPerSample;
            j["floating_point"] = r.file.isFloatingPoint;
            j.update (analysis::analysisToJson (r.analysis, options));
            std::cout << j.dump() << std::endl;
        }
        else
        {
            printTable (r);
            std::fflush (stdout);
        }
    });

    return allGood ? exitOk : exitError;
}

} // namespace crest::cli
