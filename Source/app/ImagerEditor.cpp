#include "app/ImagerEditor.h"

namespace crest::app
{

ImagerEditor::ImagerEditor (Workstation& w, std::string moduleId) : ModuleEditor (w, std::move (moduleId), "imager"), display (w, id)
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
        display.setBar (b, width / 200.0f, false, juce::String (width, 0) + " %");
    }
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
