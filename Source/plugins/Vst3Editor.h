#pragma once

#include <functional>
#include <memory>

namespace Steinberg
{
class IPlugView;
}

namespace crest::plugins
{

/** A VST3 plugin's own editor, for the app to embed in a native X11 window.

    The app makes it with Vst3PluginModule::createEditor(), gives it a window of the size
    width() x height() (for example a juce::Component on the desktop and its getWindowHandle()),
    calls attach() with that window's X11 ID, keeps the window's size in step (onResizeRequest
    when the plugin resizes itself, setSize() when the user does and canResize() allows it), and
    destroys the editor before the window. While it is attached, the app's message loop runs
    the plugin's timers and file-descriptor handlers (the Linux IRunLoop a VST3 editor asks its
    frame for), through JUCE's event loop (juce_events: no GUI module here). Calling
    Vst3PluginModule::updateController() on a timer shows parameter changes made elsewhere.
    Message thread only. */
class Vst3Editor
{
public:
    /** Takes over a view the controller created (one reference). */
    explicit Vst3Editor (Steinberg::IPlugView* view);

    /** Detaches (if attached) and releases the view. */
    ~Vst3Editor();

    /** Embeds the editor in an X11 window; false when the plugin cannot (no X11 support, or
        it refused). */
    bool attach (unsigned long x11Window);

    /** Takes it out of the window again. */
    void detach();

    /** The size the plugin wants, in pixels. */
    int width() const;
    int height() const;

    /** True when the user may resize it. */
    bool canResize() const;

    /** Tells the plugin its window was resized; false when it refuses the size. */
    bool setSize (int width, int height);

    /** Called when the plugin asks its window to take a new size (the app resizes the window;
        the editor then tells the plugin). */
    std::function<void (int width, int height)> onResizeRequest;

private:
    class Frame;
    Steinberg::IPlugView* view = nullptr;
    Frame* frame = nullptr;
    bool attached = false;
};

} // namespace crest::plugins
