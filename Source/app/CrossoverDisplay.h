#pragma once

#include "app/ModuleEditor.h"

#include <functional>

namespace crest::app
{

/** Bands of a multiband module on a frequency axis: the crossovers as draggable lines, each
    band a column with a bar (gain reduction, or width) and a caption. Clicking a band selects it. */
class CrossoverDisplay : public juce::Component
{
public:
    CrossoverDisplay (Workstation&, std::string moduleId);

    /** How many bands are active and where they split (Hz). */
    void setBands (int count, std::array<float, 3> crossovers);

    /** One bar per band: its length as a fraction of the height (0..1), from the top or the
        bottom, and its caption. */
    void setBar (int band, float fraction, bool fromTop, const juce::String& caption);

    std::function<void (int)> onBandSelected;
    int selectedBand = 0;

    void paint (juce::Graphics&) override;
    void resized() override;
    void mouseDown (const juce::MouseEvent&) override;
    void mouseDrag (const juce::MouseEvent&) override;
    void mouseUp (const juce::MouseEvent&) override;

private:
    Workstation& workstation;
    std::string id;
    FrequencyAxis axis;
    int bands = 1, draggedCrossover = -1;
    std::array<float, 3> split { 250.0f, 2000.0f, 8000.0f };
    std::array<float, 4> bars {};
    std::array<bool, 4> barFromTop {};
    std::array<juce::String, 4> captions;
};

} // namespace crest::app
