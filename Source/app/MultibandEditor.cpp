#include "app/MultibandEditor.h"

#include "app/CrestLookAndFeel.h"

namespace crest::app
{

namespace mb = engine::ids::multiband;

MultibandEditor::MultibandEditor (Workstation& w, std::string moduleId)
    : ModuleEditor (w, std::move (moduleId), engine::ids::types::multiband), display (w, id)
{
    setName ("MultibandEditor");
    addAndMakeVisible (display);
    display.onBandSelected = [this] (int band) { selectBand (band); };
    for (const std::string& p : { std::string (mb::bandCount), engine::ids::crossover (0), engine::ids::crossover (1),
             engine::ids::crossover (2), std::string (mb::linearPhase), std::string (mb::knee), std::string (mb::detection),
             std::string (mb::autoRelease), std::string (mb::stereoLink), std::string (mb::mode), std::string (mb::mix) })
        knobs.add (*this, p);
    for (int b = 0; b < mb::bands; ++b)
    {
        bandKnobs[(size_t) b] = std::make_unique<KnobGroup> (w, id, type);
        for (const auto& [p, label] : std::vector<std::pair<const char*, juce::String>> { { mb::threshold, "Threshold" },
                 { mb::ratio, "Ratio" }, { mb::attack, "Attack" }, { mb::release, "Release" }, { mb::makeup, "Makeup" },
                 { mb::solo, "Solo" }, { mb::bypass, "Bypass" } })
            bandKnobs[(size_t) b]->add (
                *this, engine::ids::band (b, p), "Band " + juce::String (b + 1) + " " + label.toLowerCase());
    }
    selectBand (0);
    refresh();
}

void MultibandEditor::selectBand (int band)
{
    selectedBand = band;
    display.selectedBand = band;
    for (int b = 0; b < mb::bands; ++b)
        for (auto& knob : bandKnobs[(size_t) b]->knobs())
            knob->setVisible (b == band);
    resized();
}

void MultibandEditor::refresh()
{
    knobs.refresh();
    for (auto& group : bandKnobs)
        group->refresh();
    const int count = (int) value (mb::bandCount) + 2;
    display.setBands (
        count, { value (engine::ids::crossover (0)), value (engine::ids::crossover (1)), value (engine::ids::crossover (2)) });
    bool changed = false;
    for (int c = 0; c < mb::bands - 1; ++c)
        changed = knobs.setShown (engine::ids::crossover (c), c < count - 1) || changed;
    if (changed)
        resized();
    if (selectedBand >= count)
        selectBand (0);
    refreshLive();
}

void MultibandEditor::refreshLive()
{
    const int count = (int) value (mb::bandCount) + 2;
    for (int b = 0; b < count; ++b)
    {
        const float reduction = workstation.bandGainReductionDb (id, b);
        display.setBar (b, reduction / 12.0f, true, "GR " + formatDb (-reduction));
    }
}

void MultibandEditor::resized()
{
    auto area = getLocalBounds().reduced (10).withTrimmedTop (20);
    auto controls = area.removeFromBottom (208);
    display.setBounds (area.reduced (0, 4));
    knobs.layOut (controls.removeFromTop (104), 84, 104);
    bandKnobs[(size_t) selectedBand]->layOut (controls, 92, 104);
}

} // namespace crest::app
