#include "app/CrestLookAndFeel.h"

#include <cmath>
#include <cstdio>

namespace crest::app
{

juce::Font fonts::figure (float height)
{
    return juce::Font (juce::Font::getDefaultSansSerifFontName(), height, juce::Font::bold);
}

juce::Font fonts::label (float height)
{
    return juce::Font (juce::Font::getDefaultSansSerifFontName(), height, juce::Font::plain);
}

CrestLookAndFeel::CrestLookAndFeel()
{
    using namespace palette;
    setColourScheme ({ background, panel, panelRaised, outline, text, accent, text, panelRaised, text });

    setColour (juce::ResizableWindow::backgroundColourId, background);
    setColour (juce::DocumentWindow::textColourId, text);
    setColour (juce::Label::textColourId, text);
    setColour (juce::TextButton::buttonColourId, panelRaised);
    setColour (juce::TextButton::buttonOnColourId, accent.withAlpha (0.85f));
    setColour (juce::TextButton::textColourOffId, text);
    setColour (juce::TextButton::textColourOnId, background);
    setColour (juce::ToggleButton::textColourId, text);
    setColour (juce::ToggleButton::tickColourId, accent);
    setColour (juce::Slider::rotarySliderFillColourId, accent);
    setColour (juce::Slider::rotarySliderOutlineColourId, outline);
    setColour (juce::Slider::thumbColourId, text);
    setColour (juce::Slider::trackColourId, accent);
    setColour (juce::Slider::backgroundColourId, outline);
    setColour (juce::Slider::textBoxTextColourId, text);
    setColour (juce::Slider::textBoxOutlineColourId, juce::Colours::transparentBlack);
    setColour (juce::Slider::textBoxBackgroundColourId, juce::Colours::transparentBlack);
    setColour (juce::ComboBox::backgroundColourId, panelRaised);
    setColour (juce::ComboBox::outlineColourId, outline);
    setColour (juce::ComboBox::textColourId, text);
    setColour (juce::ComboBox::arrowColourId, textDim);
    setColour (juce::PopupMenu::backgroundColourId, panelRaised);
    setColour (juce::PopupMenu::highlightedBackgroundColourId, accent.withAlpha (0.35f));
    setColour (juce::ListBox::backgroundColourId, panel);
    setColour (juce::ListBox::outlineColourId, outline);
    setColour (juce::TextEditor::backgroundColourId, panelRaised);
    setColour (juce::TextEditor::outlineColourId, outline);
    setColour (juce::TextEditor::textColourId, text);
    setColour (juce::TextEditor::highlightColourId, accent.withAlpha (0.4f));
    setColour (juce::CaretComponent::caretColourId, accent);
    setColour (juce::ScrollBar::thumbColourId, outline);
    setColour (juce::TabbedButtonBar::tabOutlineColourId, outline);
    setColour (juce::TabbedComponent::backgroundColourId, panel);
    setColour (juce::TabbedComponent::outlineColourId, outline);
}

void CrestLookAndFeel::drawRotarySlider (juce::Graphics& g, int x, int y, int width, int height, float sliderPos,
    float startAngle, float endAngle, juce::Slider& slider)
{
    const auto bounds = juce::Rectangle<int> (x, y, width, height).toFloat().reduced (4.0f);
    const float radius = juce::jmin (bounds.getWidth(), bounds.getHeight()) * 0.5f;
    const auto centre = bounds.getCentre();
    const float lineWidth = juce::jmax (2.5f, radius * 0.12f);
    const float arcRadius = radius - lineWidth * 0.5f;
    const float angle = startAngle + sliderPos * (endAngle - startAngle);

    juce::Path track;
    track.addCentredArc (centre.x, centre.y, arcRadius, arcRadius, 0.0f, startAngle, endAngle, true);
    g.setColour (palette::outline);
    g.strokePath (track, juce::PathStrokeType (lineWidth, juce::PathStrokeType::curved, juce::PathStrokeType::rounded));

    // Bipolar ranges (gain, balance) fill from their zero; others from the start.
    const auto range = slider.getRange();
    float fromAngle = startAngle;
    if (range.getStart() < 0.0 && range.getEnd() > 0.0)
        fromAngle = startAngle + (float) slider.valueToProportionOfLength (0.0) * (endAngle - startAngle);

    juce::Path value;
    value.addCentredArc (
        centre.x, centre.y, arcRadius, arcRadius, 0.0f, juce::jmin (fromAngle, angle), juce::jmax (fromAngle, angle), true);
    g.setColour (slider.isEnabled() ? palette::accent : palette::textDim);
    g.strokePath (value, juce::PathStrokeType (lineWidth, juce::PathStrokeType::curved, juce::PathStrokeType::rounded));

    const juce::Point<float> tip (
        centre.x + (arcRadius - lineWidth) * std::sin (angle), centre.y - (arcRadius - lineWidth) * std::cos (angle));
    g.setColour (palette::text);
    g.drawLine ({ centre.getPointOnCircumference (radius * 0.25f, angle), tip }, 2.0f);
}

void CrestLookAndFeel::drawButtonBackground (
    juce::Graphics& g, juce::Button& button, const juce::Colour& backgroundColour, bool highlighted, bool down)
{
    auto bounds = button.getLocalBounds().toFloat().reduced (0.5f);
    auto colour = backgroundColour;
    if (down)
        colour = colour.brighter (0.2f);
    else if (highlighted)
        colour = colour.brighter (0.08f);
    g.setColour (colour);
    g.fillRoundedRectangle (bounds, 4.0f);
    g.setColour (palette::outline);
    g.drawRoundedRectangle (bounds, 4.0f, 1.0f);
}

juce::Font CrestLookAndFeel::getTextButtonFont (juce::TextButton&, int buttonHeight)
{
    return fonts::label (juce::jmin (15.0f, (float) buttonHeight * 0.55f));
}

juce::Rectangle<int> drawPanel (juce::Graphics& g, juce::Rectangle<int> bounds, const juce::String& title)
{
    g.setColour (palette::panel);
    g.fillRoundedRectangle (bounds.toFloat(), 6.0f);
    g.setColour (palette::outline);
    g.drawRoundedRectangle (bounds.toFloat().reduced (0.5f), 6.0f, 1.0f);
    auto inside = bounds.reduced (8, 6);
    if (title.isNotEmpty())
    {
        g.setColour (palette::textDim);
        g.setFont (fonts::label (12.5f).withExtraKerningFactor (0.06f));
        g.drawText (title.toUpperCase(), inside.removeFromTop (16), juce::Justification::centredLeft);
    }
    return inside;
}

juce::String formatDb (double decibels)
{
    if (! std::isfinite (decibels) || decibels < -150.0)
        return "-inf";
    // One decimal place, as EBU meters show; -0.04 reads as 0.0, not -0.0.
    const double rounded = std::round (decibels * 10.0) / 10.0;
    char text[32];
    std::snprintf (text, sizeof (text), "%.1f", rounded == 0.0 ? 0.0 : rounded);
    return text;
}

} // namespace crest::app
