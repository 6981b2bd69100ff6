#pragma once

// Help > Keyboard: every shortcut the window answers, grouped by what it drives. The table
// here is what the user reads; the handlers are MainComponent::keyPressed (menus, Ctrl keys),
// TransportBar::handleKey and ReferencePanel::handleKey. Keep the three in step.

#include <juce_gui_basics/juce_gui_basics.h>

namespace crest::app
{

/** One shortcut as the help lists it. */
struct Shortcut
{
    const char* group;
    const char* keys;
    const char* action;
};

/** Every shortcut, in the order shown. */
const std::vector<Shortcut>& keyboardShortcuts();

/** The help page: the table in two columns of groups. */
class KeyboardHelp : public juce::Component
{
public:
    KeyboardHelp();
    void paint (juce::Graphics&) override;
};

} // namespace crest::app
