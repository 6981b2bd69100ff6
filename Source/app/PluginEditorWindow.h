#pragma once

// A plugin's own editor in a window of its own: for LV2, the plugin's X11 UI loaded through suil
// and embedded in the window (its parent is the window's X11 window, ui:parent), as Ardour and
// Carla host them.
//
// Design note: the UI talks to the document, never to the running plugin. A control it moves
// arrives as a port write (a float for a control port) and becomes
// Workstation::setParameter for that port's parameter, the same undoable path as Crest's own
// knobs; a change of the document (an edit in the generic panel, undo, redo) goes back to the UI
// as a port event. A write ends its undo step once the UI has been quiet for a moment (LV2 UIs
// need not say when a drag ends). The UI runs on the message thread: its idle() is called from
// a timer. Output ports (meters the UI may draw) are not fed: the running instance is the
// engine's, and it does not publish its output controls.
//
// A VST3 plugin's editor (the engine's plugins::Vst3Editor) is embedded the same way, in the
// window's X11 window; its edits become Workstation::setParameter, and the document's values
// reach it through the running module's updateController() on a timer.

#include "app/Workstation.h"

#include <juce_gui_basics/juce_gui_basics.h>

#include <string>

namespace crest::app
{

/** Empty when Crest can show this plugin's own UI, else why not ("has no UI of its own", "its UI
    is for GTK, which this build cannot embed", ...). A VST3 slot is asked through its running module. */
std::string nativeEditorProblem (const Workstation&, const std::string& moduleId, const engine::PluginReference&);

/** Opens the own editor of the plugin in a slot of the session's chain (or brings its window to
    the front). False with `error` set when it cannot be shown. */
bool openPluginEditor (Workstation&, const std::string& moduleId, juce::String& error);

/** The window showing a slot's editor, or nullptr. */
juce::DocumentWindow* pluginEditorWindow (const std::string& moduleId);

/** The editor's window as the screen shows it, plugin drawing included (read back from the X
    server, since the plugin draws into a window that is not JUCE's); null when not shown. */
juce::Image capturePluginEditor (const std::string& moduleId);

/** Closes every plugin editor window (before the workstation goes, at shutdown). */
void closePluginEditors();

} // namespace crest::app
