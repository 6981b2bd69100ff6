#include "analysis/AnalysisJson.h"

#include <cmath>

namespace crest::analysis
{

nlohmann::ordered_json roundedOrNull (std::optional<double> value, int decimals)
{
    if (! value || ! std::isfinite (*value))
        return nullptr;
    const double scale = std::pow (10.0, decimals);
    return std::round (*value * scale) / scale;
}

nlohmann::ordered_json analysisToJson (const TrackAnalysis& a, const AnalysisJsonOptions& options)
{
    nlohmann::ordered_json j;
    j["sample_rate"] = a.sampleRate;
    j["channels"] = a.numChannels;
    j["duration_s"] = roundedOrNull (a.durationSeconds(), 4);
    j["integrated_lufs"] = roundedOrNull (a.integratedLufs, 2);
    j["loudness_range_lu"] = roundedOrNull (a.loudnessRangeLu, 2);
    j["momentary_max_lufs"] = roundedOrNull (a.momentaryMaxLufs, 2);
    j["short_term_max_lufs"] = roundedOrNull (a.shortTermMaxLufs, 2);
    j["true_peak_dbtp"] = roundedOrNull (a.truePeakDbtp, 2);
    j["sample_peak_dbfs"] = roundedOrNull (a.samplePeakDbfs, 2);
    j["plr_db"] = roundedOrNull (a.plrDb, 2);
    j["crest_factor_db"] = roundedOrNull (a.crestFactorDb, 2);
    j["rms_dbfs"] = roundedOrNull (a.rmsDbfs, 2);
    j["clipped_samples"] = a.clippedSamples;
    j["dc_offset_dbfs"] = roundedOrNull (a.dcOffsetDbfs, 1);
    j["correlation"] = roundedOrNull (a.correlation, 3);
    j["correlation_min"] = roundedOrNull (a.correlationMin, 3);
    j["low_band_correlation"] = roundedOrNull (a.lowBandCorrelation, 3);
    j["side_to_mid_db"] = roundedOrNull (a.sideToMidDb, 2);
    j["balance_db"] = roundedOrNull (a.balanceDb, 2);
    j["mono_fold_down_db"] = roundedOrNull (a.monoFoldDownDb, 2);
    j["nonfinite_samples"] = a.nonFiniteSamples;
    j["true_peak_oversampling"] = a.oversampling;

    auto perChannel = nlohmann::ordered_json::array();
    for (size_t c = 0; c < a.truePeakPerChannel.size(); ++c)
        perChannel.push_back ({ { "true_peak_dbtp", roundedOrNull (toDecibels (a.truePeakPerChannel[c]), 2) },
                                { "sample_peak_dbfs", roundedOrNull (toDecibels (a.samplePeakPerChannel[c]), 2) },
                                { "rms_dbfs", roundedOrNull (toDecibels (a.rmsPerChannel[c]), 2) },
                                { "dc_offset", roundedOrNull (a.dcOffsetPerChannel[c], 7) } });
    j["per_channel"] = perChannel;

    auto bands = nlohmann::ordered_json::array();
    for (const auto& b : a.spectrum.thirdOctaveBands())
        bands.push_back ({ roundedOrNull (b.centreHz, 1), roundedOrNull (b.levelDb > -200.0 ? std::optional<double> (b.levelDb) : std::nullopt, 1) });
    j["third_octave_db"] = bands;

    if (options.includeSeries)
    {
        const auto series = [] (const std::vector<float>& values, bool asDecibels) {
            auto out = nlohmann::ordered_json::array();
            for (float v : values)
                out.push_back (roundedOrNull (asDecibels ? toDecibels (v) : std::optional<double> (v), 2));
            return out;
        };
        j["momentary_lufs_series"] = series (a.momentarySeries, false);
        j["short_term_lufs_series"] = series (a.shortTermSeries, false);
        j["true_peak_dbtp_series"] = series (a.truePeakSeries, true);
    }
    return j;
}

nlohmann::ordered_json findingToJson (const Finding& f)
{
    nlohmann::ordered_json j;
    j["severity"] = severityName (f.severity);
    j["code"] = f.code;
    j["time_s"] = roundedOrNull (f.timeSeconds, 3);
    j["message"] = f.message;
    return j;
}

} // namespace crest::analysis
