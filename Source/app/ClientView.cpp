#include "app/ClientView.h"

#include "app/CrestLookAndFeel.h"
#include "app/Workstation.h"
#include "session/SessionEditor.h"

#include <type_traits>

namespace crest::app
{

// The client view holds no edit path: it cannot be made from anything that can edit.
static_assert (std::is_constructible_v<ClientView, const live::ClientFeed&>);
static_assert (! std::is_constructible_v<ClientView, Workstation&>);
static_assert (! std::is_constructible_v<ClientView, session::SessionEditor&>);
static_assert (! std::is_constructible_v<ClientView, session::Session&>);
static_assert (! std::is_default_constructible_v<ClientView>);

ClientView::ClientView (const live::ClientFeed& feed) : viewModel (feed)
{
    setName ("ClientView");
    setWantsKeyboardFocus (false);
    setInterceptsMouseClicks (false, false);
    refresh();
    startTimerHz (10);
}

void ClientView::refresh (const std::string& time)
{
    viewModel.refresh (time.empty() ? juce::Time::getCurrentTime().formatted ("%H:%M:%S").toStdString() : time);
    repaint();
}

juce::StringArray ClientView::editableChildren() const
{
    juce::StringArray found;
    std::function<void (const juce::Component&)> visit = [&] (const juce::Component& c)
    {
        for (auto* child : c.getChildren())
        {
            if (dynamic_cast<juce::Button*> (child) != nullptr || dynamic_cast<juce::TextEditor*> (child) != nullptr
                || dynamic_cast<juce::Slider*> (child) != nullptr || dynamic_cast<juce::ComboBox*> (child) != nullptr
                || dynamic_cast<juce::ListBox*> (child) != nullptr || child->getWantsKeyboardFocus())
                found.add (child->getName().isEmpty() ? juce::String ("(unnamed)") : child->getName());
            visit (*child);
        }
    };
    visit (*this);
    if (getWantsKeyboardFocus())
        found.add (getName());
    return found;
}

void ClientView::paint (juce::Graphics& g)
{
    g.fillAll (palette::background);
    const auto& m = viewModel;
    auto area = getLocalBounds().reduced (juce::jmax (16, getWidth() / 60), juce::jmax (12, getHeight() / 50));
    const float scale = juce::jlimit (0.7f, 2.0f, juce::jmin ((float) getHeight() / 640.0f, (float) getWidth() / 1100.0f));

    // Left: what is playing, what is heard, the loudness. Right: the running order and the log.
    auto left = area.removeFromLeft (area.getWidth() * 55 / 100);
    area.removeFromLeft (juce::roundToInt (24 * scale));
    auto right = area;

    auto caption = [&] (juce::Rectangle<int>& column, const juce::String& text)
    {
        g.setColour (palette::textDim);
        g.setFont (fonts::label (15.0f * scale));
        g.drawText (text.toUpperCase(), column.removeFromTop (juce::roundToInt (22 * scale)), juce::Justification::bottomLeft);
    };

    caption (left, "Playing");
    g.setColour (palette::text);
    g.setFont (fonts::figure (52.0f * scale));
    g.drawFittedText (m.trackText, left.removeFromTop (juce::roundToInt (64 * scale)), juce::Justification::centredLeft, 1, 0.7f);
    g.setFont (fonts::figure (84.0f * scale));
    g.setColour (palette::accent);
    g.drawText (m.positionText, left.removeFromTop (juce::roundToInt (96 * scale)), juce::Justification::centredLeft);
    left.removeFromTop (juce::roundToInt (10 * scale));

    caption (left, "Heard");
    g.setColour (palette::loudness);
    g.setFont (fonts::figure (34.0f * scale));
    g.drawFittedText (m.heardText, left.removeFromTop (juce::roundToInt (120 * scale)), juce::Justification::topLeft, 3, 0.8f);
    left.removeFromTop (juce::roundToInt (10 * scale));

    caption (left, "Loudness");
    auto figures = left.removeFromTop (juce::roundToInt (110 * scale));
    auto pair = [&] (juce::Rectangle<int> box, const juce::String& label, const juce::String& value)
    {
        g.setColour (palette::panelRaised);
        g.fillRoundedRectangle (box.reduced (4).toFloat(), 6.0f);
        box = box.reduced (14, 8);
        g.setColour (palette::textDim);
        g.setFont (fonts::label (15.0f * scale));
        g.drawText (label, box.removeFromTop (juce::roundToInt (22 * scale)), juce::Justification::centredLeft);
        g.setColour (palette::text);
        g.setFont (fonts::figure (44.0f * scale));
        g.drawFittedText (value, box, juce::Justification::centredLeft, 1, 0.7f);
    };
    pair (figures.removeFromLeft (figures.getWidth() / 2), "Integrated", m.integratedText);
    pair (figures, "Short-term", m.shortTermText);
    g.setColour (palette::target);
    g.setFont (fonts::label (20.0f * scale));
    g.drawFittedText (
        m.targetText, left.removeFromTop (juce::roundToInt (40 * scale)), juce::Justification::centredLeft, 1, 0.8f);

    // The running order, each track's approved state.
    caption (right, "Running order");
    const int rowH = juce::roundToInt (30 * scale);
    const int orderRows = juce::jmin ((int) m.runningOrder.size(), juce::jmax (1, (right.getHeight() / 2) / rowH));
    for (int i = 0; i < orderRows; ++i)
    {
        const auto& line = m.runningOrder[(size_t) i];
        auto row = right.removeFromTop (rowH);
        if (line.playing)
        {
            g.setColour (palette::accent.withAlpha (0.18f));
            g.fillRect (row);
        }
        g.setColour (line.playing ? palette::accent : palette::text);
        g.setFont (fonts::label (19.0f * scale));
        g.drawFittedText (juce::String (line.number) + "  " + line.title,
            row.removeFromLeft (row.getWidth() * 42 / 100).reduced (6, 0), juce::Justification::centredLeft, 1, 0.8f);
        g.setColour (line.approved ? palette::loudness : palette::textDim);
        g.setFont (fonts::label (16.0f * scale));
        g.drawFittedText (line.state, row.reduced (6, 0), juce::Justification::centredRight, 1, 0.8f);
    }
    if (orderRows < (int) m.runningOrder.size())
    {
        g.setColour (palette::textDim);
        g.setFont (fonts::label (15.0f * scale));
        g.drawText ("and " + juce::String ((int) m.runningOrder.size() - orderRows) + " more", right.removeFromTop (rowH),
            juce::Justification::centredLeft);
    }
    right.removeFromTop (juce::roundToInt (14 * scale));

    // What the engineer changed, newest first.
    caption (right, "Changes, newest first");
    const int logH = juce::roundToInt (26 * scale);
    if (m.log().empty())
    {
        g.setColour (palette::textDim);
        g.setFont (fonts::label (17.0f * scale));
        g.drawText ("No changes yet in this sitting", right.removeFromTop (logH), juce::Justification::centredLeft);
    }
    for (size_t i = 0; i < m.log().size() && right.getHeight() >= logH; ++i)
    {
        const auto& entry = m.log()[i];
        auto row = right.removeFromTop (logH);
        g.setColour (palette::textDim);
        g.setFont (fonts::figure (16.0f * scale));
        g.drawText (entry.time, row.removeFromLeft (juce::roundToInt (90 * scale)), juce::Justification::centredLeft);
        g.setColour (i == 0 ? palette::text : palette::text.withAlpha (0.75f));
        g.setFont (fonts::label (18.0f * scale));
        g.drawFittedText (entry.text, row, juce::Justification::centredLeft, 1, 0.75f);
    }
}

ClientWindow::ClientWindow (const live::ClientFeed& feed)
    : juce::DocumentWindow ("Crest - client view", palette::background, juce::DocumentWindow::allButtons)
{
    content = new ClientView (feed);
    content->setSize (1280, 720);
    setContentOwned (content, true);
    setUsingNativeTitleBar (true);
    setResizable (true, false);
}

void ClientWindow::placeOnDisplays()
{
    const auto& displays = juce::Desktop::getInstance().getDisplays();
    const auto* primary = displays.getPrimaryDisplay();
    for (const auto& display : displays.displays)
        if (primary == nullptr || display.userArea != primary->userArea)
        {
            setBounds (display.userArea);
            setVisible (true);
            setFullScreen (true);
            return;
        }
    centreWithSize (juce::jmin (1280, getParentMonitorArea().getWidth()), juce::jmin (720, getParentMonitorArea().getHeight()));
    setVisible (true);
}

} // namespace crest::app
