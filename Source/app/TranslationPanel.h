#pragma once

// Translation checks and platform preview.
//
// Design note: everything this panel turns on lives on the monitor path after the master (a
// playback-system simulation, a platform's normalisation gain): it changes what is heard, never
// what is rendered or exported. The panel only sets the player's monitor options and reads back
// the gain the player applies.

#include "app/Workstation.h"

namespace crest::app
{

/** Translation checks and platform preview, both on the monitor path only (never rendered):
    one button per playback-system simulation with its documented filter drawn, level matching,
    and the platform whose targets the meters draw, with "preview" to hear its normalisation and
    the gain it would apply. */
class TranslationPanel : public juce::Component, private juce::Timer
{
public:
    explicit TranslationPanel (Workstation&);

    /** Selects a simulation (Translation::off for none), as its button does. */
    void choose (live::Translation);

    void paint (juce::Graphics&) override;
    void resized() override;

private:
    void timerCallback() override;
    void applyPlatform();
    juce::String platformGainText() const;

    Workstation& workstation;
    juce::OwnedArray<juce::TextButton> translationButtons;
    juce::ToggleButton levelMatch { "Level-matched" }, preview { "Preview the platform's normalisation" };
    juce::ComboBox platformBox;
    juce::Slider customLufs, customCeiling;
    juce::Rectangle<int> responseArea;
};

} // namespace crest::app
