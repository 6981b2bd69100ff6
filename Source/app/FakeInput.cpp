#include "app/FakeInput.h"

// X11's headers define KeyPress, None, Bool...: kept in this file, away from JUCE's names.
#include <X11/Xlib.h>
#include <X11/extensions/XTest.h>

#include <cstdlib>

namespace crest::app
{

bool fakeMouseWheel (int screenX, int screenY, int clicks)
{
    Display* display = XOpenDisplay (nullptr);
    if (display == nullptr)
        return false;
    int event = 0, error = 0, major = 0, minor = 0;
    const bool ok = XTestQueryExtension (display, &event, &error, &major, &minor);
    if (ok)
    {
        XTestFakeMotionEvent (display, -1, screenX, screenY, 0);
        const unsigned button = clicks > 0 ? 4 : 5; // X's wheel up and down
        for (int i = 0; i < std::abs (clicks); ++i)
        {
            XTestFakeButtonEvent (display, button, True, 0);
            XTestFakeButtonEvent (display, button, False, 0);
        }
        XFlush (display);
    }
    XCloseDisplay (display);
    return ok;
}

bool fakeMouseClick (int screenX, int screenY)
{
    Display* display = XOpenDisplay (nullptr);
    if (display == nullptr)
        return false;
    int event = 0, error = 0, major = 0, minor = 0;
    const bool ok = XTestQueryExtension (display, &event, &error, &major, &minor);
    if (ok)
    {
        XTestFakeMotionEvent (display, -1, screenX, screenY, 0);
        XTestFakeButtonEvent (display, 1, True, 0);
        XTestFakeButtonEvent (display, 1, False, 30); // a person's click lasts a moment
        XFlush (display);
    }
    XCloseDisplay (display);
    return ok;
}

} // namespace crest::app
