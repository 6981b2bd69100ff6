#pragma once

#include "app/ModuleEditor.h"

namespace crest::app
{

/** A vertical gain-reduction bar (0 at the top, down to `rangeDb`) with a peak readout. */
class GainReductionMeter : public juce::Component
{
public:
    void setReduction (float decibels);
    void paint (juce::Graphics&) override;
    float rangeDb = 12.0f;

private:
    float reduction = 0.0f, held = 0.0f;
    int holdCountdown = 0;
};

/** The compressor: its transfer curve (the static gain computer the module uses, knee
    included, makeup added), a gain-reduction meter, and every control. */
class CompressorEditor : public ModuleEditor
{
public:
    CompressorEditor (Workstation&, std::string moduleId);

    void refresh() override;
    void refreshLive() override;
    void paint (juce::Graphics&) override;
    void resized() override;

private:
    juce::Rectangle<float> curveArea;
    GainReductionMeter meter;
};

} // namespace crest::app
