#include "app/ReferencePanel.h"

#include "app/CrestLookAndFeel.h"

namespace crest::app
{

ReferencePanel::ReferencePanel (Workstation& w) : workstation (w)
{
    setName ("ReferencePanel");
    masterButton.setClickingTogglesState (false);
    masterButton.onClick = [this] { listen (-1); };
    addButton.onClick = [this]
    {
        chooser = std::make_unique<juce::FileChooser> (
            "Add a reference track", juce::File(), "*.wav;*.flac;*.aif;*.aiff;*.mp3;*.ogg");
        chooser->launchAsync (juce::FileBrowserComponent::openMode | juce::FileBrowserComponent::canSelectFiles,
            [this] (const juce::FileChooser& fc)
            {
                const auto file = fc.getResult();
                if (file.existsAsFile())
                    workstation.addReference (file, file.getFileNameWithoutExtension());
            });
    };
    matchBox.addItemList ({ "Not matched", "Matched by integrated loudness", "Matched by short-term loudness (live)" }, 1);
    matchBox.setSelectedItemIndex (1, juce::dontSendNotification);
    matchBox.onChange
        = [this] { workstation.player().setReferenceMatch ((live::ReferenceMatch) matchBox.getSelectedItemIndex()); };
    startBox.addItemList ({ "Synced to the master's position", "From its own cue point" }, 1);
    startBox.setSelectedItemIndex (0, juce::dontSendNotification);
    startBox.onChange
        = [this] { workstation.player().setReferenceStart ((live::ReferenceStart) startBox.getSelectedItemIndex()); };
    for (auto* c : std::initializer_list<juce::Component*> { &masterButton, &addButton, &matchBox, &startBox })
        addAndMakeVisible (c);
    workstation.addChangeListener (this);
    rebuildButtons();
    startTimerHz (4); // measurements arrive from a background thread
}

ReferencePanel::~ReferencePanel()
{
    workstation.removeChangeListener (this);
}

void ReferencePanel::changeListenerCallback (juce::ChangeBroadcaster*)
{
    if (referenceButtons.size() != workstation.player().numReferences())
        rebuildButtons();
}

void ReferencePanel::rebuildButtons()
{
    referenceButtons.clear();
    for (int r = 0; r < workstation.player().numReferences(); ++r)
    {
        auto* button = referenceButtons.add (new juce::TextButton (workstation.player().referenceInfo (r).name));
        button->onClick = [this, r] { listen (r); };
        addAndMakeVisible (button);
    }
    resized();
    repaint();
}

void ReferencePanel::listen (int reference)
{
    workstation.player().listenTo (reference);
    if (reference >= 0)
        lastReference = reference;
    timerCallback(); // the buttons show the choice at once
    repaint();
}

bool ReferencePanel::handleKey (const juce::KeyPress& key)
{
    if (key.getKeyCode() != 'R' && key.getKeyCode() != 'r')
        return false;
    if (workstation.player().numReferences() == 0)
        return true;
    listen (workstation.player().listeningTo() >= 0 ? -1 : juce::jmin (lastReference, workstation.player().numReferences() - 1));
    return true;
}

void ReferencePanel::timerCallback()
{
    const int listening = workstation.player().listeningTo();
    masterButton.setToggleState (listening < 0, juce::dontSendNotification);
    for (int r = 0; r < referenceButtons.size(); ++r)
        referenceButtons[r]->setToggleState (listening == r, juce::dontSendNotification);
    repaint (getLocalBounds().withTrimmedTop (150));
}

void ReferencePanel::paint (juce::Graphics& g)
{
    auto area = drawPanel (g, getLocalBounds(), "References and A/B  (R switches)");
    area.removeFromTop (130);

    // A table: the master's figures (live) beside each reference's (measured offline).
    const auto& master = workstation.outputMeters();
    auto& player = workstation.player();
    auto row = [&] (juce::Rectangle<int> r, juce::Colour colour, const juce::String& name, const juce::String& lufs,
                   const juce::String& lra, const juce::String& peak, const juce::String& note)
    {
        g.setColour (colour);
        g.setFont (fonts::label (15.0f));
        g.drawText (name, r.removeFromLeft (240), juce::Justification::centredLeft);
        g.setFont (fonts::figure (18.0f));
        g.drawText (lufs, r.removeFromLeft (120), juce::Justification::centredLeft);
        g.drawText (lra, r.removeFromLeft (100), juce::Justification::centredLeft);
        g.drawText (peak, r.removeFromLeft (110), juce::Justification::centredLeft);
        g.setFont (fonts::label (13.0f));
        g.drawText (note, r, juce::Justification::centredLeft);
    };
    row (area.removeFromTop (22), palette::textDim, "", "LUFS (I)", "LRA", "true peak", "");
    auto opt = [] (const auto& v, const char* unit) { return v ? formatDb (*v) + unit : juce::String ("--"); };
    const float maxPeak = juce::jmax (master.truePeakMaxDb[0], master.truePeakMaxDb[1]);
    row (area.removeFromTop (30), palette::accent, "Master (live)", opt (master.integratedLufs, ""),
        opt (master.loudnessRangeLu, " LU"), std::isfinite (maxPeak) ? formatDb (maxPeak) + " dBTP" : juce::String ("--"),
        player.listeningTo() < 0 ? "listening" : "");
    for (int r = 0; r < player.numReferences(); ++r)
    {
        const auto info = player.referenceInfo (r);
        juce::String note = ! info.error.empty() ? juce::String (info.error)
            : ! info.measured                    ? juce::String ("measuring...")
            : player.listeningTo() == r          ? "listening, " + formatDb (player.referenceGainDb()) + " dB to match"
                                                 : juce::String();
        row (area.removeFromTop (30), palette::reference, info.name, opt (info.integratedLufs, ""),
            opt (info.loudnessRangeLu, " LU"), info.truePeakDbtp ? formatDb (*info.truePeakDbtp) + " dBTP" : juce::String ("--"),
            note);
    }
    if (player.numReferences() == 0)
    {
        g.setColour (palette::textDim);
        g.setFont (fonts::label (14.0f));
        g.drawText ("No reference tracks in this session: add one to compare loudness-matched.", area.removeFromTop (30),
            juce::Justification::centredLeft);
    }
}

void ReferencePanel::resized()
{
    auto area = getLocalBounds().reduced (8, 6).withTrimmedTop (22);
    auto buttons = area.removeFromTop (40);
    masterButton.setBounds (buttons.removeFromLeft (120).reduced (2));
    for (auto* b : referenceButtons)
        b->setBounds (buttons.removeFromLeft (180).reduced (2));
    addButton.setBounds (buttons.removeFromRight (150).reduced (2));
    area.removeFromTop (8);
    auto options = area.removeFromTop (30);
    matchBox.setBounds (options.removeFromLeft (320).reduced (2));
    startBox.setBounds (options.removeFromLeft (280).reduced (2));
}

} // namespace crest::app
