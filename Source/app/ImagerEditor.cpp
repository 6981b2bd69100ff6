#include "app/ImagerEditor.h"

namespace crest::app
{

ImagerEditor::ImagerEditor (Workstation& w, std::string moduleId)
    : ModuleEditor (w, std::move (moduleId), engine::ids::types::imager), display (w, id)
{
    setName ("ImagerEditor");
    addAndMakeVisible (display);
    addAndMakeVisible (goniometer);
    for (const auto& spec : knobs.parameterTable())
        knobs.add (*this, spec.id);
    refresh();
}

void ImagerEditor::refresh()
{
    namespace id = engine::ids::imager;
    knobs.refresh();
    const int count = (int) value (id::bandCount) + 1;
    display.setBands (
        count, { value (engine::ids::crossover (0)), value (engine::ids::crossover (1)), value (engine::ids::crossover (2)) });
    for (int b = 0; b < count; ++b)
    {
        const float width = value (engine::ids::band (b, id::width));
        display.setBar (b, width / 200.0f, false, juce::String (juce::roundToInt (width)) + " %");
    }
    // Only the bands in use, and the crossovers between them, have controls.
    bool changed = false;
    for (int b = 0; b < id::bands; ++b)
    {
        changed = knobs.setShown (engine::ids::band (b, id::width), b < count) || changed;
        if (b < id::bands - 1)
            changed = knobs.setShown (engine::ids::crossover (b), b < count - 1) || changed;
    }
    changed = knobs.setShown (id::monoBelowFrequency, value (id::monoBelow) >= 0.5f) || changed;
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
