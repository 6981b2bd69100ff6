#include "live/PlatformTargets.h"

#include <algorithm>

namespace crest::live
{

const std::vector<PlatformRule>& platformRules()
{
    // Figures: /work/shared/DESIGN.md "Platform normalisation"; Spotify's from Spotify for
    // Artists ("Loudness normalization"); see the header for each rule's reasoning.
    static const std::vector<PlatformRule> rules {
        { Platform::none, "Off", "none", 0.0, false, 0.0, false, 0.0, -1.0, "no normalisation" },
        { Platform::spotify, "Spotify", "spotify", -14.0, true, -1.0, false, -1.0, -1.0,
            "Spotify: -14 LUFS; positive gain only while the true peak stays at or under -1 dBTP" },
        { Platform::spotifyLoud, "Spotify (Loud)", "spotify-loud", -11.0, true, -1.0, true, -1.0, -1.0,
            "Spotify Loud: -11 LUFS whatever the peak, with a limiter at -1 dB (5 ms attack, 100 ms decay)" },
        { Platform::appleMusic, "Apple Music", "apple", -16.0, true, -1.0, false, -1.0, -1.0,
            "Apple Music Sound Check: -16 LUFS; no positive gain beyond the headroom to -1 dBTP" },
        { Platform::youTube, "YouTube", "youtube", -14.0, false, -1.0, false, -1.0, -1.0,
            "YouTube: -14 LUFS, turns loud uploads down only" },
        { Platform::tidal, "Tidal", "tidal", -14.0, false, -1.0, false, -1.0, -1.0, "Tidal: -14 LUFS, turn-down only" },
        { Platform::amazonMusic, "Amazon Music", "amazon", -14.0, false, -2.0, false, -2.0, -2.0,
            "Amazon Music: -14 LUFS, -2 dBTP advised; turn-down only (no published positive-gain rule)" },
        { Platform::deezer, "Deezer", "deezer", -15.0, false, -1.0, false, -1.0, -1.0,
            "Deezer: -15 LUFS; turn-down only (no published positive-gain rule)" },
        { Platform::custom, "Custom", "custom", -14.0, true, -1.0, false, -1.0, -1.0,
            "your target; positive gain limited by your ceiling" },
    };
    return rules;
}

const PlatformRule& platformRule (Platform platform)
{
    for (const auto& rule : platformRules())
        if (rule.platform == platform)
            return rule;
    return platformRules().front();
}

double advisedCeilingDbtp (const PlatformRule& rule, double integratedLufs) noexcept
{
    const bool spotify = rule.platform == Platform::spotify || rule.platform == Platform::spotifyLoud;
    return spotify && integratedLufs > -14.0 ? -2.0 : rule.adviceDbtp;
}

std::optional<Platform> platformFromKey (const std::string& key)
{
    for (const auto& rule : platformRules())
        if (rule.key == key)
            return rule.platform;
    return std::nullopt;
}

PlatformGain platformGain (const PlatformRule& rule, double integratedLufs, double truePeakDbtp) noexcept
{
    if (rule.platform == Platform::none)
        return { 0.0, false, false, integratedLufs, truePeakDbtp };
    return platformGain (
        rule.targetLufs, rule.positiveGain, rule.headroomDbtp, rule.limiter, rule.limiterCeilingDb, integratedLufs, truePeakDbtp);
}

PlatformGain platformGain (double targetLufs, bool positiveGain, double headroomDbtp, bool limiter, double limiterCeilingDb,
    double integratedLufs, double truePeakDbtp) noexcept
{
    PlatformGain result;
    double gain = targetLufs - integratedLufs;
    if (gain > 0.0)
    {
        if (! positiveGain)
        {
            gain = 0.0;
            result.limited = true;
        }
        else if (! limiter)
        {
            // Positive gain only into the headroom above the true peak (never negative here:
            // a master already over the limit is simply not turned up).
            const double headroom = std::max (0.0, headroomDbtp - truePeakDbtp);
            if (gain > headroom)
            {
                gain = headroom;
                result.limited = true;
            }
        }
    }
    result.limiterEngages = limiter && truePeakDbtp + gain > limiterCeilingDb;
    result.gainDb = gain;
    result.resultingLufs = integratedLufs + gain;
    result.resultingPeakDbtp = truePeakDbtp + gain;
    return result;
}

} // namespace crest::live
