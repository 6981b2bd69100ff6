#pragma once

#include "analysis/MixCheck.h"
#include "engine/FileAnalysis.h"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace crest::cli
{

/** Exit statuses shared by every command. */
enum ExitStatus
{
    exitOk = 0,
    exitFindings = 1, ///< `check`: serious findings
    exitError = 2     ///< bad input, bad usage, I/O failure
};

/** A command's arguments: positional words, `--flag`s and `--option value`s. */
class Arguments
{
public:
    /** Parses argv after the command name. `valueOptions` lists the options that take a value;
        any other word starting with "--" is a flag. Throws std::runtime_error on a missing value. */
    Arguments (const std::vector<std::string>& words, const std::vector<std::string>& valueOptions);

    /** True when a flag was given. */
    bool has (const std::string& flag) const { return flags.count (flag) > 0 || values.count (flag) > 0; }

    /** The value of an option, if given. */
    std::optional<std::string> value (const std::string& option) const;

    /** Flags given that are not in `known` (for "unknown option" errors). */
    std::vector<std::string> unknownFlags (const std::vector<std::string>& known) const;

    /** Positional words, in order. */
    std::vector<std::string> positional;

private:
    std::map<std::string, bool> flags;
    std::map<std::string, std::string> values;
};

/** Prints "crest: <file>: <reason>" to stderr: the one line every bad input gets. */
void reportFileError (const std::string& file, const std::string& reason);

using analysis::clockTime;

/** Analyses each file in turn (with progress on a terminal) and hands each success to
    `onAnalysed`; each failure gets its one line on stderr and the others carry on.
    Returns false when any file failed. */
bool forEachAnalysedFile (const std::vector<std::string>& files,
                          const std::function<void (const engine::FileAnalysis&)>& onAnalysed);

/** The commands, each returning an ExitStatus. */
int runAnalyze (const std::vector<std::string>& words);
int runCheck (const std::vector<std::string>& words);
int runBench (const std::vector<std::string>& words);
int runDemo (const std::vector<std::string>& words);
int runModules (const std::vector<std::string>& words);
int runRender (const std::vector<std::string>& words);
int runSession (const std::vector<std::string>& words);
int runDdp (const std::vector<std::string>& words);
int runExport (const std::vector<std::string>& words);
int runPlay (const std::vector<std::string>& words);
int runVersion (const std::vector<std::string>& words);
int runApprove (const std::vector<std::string>& words);
int runNotes (const std::vector<std::string>& words);
int runProof (const std::vector<std::string>& words);
int runPlugins (const std::vector<std::string>& words);

} // namespace crest::cli
