#pragma once

// Every module-type ID and parameter ID, declared once.
//
// Design note: these strings are a file format (chain files, session files, `crest render
// --set`, `crest modules`), so each is written here and nowhere else. The modules declare their
// parameters with them, the registry names the types with them, and the session editor, the
// CLI and the app refer to them by these names; a typo is then a compile error, not a silently
// missing control. Per-band parameters ("band3_gain_db") are built from a band number and a
// suffix by band(); crossovers by crossover().
//
// Plain constants only: nothing here allocates except the two builders, and nothing here is
// for the audio thread.

#include <string>

namespace crest::engine::ids
{

/** A per-band parameter's ID from a 0-based band and its suffix: band (2, "gain_db") is
    "band3_gain_db". */
std::string band (int band, const char* suffix);

/** A crossover's ID from its 0-based index: crossover (1) is "crossover2_hz". */
std::string crossover (int index);

/** The module types, as chain files and `crest modules` name them. */
namespace types
{
    inline constexpr const char* equaliser = "equaliser";
    inline constexpr const char* compressor = "compressor";
    inline constexpr const char* multiband = "multiband";
    inline constexpr const char* imager = "imager";
    inline constexpr const char* saturation = "saturation";
    inline constexpr const char* limiter = "limiter";
    inline constexpr const char* utility = "utility";
    /** A third-party plugin (LV2 or VST3): not in moduleTypes(); see engine/PluginSlots.h. */
    inline constexpr const char* plugin = "plugin";
} // namespace types

/** Third-party plugin formats, as chain files name them. */
namespace pluginFormats
{
    inline constexpr const char* lv2 = "lv2";
    inline constexpr const char* vst3 = "vst3";
} // namespace pluginFormats

/** The equaliser's parameters: eight bands of band (b, suffix), then two for the whole module. */
namespace equaliser
{
    inline constexpr int bands = 8;
    // Per-band suffixes, in declaration order.
    inline constexpr const char* bandType = "type";
    inline constexpr const char* frequency = "freq_hz";
    inline constexpr const char* gain = "gain_db";
    inline constexpr const char* q = "q";
    inline constexpr const char* slope = "slope_db_oct";
    inline constexpr const char* channel = "channel";
    inline constexpr const char* dynamic = "dynamic";
    inline constexpr const char* threshold = "threshold_db";
    inline constexpr const char* ratio = "ratio";
    inline constexpr const char* attack = "attack_ms";
    inline constexpr const char* release = "release_ms";
    // The whole module.
    inline constexpr const char* linearPhase = "linear_phase";
    inline constexpr const char* outputGain = "output_gain_db";
} // namespace equaliser

/** The compressor's parameters. */
namespace compressor
{
    inline constexpr const char* threshold = "threshold_db";
    inline constexpr const char* ratio = "ratio";
    inline constexpr const char* knee = "knee_db";
    inline constexpr const char* attack = "attack_ms";
    inline constexpr const char* release = "release_ms";
    inline constexpr const char* autoRelease = "auto_release";
    inline constexpr const char* makeup = "makeup_db";
    inline constexpr const char* detection = "detection";
    inline constexpr const char* stereoLink = "stereo_link_pct";
    inline constexpr const char* mode = "mode";
    inline constexpr const char* sidechainHighPass = "sidechain_hpf_hz";
    inline constexpr const char* mix = "mix_pct";
} // namespace compressor

/** The multiband compressor's parameters: crossover (0..2), the shared ones, then four bands of
    band (b, suffix). */
namespace multiband
{
    inline constexpr int bands = 4;
    inline constexpr const char* bandCount = "bands";
    inline constexpr const char* linearPhase = "linear_phase";
    inline constexpr const char* knee = "knee_db";
    inline constexpr const char* detection = "detection";
    inline constexpr const char* autoRelease = "auto_release";
    inline constexpr const char* stereoLink = "stereo_link_pct";
    inline constexpr const char* mode = "mode";
    inline constexpr const char* mix = "mix_pct";
    // Per-band suffixes, in declaration order.
    inline constexpr const char* threshold = "threshold_db";
    inline constexpr const char* ratio = "ratio";
    inline constexpr const char* attack = "attack_ms";
    inline constexpr const char* release = "release_ms";
    inline constexpr const char* makeup = "makeup_db";
    inline constexpr const char* solo = "solo";
    inline constexpr const char* bypass = "bypass";
} // namespace multiband

/** The stereo imager's parameters: crossover (0..2) and band (b, width) besides these. */
namespace imager
{
    inline constexpr int bands = 4;
    inline constexpr const char* bandCount = "bands";
    inline constexpr const char* balance = "mid_side_balance_db";
    inline constexpr const char* monoBelow = "mono_below";
    inline constexpr const char* monoBelowFrequency = "mono_below_hz";
    // Per-band suffix.
    inline constexpr const char* width = "width_pct";
} // namespace imager

/** The saturation's parameters. */
namespace saturation
{
    inline constexpr const char* character = "character";
    inline constexpr const char* drive = "drive_db";
    inline constexpr const char* mix = "mix_pct";
    inline constexpr const char* output = "output_db";
} // namespace saturation

/** The limiter's parameters. */
namespace limiter
{
    inline constexpr const char* inputGain = "input_gain_db";
    inline constexpr const char* ceiling = "ceiling_dbtp";
    inline constexpr const char* lookahead = "lookahead_ms";
    inline constexpr const char* release = "release_ms";
    inline constexpr const char* autoRelease = "auto_release";
    inline constexpr const char* stereoUnlink = "stereo_unlink_pct";
} // namespace limiter

/** The utility's parameters. */
namespace utility
{
    inline constexpr const char* gain = "gain_db";
    inline constexpr const char* invertLeft = "invert_left";
    inline constexpr const char* invertRight = "invert_right";
    inline constexpr const char* swapChannels = "swap_channels";
    inline constexpr const char* mono = "mono";
    inline constexpr const char* dcFilter = "dc_filter";
} // namespace utility

} // namespace crest::engine::ids
