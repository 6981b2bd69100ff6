#pragma once

#include "app/CompressorEditor.h"

#include <vector>

namespace crest::app
{

/** The limiter: a scrolling history of its gain reduction (the last ten seconds) with the
    output's true peak against the ceiling, a gain-reduction meter, and every control. */
class LimiterEditor : public ModuleEditor
{
public:
    LimiterEditor (Workstation&, std::string moduleId);

    void refresh() override;
    void refreshLive() override;
    void paint (juce::Graphics&) override;
    void resized() override;

private:
    juce::Rectangle<float> historyArea;
    GainReductionMeter meter;
    std::vector<float> reductionHistory, peakHistory; // ring buffers, one entry per meter frame
    size_t writePosition = 0;
};

} // namespace crest::app
