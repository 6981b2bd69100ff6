#pragma once

#include "app/MainWindow.h"

namespace crest::app
{

/** `Crest --screenshot DIR`: shows the main views in turn with the meters running on the
    session (the player is driven offline, so no audio device is needed), renders each to
    DIR/<view>.png and lists the visible components of each view in DIR/components.txt.
    `Crest --screenshot FILE.png` writes the main window alone. Returns false on a write error. */
bool writeScreenshots (MainWindow&, Workstation&, const juce::File& target);

} // namespace crest::app
