#include "app/PluginEditorWindow.h"

#include "app/CrestLookAndFeel.h"
#include "engine/ModuleIds.h"
#include "engine/PluginSlots.h"
#include "plugins/Lv2World.h"
#include "plugins/Vst3Editor.h"
#include "plugins/Vst3PluginModule.h"

#include <lv2/atom/atom.h>
#include <lv2/options/options.h>
#include <lv2/ui/ui.h>
#include <lv2/urid/urid.h>
#include <suil/suil.h>

#include <X11/Xlib.h>
#include <X11/Xutil.h>

#include <map>
#include <memory>

namespace crest::app
{

namespace
{
    constexpr const char* x11UiType = LV2_UI__X11UI;

    /** Where a plugin's UI is and what kind it is, chosen as suil would embed it best. */
    struct UiChoice
    {
        std::string uri, type, bundle, binary;
        std::string problem; ///< empty when usable
    };

    std::string filePath (const LilvNode* uri)
    {
        char* path = lilv_file_uri_parse (lilv_node_as_uri (uri), nullptr);
        std::string result = path != nullptr ? path : "";
        lilv_free (path);
        return result;
    }

    UiChoice chooseUi (const engine::PluginReference& plugin)
    {
        UiChoice choice;
        if (plugin.format != engine::ids::pluginFormats::lv2)
        {
            choice.problem = "Crest shows the own editors of LV2 plugins only (this one is " + plugin.format + ")";
            return choice;
        }
        auto& world = plugins::Lv2World::shared();
        const auto* lilvPlugin = world.find (plugin.id);
        if (lilvPlugin == nullptr)
        {
            choice.problem = "the plugin is not installed on this machine";
            return choice;
        }
        LilvUIs* uis = lilv_plugin_get_uis (lilvPlugin);
        LilvNode* host = lilv_new_uri (world.lilv(), x11UiType);
        unsigned best = 0;
        bool any = false;
        LILV_FOREACH (uis, i, uis)
        {
            any = true;
            const LilvUI* ui = lilv_uis_get (uis, i);
            const LilvNode* type = nullptr;
            // Only UIs whose window can live inside an X11 window: X11 itself (quality 1, direct).
            const unsigned quality = lilv_ui_is_supported (ui, suil_ui_supported, host, &type);
            if (quality > 0 && type != nullptr && (best == 0 || quality < best))
            {
                best = quality;
                choice.uri = lilv_node_as_uri (lilv_ui_get_uri (ui));
                choice.type = lilv_node_as_uri (type);
                choice.bundle = filePath (lilv_ui_get_bundle_uri (ui));
                choice.binary = filePath (lilv_ui_get_binary_uri (ui));
            }
        }
        lilv_node_free (host);
        lilv_uis_free (uis);
        if (! any)
            choice.problem = "it has no UI of its own: its parameters are all in the panel";
        else if (best == 0)
            choice.problem = "its UI is of a kind this build cannot embed in an X11 window";
        return choice;
    }

    /** A window holding a plugin's own editor in its X11 window (LV2 through suil, or VST3). */
    class PluginWindow : public juce::DocumentWindow
    {
    public:
        PluginWindow (const engine::ModuleDescription& module)
            : juce::DocumentWindow (juce::String (engine::displayNameOf (module)) + " - " + juce::String (module.id),
                palette::panel, juce::DocumentWindow::closeButton),
              moduleId (module.id)
        {
            setName ("PluginEditorWindow:" + module.id);
            setUsingNativeTitleBar (true); // the content, and so the plugin's window, starts at the peer's (0, 0)
            holder.setSize (480, 320);
            setContentNonOwned (&holder, true);
        }

        ~PluginWindow() override
        {
            clearContentComponent();
            if (display != nullptr)
                XCloseDisplay (display);
        }

        void closeButtonPressed() override;

        /** Lets go of a running module about to be freed (VST3 editors hold one). */
        virtual void beforeModulesFreed (bool /*all*/) { }

        /** Lets go of everything of the plugin's (the window is hidden, deleted a moment later). */
        virtual void closing() { }

        const std::string moduleId;

