#pragma once

// A self-check of the album timeline's mouse, run by the tests under a virtual X server
// (Crest --check-timeline-drags): the real AlbumTimeline in the real window gets the mouse
// events a hand makes (down, twenty drags, up) on a title bar (reorder), a clip's body (the gap,
// then past zero into a crossfade), a fade handle, INDEX 00 and an extra index marker. Each
// drag must be exactly one undo step (undo gives back the session before it, byte for byte in
// its JSON, and the step before it; redo gives the dragged one), and the dragged session is
// checked field by field against where the mouse went.

#include "app/AlbumView.h"

namespace crest::app
{

/** Runs every drag on the album view's timeline; returns true when each was one undo step with
    the expected fields. `report` gets a line per drag. The session is left as the drags made it. */
bool checkTimelineDrags (AlbumView& view, juce::String& report);

} // namespace crest::app
