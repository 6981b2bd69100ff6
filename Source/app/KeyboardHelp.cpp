#include "app/KeyboardHelp.h"

#include "app/CrestLookAndFeel.h"

namespace crest::app
{

const std::vector<Shortcut>& keyboardShortcuts()
{
    static const std::vector<Shortcut> table {
        { "Transport", "Space", "Play / pause" },
        { "Transport", "Esc", "Stop and return to the start" },
        { "Transport", "Home / End", "Go to the start / the end of the album" },
        { "Transport", "Left / Right", "Back / forward 5 s (with Shift: 1 s)" },
        { "Transport", "Up / Down", "Previous / next track" },
        { "Transport", "1 ... 9", "Jump to track 1 ... 9" },
        { "Transport", "L", "Loop the track playing on / off" },
        { "Listening", "B", "Before / after (the mix, level-matched)" },
        { "Listening", "R", "Master / reference (A/B)" },
        { "Listening", "C", "Version / working state (loudness-matched)" },
        { "Album", "N", "Note at the play head (Notes page)" },
        { "Session", "Ctrl+N", "New session" },
        { "Session", "Ctrl+O", "Open a session" },
        { "Session", "Ctrl+S", "Save (asks for a file only once)" },
        { "Session", "Ctrl+Shift+S", "Save as" },
        { "Session", "Ctrl+W", "Close the session" },
        { "Session", "Ctrl+I", "Add tracks from files" },
        { "Session", "Ctrl+E", "Export deliverables" },
        { "Session", "Ctrl+Q", "Quit" },
        { "Edit", "Ctrl+Z", "Undo" },
        { "Edit", "Ctrl+Shift+Z, Ctrl+Y", "Redo" },
        { "View", "Ctrl+1 ... Ctrl+4", "Tabs: Module, Album, References, Translation" },
        { "View", "Ctrl+M", "Show / hide the meters and spectrum" },
        { "View", "Ctrl+Shift+M", "Meter bridge in its own window / back beside the editors" },
        { "View", "F1", "This list" },
    };
    return table;
}

KeyboardHelp::KeyboardHelp()
{
    setName ("KeyboardHelp");
    setSize (1000, 560);
}

void KeyboardHelp::paint (juce::Graphics& g)
{
    g.fillAll (palette::panel);
    auto area = drawPanel (g, getLocalBounds().reduced (8), "Keyboard shortcuts").reduced (16, 6);
    const int rowHeight = 22;
    juce::String group;
    auto left = area.removeFromLeft (area.getWidth() / 2).withTrimmedRight (12);
    auto* column = &left;
    for (const auto& s : keyboardShortcuts())
    {
        if (group != s.group)
        {
            group = s.group;
            // Start a new column when this group would not fit in the first.
            int count = 0;
            for (const auto& t : keyboardShortcuts())
                count += group == t.group ? 1 : 0;
            if (column == &left && left.getHeight() < (count + 2) * rowHeight)
                column = &area;
            column->removeFromTop (column->getY() > getY() + 60 ? 10 : 0);
            g.setColour (palette::accent);
            g.setFont (fonts::label (14.0f).boldened());
            g.drawText (group.toUpperCase(), column->removeFromTop (rowHeight), juce::Justification::centredLeft);
        }
        auto row = column->removeFromTop (rowHeight);
        g.setColour (palette::text);
        g.setFont (juce::Font (juce::Font::getDefaultMonospacedFontName(), 13.5f, juce::Font::bold));
        g.drawText (s.keys, row.removeFromLeft (180), juce::Justification::centredLeft);
        g.setColour (palette::textDim);
        g.setFont (fonts::label (14.0f));
        g.drawFittedText (s.action, row, juce::Justification::centredLeft, 1, 0.8f);
    }
}

} // namespace crest::app