        /** The window's pixels from the X server (the plugin's drawing included). */
        juce::Image capture()
        {
            auto* peer = getPeer();
            if (display == nullptr || peer == nullptr)
                return {};
            XSync (display, False);
            const auto window = (Window) (juce::pointer_sized_uint) peer->getNativeHandle();
            XWindowAttributes attributes;
            if (XGetWindowAttributes (display, window, &attributes) == 0)
                return {};
            XImage* x = XGetImage (
                display, window, 0, 0, (unsigned) attributes.width, (unsigned) attributes.height, AllPlanes, ZPixmap);
            if (x == nullptr)
                return {};
            juce::Image image (juce::Image::RGB, attributes.width, attributes.height, false);
            juce::Image::BitmapData pixels (image, juce::Image::BitmapData::writeOnly);
            for (int y = 0; y < attributes.height; ++y)
                for (int px = 0; px < attributes.width; ++px)
                {
                    const auto v = XGetPixel (x, px, y);
                    pixels.setPixelColour (px, y,
                        juce::Colour (
                            (juce::uint8) ((v >> 16) & 0xff), (juce::uint8) ((v >> 8) & 0xff), (juce::uint8) (v & 0xff)));
                }
            XDestroyImage (x);
            return image;
        }

    protected:
        /** The content: the plugin's window lives in the peer, over this component's area. */
        struct Holder : juce::Component
        {
            std::function<void()> onResized;
            void resized() override
            {
                if (onResized)
                    onResized();
            }
        };

        Holder holder;
        Display* display = nullptr;
    };

    /** One open LV2 editor: the window, the suil instance inside it, and the wiring both ways. */
    class EditorWindow : public PluginWindow, private juce::ChangeListener, private juce::Timer
    {
    public:
        EditorWindow (Workstation& w, const engine::ModuleDescription& module, std::shared_ptr<const plugins::Lv2Description> d)
            : PluginWindow (module), workstation (w), pluginUri (module.plugin.id), description (std::move (d))
        {
            lastSent.assign (description->parameters.size(), std::numeric_limits<float>::quiet_NaN());
        }

        ~EditorWindow() override
        {
            stopTimer();
            clearContentComponent();
            workstation.removeChangeListener (this);
            if (instance != nullptr)
                suil_instance_free (instance);
            if (host != nullptr)
                suil_host_free (host);
        }

        bool open (const UiChoice& ui, juce::String& error)
        {
            centreWithSize (holder.getWidth(), holder.getHeight());
            setVisible (true);
            auto* peer = getPeer();
            if (peer == nullptr)
            {
                error = "the window has no X11 window to embed the plugin's UI in";
                return false;
            }
            display = XOpenDisplay (nullptr);

            static bool suilReady = false;
            if (! suilReady)
            {
                suil_init (nullptr, nullptr, SUIL_ARG_NONE);
                suilReady = true;
            }
            host = suil_host_new (&EditorWindow::portWrite, &EditorWindow::portIndex, nullptr, nullptr);
            suil_host_set_touch_func (host, &EditorWindow::touch);

            auto& world = plugins::Lv2World::shared();
            parentFeature = { LV2_UI__parent, peer->getNativeHandle() };
            resize = { this, &EditorWindow::resizeRequest };
            resizeFeature = { LV2_UI__resize, &resize };
            mapFeature = { LV2_URID__map, world.map() };
            unmapFeature = { LV2_URID__unmap, world.unmap() };
            idleFeature = { LV2_UI__idleInterface, nullptr };
            rate = 48000.0f;
            options = { { LV2_OPTIONS_INSTANCE, 0, world.urid ("http://lv2plug.in/ns/ext/parameters#sampleRate"), sizeof (float),
                            world.urid (LV2_ATOM__Float), &rate },
                { LV2_OPTIONS_INSTANCE, 0, 0, 0, 0, nullptr } };
            optionsFeature = { LV2_OPTIONS__options, options.data() };
            features = { &parentFeature, &resizeFeature, &mapFeature, &unmapFeature, &idleFeature, &optionsFeature, nullptr };

            instance = suil_instance_new (host, this, x11UiType, pluginUri.c_str(), ui.uri.c_str(), ui.type.c_str(),
                ui.bundle.c_str(), ui.binary.c_str(), features.data());
            if (instance == nullptr)
            {
                error = "the plugin's UI (" + juce::String (ui.uri) + ") could not be loaded";
                return false;
            }
            idle = static_cast<const LV2UI_Idle_Interface*> (suil_instance_extension_data (instance, LV2_UI__idleInterface));
            if (! sized)
                sizeFromWidget();
            sendDocumentValues();
            workstation.addChangeListener (this);
            startTimerHz (30);
            return true;
        }

