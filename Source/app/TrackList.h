#pragma once

// The album's running order as a list, with the selected track's title, gap and gain.
//
// Design note: the list is a view of the session document. Every change goes through the
// Workstation's SessionEditor as one named undo step (a slider drag folds into one step), and
// the list redraws from the document when the Workstation broadcasts a change; it keeps no copy of
// the album of its own, so undo, a file opened or an edit made elsewhere can never leave it
// showing a stale order.

#include "app/Workstation.h"

namespace crest::app
{

/** The album view: the running order with each track's start, length, gap, gain and ISRC, and
    the selected track's title, gap and gain to edit (each edit undoable). Double-click a track
    to play from it; drag a row to move the track; drop audio files on the window to add tracks. */
class TrackList : public juce::Component, private juce::ListBoxModel, private juce::ChangeListener
{
public:
    explicit TrackList (Workstation&);
    ~TrackList() override;

    void paint (juce::Graphics&) override;
    void resized() override;

private:
    int getNumRows() override;
    void paintListBoxItem (int row, juce::Graphics&, int width, int height, bool selected) override;
    void listBoxItemDoubleClicked (int row, const juce::MouseEvent&) override;
    void selectedRowsChanged (int lastRowSelected) override;
    void changeListenerCallback (juce::ChangeBroadcaster*) override;
    void showSelected();

    Workstation& workstation;
    juce::ListBox list { "TrackList", this };
    juce::TextEditor titleEditor;
    juce::Slider gapSlider, gainSlider;
    juce::TextButton upButton { "Move up" }, downButton { "Move down" }, removeButton { "Remove" };
    juce::Label titleLabel, gapLabel, gainLabel;
    int selectedTrack = -1;
};

} // namespace crest::app
