#pragma once

#include "analysis/MixCheck.h"
#include "analysis/TrackAnalyser.h"

#include <nlohmann/json.hpp>

namespace crest::analysis
{

/** Options for what goes into an analysis JSON object beyond the standard keys. */
struct AnalysisJsonOptions
{
    bool includeSeries = false; ///< momentary, short-term and true-peak series at 10 Hz
};

/** The measurements of a TrackAnalysis as ordered JSON members (the keys documented for
    `crest analyze --json`). Missing values are null, never NaN or infinity. */
nlohmann::ordered_json analysisToJson (const TrackAnalysis& analysis, const AnalysisJsonOptions& options = {});

/** A finding as a JSON object: severity, code, time_s (or null), message. */
nlohmann::ordered_json findingToJson (const Finding& finding);

/** A number rounded to a number of decimals, or null when empty or not finite. */
nlohmann::ordered_json roundedOrNull (std::optional<double> value, int decimals);

} // namespace crest::analysis
