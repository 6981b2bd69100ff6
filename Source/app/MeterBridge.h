#pragma once

// The meter bridge: what the engineer and the client read while listening.
//
// Design note: it never measures anything itself. The audio thread's meters publish snapshots;
// the main window's 60 Hz meter clock copies the newest ones out of the Workstation (wait-free)
// and calls update(), which only hands them to the instruments. So the bridge can be hidden,
// resized or slow to paint without ever touching the audio thread, and every figure it shows
// is one the engine measured by the standards (BS.1770 loudness, 4x/8x true peak), never a
// second, GUI-side approximation.
//
// Its width is the engineer's: a divider beside it drags it from narrowWidth (one column: the
// loudness figures stacked, the peak bars across, no goniometer) to maximumWidth, and it can
// be detached into a window of its own (View > Detach meter bridge) for a second screen;
// closing that window puts it back beside the editors.

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

    /** The narrowest the bridge is laid out for, and the widest it is given. */
    static constexpr int narrowWidth = 260, maximumWidth = 720;

    /** Below this width the bridge is one column (see narrowWidth). */
    static constexpr int oneColumnWidth = 400;

    LoudnessMeterView loudness;
    TruePeakMeterView peaks;
    CorrelationMeterView correlation;
    Goniometer goniometer;

private:
    Workstation& workstation;
};

/** The handle between the editors and the meter bridge: drag it sideways to narrow or widen
    the bridge; a double-click goes back to the automatic width. */
class MeterDivider : public juce::Component, public juce::SettableTooltipClient
{
public:
    MeterDivider();

    /** Called with the bridge's new width while dragging (-1: automatic again). */
    std::function<void (int width)> onWidth;

    /** The bridge's width when the drag starts. */
    std::function<int()> currentWidth;

    void paint (juce::Graphics&) override;
    void mouseDown (const juce::MouseEvent&) override;
    void mouseDrag (const juce::MouseEvent&) override;
    void mouseDoubleClick (const juce::MouseEvent&) override;

private:
    int widthAtStart = 0;
};

/** The meter bridge's own window while it is detached. Closing it re-attaches the bridge. */
class MeterWindow : public juce::DocumentWindow
{
public:
    /** Shows `bridge` (not owned) in a window of its own. */
    MeterWindow (MeterBridge& bridge, std::function<void()> onClose);

    void closeButtonPressed() override;

private:
    std::function<void()> closed;
};

} // namespace crest::app
