#include "app/PluginEditorWindow.h"

#include "app/CrestLookAndFeel.h"
#include "engine/ModuleIds.h"
#include "engine/PluginSlots.h"
#include "plugins/Lv2World.h"

#include <lv2/atom/atom.h>
#include <lv2/options/options.h>
#include <lv2/ui/ui.h>
#include <lv2/urid/urid.h>
#include <suil/suil.h>

#include <X11/Xlib.h>
#include <X11/Xutil.h>

#include <map>
#include <memory>

// VST3: the engine's VST3 slot would need to give the app its plugin's edit controller (or a
// juce::AudioProcessorEditor made by its juce::AudioPluginInstance) through a hook of the
// engine's own, like engine::PluginFormats; this window would then hold that editor as its
// content component and route its parameter changes to Workstation::setParameter as it does
// the LV2 UI's port writes.

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

    /** One open editor: the window, the suil instance inside it, and the wiring both ways. */
    class EditorWindow : public juce::DocumentWindow, private juce::ChangeListener, private juce::Timer
    {
    public:
        EditorWindow (Workstation& w, const engine::ModuleDescription& module, std::shared_ptr<const plugins::Lv2Description> d)
            : juce::DocumentWindow (juce::String (engine::displayNameOf (module)) + " - " + juce::String (module.id),
                palette::panel, juce::DocumentWindow::closeButton),
              moduleId (module.id), workstation (w), pluginUri (module.plugin.id), description (std::move (d))
        {
            setName ("PluginEditorWindow:" + module.id);
            setUsingNativeTitleBar (true); // the content, and so the plugin's window, starts at the peer's (0, 0)
            holder.setSize (480, 320);
            setContentNonOwned (&holder, true);
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
            if (display != nullptr)
                XCloseDisplay (display);
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

        void closeButtonPressed() override;

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
        juce::Component holder;
        Display* display = nullptr;
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

    std::map<std::string, std::unique_ptr<EditorWindow>>& openEditors()
    {
        static std::map<std::string, std::unique_ptr<EditorWindow>> windows;
        return windows;
    }

    void EditorWindow::closeButtonPressed()
    {
        // Deleted once the call that asked for it (a click, the UI's idle, a change message) is over.
        auto& windows = openEditors();
        const auto found = windows.find (moduleId);
        if (found == windows.end())
            return;
        auto* window = found->second.release();
        windows.erase (found);
        window->setVisible (false);
        juce::MessageManager::callAsync ([window] { delete window; });
    }
} // namespace

std::string nativeEditorProblem (const engine::PluginReference& plugin)
{
    return chooseUi (plugin).problem;
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
