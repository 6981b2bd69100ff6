#pragma once

// One parameter of one module as a control: a rotary knob for numbers, a menu for choices, a
// switch for toggles. Every control shows its value with its unit, adjusts finely with Shift
// held (drag or wheel), returns to its default on double-click and takes typed values.

#include "engine/Parameter.h"

#include <juce_gui_basics/juce_gui_basics.h>

#include <functional>

namespace crest::app
{

/** A rotary slider that drags ten times finer with Shift and wheels finer too. */
class FineSlider : public juce::Slider
{
public:
    FineSlider();
    void mouseDown (const juce::MouseEvent&) override;
    void mouseWheelMove (const juce::MouseEvent&, const juce::MouseWheelDetails&) override;
};

/** A control for one parameter. It does not own the value: it reports edits through
    onEdit/onGestureEnd and is told the document's value through setValue(). */
class ParameterKnob : public juce::Component
{
public:
    explicit ParameterKnob (const engine::ParameterSpec& spec);

    /** Shows a value without reporting an edit. */
    void setValue (float value);

    /** The value shown. */
    float getValue() const;

    /** Called for every change the user makes (many per drag). */
    std::function<void (float)> onEdit;

    /** Called when a drag or a click ends: the end of one undo step. */
    std::function<void()> onGestureEnd;

    /** The parameter shown. */
    const engine::ParameterSpec& spec() const noexcept { return parameter; }

    /** The value as text with its unit ("-1.0 dBTP", "2.50 kHz", "4.0:1"). */
    static juce::String formatValue (const engine::ParameterSpec&, float value);

    /** Short label for a parameter name ("Band 3 gain" -> "Gain" when grouped by band). */
    void setLabel (const juce::String& text)
    {
        label = text;
        repaint();
    }

    void paint (juce::Graphics&) override;
    void resized() override;

private:
    engine::ParameterSpec parameter;
    juce::String label;
    FineSlider slider;
    juce::ComboBox choice;
    juce::TextButton toggle;
    bool updating = false;

    JUCE_DECLARE_NON_COPYABLE_WITH_LEAK_DETECTOR (ParameterKnob)
};

} // namespace crest::app
