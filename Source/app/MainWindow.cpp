#include "app/MainWindow.h"

namespace crest::app
{

MainComponent::MainComponent()
{
    setSize (960, 600);
}

void MainComponent::paint (juce::Graphics& g)
{
    const auto background = juce::Colour (0xff14171c);
    g.fillAll (background);

    auto area = getLocalBounds().reduced (40);
    g.setColour (juce::Colour (0xffe8eaed));
    g.setFont (juce::Font (64.0f, juce::Font::bold));
    g.drawText ("Crest", area.removeFromTop (120), juce::Justification::centredLeft);

    g.setColour (juce::Colour (0xff9aa0a6));
    g.setFont (juce::Font (22.0f));
    g.drawText ("Mastering workstation  -  version " CREST_VERSION, area.removeFromTop (40), juce::Justification::centredLeft);

    g.setFont (juce::Font (16.0f));
    g.drawText ("Measure a mix from the command line: crest analyze FILE, crest check FILE",
                area.removeFromTop (40), juce::Justification::centredLeft);
}

MainWindow::MainWindow (const juce::String& name)
    : DocumentWindow (name, juce::Colour (0xff14171c), DocumentWindow::allButtons)
{
    setUsingNativeTitleBar (true);
    setContentOwned (new MainComponent(), true);
    setResizable (true, true);
    centreWithSize (getWidth(), getHeight());
    setVisible (true);
}

void MainWindow::closeButtonPressed()
{
    juce::JUCEApplication::getInstance()->systemRequestedQuit();
}

} // namespace crest::app