    private:
        void changeListenerCallback (juce::ChangeBroadcaster*) override
        {
            const auto* module = const_cast<engine::ChainDescription&> (workstation.session().chain).find (moduleId);
            if (module == nullptr || module->plugin.id != pluginUri) // another session may reuse the slot's ID
            {
                closeButtonPressed(); // the slot was removed (or undone away)
                return;
            }
            sendDocumentValues();
        }

        /** The document's values to the UI, those that differ from what it has. */
        void sendDocumentValues()
        {
            if (instance == nullptr)
                return;
            for (size_t i = 0; i < description->parameters.size(); ++i)
            {
                const float v = workstation.editor().parameterValue (moduleId, description->parameters[i].id);
                if (! (v == lastSent[i]))
                {
                    lastSent[i] = v;
                    suil_instance_port_event (instance, description->parameterPorts[i], sizeof (float), 0, &v);
                }
            }
        }

        void timerCallback() override
        {
            if (idle != nullptr && idle->idle (suil_instance_get_handle (instance)) != 0)
            {
                closeButtonPressed(); // the UI closed itself
                return;
            }
            // A UI without touch events: its edit ends its undo step once it has been quiet.
            if (writing && juce::Time::getMillisecondCounterHiRes() - lastWriteMs > 400.0)
            {
                writing = false;
                workstation.endGesture();
            }
        }

        void sizeFromWidget()
        {
            auto widget = (Window) (juce::pointer_sized_uint) suil_instance_get_widget (instance);
            XWindowAttributes attributes;
            if (display != nullptr && widget != 0 && XGetWindowAttributes (display, widget, &attributes) != 0
                && attributes.width > 1)
                setPluginSize (attributes.width, attributes.height);
        }

        void setPluginSize (int width, int height)
        {
            sized = true;
            holder.setSize (width, height);
            setContentComponentSize (width, height);
        }

        static int resizeRequest (LV2UI_Feature_Handle handle, int width, int height)
        {
            static_cast<EditorWindow*> (handle)->setPluginSize (width, height);
            return 0;
        }

        static uint32_t portIndex (SuilController controller, const char* symbol)
        {
            auto* self = static_cast<EditorWindow*> (controller);
            const auto* plugin = plugins::Lv2World::shared().find (self->pluginUri);
            if (plugin == nullptr)
                return LV2UI_INVALID_PORT_INDEX;
            LilvNode* s = lilv_new_string (plugins::Lv2World::shared().lilv(), symbol);
            const LilvPort* port = lilv_plugin_get_port_by_symbol (plugin, s);
            lilv_node_free (s);
            return port != nullptr ? lilv_port_get_index (plugin, port) : LV2UI_INVALID_PORT_INDEX;
        }

        static void portWrite (SuilController controller, uint32_t port, uint32_t size, uint32_t protocol, const void* buffer)
        {
            auto* self = static_cast<EditorWindow*> (controller);
            if (protocol != 0 || size != sizeof (float))
                return; // atom messages to the plugin: the running instance is the engine's, and takes none from here
            const auto& ports = self->description->parameterPorts;
            for (size_t i = 0; i < ports.size(); ++i)
                if (ports[i] == port)
                {
                    const float v = *static_cast<const float*> (buffer);
                    self->lastSent[i] = v; // the UI has it already
                    self->writing = true;
                    self->lastWriteMs = juce::Time::getMillisecondCounterHiRes();
                    self->workstation.setParameter (self->moduleId, i, v);
                    return;
                }
        }

        static void touch (SuilController controller, uint32_t, bool grabbed)
        {
            auto* self = static_cast<EditorWindow*> (controller);
            if (! grabbed)
            {
                self->writing = false;
                self->workstation.endGesture();
            }
        }

        Workstation& workstation;
        std::string pluginUri;
        std::shared_ptr<const plugins::Lv2Description> description;
        SuilHost* host = nullptr;
        SuilInstance* instance = nullptr;
        const LV2UI_Idle_Interface* idle = nullptr;
        std::vector<float> lastSent;
        bool sized = false, writing = false;
        double lastWriteMs = 0.0;

