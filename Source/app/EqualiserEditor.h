#pragma once

#include "app/ModuleEditor.h"

#include <array>

namespace crest::app
{

/** The equaliser as a curve: the summed response of the bands (their analog prototypes, which
    the module's filters match) over the live input and output spectra, with a draggable node
    per band (drag: frequency and gain; wheel: Q; double-click: switch the band on or off), and
    the selected band's controls below. */
class EqualiserEditor : public ModuleEditor
{
public:
    EqualiserEditor (Workstation&, std::string moduleId);

    void refresh() override;
    void refreshLive() override;
    void paint (juce::Graphics&) override;
    void resized() override;
    void mouseDown (const juce::MouseEvent&) override;
    void mouseDrag (const juce::MouseEvent&) override;
    void mouseUp (const juce::MouseEvent&) override;
    void mouseDoubleClick (const juce::MouseEvent&) override;
    void mouseWheelMove (const juce::MouseEvent&, const juce::MouseWheelDetails&) override;

    static constexpr int numBands = engine::ids::equaliser::bands;
    static constexpr float rangeDb = 18.0f;

private:
    std::string bandParameter (int band, const char* name) const;
    bool bandIsOn (int band) const;
    juce::Point<float> nodePosition (int band) const;
    int bandAt (juce::Point<float>) const;
    float yOf (float db) const;
    float dbAt (float y) const;
    void selectBand (int band);
    void computeCurves();

    juce::Rectangle<float> curveArea;
    FrequencyAxis axis;
    std::array<std::unique_ptr<KnobGroup>, numBands> bandKnobs;
    std::array<juce::TextButton, numBands> bandButtons;
    int selectedBand = 0, draggedBand = -1;

    /** Each node's frequency and gain parameters as indices, resolved once: a node drag sends
        them with every mouse move. */
    struct NodeParameters
    {
        size_t frequency = 0, gain = 0;
    };
    std::array<NodeParameters, numBands> nodeParameters {};
    std::array<float, live::MeterSnapshot::fineSpectrumSize> inputSpectrum {}, outputSpectrum {};
    float reductionDb = 0.0f;
    juce::Path totalCurve;
    std::array<juce::Path, numBands> bandCurves;
    uint64_t curveRevision = ~uint64_t (0);
    juce::Rectangle<float> curveBounds;
};

} // namespace crest::app
