#pragma once

// Input as a person's mouse makes it, for the check modes: through X's test extension (XTest), so
// that a window Crest does not draw (a plugin's own editor) receives it as from the real mouse.

namespace crest::app
{

/** Moves the pointer to a screen point and turns the wheel `clicks` notches (up when positive).
    False when the X server has no test extension. */
bool fakeMouseWheel (int screenX, int screenY, int clicks);

/** Moves the pointer to a screen point and clicks the left button there. False when the X server
    has no test extension. */
bool fakeMouseClick (int screenX, int screenY);

} // namespace crest::app