        // Features offered to the UI (they must outlive it).
        float rate = 48000.0f;
        LV2UI_Resize resize {};
        std::vector<LV2_Options_Option> options;
        LV2_Feature parentFeature {}, resizeFeature {}, mapFeature {}, unmapFeature {}, idleFeature {}, optionsFeature {};
        std::vector<const LV2_Feature*> features;
    };

    /** One open VST3 editor: the plugin's view embedded in the window's X11 window.

        The editor belongs to one running module, and the engine replaces modules (a parameter
        that changes the latency rebuilds the chain; another track's instance may become the one
        heard), so the window follows Workstation::runningModule: when it is another module, the
        editor is destroyed (always before the module it came from is freed: beforeModulesFreed)
        and made again from the new one. Edits in the editor become Workstation::setParameter
        (undoable, reaching every instance), ending their undo step once the editor has been quiet
        for a moment, as for LV2 UIs. */
    class Vst3Window : public PluginWindow, private juce::Timer
    {
    public:
        Vst3Window (Workstation& w, const engine::ModuleDescription& module) : PluginWindow (module), workstation (w)
        {
            holder.onResized = [this]
            {
                // The user resized the window: tell the plugin (a plugin-asked size is already its own).
                if (editor != nullptr && ! followingPlugin
                    && (holder.getWidth() != editor->width() || holder.getHeight() != editor->height()))
                    editor->setSize (holder.getWidth(), holder.getHeight());
            };
        }

        ~Vst3Window() override
        {
            stopTimer();
            dropEditor();
        }

        bool open (juce::String& error)
        {
            setVisible (true);
            if (getPeer() == nullptr)
            {
                error = "the window has no X11 window to embed the plugin's editor in";
                return false;
            }
            display = XOpenDisplay (nullptr);
            if (! makeEditor (error))
                return false;
            centreWithSize (getWidth(), getHeight());
            startTimerHz (30);
            return true;
        }

        void closing() override
        {
            stopTimer();
            dropEditor();
        }

        void beforeModulesFreed (bool all) override
        {
            if (module != nullptr && (all || currentModule() != module))
                dropEditor(); // made again by the timer, from the module now running
        }

    private:
        plugins::Vst3PluginModule* currentModule() const
        {
            return dynamic_cast<plugins::Vst3PluginModule*> (const_cast<engine::Module*> (workstation.runningModule (moduleId)));
        }

        bool makeEditor (juce::String& error)
        {
            auto* running = currentModule();
            if (running == nullptr || ! running->hasEditor())
            {
                error = "the plugin is not running, or has no editor of its own";
                return false;
            }
            auto made = running->createEditor();
            if (made == nullptr)
            {
                error = "the plugin did not make its editor";
                return false;
            }
            module = running;
            editor = std::move (made);
            module->onEditorEdit = [this, running] (size_t index, float value)
            {
                if (currentModule() != running)
                    return; // a replaced module's editor, about to go: its edit would land nowhere
                writing = true;
                lastWriteMs = juce::Time::getMillisecondCounterHiRes();
                workstation.setParameter (moduleId, index, value);
            };
            editor->onResizeRequest = [this] (int width, int height) { setPluginSize (width, height); };
            setResizable (editor->canResize(), false);
            setPluginSize (editor->width(), editor->height());
            const auto window = (unsigned long) (juce::pointer_sized_uint) getPeer()->getNativeHandle();
            if (! editor->attach (window))
            {
                dropEditor();
                error = "the plugin's editor cannot live in an X11 window";
                return false;
            }
            return true;
        }

        void dropEditor()
        {
            if (module != nullptr)
                module->onEditorEdit = nullptr;
            editor.reset(); // detaches it: before the module (and this window) go
            module = nullptr;
        }

        void setPluginSize (int width, int height)
        {
            if (width <= 0 || height <= 0)
                return;
            const juce::ScopedValueSetter<bool> following (followingPlugin, true);
            holder.setSize (width, height);
            setContentComponentSize (width, height);
        }

