#include "app/ParameterKnob.h"

#include "app/CrestLookAndFeel.h"

#include <cmath>
#include <cstdio>

namespace crest::app
{

namespace
{
    constexpr int normalSensitivity = 250, fineSensitivity = 2500;

    /** A number with a fixed count of decimals ("0.0", never "0.0000000" or "-0.0"). */
    juce::String fixed (double value, int decimals)
    {
        char text[64];
        std::snprintf (text, sizeof (text), "%.*f", decimals, value);
        juce::String result (text);
        if (result.startsWith ("-") && result.removeCharacters ("-0.").isEmpty())
            result = result.substring (1);
        return result;
    }

    bool isLogarithmic (const engine::ParameterSpec& spec)
    {
        // Frequencies and times are heard in ratios, so their knobs move in ratios.
        return spec.minimum > 0.0f && spec.maximum / spec.minimum >= 50.0f && (spec.unit == "Hz" || spec.unit == "ms");
    }
} // namespace

FineSlider::FineSlider()
{
    setSliderStyle (juce::Slider::RotaryHorizontalVerticalDrag);
    setMouseDragSensitivity (normalSensitivity);
    setScrollWheelEnabled (true);
}

void FineSlider::mouseDown (const juce::MouseEvent& e)
{
    setMouseDragSensitivity (e.mods.isShiftDown() ? fineSensitivity : normalSensitivity);
    juce::Slider::mouseDown (e);
}

void FineSlider::mouseWheelMove (const juce::MouseEvent& e, const juce::MouseWheelDetails& wheel)
{
    auto details = wheel;
    if (e.mods.isShiftDown())
    {
        details.deltaX *= 0.1f;
        details.deltaY *= 0.1f;
    }
    juce::Slider::mouseWheelMove (e, details);
}

juce::String ParameterKnob::formatValue (const engine::ParameterSpec& spec, float value)
{
    if (spec.kind == engine::ParameterKind::toggle)
        return value >= 0.5f ? "On" : "Off";
    if (spec.kind == engine::ParameterKind::choice)
    {
        const int index = juce::jlimit (0, (int) spec.choices.size() - 1, (int) std::lround (value));
        return spec.choices.empty() ? juce::String (index) : juce::String (spec.choices[(size_t) index]).replace ("_", " ");
    }
    if (spec.unit == "Hz" && value >= 1000.0f)
        return fixed (value / 1000.0f, value >= 10000.0f ? 1 : 2) + " kHz";
    if (spec.unit == "Hz")
        return fixed (value, value < 100.0f ? 1 : 0) + " Hz";
    if (spec.unit == ":1")
        return fixed (value, 1) + ":1";
    if (spec.unit == "ms")
        return fixed (value, value < 10.0f ? 2 : (value < 100.0f ? 1 : 0)) + " ms";
    if (spec.unit == "%")
        return fixed (value, 0) + " %";
    if (spec.unit.empty())
        return fixed (value, 2);
    return fixed (value, 1) + " " + juce::String (spec.unit);
}

ParameterKnob::ParameterKnob (const engine::ParameterSpec& spec) : parameter (spec), label (spec.name)
{
    setName (spec.id);
    using Kind = engine::ParameterKind;
    if (spec.kind == Kind::continuous)
    {
        addAndMakeVisible (slider);
        slider.setRange (spec.minimum, spec.maximum, 0.0);
        if (isLogarithmic (spec))
            slider.setSkewFactorFromMidPoint (std::sqrt ((double) spec.minimum * spec.maximum));
        slider.setDoubleClickReturnValue (true, spec.defaultValue);
        slider.setTextBoxStyle (juce::Slider::TextBoxBelow, false, 90, 18);
        slider.setTextBoxIsEditable (true); // typed values: "-1.5", "2k" is read as 2
        slider.textFromValueFunction = [this] (double v) { return formatValue (parameter, (float) v); };
        slider.valueFromTextFunction = [this] (const juce::String& text)
        {
            auto t = text.trim().toLowerCase();
            double v = t.getDoubleValue();
            if (parameter.unit == "Hz" && (t.endsWith ("k") || t.endsWith ("khz")))
                v *= 1000.0;
            return v;
        };
        slider.setValue (spec.defaultValue, juce::dontSendNotification);
        slider.updateText(); // the text box was made before the formatter was set
        slider.onValueChange = [this]
        {
            if (! updating && onEdit)
                onEdit ((float) slider.getValue());
        };
        slider.onDragEnd = [this]
        {
            if (onGestureEnd)
                onGestureEnd();
        };
    }
    else if (spec.kind == Kind::choice)
    {
        addAndMakeVisible (choice);
        for (size_t i = 0; i < spec.choices.size(); ++i)
            choice.addItem (juce::String (spec.choices[i]).replace ("_", " "), (int) i + 1);
        choice.setSelectedItemIndex ((int) spec.defaultValue, juce::dontSendNotification);
        choice.onChange = [this]
        {
            if (updating)
                return;
            if (onEdit)
                onEdit ((float) choice.getSelectedItemIndex());
            if (onGestureEnd)
                onGestureEnd();
        };
    }
    else
    {
        addAndMakeVisible (toggle);
        toggle.setClickingTogglesState (true);
        toggle.setButtonText ("Off");
        toggle.onClick = [this]
        {
            toggle.setButtonText (toggle.getToggleState() ? "On" : "Off");
            if (updating)
                return;
            if (onEdit)
                onEdit (toggle.getToggleState() ? 1.0f : 0.0f);
            if (onGestureEnd)
                onGestureEnd();
        };
    }
}

void ParameterKnob::setValue (float value)
{
    const juce::ScopedValueSetter<bool> quiet (updating, true);
    using Kind = engine::ParameterKind;
    if (parameter.kind == Kind::continuous)
    {
        if (! slider.isMouseButtonDown())
            slider.setValue (value, juce::dontSendNotification);
    }
    else if (parameter.kind == Kind::choice)
        choice.setSelectedItemIndex ((int) std::lround (value), juce::dontSendNotification);
    else
    {
        toggle.setToggleState (value >= 0.5f, juce::dontSendNotification);
        toggle.setButtonText (value >= 0.5f ? "On" : "Off");
    }
}

float ParameterKnob::getValue() const
{
    using Kind = engine::ParameterKind;
    if (parameter.kind == Kind::continuous)
        return (float) slider.getValue();
    if (parameter.kind == Kind::choice)
        return (float) choice.getSelectedItemIndex();
    return toggle.getToggleState() ? 1.0f : 0.0f;
}

void ParameterKnob::paint (juce::Graphics& g)
{
    g.setColour (palette::textDim);
    g.setFont (fonts::label (12.5f));
    g.drawFittedText (label, getLocalBounds().removeFromTop (16), juce::Justification::centred, 1);
}

void ParameterKnob::resized()
{
    auto area = getLocalBounds();
    area.removeFromTop (16);
    if (parameter.kind == engine::ParameterKind::continuous)
        slider.setBounds (area);
    else
    {
        const auto row = area.withSizeKeepingCentre (juce::jmin (area.getWidth() - 4, 110), 26);
        choice.setBounds (row);
        toggle.setBounds (row);
    }
}

} // namespace crest::app
