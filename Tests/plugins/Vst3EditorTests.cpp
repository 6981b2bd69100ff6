// The engine-level API the app's editor window uses for a VST3 plugin's own editor
// (plugins::Vst3Editor): made from the module, sized, embedded in an X11 window and taken out
// again. Needs an X display (run under xvfb-run); without one the test says so and passes.

#include "engine/ModuleIds.h"
#include "engine/PluginSlots.h"
#include "plugins/PluginHosting.h"
#include "plugins/Vst3Editor.h"
#include "plugins/Vst3Library.h"
#include "plugins/Vst3PluginModule.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <dlfcn.h>
#include <thread>

using namespace crest;

TEST_CASE ("A VST3 plugin's editor is embedded in an X11 window and taken out again", "[plugins][vst3][editor]")
{
    if (std::getenv ("DISPLAY") == nullptr)
    {
        WARN ("no X display: the editor is not tried (run under xvfb-run)");
        return;
    }
    // Xlib through dlopen: the tests link no GUI library; this only makes a window to embed in.
    void* x11 = ::dlopen ("libX11.so.6", RTLD_NOW | RTLD_LOCAL);
    REQUIRE (x11 != nullptr);
    using Open = void* (*) (const char*);
    using Root = unsigned long (*) (void*);
    using Create = unsigned long (*) (void*, unsigned long, int, int, unsigned, unsigned, unsigned, unsigned long, unsigned long);
    using Window = int (*) (void*, unsigned long);
    using Display = int (*) (void*);
    auto openDisplay = reinterpret_cast<Open> (::dlsym (x11, "XOpenDisplay"));
    auto defaultRoot = reinterpret_cast<Root> (::dlsym (x11, "XDefaultRootWindow"));
    auto createWindow = reinterpret_cast<Create> (::dlsym (x11, "XCreateSimpleWindow"));
    auto mapWindow = reinterpret_cast<Window> (::dlsym (x11, "XMapWindow"));
    auto destroyWindow = reinterpret_cast<Window> (::dlsym (x11, "XDestroyWindow"));
    auto flush = reinterpret_cast<Display> (::dlsym (x11, "XFlush"));
    void* display = openDisplay (nullptr);
    REQUIRE (display != nullptr);
    // As a host application does (Crest's app: JUCE's handler): X errors are not fatal. A
    // JUCE-built plugin installs no handler of its own, and under a bare X server (no window
    // manager, so no WM_STATE atom) its editor asks for a property of atom 0 when attached.
    using Handler = int (*) (void*, void*);
    auto setErrorHandler = reinterpret_cast<Handler (*) (Handler)> (::dlsym (x11, "XSetErrorHandler"));
    setErrorHandler ([] (void*, void*) { return 0; });

    plugins::addVst3Folder (CREST_TEST_VST3);
    std::string reason;
    auto library = plugins::Vst3Library::open (CREST_TEST_VST3, reason);
    REQUIRE (library != nullptr);
    const auto d = plugins::describeVst3 (CREST_TEST_VST3, library->classes()[0].id, reason);
    REQUIRE (d != nullptr);
    auto module = plugins::Vst3PluginModule::create (d, {}, reason);
    REQUIRE (module != nullptr);
    module->prepare (48000.0, 512);
    CHECK (module->hasEditor());
    CHECK_FALSE (module->valueText (0).empty()); // the plugin's own text ("0.0")

    auto editor = module->createEditor();
    REQUIRE (editor != nullptr);
    INFO ("editor size " << editor->width() << " x " << editor->height());
    CHECK (editor->width() > 0);
    CHECK (editor->height() > 0);
    const auto window
        = createWindow (display, defaultRoot (display), 0, 0, (unsigned) editor->width(), (unsigned) editor->height(), 0, 0, 0);
    mapWindow (display, window);
    flush (display);
    CHECK (editor->attach (window));
    std::this_thread::sleep_for (std::chrono::milliseconds (300));
    // A parameter set by Crest reaches the controller the editor shows.
    module->findParameter ("gain")->set (0.75f);
    module->updateController();
    CHECK (module->valueText (0).find ("12") != std::string::npos); // +12.0 dB
    editor->detach();
    editor.reset();
    destroyWindow (display, window);
    flush (display);
}
