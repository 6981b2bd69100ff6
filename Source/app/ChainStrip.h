#pragma once

#include "app/Workstation.h"

#include <juce_gui_basics/juce_gui_basics.h>

namespace crest::app
{

class ChainStrip;

/** One module of the chain in the strip: its name, a bypass switch, a remove button and a small
    gain-reduction bar. Click to open its editor; drag sideways to move it in the chain. */
class ModuleSlot : public juce::Component, public juce::SettableTooltipClient
{
public:
    ModuleSlot (ChainStrip&, Workstation&, const engine::ModuleDescription&);

    const std::string moduleId;

    void setReduction (float decibels);

    /** Shows whether this module's change is soloed. */
    void showSolo (bool soloed);
    void paint (juce::Graphics&) override;
    void resized() override;
    void mouseDown (const juce::MouseEvent&) override;
    void mouseDrag (const juce::MouseEvent&) override;
    void mouseUp (const juce::MouseEvent&) override;

private:
    ChainStrip& strip;
    Workstation& workstation;
    juce::String title, badge; // badge: a plugin's format ("LV2"), empty for Crest's modules
    bool bypassed, missing = false;
    float reduction = 0.0f;
    juce::TextButton bypassButton { "Bypass" }, soloButton { "S" }, removeButton { "x" };
};

/** The chain as a strip of slots in processing order, with "add module", before/after compare
    and a note on solo-the-change. */
class ChainStrip : public juce::Component, private juce::ChangeListener
{
public:
    explicit ChainStrip (Workstation&);
    ~ChainStrip() override;

    /** Rebuilds the slots from the session's chain. */
    void rebuild();

    /** Switches between the master and the unprocessed mix (key B), loudness-matched. */
    void toggleCompare();

    /** Live gain reduction into the slots (the meter clock calls this). */
    void refreshLive();

    /** A slot is being dragged to x (strip coordinates); finished says it was dropped there. */
    void slotDragged (ModuleSlot&, int x, bool finished);

    void paint (juce::Graphics&) override;
    void resized() override;

private:
    void changeListenerCallback (juce::ChangeBroadcaster*) override;
    int positionForX (int x) const;
    void showPresetMenu();

    Workstation& workstation;
    std::vector<std::unique_ptr<ModuleSlot>> slots;
    juce::TextButton addButton { "+ Add module" }, presetButton { "Presets..." }, compareButton { "Before / after" };
    std::unique_ptr<juce::FileChooser> chooser;
    juce::Label soloNote;
    int dropIndicatorX = -1;
    int shownSlotWidth = 204; // narrower when many slots share the strip
    uint64_t shownRevision = ~uint64_t (0);
};

} // namespace crest::app
