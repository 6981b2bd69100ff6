#include "cli/CommandLine.h"
#include "cli/Progress.h"
#include "engine/ChainFile.h"
#include "engine/OfflineRenderer.h"
#include "engine/PluginSlots.h"

#include <csignal>
#include <cstdio>
#include <iostream>

namespace crest::cli
{
namespace
{
    std::atomic<bool> interrupted { false };

    void onInterrupt (int) { interrupted.store (true); }

    std::string dbText (std::optional<double> v, const char* unit)
    {
        char text[64];
        if (v)
            std::snprintf (text, sizeof (text), "%.1f %s", *v, unit);
        else
            std::snprintf (text, sizeof (text), "-- %s", unit);
        return text;
    }
} // namespace

int runRender (const std::vector<std::string>& words)
{
    // --set may be given many times, so gather those first.
    std::vector<std::string> overrides, rest;
    for (size_t i = 0; i < words.size(); ++i)
    {
        if (words[i] == "--set" && i + 1 < words.size())
            overrides.push_back (words[++i]);
        else if (words[i].rfind ("--set=", 0) == 0)
            overrides.push_back (words[i].substr (6));
        else
            rest.push_back (words[i]);
    }

    const Arguments args (rest, { "-o", "--output", "--chain", "--bits" });
    if (const auto unknown = args.unknownFlags ({}); ! unknown.empty())
        throw std::runtime_error ("unknown option " + unknown.front());
    const auto output = args.value ("-o") ? args.value ("-o") : args.value ("--output");
    if (args.positional.size() != 1 || ! output)
        throw std::runtime_error ("usage: crest render IN -o OUT [--chain CHAIN.json] [--set ID.PARAM=VALUE]... [--bits 16|24|32]");

    const auto& input = args.positional.front();
    engine::ChainDescription chain;
    try
    {
        if (const auto chainPath = args.value ("--chain"))
            chain = engine::ChainFile::load (*chainPath);
        for (const auto& assignment : overrides)
            engine::ChainFile::applyOverride (chain, assignment);
    }
    catch (const engine::ChainFileError& e)
    {
        std::cerr << "crest: " << e.what() << std::endl;
        return exitError;
    }

    for (const auto& missing : engine::missingPlugins (chain))
        std::cerr << "crest: warning: " << missing << std::endl;

    engine::RenderOptions options;
    if (const auto bits = args.value ("--bits"))
    {
        if (*bits != "16" && *bits != "24" && *bits != "32")
            throw std::runtime_error ("--bits must be 16, 24 or 32");
        options.bitsPerSample = std::stoi (*bits);
    }

    std::signal (SIGINT, onInterrupt);
    std::signal (SIGTERM, onInterrupt);
    options.cancel = &interrupted;

    std::string error;
    std::optional<engine::RenderResult> result;
    {
        Progress progress ("rendering " + input, true);
        options.progress = [&] (double done) { progress.update (done); };
        result = engine::renderFile (input, *output, chain, options, error);
    }
    if (! result)
    {
        std::cerr << "crest: " << error << (error == "cancelled" ? " (nothing was written)" : "") << std::endl;
        return exitError;
    }

    const auto& a = result->output;
    std::printf ("%s -> %s  (%d modules, latency %d samples compensated, %d-bit%s)\n", input.c_str(), output->c_str(),
                 (int) chain.modules.size(), result->latencySamples, options.bitsPerSample,
                 options.bitsPerSample == 16 ? ", TPDF dither" : options.bitsPerSample == 32 ? " float" : "");
    std::printf ("  integrated %s, range %s, true peak %s, sample peak %s, PLR %s\n", dbText (a.integratedLufs, "LUFS").c_str(),
                 dbText (a.loudnessRangeLu, "LU").c_str(), dbText (a.truePeakDbtp, "dBTP").c_str(),
                 dbText (a.samplePeakDbfs, "dBFS").c_str(), dbText (a.plrDb, "dB").c_str());
    return exitOk;
}

} // namespace crest::cli
