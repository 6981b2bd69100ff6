#pragma once

#include <juce_gui_basics/juce_gui_basics.h>

namespace crest::app
{

/** The first view of the workstation: the application's name and version. The meter bridge,
    chain editor and album view arrive in later issues; this window is their frame. */
class MainComponent : public juce::Component
{
public:
    MainComponent();

    void paint (juce::Graphics&) override;
};

/** The main document window. Closing it quits the application. */
class MainWindow : public juce::DocumentWindow
{
public:
    explicit MainWindow (const juce::String& name);

    void closeButtonPressed() override;
};

} // namespace crest::app
