#include "app/ImagerEditor.h"

namespace crest::app
{

ImagerEditor::ImagerEditor (Workstation& w, std::string moduleId)
    : ModuleEditor (w, std::move (moduleId), "imager"), display (w, id)
{
    setName ("ImagerEditor");
    addAndMakeVisible (display);
    addAndMakeVisible (goniometer);
    for (const auto& spec : session::SessionEditor::parameterSpecs (type))
        knobs.add (*this, spec.id);
    refresh();
}

void ImagerEditor::refresh()
{
    knobs.refresh();
    const int count = (int) value ("bands") + 1;
    display.setBands (count, { value ("crossover1_hz"), value ("crossover2_hz"), value ("crossover3_hz") });
    for (int b = 0; b < count; ++b)
    {
        const float width = value ("band" + std::to_string (b + 1) + "_width_pct");
        display.setBar (b, width / 200.0f, false, juce::String (juce::roundToInt (width)) + " %");
    }
    // Only the bands in use, and the crossovers between them, have controls.
    bool changed = false;
    for (int b = 0; b < 4; ++b)
    {
        changed = knobs.setShown ("band" + std::to_string (b + 1) + "_width_pct", b < count) || changed;
        if (b < 3)
            changed = knobs.setShown ("crossover" + std::to_string (b + 1) + "_hz", b < count - 1) || changed;
    }
    changed = knobs.setShown ("mono_below_hz", value ("mono_below") >= 0.5f) || changed;
    if (changed)
        resized();
}

void ImagerEditor::refreshLive()
{
    goniometer.update (workstation.outputMeters());
}

void ImagerEditor::resized()
{
    auto area = getLocalBounds().reduced (10).withTrimmedTop (20);
    auto controls = area.removeFromBottom (208);
    goniometer.setBounds (area.removeFromRight (area.getHeight()).reduced (4));
    display.setBounds (area.reduced (0, 4));
    knobs.layOut (controls, 92, 104);
}

} // namespace crest::app
