#include "cli/CommandLine.h"

#include "cli/Progress.h"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <stdexcept>

namespace crest::cli
{

Arguments::Arguments (const std::vector<std::string>& words, const std::vector<std::string>& valueOptions)
{
    bool onlyPositional = false;
    for (size_t i = 0; i < words.size(); ++i)
    {
        const auto& w = words[i];
        const bool shortOption = ! onlyPositional && w.size() == 2 && w[0] == '-'
                                 && std::find (valueOptions.begin(), valueOptions.end(), w) != valueOptions.end();
        if (shortOption)
        {
            if (i + 1 >= words.size())
                throw std::runtime_error ("option " + w + " needs a value");
            values[w] = words[++i];
            continue;
        }
        if (onlyPositional || w.size() < 2 || w.rfind ("--", 0) != 0)
        {
            positional.push_back (w);
            continue;
        }
        if (w == "--")
        {
            onlyPositional = true;
            continue;
        }

        auto name = w;
        std::optional<std::string> inlineValue;
        if (const auto eq = w.find ('='); eq != std::string::npos)
        {
            name = w.substr (0, eq);
            inlineValue = w.substr (eq + 1);
        }

        if (std::find (valueOptions.begin(), valueOptions.end(), name) != valueOptions.end())
        {
            if (inlineValue)
                values[name] = *inlineValue;
            else if (i + 1 < words.size())
                values[name] = words[++i];
            else
                throw std::runtime_error ("option " + name + " needs a value");
        }
        else
        {
            flags[name] = true;
        }
    }
}

std::optional<std::string> Arguments::value (const std::string& option) const
{
    if (const auto it = values.find (option); it != values.end())
        return it->second;
    return std::nullopt;
}

std::vector<std::string> Arguments::unknownFlags (const std::vector<std::string>& known) const
{
    std::vector<std::string> unknown;
    for (const auto& [flag, set] : flags)
        if (std::find (known.begin(), known.end(), flag) == known.end())
            unknown.push_back (flag);
    return unknown;
}

void reportFileError (const std::string& file, const std::string& reason)
{
    std::cerr << "crest: " << file << ": " << reason << std::endl;
}

bool forEachAnalysedFile (const std::vector<std::string>& files,
                          const std::function<void (const engine::FileAnalysis&)>& onAnalysed)
{
    bool allGood = true;
    for (const auto& file : files)
    {
        std::string error;
        std::optional<engine::FileAnalysis> result;
        {
            Progress progress (file, true);
            result = engine::analyseFile (file, error, [&] (double done) { progress.update (done); });
        }

        if (! result)
        {
            reportFileError (file, error);
            allGood = false;
            continue;
        }

        if (result->analysis.nonFiniteSamples > 0)
        {
            reportFileError (file, std::to_string (result->analysis.nonFiniteSamples)
                                       + " samples are NaN or infinite (first at "
                                       + clockTime ((double) result->analysis.firstNonFiniteSample / result->file.sampleRate)
                                       + "); they were measured as silence");
            allGood = false;
        }

        onAnalysed (*result);
    }
    return allGood;
}

} // namespace crest::cli
