#include "app/RecoveryPrompt.h"

#include "app/CrestLookAndFeel.h"

namespace crest::app
{

RecoveryPrompt::RecoveryPrompt (const session::Recovery& recovery, const std::vector<std::string>& differences)
{
    setName ("RecoveryPrompt");
    const auto when = juce::Time (recovery.writtenMs);
    const auto name
        = recovery.sessionPath.empty() ? juce::String ("an unsaved session") : juce::File (recovery.sessionPath).getFileName();
    heading = "Crest did not close cleanly. Edits to " + name + " were kept at " + when.toString (true, true, true, true)
        + " and can be restored"
        + (recovery.sessionPath.empty() ? juce::String() : " (" + juce::String (recovery.sessionPath) + ")") + ".";
    for (const auto& line : differences)
        lines.add (line);
    if (lines.isEmpty())
        lines.add ("(the same as the saved file)");
    restoreButton.setTooltip ("Open the session as it was at " + when.toString (false, true, false) + ", as one undoable step");
    discardButton.setTooltip ("Remove the recovery file and keep the session as it is on disk");
    restoreButton.onClick = [this]
    {
        if (onRestore)
            onRestore();
    };
    discardButton.onClick = [this]
    {
        if (onDiscard)
            onDiscard();
    };
    addAndMakeVisible (restoreButton);
    addAndMakeVisible (discardButton);
    setSize (640, juce::jlimit (260, 560, 190 + 22 * lines.size()));
}

void RecoveryPrompt::paint (juce::Graphics& g)
{
    g.fillAll (palette::panel);
    auto area = drawPanel (g, getLocalBounds().reduced (8), "Restore unsaved edits?").reduced (12, 4);
    g.setColour (palette::text);
    g.setFont (fonts::label (15.0f));
    g.drawFittedText (heading, area.removeFromTop (60), juce::Justification::topLeft, 3, 1.0f);
    g.setColour (palette::textDim);
    g.setFont (fonts::label (13.0f));
    g.drawText ("What restoring changes:", area.removeFromTop (22), juce::Justification::centredLeft);
    g.setFont (juce::Font (juce::Font::getDefaultMonospacedFontName(), 13.0f, juce::Font::plain));
    g.setColour (palette::text);
    area.removeFromBottom (48);
    for (const auto& line : lines)
    {
        if (area.getHeight() < 20)
            break;
        g.drawFittedText (line, area.removeFromTop (22).withTrimmedLeft (10), juce::Justification::centredLeft, 1, 0.85f);
    }
}

void RecoveryPrompt::resized()
{
    auto row = getLocalBounds().reduced (24, 20).removeFromBottom (32);
    restoreButton.setBounds (row.removeFromRight (120));
    row.removeFromRight (10);
    discardButton.setBounds (row.removeFromRight (120));
}

} // namespace crest::app
