#pragma once

// The one look of Crest: calm and dark, so a master is judged by ear and by the meters, not by
// the chrome around them; figures large enough to read from a client's chair.

#include <juce_gui_basics/juce_gui_basics.h>

namespace crest::app
{

/** The colours every view draws with, named for what they mean. */
namespace palette
{
    const juce::Colour background { 0xff121418 };
    const juce::Colour panel { 0xff1a1d23 };
    const juce::Colour panelRaised { 0xff232730 };
    const juce::Colour outline { 0xff2e333d };
    const juce::Colour grid { 0xff262a32 };
    const juce::Colour text { 0xffe6e8eb };
    const juce::Colour textDim { 0xff8d939c };
    const juce::Colour accent { 0xff4fb3bf }; ///< selection, the master's traces
    const juce::Colour loudness { 0xff7cc47f }; ///< loudness at or under target
    const juce::Colour warning { 0xffe3a83b }; ///< near a limit
    const juce::Colour clip { 0xffe0524f }; ///< over a limit
    const juce::Colour reference { 0xffb48cf0 }; ///< reference tracks, everywhere
    const juce::Colour target { 0xfff0f0f0 }; ///< platform target marks
    const juce::Colour input { 0xff6d7fa8 }; ///< the unprocessed signal
    const juce::Colour engineerNote { 0xff5fa8e8 }; ///< notes the engineer took
    const juce::Colour clientNote { 0xfff08a5d }; ///< notes from the client
} // namespace palette

/** Fonts by role. */
namespace fonts
{
    /** A big readout (integrated loudness); height in pixels. */
    juce::Font figure (float height);

    /** Labels and body text. */
    juce::Font label (float height = 14.0f);
} // namespace fonts

/** Crest's LookAndFeel: flat dark panels, thin rotary arcs with a value readout, quiet buttons. */
class CrestLookAndFeel : public juce::LookAndFeel_V4
{
public:
    CrestLookAndFeel();

    void drawRotarySlider (juce::Graphics&, int x, int y, int width, int height, float sliderPos, float startAngle,
        float endAngle, juce::Slider&) override;

    void drawButtonBackground (
        juce::Graphics&, juce::Button&, const juce::Colour& backgroundColour, bool highlighted, bool down) override;

    juce::Font getTextButtonFont (juce::TextButton&, int buttonHeight) override;
};

/** Draws a titled panel background; returns the area inside it under the title. */
juce::Rectangle<int> drawPanel (juce::Graphics&, juce::Rectangle<int> bounds, const juce::String& title);

/** A level in dB as meters print it: one decimal place, "-inf" for silence. */
juce::String formatDb (double decibels);

} // namespace crest::app
