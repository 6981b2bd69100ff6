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
    loudness.setBounds (area.removeFromTop (area.getHeight() * 48 / 100).reduced (0, 2));
    auto lower = area.reduced (0, 2);
    peaks.setBounds (lower.removeFromLeft (lower.getWidth() * 45 / 100).withTrimmedRight (2));
    correlation.setBounds (lower.removeFromBottom (52).withTrimmedLeft (2));
    auto scope = lower.withTrimmedLeft (2).withTrimmedBottom (2);
    goniometer.setBounds (scope);
}

} // namespace crest::app
