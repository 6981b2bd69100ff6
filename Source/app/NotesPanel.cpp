#include "app/NotesPanel.h"

#include "app/CrestLookAndFeel.h"
#include "live/ClientViewModel.h"
#include "session/NotesFile.h"
#include "session/Versions.h"

namespace crest::app
{

namespace
{
    constexpr int rowHeight = 40;
}

NotesPanel::NotesPanel (Workstation& w, AlbumTimeline& t) : workstation (w), timeline (t)
{
    setName ("NotesPanel");
    textField.setTextToShowWhenEmpty ("what is heard here", palette::textDim);
    textField.onReturnKey = [this] { addAtPlayhead(); };
    authorBox.addItem ("Engineer", 1);
    authorBox.addItem ("Client", 2);
    authorBox.setSelectedId (2, juce::dontSendNotification);
    addButton.setTooltip ("A note at the play head on the track playing, on the version heard (N)");
    addButton.onClick = [this] { addAtPlayhead(); };
    doneButton.onClick = [this] { toggleDone(); };
    importButton.setTooltip (
        "Notes the client saved on the review page (a notes.json file; dropping it on the window does the same)");
    importButton.onClick = [this]
    {
        chooser = std::make_unique<juce::FileChooser> ("Import notes", juce::File(), "*.json");
        chooser->launchAsync (juce::FileBrowserComponent::openMode | juce::FileBrowserComponent::canSelectFiles,
            [this] (const juce::FileChooser& c)
            {
                if (c.getResult().existsAsFile())
                    importFile (c.getResult());
            });
    };
    for (auto* c : std::initializer_list<juce::Component*> { &textField, &authorBox, &addButton, &doneButton, &importButton })
        addAndMakeVisible (c);
    workstation.addChangeListener (this);
    update();
}

NotesPanel::~NotesPanel()
{
    workstation.removeChangeListener (this);
}

bool NotesPanel::addAtPlayhead (const juce::String& given)
{
    const auto& s = workstation.session();
    const auto [track, seconds] = timeline.playheadInTrack();
    const auto text = (given.isNotEmpty() ? given : textField.getText()).trim();
    if (track < 0 || (size_t) track >= s.tracks.size())
    {
        status = "The play head is not in a track: put it where the note is about.";
        repaint();
        return false;
    }
    if (text.isEmpty())
    {
        status = "Type the note first, then press Return or N.";
        textField.grabKeyboardFocus();
        repaint();
        return false;
    }
    session::Note note;
    note.trackId = s.tracks[(size_t) track].id;
    note.timeSeconds = juce::jmax (0.0, seconds);
    note.text = text.toStdString();
    note.author = authorBox.getSelectedId() == 2 ? session::NoteAuthor::client : session::NoteAuthor::engineer;
    const auto& comparison = workstation.comparison();
    note.version = comparison.active() ? comparison.heard() : std::string();
    if (note.version.empty() && ! s.versions.empty())
        note.version = s.versions.back().name;
    try
    {
        session::addNote (workstation.editor(), note);
    }
    catch (const std::invalid_argument& e)
    {
        status = e.what();
        repaint();
        return false;
    }
    textField.clear();
    selectedNote = (int) workstation.session().notes.size() - 1;
    status = "Note " + juce::String (selectedNote + 1) + " on track " + juce::String (track + 1) + " at "
        + juce::String (live::clockText (note.timeSeconds));
    update();
    return true;
}

bool NotesPanel::importFile (const juce::File& file)
{
    try
    {
        const auto notes = session::NotesFile::load (file.getFullPathName().toStdString(), workstation.session());
        session::importNotes (workstation.editor(), notes);
        status = juce::String ((int) notes.size()) + " notes imported from " + file.getFileName();
        update();
        return true;
    }
    catch (const std::exception& e)
    {
        status = juce::String (e.what()) + " (nothing was imported)";
        repaint();
        return false;
    }
}

void NotesPanel::openNote (int index)
{
    const auto& s = workstation.session();
    if (index < 0 || (size_t) index >= s.notes.size())
        return;
    selectedNote = index;
    const auto& note = s.notes[(size_t) index];
    // Heard on a version that is not what plays now: compare it with the working state.
    const auto& comparison = workstation.comparison();
    if (! note.version.empty() && session::findVersion (s, note.version) != nullptr
        && ! (comparison.active() && comparison.heard() == note.version))
        workstation.compareVersions ("", note.version);
    timeline.seekToNote (index);
    update();
}

void NotesPanel::toggleDone()
{
    const auto& s = workstation.session();
    if (selectedNote < 0 || (size_t) selectedNote >= s.notes.size())
        return;
    session::setNoteDone (workstation.editor(), selectedNote, ! s.notes[(size_t) selectedNote].done);
    update();
}

void NotesPanel::changeListenerCallback (juce::ChangeBroadcaster*)
{
    update();
}

void NotesPanel::update()
{
    const auto& s = workstation.session();
    if (selectedNote >= (int) s.notes.size())
        selectedNote = -1;
    doneButton.setEnabled (selectedNote >= 0);
    doneButton.setButtonText (selectedNote >= 0 && s.notes[(size_t) selectedNote].done ? "Reopen" : "Mark done");
    const int wanted = preferredHeight();
    if (getWidth() > 0 && getHeight() != wanted)
        setSize (getWidth(), wanted);
    else
        resized();
    repaint();
}

int NotesPanel::preferredHeight() const
{
    return juce::jmax (200, 4 + 26 + 6 + 26 + 8 + 20 + (int) workstation.session().notes.size() * (rowHeight + 4) + 10);
}

void NotesPanel::resized()
{
    auto area = getLocalBounds().reduced (8, 4);
    auto line = area.removeFromTop (26);
    authorBox.setBounds (line.removeFromLeft (100).reduced (1));
    line.removeFromLeft (4);
    textField.setBounds (line.reduced (0, 1));
    area.removeFromTop (6);
    line = area.removeFromTop (26);
    addButton.setBounds (line.removeFromLeft (line.getWidth() * 4 / 10).reduced (1));
    doneButton.setBounds (line.removeFromLeft (line.getWidth() * 4 / 10).reduced (1));
    importButton.setBounds (line.reduced (1));
    area.removeFromTop (8);
    listTop = area.getY() + 20;
    rowAreas.clear();
    int y = listTop;
    for (size_t i = 0; i < workstation.session().notes.size(); ++i)
    {
        rowAreas.push_back ({ area.getX(), y, area.getWidth(), rowHeight });
        y += rowHeight + 4;
    }
}

void NotesPanel::paint (juce::Graphics& g)
{
    g.fillAll (palette::panel);
    const auto& s = workstation.session();
    const auto area = getLocalBounds().reduced (8, 0);
    int open = 0;
    for (const auto& n : s.notes)
        open += n.done ? 0 : 1;
    g.setFont (fonts::label (13.0f));
    g.setColour (status.contains ("nothing was imported") || status.contains ("there is") ? palette::warning : palette::textDim);
    g.drawFittedText (status.isNotEmpty() ? status
            : s.notes.empty() ? juce::String ("No notes yet. N adds one at the play head; drop a notes.json to import.")
                              : juce::String (open) + " open, " + juce::String ((int) s.notes.size() - open)
                + " done. Click a note to play from it on its version.",
        area.getX(), listTop - 20, area.getWidth(), 18, juce::Justification::centredLeft, 1, 0.9f);

    for (size_t i = 0; i < s.notes.size() && i < rowAreas.size(); ++i)
    {
        const auto& note = s.notes[i];
        const auto row = rowAreas[i];
        const bool selected = (int) i == selectedNote;
        auto colour = note.author == session::NoteAuthor::client ? palette::clientNote : palette::engineerNote;
        g.setColour (selected ? palette::panelRaised : palette::panel.brighter (0.03f));
        g.fillRoundedRectangle (row.toFloat(), 4.0f);
        g.setColour (selected ? palette::accent : palette::outline);
        g.drawRoundedRectangle (row.toFloat().reduced (0.5f), 4.0f, 1.0f);
        // The same disc as on the timeline.
        const auto disc = juce::Rectangle<float> ((float) row.getX() + 6.0f, (float) row.getY() + 6.0f, 16.0f, 16.0f);
        if (note.done)
        {
            g.setColour (colour.withSaturation (0.15f));
            g.drawEllipse (disc.reduced (0.5f), 1.2f);
        }
        else
        {
            g.setColour (colour);
            g.fillEllipse (disc);
        }
        g.setColour (note.done ? colour.withSaturation (0.15f) : palette::background);
        g.setFont (fonts::label (10.5f).boldened());
        g.drawText (juce::String ((int) i + 1), disc, juce::Justification::centred);

        const int track = session::trackIndex (s, note.trackId);
        juce::String where = "Track " + (track >= 0 ? juce::String (track + 1) : juce::String ("?")) + "  "
            + juce::String (live::clockText (note.timeSeconds));
        if (note.endSeconds)
            where << " - " << live::clockText (*note.endSeconds);
        where << "  " << session::authorName (note.author);
        if (! note.version.empty())
            where << "  on " << note.version;
        if (note.done)
            where << "  (done)";
        g.setColour (palette::textDim);
        g.setFont (fonts::label (12.0f));
        g.drawFittedText (
            where, row.getX() + 28, row.getY() + 3, row.getWidth() - 34, 16, juce::Justification::centredLeft, 1, 0.85f);
        g.setColour (note.done ? palette::textDim : palette::text);
        g.setFont (fonts::label (13.5f));
        g.drawFittedText (
            note.text, row.getX() + 28, row.getY() + 20, row.getWidth() - 34, 17, juce::Justification::centredLeft, 1, 0.85f);
    }
}

void NotesPanel::mouseDown (const juce::MouseEvent& e)
{
    for (size_t i = 0; i < rowAreas.size(); ++i)
        if (rowAreas[i].contains (e.getPosition()))
        {
            status.clear();
            openNote ((int) i);
            return;
        }
}

} // namespace crest::app
