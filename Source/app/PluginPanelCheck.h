#pragma once

#include "app/MainWindow.h"

#include <functional>

namespace crest::app
{

/** `Crest --check-plugin-panel DIR [--scan-folder FOLDER] [--plugin URI --parameter ID]`: drives
    the plugin parts of the window as a person would and checks what the engine makes of it.

    It scans FOLDER through the "Scan plugins..." window (the standard folders when none is given),
    adds the plugin (x42's stereo EQ by default) through the Add menu's own code, sets a
    parameter (its output gain by default) to +6 dB by moving the generic panel's control, and
    checks that the document, the running chain's parameter and a render of the chain (a -20 dBFS
    sine) changed by that much; clicks the slot's Bypass, S and x and drags it (undoing each);
    opens the plugin's own editor (X11 UI through suil), moves the
    parameter again and checks that the editor redrew, then turns the editor's own knob with the
    mouse wheel (XTest; --ui-knob X,Y says where it is) and checks the document followed; adds a slot for a plugin this machine
    lacks and checks its placeholder panel and the state it keeps. Writes DIR/plugin-*.png (the
    scan window; the Add menu, the panel, the editor and the placeholder at 1280x720 and
    1920x1080) and reports each check on stdout. `done` gets 0 when every check passed. */
void runPluginPanelCheck (
    MainWindow&, Workstation&, const juce::File& folder, const juce::StringArray& options, std::function<void (int)> done);

} // namespace crest::app