        void timerCallback() override
        {
            const auto* document = const_cast<engine::ChainDescription&> (workstation.session().chain).find (moduleId);
            if (document == nullptr || document->plugin.format != engine::ids::pluginFormats::vst3)
            {
                closeButtonPressed(); // the slot was removed (or now holds something else)
                return;
            }
            if (module != nullptr && currentModule() != module)
                dropEditor();
            if (editor == nullptr)
            {
                juce::String error;
                if (currentModule() != nullptr && ! makeEditor (error))
                {
                    closeButtonPressed();
                    return;
                }
            }
            if (module != nullptr)
                module->updateController();
            if (writing && juce::Time::getMillisecondCounterHiRes() - lastWriteMs > 400.0)
            {
                writing = false;
                workstation.endGesture();
            }
        }

        Workstation& workstation;
        plugins::Vst3PluginModule* module = nullptr; ///< the running module the editor came from
        std::unique_ptr<plugins::Vst3Editor> editor;
        bool followingPlugin = false, writing = false;
        double lastWriteMs = 0.0;
    };

    std::map<std::string, std::unique_ptr<PluginWindow>>& openEditors()
    {
        static std::map<std::string, std::unique_ptr<PluginWindow>> windows;
        return windows;
    }

    void PluginWindow::closeButtonPressed()
    {
        // Deleted once the call that asked for it (a click, the UI's idle, a change message) is over.
        auto& windows = openEditors();
        const auto found = windows.find (moduleId);
        if (found == windows.end())
            return;
        auto* window = found->second.release();
        windows.erase (found);
        window->closing();
        window->setVisible (false);
        juce::MessageManager::callAsync ([window] { delete window; });
    }
} // namespace

std::string nativeEditorProblem (
    const Workstation& workstation, const std::string& moduleId, const engine::PluginReference& plugin)
{
    if (plugin.format != engine::ids::pluginFormats::vst3)
        return chooseUi (plugin).problem;
    const auto* running = dynamic_cast<const plugins::Vst3PluginModule*> (workstation.runningModule (moduleId));
    if (running == nullptr)
        return "the plugin is not running (is it installed on this machine?)";
    return running->hasEditor() ? "" : "it has no editor of its own: its parameters are all in the panel";
}

bool openPluginEditor (Workstation& workstation, const std::string& moduleId, juce::String& error)
{
    auto& windows = openEditors();
    if (const auto found = windows.find (moduleId); found != windows.end())
    {
        found->second->toFront (true);
        return true;
    }
    const auto* module = const_cast<engine::ChainDescription&> (workstation.session().chain).find (moduleId);
    if (module == nullptr || module->type != engine::ids::types::plugin)
    {
        error = "no plugin slot " + juce::String (moduleId) + " in the chain";
        return false;
    }
    if (module->plugin.format == engine::ids::pluginFormats::vst3)
    {
        // Whatever frees running modules lets the VST3 editors made from them go first.
        workstation.beforeModulesFreed = [] (bool all)
        {
            for (auto& [id, window] : openEditors())
                window->beforeModulesFreed (all);
        };
        auto window = std::make_unique<Vst3Window> (workstation, *module);
        if (! window->open (error))
        {
            error = juce::String (engine::displayNameOf (*module)) + ": " + error;
            return false;
        }
        windows[moduleId] = std::move (window);
        return true;
    }
    const auto ui = chooseUi (module->plugin);
    auto description = plugins::Lv2World::shared().describe (module->plugin.id);
    if (! ui.problem.empty() || description == nullptr)
    {
        error = juce::String (engine::displayNameOf (*module)) + " has no editor Crest can show: "
            + juce::String (ui.problem.empty() ? "it is not installed on this machine" : ui.problem);
        return false;
    }
    auto window = std::make_unique<EditorWindow> (workstation, *module, description);
    if (! window->open (ui, error))
        return false;
    windows[moduleId] = std::move (window);
    return true;
}

juce::DocumentWindow* pluginEditorWindow (const std::string& moduleId)
{
    auto& windows = openEditors();
    const auto found = windows.find (moduleId);
    return found != windows.end() ? found->second.get() : nullptr;
}

juce::Image capturePluginEditor (const std::string& moduleId)
{
    auto& windows = openEditors();
    const auto found = windows.find (moduleId);
    return found != windows.end() ? found->second->capture() : juce::Image();
}

void closePluginEditors()
{
    openEditors().clear();
}

} // namespace crest::app
