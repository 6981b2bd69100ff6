#pragma once

#include "app/Goniometer.h"
#include "app/MeterViews.h"
#include "app/Workstation.h"

namespace crest::app
{

/** The meter bridge: the output's loudness in large figures with its history, input and output
    peak bars with true-peak hold and clip lights, correlation and the goniometer, all against
    the chosen platform's targets, and a reference's figures beside the master's. It draws what
    update() hands it; the main window's meter clock calls update() 60 times a second. */
class MeterBridge : public juce::Component
{
public:
    explicit MeterBridge (Workstation&);

    /** Reads the Workstation's newest snapshots into every instrument. */
    void update();

    void resized() override;
    void paint (juce::Graphics&) override;

    LoudnessMeterView loudness;
    TruePeakMeterView peaks;
    CorrelationMeterView correlation;
    Goniometer goniometer;

private:
    Workstation& workstation;
};

} // namespace crest::app
