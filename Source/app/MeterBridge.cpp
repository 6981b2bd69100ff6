#include "app/MeterBridge.h"

#include "app/CrestLookAndFeel.h"

namespace crest::app
{

MeterBridge::MeterBridge (Workstation& w) : workstation (w)
{
    setName ("MeterBridge");
    for (auto* c : std::initializer_list<juce::Component*> { &loudness, &peaks, &correlation, &goniometer })
        addAndMakeVisible (c);
}

void MeterBridge::update()
{
    const auto& rule = live::platformRule (workstation.platform);
    std::optional<double> referenceLufs;
    auto& player = workstation.player();
    if (const int r = player.listeningTo(); r >= 0 && r < player.numReferences())
        referenceLufs = player.referenceInfo (r).integratedLufs;
    else if (player.numReferences() > 0)
        referenceLufs = player.referenceInfo (0).integratedLufs;
    loudness.update (workstation.outputMeters(), rule, referenceLufs);
    peaks.update (workstation.inputMeters(), workstation.outputMeters(), rule);
    correlation.update (workstation.outputMeters());
    goniometer.update (workstation.outputMeters());
}

void MeterBridge::paint (juce::Graphics& g)
{
    g.fillAll (palette::background);
}

void MeterBridge::resized()
{
    auto area = getLocalBounds();
    if (getWidth() < oneColumnWidth)
    {
        // One column: the loudness panel, the peak bars across the width, the correlation; the
        // goniometer needs a square it does not have here.
        goniometer.setVisible (false);
        loudness.setBounds (area.removeFromTop (area.getHeight() * 50 / 100).reduced (0, 2));
        correlation.setBounds (area.removeFromBottom (52).reduced (0, 2));
        peaks.setBounds (area.reduced (0, 2));
        return;
    }
    goniometer.setVisible (true);
    loudness.setBounds (area.removeFromTop (area.getHeight() * 48 / 100).reduced (0, 2));
    auto lower = area.reduced (0, 2);
    peaks.setBounds (lower.removeFromLeft (lower.getWidth() * 45 / 100).withTrimmedRight (2));
    correlation.setBounds (lower.removeFromBottom (52).withTrimmedLeft (2));
    auto scope = lower.withTrimmedLeft (2).withTrimmedBottom (2);
    goniometer.setBounds (scope);
}

// ---- the divider and the window -------------------------------------------------------------------

MeterDivider::MeterDivider()
{
    setName ("MeterDivider");
    setMouseCursor (juce::MouseCursor::LeftRightResizeCursor);
    setTooltip ("Drag to narrow or widen the meter bridge; double-click for its automatic width");
}

void MeterDivider::paint (juce::Graphics& g)
{
    const auto centre = getLocalBounds().toFloat().getCentre();
    g.setColour (isMouseOverOrDragging() ? palette::accent : palette::outline.brighter (0.2f));
    for (int dot = -2; dot <= 2; ++dot)
        g.fillEllipse (centre.x - 1.5f, centre.y + (float) dot * 7.0f - 1.5f, 3.0f, 3.0f);
}

void MeterDivider::mouseDown (const juce::MouseEvent&)
{
    widthAtStart = currentWidth ? currentWidth() : 0;
}

void MeterDivider::mouseDrag (const juce::MouseEvent& e)
{
    // The bridge is on the right: dragging left widens it.
    if (onWidth)
        onWidth (
            juce::jlimit (MeterBridge::narrowWidth, MeterBridge::maximumWidth, widthAtStart - e.getDistanceFromDragStartX()));
    repaint();
}

void MeterDivider::mouseDoubleClick (const juce::MouseEvent&)
{
    if (onWidth)
        onWidth (-1);
}

MeterWindow::MeterWindow (MeterBridge& bridge, std::function<void()> onClose)
    : juce::DocumentWindow (
        "Crest meter bridge", palette::background, juce::DocumentWindow::closeButton | juce::DocumentWindow::minimiseButton),
      closed (std::move (onClose))
{
    setName ("MeterWindow");
    setUsingNativeTitleBar (true);
    setContentNonOwned (&bridge, false);
    setResizable (true, false);
    setResizeLimits (MeterBridge::narrowWidth, 400, 1600, 2160);
    centreWithSize (480, 760);
    setVisible (true);
}

void MeterWindow::closeButtonPressed()
{
    if (closed)
        closed(); // the owner takes the bridge back and deletes this window
}

} // namespace crest::app
