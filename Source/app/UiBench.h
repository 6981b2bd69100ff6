#pragma once

#include "app/MainWindow.h"

namespace crest::app
{

/** `Crest --bench-ui`: with the session playing through a simulated device (a thread pulling
    blocks at real-time pace, as a sound card would), measures
      - the message thread's CPU time while the window runs its 60 Hz meter clock and repaints,
        as a share of one core (target under 15 %), and the cost of drawing the meter bridge and
        the spectrum alone per frame, as the same share at 60 frames a second;
      - the time from launch to a responsive window (target under 2 s).
    Prints the figures and calls `done` with the process's exit status. */
void runUiBench (MainWindow&, Workstation&, double launchToResponsiveMs, std::function<void (int)> done);

} // namespace crest::app
