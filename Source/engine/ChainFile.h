#pragma once

#include "engine/ChainDescription.h"

#include <stdexcept>
#include <string>

namespace crest::engine
{

/** A chain file that cannot be used; the message names the file, the place and the rule. */
class ChainFileError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

/** Crest's chain file format, version 1:

        {"format": "crest-chain", "version": 1,
         "modules": [{"id": "master-limiter", "type": "limiter", "bypass": false,
                      "params": {"ceiling_dbtp": -1.0}}]}

    `id` is unique within the chain, `type` is one of `crest modules`, `params` are keyed by
    parameter ID (numbers; choices may also be given by name, toggles as true/false), and
    missing parameters take their defaults. Anything unknown or out of range is an error that
    names it: a chain that silently dropped a setting would master differently than intended.
*/
namespace ChainFile
{
    /** The format name written and required. */
    inline constexpr const char* formatName = "crest-chain";

    /** The newest version this build reads and the one it writes. */
    inline constexpr int currentVersion = 1;

    /** Parses and validates chain JSON; `source` names it in errors. Throws ChainFileError. */
    ChainDescription parse (const std::string& json, const std::string& source);

    /** Reads and validates a chain file. Throws ChainFileError. */
    ChainDescription load (const std::string& path);

    /** The chain as JSON text (every parameter of every module written out). */
    std::string toJson (const ChainDescription& chain);

    /** Saves atomically (an AtomicFile: a partial file beside the target, then renamed).
        Throws ChainFileError when it cannot. */
    void save (const ChainDescription& chain, const std::string& path);

    /** Applies a command-line override "ID.PARAM=VALUE" (validated like a file). Throws
        ChainFileError naming the module, the parameter or the value. */
    void applyOverride (ChainDescription& chain, const std::string& assignment);
} // namespace ChainFile

} // namespace crest::engine
