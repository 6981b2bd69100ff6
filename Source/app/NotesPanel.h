#pragma once

// The Notes page beside the album timeline: every note of the session, the client's and the
// engineer's, with its track, time, version and open/done state.
//
// Design note: a view of session.notes; every change goes through session/Versions.h (addNote,
// setNoteDone, importNotes: one undo step each). Clicking a note plays from its place and,
// when it was heard on a version other than the working state, compares that version with
// the working state (the Workstation's comparison; C flips back). Importing reads the file
// with NotesFile::load, the code behind `crest notes import`, and shows its error unchanged.

#include "app/AlbumTimeline.h"
#include "app/Workstation.h"

namespace crest::app
{

/** The Notes page. */
class NotesPanel : public juce::Component, private juce::ChangeListener
{
public:
    NotesPanel (Workstation&, AlbumTimeline&);
    ~NotesPanel() override;

    /** Adds a note at the play head, to the track playing there, on the version heard (the
        newest version when the working state is heard). The text field's words, or `text`. */
    bool addAtPlayhead (const juce::String& text = {});

    /** Imports a notes.json file; false with `status` naming the file, note and field. */
    bool importFile (const juce::File& notesJson);

    /** Plays from a note (0-based) and switches to its version (see the design note). */
    void openNote (int note);

    /** Marks the selected note done (or open again). */
    void toggleDone();

    /** The selected note (-1: none). */
    int selectedNote = -1;

    /** The text of the next note, and who writes it. */
    juce::TextEditor textField;
    juce::ComboBox authorBox;

    /** What the last action said. */
    juce::String status;

    int preferredHeight() const;

    void paint (juce::Graphics&) override;
    void resized() override;
    void mouseDown (const juce::MouseEvent&) override;

private:
    void changeListenerCallback (juce::ChangeBroadcaster*) override;
    void update();

    Workstation& workstation;
    AlbumTimeline& timeline;
    juce::TextButton addButton { "Add at play head (N)" }, doneButton { "Mark done" }, importButton { "Import notes.json..." };
    std::vector<juce::Rectangle<int>> rowAreas;
    int listTop = 0;
    std::unique_ptr<juce::FileChooser> chooser;
};

} // namespace crest::app
