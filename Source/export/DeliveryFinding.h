#pragma once

// One thing a delivery check found, in the words the report and the CLI print.
//
// Design note: the Apple Digital Masters check, the vinyl checks and (through the lead's
// wiring) the Red Book preflight all end up as rows of the export report, so they share this
// plain shape: which target, which track or side, which check, how serious, and a sentence.

#include <optional>
#include <string>

namespace crest::delivery
{

/** How much a finding matters. */
enum class Severity
{
    info, ///< worth knowing, nothing to do
    warning, ///< the deliverable is made, but a person should listen or decide
    error ///< the deliverable cannot be accepted as it is
};

/** "info", "warning" or "error". */
const char* toString (Severity s) noexcept;

/** One finding of a delivery check. */
struct DeliveryFinding
{
    std::string target; ///< the name of the deliverable it concerns (session::targetName)
    std::string check; ///< short machine name of the rule, e.g. "side-length", "codec-clipping"
    Severity severity = Severity::warning;
    int track = 0; ///< 1-based track (or side, for vinyl), 0 when it concerns the whole deliverable
    std::optional<double> atSeconds; ///< where in the track or side, when it has a place
    std::string message; ///< a plain sentence for a person
};

} // namespace crest::delivery
