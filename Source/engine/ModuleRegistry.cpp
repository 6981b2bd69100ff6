#include "engine/ModuleRegistry.h"

#include "engine/ModuleIds.h"

// Module headers (one line each, in chain order of a typical master):
// @module-includes
#include "engine/EqualiserModule.h"
#include "engine/CompressorModule.h"
#include "engine/MultibandCompressorModule.h"
#include "engine/ImagerModule.h"
#include "engine/SaturationModule.h"
#include "engine/LimiterModule.h"
#include "engine/UtilityModule.h"

namespace crest::engine
{

const std::vector<ModuleTypeInfo>& moduleTypes()
{
    static const std::vector<ModuleTypeInfo> types = {
        // @module-types
        { ids::types::equaliser, "Equaliser", "Eight-band analog-matched equaliser (bells, shelves, Butterworth cuts, notch, tilt) per stereo, mid, side, left or right, with dynamic bands and a linear-phase mode.", EqualiserModule::parameterSpecs(), [] { return std::make_unique<EqualiserModule>(); } },
        { ids::types::compressor, "Compressor", "Mastering compressor with soft knee, peak or RMS detection, auto release, stereo link, mid/side, side-chain high-pass and parallel mix.", CompressorModule::parameterSpecs(), [] { return std::make_unique<CompressorModule>(); } },
        { ids::types::multiband, "Multiband compressor", "Two to four bands split by flat-summing Linkwitz-Riley or linear-phase crossovers, each with its own compressor, solo and bypass.", MultibandCompressorModule::parameterSpecs(), [] { return std::make_unique<MultibandCompressorModule>(); } },
        { ids::types::imager, "Stereo imager", "Stereo width per band, mid/side balance and mono bass below a frequency for vinyl.", ImagerModule::parameterSpecs(), [] { return std::make_unique<ImagerModule>(); } },
        { ids::types::saturation, "Saturation", "Oversampled tape or tube saturation with drive, mix and output level.", SaturationModule::parameterSpecs(), [] { return std::make_unique<SaturationModule>(); } },
        { ids::types::limiter, "Limiter", "Look-ahead true-peak limiter whose output never exceeds its ceiling, inter-sample peaks included.", LimiterModule::parameterSpecs(), [] { return std::make_unique<LimiterModule>(); } },
        { ids::types::utility, "Utility", "Gain, polarity, channel swap, mono and a DC filter.", UtilityModule::parameterSpecs(), [] { return std::make_unique<UtilityModule>(); } },
    };
    return types;
}

const ModuleTypeInfo* findModuleType (const std::string& type)
{
    for (const auto& t : moduleTypes())
        if (t.type == type)
            return &t;
    return nullptr;
}

std::unique_ptr<Module> createModule (const std::string& type)
{
    const auto* info = findModuleType (type);
    return info != nullptr ? info->create() : nullptr;
}

} // namespace crest::engine
