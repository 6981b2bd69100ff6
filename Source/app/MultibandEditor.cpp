#include "app/MultibandEditor.h"

#include "app/CrestLookAndFeel.h"

namespace crest::app
{

MultibandEditor::MultibandEditor (Workstation& w, std::string moduleId)
    : ModuleEditor (w, std::move (moduleId), "multiband"), display (w, id)
{
    setName ("MultibandEditor");
    addAndMakeVisible (display);
    display.onBandSelected = [this] (int band) { selectBand (band); };
    for (const char* p : { "bands", "crossover1_hz", "crossover2_hz", "crossover3_hz", "linear_phase", "knee_db", "detection",
             "auto_release", "stereo_link_pct", "mode", "mix_pct" })
        knobs.add (*this, p);
    for (int b = 0; b < 4; ++b)
    {
        bandKnobs[(size_t) b] = std::make_unique<KnobGroup> (w, id, type);
        const auto prefix = "band" + std::to_string (b + 1) + "_";
        for (const auto& [p, label] : std::vector<std::pair<std::string, juce::String>> { { "threshold_db", "Threshold" },
                 { "ratio", "Ratio" }, { "attack_ms", "Attack" }, { "release_ms", "Release" }, { "makeup_db", "Makeup" },
                 { "solo", "Solo" }, { "bypass", "Bypass" } })
            bandKnobs[(size_t) b]->add (*this, prefix + p, "Band " + juce::String (b + 1) + " " + label.toLowerCase());
    }
    selectBand (0);
    refresh();
}

void MultibandEditor::selectBand (int band)
{
    selectedBand = band;
    display.selectedBand = band;
    for (int b = 0; b < 4; ++b)
        for (auto& knob : bandKnobs[(size_t) b]->knobs())
            knob->setVisible (b == band);
    resized();
}

void MultibandEditor::refresh()
{
    knobs.refresh();
    for (auto& group : bandKnobs)
        group->refresh();
    const int count = (int) value ("bands") + 2;
    display.setBands (count, { value ("crossover1_hz"), value ("crossover2_hz"), value ("crossover3_hz") });
    bool changed = false;
    for (int c = 0; c < 3; ++c)
        changed = knobs.setShown ("crossover" + std::to_string (c + 1) + "_hz", c < count - 1) || changed;
    if (changed)
        resized();
    if (selectedBand >= count)
        selectBand (0);
    refreshLive();
}

void MultibandEditor::refreshLive()
{
    const int count = (int) value ("bands") + 2;
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
