#pragma once

// References and A/B against them.
//
// Design note: references are loaded and measured by the live player off the audio thread; the
// panel shows what was measured and asks the Workstation to switch sources. The switch itself
// (a loudness-matched crossfade) happens on the audio thread, so the panel never decides a
// level: it only shows the match the player computed.

#include "app/Workstation.h"

namespace crest::app
{

/** References and A/B: each reference with what was measured of it (integrated loudness, LRA,
    true peak) beside the master's, one button per source to listen to (R toggles between the
    master and the last reference), the matching mode and where references start. */
class ReferencePanel : public juce::Component, private juce::Timer, private juce::ChangeListener
{
public:
    explicit ReferencePanel (Workstation&);
    ~ReferencePanel() override;

    /** Listens to a reference (index) or the master (-1), as its button does. */
    void listen (int reference);

    /** R: master <-> the last reference listened to. Returns true when handled. */
    bool handleKey (const juce::KeyPress&);

    void paint (juce::Graphics&) override;
    void resized() override;

private:
    void timerCallback() override;
    void changeListenerCallback (juce::ChangeBroadcaster*) override;
    void rebuildButtons();

    Workstation& workstation;
    juce::TextButton masterButton { "Master" }, addButton { "Add reference..." };
    juce::OwnedArray<juce::TextButton> referenceButtons;
    juce::ComboBox matchBox, startBox;
    std::unique_ptr<juce::FileChooser> chooser;
    int lastReference = 0;
};

} // namespace crest::app
