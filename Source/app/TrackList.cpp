#include "app/TrackList.h"

#include "app/CrestLookAndFeel.h"

namespace crest::app
{

namespace
{
    juce::String duration (int64_t samples, double rate)
    {
        if (rate <= 0.0)
            return "--:--";
        const double seconds = (double) samples / rate;
        return juce::String ((int) seconds / 60) + ":" + juce::String ((int) seconds % 60).paddedLeft ('0', 2);
    }
} // namespace

TrackList::TrackList (Workstation& w) : workstation (w)
{
    setName ("TrackList");
    list.setRowHeight (30);
    list.setColour (juce::ListBox::backgroundColourId, palette::panel);
    addAndMakeVisible (list);

    titleEditor.onReturnKey = titleEditor.onFocusLost = [this]
    {
        if (selectedTrack >= 0)
            if (workstation.editor().setTrackTitle (selectedTrack, titleEditor.getText().toStdString()))
                workstation.sendChangeMessage();
    };
    auto setUpSlider = [this] (juce::Slider& s, double low, double high, const juce::String& suffix)
    {
        s.setSliderStyle (juce::Slider::LinearHorizontal);
        s.setTextBoxStyle (juce::Slider::TextBoxRight, false, 80, 22);
        s.setRange (low, high, 0.1);
        s.setTextValueSuffix (suffix);
        s.onDragEnd = [this] { workstation.endGesture(); };
        addAndMakeVisible (s);
    };
    setUpSlider (gapSlider, 0.0, 10.0, " s");
    gapSlider.setDoubleClickReturnValue (true, 2.0);
    gapSlider.onValueChange = [this]
    {
        if (selectedTrack >= 0 && workstation.editor().setTrackGap (selectedTrack, gapSlider.getValue()))
            workstation.sendChangeMessage();
    };
    setUpSlider (gainSlider, -24.0, 12.0, " dB");
    gainSlider.setDoubleClickReturnValue (true, 0.0);
    gainSlider.onValueChange = [this]
    {
        if (selectedTrack >= 0 && workstation.editor().setTrackGain (selectedTrack, gainSlider.getValue()))
            workstation.sendChangeMessage();
    };
    upButton.onClick = [this]
    {
        if (workstation.editor().moveTrack (selectedTrack, selectedTrack - 1))
        {
            list.selectRow (--selectedTrack);
            workstation.sendChangeMessage();
        }
    };
    downButton.onClick = [this]
    {
        if (workstation.editor().moveTrack (selectedTrack, selectedTrack + 1))
        {
            list.selectRow (++selectedTrack);
            workstation.sendChangeMessage();
        }
    };
    removeButton.onClick = [this]
    {
        if (workstation.editor().removeTrack (selectedTrack))
            workstation.sendChangeMessage();
    };
    for (auto* label : { &titleLabel, &gapLabel, &gainLabel })
    {
        label->setColour (juce::Label::textColourId, palette::textDim);
        addAndMakeVisible (label);
    }
    titleLabel.setText ("Title", juce::dontSendNotification);
    gapLabel.setText ("Gap before", juce::dontSendNotification);
    gainLabel.setText ("Gain", juce::dontSendNotification);
    for (auto* c : std::initializer_list<juce::Component*> { &titleEditor, &upButton, &downButton, &removeButton })
        addAndMakeVisible (c);
    workstation.addChangeListener (this);
    list.selectRow (0);
}

TrackList::~TrackList()
{
    workstation.removeChangeListener (this);
}

int TrackList::getNumRows()
{
    return (int) workstation.session().tracks.size();
}

void TrackList::paintListBoxItem (int row, juce::Graphics& g, int width, int height, bool selected)
{
    const auto& tracks = workstation.session().tracks;
    if (row < 0 || row >= (int) tracks.size())
        return;
    const auto& track = tracks[(size_t) row];
    auto& player = workstation.player();
    const bool playing = player.currentTrack() == row;
    if (selected)
        g.fillAll (palette::accent.withAlpha (0.18f));
    auto area = juce::Rectangle<int> (0, 0, width, height).reduced (8, 0);
    g.setColour (playing ? palette::warning : palette::textDim);
    g.setFont (fonts::figure (16.0f));
    g.drawText (juce::String (row + 1), area.removeFromLeft (30), juce::Justification::centredLeft);
    g.setColour (palette::text);
    g.setFont (fonts::label (15.0f));
    const juce::String title
        = track.title.empty() ? juce::File (track.source).getFileNameWithoutExtension() : juce::String (track.title);
    g.drawText (title, area.removeFromLeft (juce::jmax (120, width - 460)), juce::Justification::centredLeft);
    g.setColour (palette::textDim);
    g.setFont (fonts::label (13.0f));
    if (row < (int) player.tracks().size())
    {
        const auto& placement = player.tracks()[(size_t) row];
        g.drawText (
            "at " + duration (placement.start, player.sampleRate()), area.removeFromLeft (80), juce::Justification::centredLeft);
        g.drawText (duration (placement.length, player.sampleRate()), area.removeFromLeft (60), juce::Justification::centredLeft);
    }
    else
        area.removeFromLeft (140);
    g.drawText (track.crossfade ? "xfade " + juce::String (track.crossfade->seconds, 1) + " s"
                                : "gap " + juce::String (track.gapSeconds, 1) + " s",
        area.removeFromLeft (90), juce::Justification::centredLeft);
    g.drawText ((track.gainDb >= 0 ? "+" : "") + juce::String (track.gainDb, 1) + " dB", area.removeFromLeft (70),
        juce::Justification::centredLeft);
    g.drawText (
        track.isrc.empty() ? juce::String ("no ISRC") : juce::String (track.isrc), area, juce::Justification::centredLeft);
}

void TrackList::listBoxItemDoubleClicked (int row, const juce::MouseEvent&)
{
    workstation.player().jumpToTrack (row);
    workstation.player().play();
}

void TrackList::selectedRowsChanged (int lastRowSelected)
{
    selectedTrack = lastRowSelected;
    showSelected();
}

void TrackList::showSelected()
{
    const auto& tracks = workstation.session().tracks;
    const bool valid = selectedTrack >= 0 && selectedTrack < (int) tracks.size();
    for (auto* c :
        std::initializer_list<juce::Component*> { &titleEditor, &gapSlider, &gainSlider, &upButton, &downButton, &removeButton })
        c->setEnabled (valid);
    if (! valid)
        return;
    const auto& track = tracks[(size_t) selectedTrack];
    if (! titleEditor.hasKeyboardFocus (true))
        titleEditor.setText (track.title, juce::dontSendNotification);
    gapSlider.setValue (track.gapSeconds, juce::dontSendNotification);
    gainSlider.setValue (track.gainDb, juce::dontSendNotification);
}

void TrackList::changeListenerCallback (juce::ChangeBroadcaster*)
{
    list.updateContent();
    list.repaint();
    showSelected();
}

void TrackList::paint (juce::Graphics& g)
{
    auto area = drawPanel (g, getLocalBounds(), "Album");
    const auto& album = workstation.session().album;
    g.setColour (palette::text);
    g.setFont (fonts::figure (20.0f));
    const juce::String title = album.title.empty() ? juce::String ("Untitled album") : juce::String (album.title);
    g.drawText (title + (album.performer.empty() ? juce::String() : "  -  " + juce::String (album.performer)),
        area.removeFromTop (28), juce::Justification::centredLeft);
}

void TrackList::resized()
{
    auto area = getLocalBounds().reduced (8, 6).withTrimmedTop (46);
    auto editorArea = area.removeFromBottom (96);
    list.setBounds (area);
    editorArea.removeFromTop (6);
    auto row = editorArea.removeFromTop (28);
    titleLabel.setBounds (row.removeFromLeft (80));
    titleEditor.setBounds (row.removeFromLeft (320).reduced (0, 2));
    row.removeFromLeft (12);
    upButton.setBounds (row.removeFromLeft (90).reduced (2));
    downButton.setBounds (row.removeFromLeft (90).reduced (2));
    removeButton.setBounds (row.removeFromLeft (80).reduced (2));
    editorArea.removeFromTop (6);
    row = editorArea.removeFromTop (28);
    gapLabel.setBounds (row.removeFromLeft (80));
    gapSlider.setBounds (row.removeFromLeft (320));
    row.removeFromLeft (12);
    gainLabel.setBounds (row.removeFromLeft (50));
    gainSlider.setBounds (row.removeFromLeft (320));
}

} // namespace crest::app
