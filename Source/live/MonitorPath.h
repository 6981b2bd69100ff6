#pragma once

// The monitor path: what the engineer hears after the master, and no render ever contains.
//
// Design note: after the master (or a reference crossfaded in) come, in order,
//   the translation check (MonitorTranslation: phone, car, club ... level-matched), then
//   the platform preview: the gain the selected platform's normalisation would apply to the
//   master as metered so far (PlatformTargets.h), ramped over 50 ms when it changes, and for
//   Spotify Loud its limiter (-1 dB ceiling, 5 ms lookahead, 100 ms release). The version
//   comparison's loudness-match gain (session/VersionComparison) rides on the same ramp.
// The preview gain follows the master's integrated loudness and true peak as the output meter
// publishes them (MasterReading, 10 Hz); before the first integrated reading it is 0 dB.
// The last step of the monitor path, the conversion to the device's rate, is the
// DeviceRateConverter's: it runs per device callback rather than per engine block.
//
// process() never allocates, locks, logs or does I/O.

#include "dsp/LinearSmoother.h"
#include "live/ChainMeters.h"
#include "live/MonitorTranslation.h"
#include "live/PlatformTargets.h"

#include <atomic>
#include <memory>
#include <optional>

namespace crest::dsp
{
class TruePeakLimiter;
}

namespace crest::live
{

/** Translation check and platform preview, applied to the monitor signal. */
class MonitorPath
{
public:
    MonitorPath();
    ~MonitorPath();

    /** Prepares for the engine's rate and largest block (message thread, audio held off). */
    void prepare (double sampleRate, int maxBlockSize);

    /** The translation check (select one with translation().setTranslation()). */
    MonitorTranslation& translation() noexcept { return translationStage; }

    /** Previews a platform's normalisation (Platform::none for none). For Platform::custom,
        `customLufs` and `customCeilingDbtp` give the target and the headroom limit. Any thread. */
    void setPlatformPreview (Platform platform, double customLufs, double customCeilingDbtp) noexcept;

    /** What the previewed platform does to a master of the given integrated loudness (empty:
        no reading yet) and true peak; empty with no platform or no reading. Any thread. */
    std::optional<PlatformGain> platformGain (std::optional<float> integratedLufs, float truePeakDb) const noexcept;

    /** A gain for comparing versions loudness-matched (dB, 0: none), ramped over 50 ms with
        the platform preview's gain. Any thread. */
    void setComparisonGain (float gainDb) noexcept { comparisonGainDb.store (gainDb); }
    float comparisonGain() const noexcept { return comparisonGainDb.load(); }

    /** Processes the monitor signal in place. Audio thread. */
    void process (float* left, float* right, int numSamples, const MasterReading& master) noexcept;

private:
    std::optional<PlatformGain> gainOf (Platform platform, std::optional<float> integratedLufs, float truePeakDb) const noexcept;

    MonitorTranslation translationStage;
    std::atomic<Platform> previewPlatform { Platform::none };
    std::atomic<double> customLufs { -14.0 }, customCeiling { -1.0 };
    std::atomic<float> comparisonGainDb { 0.0f };
    dsp::LinearSmoother platformGainSmoother;
    std::unique_ptr<dsp::TruePeakLimiter> loudLimiter;
};

} // namespace crest::live
