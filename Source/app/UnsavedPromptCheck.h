#pragma once

// A self-check the app runs under a virtual X server for the tests (Crest --check-unsaved-prompts
// OTHER.crest): with unsaved edits, quitting, closing the session and opening another each ask
// first, and Cancel keeps the session as it was. It drives the same calls as the menu, the
// window's close button and File > Open Recent, finds the question on the screen as a person
// would, and presses its Cancel button.

#include "app/MainWindow.h"

#include <functional>

namespace crest::app
{

/** Runs the check on the message thread, a step at a time (the question is asynchronous), and
    calls `done` with 0 when every action asked and Cancel kept the session, 1 otherwise. What
    it sees is printed on stdout ("Crest: unsaved prompt: ..."). */
void checkUnsavedPrompts (MainComponent& main, const juce::File& otherSession, std::function<void (int status)> done);

} // namespace crest::app
