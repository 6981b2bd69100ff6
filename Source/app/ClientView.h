#pragma once

// The client view: a second, read-only window for the client in the room (Window > Client
// view; full screen on a second display when there is one).
//
// Design note: it is built from a `const live::ClientFeed&` and nothing else, so no path from
// it reaches the SessionEditor or a Workstation mutator (ClientView.cpp static_asserts that it
// cannot be made from either). It paints every readout itself from live::ClientViewModel, the
// GUI-free model that works out the texts, and has no child that takes input:
// ClientView::editableChildren() lists any that would (screenshot mode asserts it is empty).

#include "live/ClientViewModel.h"

#include <juce_gui_basics/juce_gui_basics.h>

namespace crest::app
{

/** What the client sees (see the design note). */
class ClientView : public juce::Component, private juce::Timer
{
public:
    /** Reads only through `feed`, which must outlive the view. */
    explicit ClientView (const live::ClientFeed& feed);

    /** Asks the feed again now (the timer does, 10 times a second); `time` stamps new log lines
        (empty: the clock now). */
    void refresh (const std::string& time = {});

    /** The names of any descendants that could take an edit (buttons, text fields, sliders,
        lists, anything wanting clicks or keys): empty for a read-only view. */
    juce::StringArray editableChildren() const;

    const live::ClientViewModel& model() const noexcept { return viewModel; }

    void paint (juce::Graphics&) override;

private:
    void timerCallback() override { refresh(); }

    live::ClientViewModel viewModel;
};

/** The window that holds the client view. Closing it only hides it. */
class ClientWindow : public juce::DocumentWindow
{
public:
    explicit ClientWindow (const live::ClientFeed& feed);

    /** Full screen on the second display when there is one, else a window beside the main one. */
    void placeOnDisplays();

    void closeButtonPressed() override { setVisible (false); }

    ClientView& view() noexcept { return *content; }

private:
    ClientView* content;
};

} // namespace crest::app
