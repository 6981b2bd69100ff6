#pragma once

// The streaming platforms' loudness normalisation, as one small table, and the gain each would
// apply to a master. Used by the player's platform preview (monitor path only) and by the meter
// bridge, which draws each platform's loudness and peak targets.
//
// Where the figures come from (checked against /work/shared/DESIGN.md, "Platform normalisation"):
//   Spotify      -14 LUFS; positive gain only as far as the true peak stays at or under -1 dBTP;
//                "Loud" mode -11 LUFS with a limiter (Spotify for Artists, "Loudness
//                normalization": limiter engaging at -1 dB, 5 ms attack, 100 ms decay).
//                Mastering advice -1 dBTP, -2 dBTP when louder than -14 LUFS.
//   Apple Music  -16 LUFS, Sound Check. Apple does not publish a headroom rule; we model it as
//                DESIGN.md and the brief describe it: no positive gain beyond the headroom to
//                -1 dBTP (the same rule as Spotify's normal mode).
//   YouTube      -14 LUFS, turns loud uploads down, never up.
//   Tidal        -14 LUFS. Tidal does not boost quiet material: turn-down only.
//   Amazon Music -14 LUFS, advice -2 dBTP. No published positive-gain rule: turn-down only.
//   Deezer       -15 LUFS. No published positive-gain rule: turn-down only.
//   Custom       the user's target and ceiling; positive gain limited by the ceiling.
// "Turn-down only" for the last three is our assumption where a platform publishes none: a
// preview must not promise gain the platform may not give.

#include <optional>
#include <string>
#include <vector>

namespace crest::live
{

/** A platform whose playback normalisation can be previewed. */
enum class Platform
{
    none, ///< no preview: the master as it is
    spotify,
    spotifyLoud, ///< Spotify's "Loud" setting
    appleMusic,
    youTube,
    tidal,
    amazonMusic,
    deezer,
    custom
};

/** One platform's rule. */
struct PlatformRule
{
    Platform platform = Platform::none;
    std::string name; ///< as shown to the user, e.g. "Spotify (Loud)"
    std::string key; ///< as typed on a command line, e.g. "spotify-loud"
    double targetLufs = -14.0; ///< integrated loudness the platform normalises to
    bool positiveGain = false; ///< may it turn quiet masters up?
    double headroomDbtp = -1.0; ///< positive gain stops where the true peak would pass this
    bool limiter = false; ///< a limiter catches the peaks instead (Spotify Loud)
    double limiterCeilingDb = -1.0; ///< where that limiter engages
    double adviceDbtp = -1.0; ///< the true-peak ceiling the platform advises masters to keep
    std::string source; ///< where the figures come from
};

/** Every platform rule, in menu order (none first, custom last with -14 LUFS / -1 dBTP). */
const std::vector<PlatformRule>& platformRules();

/** The rule of a platform. */
const PlatformRule& platformRule (Platform platform);

/** The true-peak ceiling a platform advises for a master of this loudness: the rule's
    adviceDbtp, except Spotify's -2 dBTP for masters louder than -14 LUFS (their encoder
    adds more inter-sample peaks to loud masters). */
double advisedCeilingDbtp (const PlatformRule& rule, double integratedLufs) noexcept;

/** The platform with a key ("spotify", "spotify-loud", "apple", "youtube", "tidal", "amazon",
    "deezer", "custom", "none"), if any. */
std::optional<Platform> platformFromKey (const std::string& key);

/** What a platform would do to a master. */
struct PlatformGain
{
    double gainDb = 0.0; ///< the gain applied
    bool limited = false; ///< positive gain was refused (turn-down-only platform) or cut short by the headroom rule
    bool limiterEngages = false; ///< (Spotify Loud) the gain pushes true peaks over the limiter's ceiling
    double resultingLufs = 0.0; ///< the master's loudness after the gain
    double resultingPeakDbtp = 0.0; ///< its true peak after the gain (before any limiter)
};

/** The gain a platform applies to a master of a given integrated loudness and true peak.
    `rule` may be a custom rule (targetLufs/headroomDbtp set by the user). */
PlatformGain platformGain (const PlatformRule& rule, double integratedLufs, double truePeakDbtp) noexcept;

/** The same rule as plain numbers (what the audio thread uses: no strings, no allocation). */
PlatformGain platformGain (double targetLufs, bool positiveGain, double headroomDbtp, bool limiter, double limiterCeilingDb,
    double integratedLufs, double truePeakDbtp) noexcept;

} // namespace crest::live
