#include "app/AlbumView.h"

#include "app/CrestLookAndFeel.h"

namespace crest::app
{

AlbumView::AlbumView (Workstation& w)
    : workstation (w), edits (w.editor()), timeline (w, edits), trackInspector (w, edits),
      albumInspector (w, edits, [this]() -> const std::optional<album::Timeline>& { return timeline.layout(); }),
      masters (w, timeline), findings (w, checks, masters, timeline), loudness (w, checks, edits, timeline), versions (w),
      notes (w, timeline)
{
    setName ("AlbumView");
    timeline.onSelect = [this] (int track)
    {
        trackInspector.showTrack (track);
        versions.selectedTrack = juce::jmax (0, track);
        versions.repaint();
    };
    timeline.onNoteClicked = [this] (int note)
    {
        notes.openNote (note);
        showPage (Page::notes);
    };
    trackInspector.showTrack (timeline.selectedTrack);

    trackPage.setViewedComponent (&trackInspector, false);
    albumPage.setViewedComponent (&albumInspector, false);
    findingsPage.setViewedComponent (&findings, false);
    versionsPage.setViewedComponent (&versions, false);
    notesPage.setViewedComponent (&notes, false);
    for (auto* page : { &trackPage, &albumPage, &findingsPage, &versionsPage, &notesPage })
        page->setScrollBarsShown (true, false);
    inspectors.setTabBarDepth (26);
    inspectors.setOutline (0);
    inspectors.addTab ("Track", palette::panel, &trackPage, false);
    inspectors.addTab ("Album", palette::panel, &albumPage, false);
    inspectors.addTab ("Loudness", palette::panel, &loudness, false);
    inspectors.addTab ("Findings", palette::panel, &findingsPage, false);
    inspectors.addTab ("Versions", palette::panel, &versionsPage, false);
    inspectors.addTab ("Notes", palette::panel, &notesPage, false);

    zoomOut.setTooltip ("Zoom out (-)");
    zoomIn.setTooltip ("Zoom in (+)");
    fit.setTooltip ("Show the whole album (F)");
    zoomOut.onClick = [this] { timeline.zoomBy (1.0 / 1.5, timeline.getWidth() / 2.0f); };
    zoomIn.onClick = [this] { timeline.zoomBy (1.5, timeline.getWidth() / 2.0f); };
    fit.onClick = [this] { timeline.zoomToFit(); };
    transitions.setTooltip ("The last N seconds of each track into the first N of the next, in order (T)");
    transitions.setClickingTogglesState (false);
    transitions.onClick = [this] { togglePlayTransitions(); };
    transitionSeconds.setSliderStyle (juce::Slider::IncDecButtons);
    transitionSeconds.setTextBoxStyle (juce::Slider::TextBoxLeft, false, 52, 22);
    transitionSeconds.setRange (2.0, 30.0, 1.0);
    transitionSeconds.setValue (6.0, juce::dontSendNotification);
    transitionSeconds.setTextValueSuffix (" s");
    transitionLabel.setText ("N =", juce::dontSendNotification);
    transitionLabel.setJustificationType (juce::Justification::centredRight);
    hint.setText ("Drag a title to reorder, a clip sideways for gap/crossfade, squares for fades, edges to trim, "
                  "the orange line for gain; right-click for curves",
        juce::dontSendNotification);
    snapLabel.setJustificationType (juce::Justification::centredRight);
    snapLabel.setTooltip ("With a CD or DDP target, every time on the timeline snaps to whole CD frames");
    for (auto* l : { &transitionLabel, &hint, &snapLabel })
    {
        l->setColour (juce::Label::textColourId, palette::textDim);
        l->setFont (fonts::label (13.0f));
        l->setMinimumHorizontalScale (1.0f);
    }
    for (auto* c : std::initializer_list<juce::Component*> { &timeline, &inspectors, &zoomOut, &zoomIn, &fit, &transitions,
             &transitionSeconds, &transitionLabel, &hint, &snapLabel })
        addAndMakeVisible (c);
    startTimerHz (30);
}

AlbumView::~AlbumView()
{
    trackPage.setViewedComponent (nullptr, false);
    albumPage.setViewedComponent (nullptr, false);
    findingsPage.setViewedComponent (nullptr, false);
    versionsPage.setViewedComponent (nullptr, false);
    notesPage.setViewedComponent (nullptr, false);
}

void AlbumView::showPage (Page page)
{
    inspectors.setCurrentTabIndex ((int) page);
}

void AlbumView::togglePlayTransitions()
{
    auto& player = workstation.player();
    if (follower != nullptr)
    {
        follower.reset();
        player.stop();
    }
    else if (player.sampleRate() > 0.0)
    {
        follower = std::make_unique<live::TransitionFollower> (
            live::transitionRanges (player.tracks(), player.sampleRate(), transitionSeconds.getValue()));
        if (follower->plan().empty())
            follower.reset();
        else
        {
            player.seek (follower->firstStart());
            player.play();
            sawPlaying = false;
        }
    }
    updateTransitionButton();
}

void AlbumView::updateTransitionButton()
{
    transitions.setButtonText (follower != nullptr ? "Stop transitions (" + juce::String ((int) follower->current() + 1) + " of "
                + juce::String ((int) follower->plan().size()) + ")"
                                                   : juce::String ("Play transitions (T)"));
    transitions.setToggleState (follower != nullptr, juce::dontSendNotification);
}

void AlbumView::timerCallback()
{
    const bool snaps = album::snapsToCdFrames (workstation.session());
    const juce::String snapText = snaps ? "Snap: CD frames" : "Snap: off (no CD)";
    if (snapLabel.getText() != snapText)
        snapLabel.setText (snapText, juce::dontSendNotification);
    if (follower == nullptr)
        return;
    auto& player = workstation.player();
    if (player.isPlaying())
        sawPlaying = true;
    else if (sawPlaying)
    {
        // Stopped by the engineer (space, the transport): the run ends with it.
        follower.reset();
        updateTransitionButton();
        return;
    }
    const auto before = follower->current();
    switch (follower->follow (player.position()))
    {
        case live::TransitionFollower::Action::seek:
            player.seek (follower->seekTarget());
            break;
        case live::TransitionFollower::Action::stop:
            player.stop();
            follower.reset();
            break;
        case live::TransitionFollower::Action::keepPlaying:
            break;
    }
    if (follower == nullptr || follower->current() != before)
        updateTransitionButton();
}

bool AlbumView::handleKey (const juce::KeyPress& key)
{
    if (key.getModifiers().isCommandDown() || key.getModifiers().isAltDown())
        return false;
    const auto c = key.getTextCharacter();
    if (c == 't' || c == 'T')
    {
        togglePlayTransitions();
        return true;
    }
    if (c == 'c' || c == 'C')
    {
        // Not comparing yet: the newest version against the working state.
        if (! workstation.toggleComparison() && ! workstation.session().versions.empty())
            workstation.compareVersions ("", workstation.session().versions.back().name);
        versions.repaint();
        return true;
    }
    if ((c == 'n' || c == 'N') && isShowing())
    {
        showPage (Page::notes);
        if (notes.textField.getText().trim().isEmpty())
            notes.textField.grabKeyboardFocus(); // type, then Return adds it at the play head
        else
            notes.addAtPlayhead();
        return true;
    }
    return isShowing() && timeline.handleKey (key);
}

void AlbumView::paint (juce::Graphics& g)
{
    g.fillAll (palette::panel);
}

void AlbumView::resized()
{
    auto area = getLocalBounds().reduced (6, 4);
    auto bar = area.removeFromTop (28);
    zoomOut.setBounds (bar.removeFromLeft (30).reduced (1));
    zoomIn.setBounds (bar.removeFromLeft (30).reduced (1));
    fit.setBounds (bar.removeFromLeft (46).reduced (1));
    bar.removeFromLeft (14);
    transitions.setBounds (bar.removeFromLeft (190).reduced (1));
    transitionLabel.setBounds (bar.removeFromLeft (36));
    transitionSeconds.setBounds (bar.removeFromLeft (120).reduced (1));
    bar.removeFromLeft (12);
    snapLabel.setBounds (bar.removeFromRight (juce::jmin (130, bar.getWidth() / 3)));
    hint.setBounds (bar);
    hint.setVisible (bar.getWidth() > 300);
    area.removeFromTop (4);

    // The inspectors take a side column when there is width for both, else the bottom.
    // The pages take a side column: the timeline needs height for its two lanes more than width.
    auto inspectorArea = area.removeFromRight (juce::jlimit (300, 520, area.getWidth() * 34 / 100));
    area.removeFromRight (6);
    timeline.setBounds (area);
    inspectors.setBounds (inspectorArea);
    const int width = inspectorArea.getWidth() - trackPage.getScrollBarThickness() - 2;
    trackInspector.setSize (width, trackInspector.preferredHeight());
    albumInspector.setSize (width, albumInspector.preferredHeight());
    findings.setSize (width, findings.preferredHeight());
    versions.setSize (width, versions.preferredHeight());
    notes.setSize (width, notes.preferredHeight());
}

} // namespace crest::app
