#pragma once

// The meter bridge: what the engineer and the client read while listening.
//
// Design note: it never measures anything itself. The audio thread's meters publish snapshots;
// the main window's 60 Hz meter clock copies the newest ones out of the Workstation (wait-free)
// and calls update(), which only hands them to the instruments. So the bridge can be hidden,
// resized or slow to paint without ever touching the audio thread, and every figure it shows
// is one the engine measured by the standards (BS.1770 loudness, 4x/8x true peak), never a
// second, GUI-side approximation.

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
