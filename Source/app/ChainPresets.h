#pragma once

// Chain presets: the bundled ones (Resources/presets, installed beside the program) and the
// user's own (saved from the chain strip into the data folder's presets/). A preset is a
// crest-chain file (engine::ChainFile), the same format `crest render --chain` takes.

#include <juce_core/juce_core.h>

namespace crest::app
{

/** One preset file and the name shown for it ("gentle-master" -> "Gentle master"). */
struct ChainPreset
{
    juce::File file;
    juce::String name;
    bool user = false; ///< saved by the user (not bundled)
};

/** The folders bundled presets may be in: ../presets beside the executable's folder (a build
    or an install), share/crest/presets of an install, then the source tree's, fixed at build time. */
juce::Array<juce::File> bundledPresetFolders();

/** Where the user's presets are saved (Workstation::dataFolder()/presets). */
juce::File userPresetFolder();

/** Every preset found: the bundled ones of the first folder that has any, then the user's,
    each list sorted by name. */
std::vector<ChainPreset> chainPresets();

} // namespace crest::app
