#include "app/ChainPresets.h"

#include "app/Workstation.h"

namespace crest::app
{

juce::Array<juce::File> bundledPresetFolders()
{
    const auto exe = juce::File::getSpecialLocation (juce::File::currentExecutableFile);
    juce::Array<juce::File> folders { exe.getParentDirectory().getSiblingFile ("presets"),
        exe.getParentDirectory().getParentDirectory().getChildFile ("share/crest/presets") };
#ifdef CREST_PRESETS_DIR
    folders.add (juce::File (CREST_PRESETS_DIR));
#endif
    return folders;
}

juce::File userPresetFolder()
{
    return Workstation::dataFolder().getChildFile ("presets");
}

std::vector<ChainPreset> chainPresets()
{
    std::vector<ChainPreset> presets;
    auto add = [&presets] (const juce::File& folder, bool user)
    {
        auto files = folder.findChildFiles (juce::File::findFiles, false, "*.json");
        files.sort();
        for (const auto& f : files)
        {
            auto name = f.getFileNameWithoutExtension().replaceCharacter ('-', ' ');
            presets.push_back ({ f, name.substring (0, 1).toUpperCase() + name.substring (1), user });
        }
        return ! files.isEmpty();
    };
    for (const auto& folder : bundledPresetFolders())
        if (add (folder, false))
            break;
    add (userPresetFolder(), true);
    return presets;
}

} // namespace crest::app
