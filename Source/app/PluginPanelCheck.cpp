#include "app/PluginPanelCheck.h"

#include "app/FakeInput.h"
#include "app/PluginChooser.h"
#include "app/PluginEditorWindow.h"
#include "app/PluginPanel.h"
#include "engine/MissingPluginModule.h"
#include "engine/ModuleIds.h"
#include "engine/ProcessingChain.h"
#include "session/SessionFile.h"

#include <cmath>
#include <set>
#include <typeinfo>

namespace crest::app
{

namespace
{
    bool writePng (const juce::Image& image, const juce::File& file)
    {
        file.deleteFile();
        juce::FileOutputStream out (file);
        juce::PNGImageFormat png;
        return image.isValid() && out.openedOk() && png.writeImageToStream (image, out);
    }

    juce::Component* findComponent (juce::Component& root, const std::function<bool (juce::Component&)>& wanted)
    {
        if (wanted (root))
            return &root;
        for (auto* child : root.getChildren())
            if (auto* found = findComponent (*child, wanted))
                return found;
        return nullptr;
    }

    /** The level (dB RMS, both channels) of a -20 dBFS 997 Hz sine after a chain, from its second
        second on (past any latency and settling). NaN when the chain cannot be built. */
    double renderLevelDb (const engine::ChainDescription& chain)
    {
        std::string error;
        auto running = engine::ProcessingChain::build (chain, 48000.0, 512, error);
        if (running == nullptr)
        {
            std::printf ("Crest: the chain cannot be built: %s\n", error.c_str());
            return std::nan ("");
        }
        std::vector<float> left (512), right (512);
        double sum = 0.0;
        long count = 0, t = 0;
        for (int block = 0; block < 188; ++block) // 2 s
        {
            for (size_t i = 0; i < 512; ++i, ++t)
                left[i] = right[i]
                    = 0.1f * (float) std::sin (2.0 * juce::MathConstants<double>::pi * 997.0 * (double) t / 48000.0);
            running->process (left.data(), right.data(), 512);
            if (block >= 94)
                for (size_t i = 0; i < 512; ++i, count += 2)
                    sum += (double) left[i] * left[i] + (double) right[i] * right[i];
        }
        return 10.0 * std::log10 (sum / (double) count + 1e-30);
    }

    /** Pixels that differ between two images of one size (all of them when the sizes differ). */
    int differingPixels (const juce::Image& a, const juce::Image& b)
    {
        if (! a.isValid() || ! b.isValid() || a.getBounds() != b.getBounds())
            return a.getWidth() * a.getHeight();
        int n = 0;
        for (int y = 0; y < a.getHeight(); ++y)
            for (int x = 0; x < a.getWidth(); ++x)
                n += a.getPixelAt (x, y) != b.getPixelAt (x, y) ? 1 : 0;
        return n;
    }

    /** How many colours an image has (up to a cap): a blank capture has one or two. */
    int colours (const juce::Image& image)
    {
        std::set<juce::uint32> seen;
        for (int y = 0; y < image.getHeight() && seen.size() < 500; y += 2)
            for (int x = 0; x < image.getWidth() && seen.size() < 500; x += 2)
                seen.insert (image.getPixelAt (x, y).getARGB());
        return (int) seen.size();
    }

    class Check : private juce::Timer
    {
    public:
        Check (MainWindow& w, Workstation& ws, const juce::File& folder, const juce::StringArray& options,
            std::function<void (int)> then)
            : window (w), main (w.main()), workstation (ws), dir (folder), done (std::move (then))
        {
            for (int i = 0; i + 1 < options.size(); ++i)
                if (options[i] == "--scan-folder")
                    scanFolder = options[++i];
                else if (options[i] == "--plugin")
                    pluginUri = options[++i];
                else if (options[i] == "--parameter")
                    parameterId = options[++i];
                else if (options[i] == "--ui-click") // where to click the editor's control instead: X,Y
                {
                    const auto xy = options[++i];
                    uiClick = true;
                    uiKnob = { xy.upToFirstOccurrenceOf (",", false, false).getIntValue(),
                        xy.fromFirstOccurrenceOf (",", false, false).getIntValue() };
                }
                else if (options[i] == "--plugin-named") // a VST3 class, whose ID the scan tells
                    pluginName = options[++i];
                else if (options[i] == "--gain-values") // the panel's values for +6 and -12 dB: A,B
                {
                    const auto ab = options[++i];
                    plusSix = ab.upToFirstOccurrenceOf (",", false, false).getFloatValue();
                    minusTwelve = ab.fromFirstOccurrenceOf (",", false, false).getFloatValue();
                }
                else if (options[i] == "--ui-knob") // where the editor's knob of that parameter is: X,Y
                {
                    const auto xy = options[++i];
                    uiKnob = { xy.upToFirstOccurrenceOf (",", false, false).getIntValue(),
                        xy.fromFirstOccurrenceOf (",", false, false).getIntValue() };
                }
            dir.createDirectory();
            plan();
            stepStartMs = juce::Time::getMillisecondCounterHiRes();
            startTimer (50);
        }

    private:
        using Step = std::function<bool()>; // true when the step is over; called until then

        void report (bool ok, const juce::String& what)
        {
            std::printf ("Crest: %s: %s\n", ok ? "PASS" : "FAIL", what.toRawUTF8());
            std::fflush (stdout);
            if (! ok)
                ++failures;
        }

        double sinceStepMs() const { return juce::Time::getMillisecondCounterHiRes() - stepStartMs; }

        void shoot (const juce::String& name, const juce::Image& image)
        {
            const auto file = dir.getChildFile (name + ".png");
            report (writePng (image, file),
                "wrote " + file.getFileName() + " (" + juce::String (image.getWidth()) + "x" + juce::String (image.getHeight())
                    + ")");
        }

        /** The main window's content with every other window of this program drawn over it
            where the screen has it (pop-up menus; `extra` for the editor read back from X). */
        juce::Image composite (const juce::Image& extra = {}, juce::Point<int> extraAt = {})
        {
            workstation.dispatchPendingMessages();
            main.meterFrame();
            auto image = main.createComponentSnapshot (main.getLocalBounds());
            juce::Graphics g (image);
            const auto origin = main.getScreenPosition();
            auto& desktop = juce::Desktop::getInstance();
            for (int i = 0; i < desktop.getNumComponents(); ++i)
            {
                auto* c = desktop.getComponent (i);
                if (c == &window || ! c->isVisible() || dynamic_cast<juce::DocumentWindow*> (c) != nullptr)
                    continue;
                const auto at = c->getScreenPosition() - origin;
                g.setOpacity (1.0f);
                g.drawImageAt (c->createComponentSnapshot (c->getLocalBounds()), at.x, at.y);
            }
            if (extra.isValid())
            {
                g.setColour (juce::Colours::black.withAlpha (0.45f));
                g.fillRect (juce::Rectangle<int> (extraAt.x + 6, extraAt.y + 6, extra.getWidth(), extra.getHeight()));
                g.setOpacity (1.0f); // images are drawn at the context's opacity
                g.drawImageAt (extra, extraAt.x, extraAt.y);
                g.setColour (juce::Colour (0xff4fb3bf));
                g.drawRect (juce::Rectangle<int> (extraAt.x - 1, extraAt.y - 1, extra.getWidth() + 2, extra.getHeight() + 2), 1);
            }
            return image;
        }

        void resize (int width, int height)
        {
            main.setSize (width, height);
            // Against the screen's right edge, as a window that fills a screen of that size is: pop-up
            // menus then open inwards, as they would there, rather than past the window's edge.
            if (const auto* display = juce::Desktop::getInstance().getDisplays().getPrimaryDisplay())
                window.setTopLeftPosition (display->totalArea.getRight() - window.getWidth(), 0);
            workstation.dispatchPendingMessages();
        }

        PluginPanel* panel() const
        {
            return dynamic_cast<PluginPanel*> (findComponent (
                main, [] (juce::Component& c) { return dynamic_cast<PluginPanel*> (&c) != nullptr && c.isShowing(); }));
        }

        ParameterKnob* knob (PluginPanel& p, int& index) const
        {
            for (size_t i = 0; i < p.controls().size(); ++i)
                if (p.controls()[i]->spec().id == parameterId.toStdString())
                {
                    index = (int) i;
                    return p.controls()[i].get();
                }
            return nullptr;
        }

        /** Moves the panel's control of the parameter as a drag would (its slider, notifying). */
        bool movePanelControl (float value)
        {
            auto* p = panel();
            int index = -1;
            auto* k = p != nullptr ? knob (*p, index) : nullptr;
            auto* slider = k != nullptr ? dynamic_cast<juce::Slider*> (findComponent (
                               *k, [] (juce::Component& c) { return dynamic_cast<juce::Slider*> (&c) != nullptr; }))
                                        : nullptr;
            if (slider == nullptr)
                return false;
            slider->setValue (value, juce::sendNotificationSync);
            workstation.endGesture();
            parameterIndex = index;
            return true;
        }

        const engine::ModuleDescription* slotDescription() const
        {
            return const_cast<engine::ChainDescription&> (workstation.session().chain).find (slot);
        }

        ModuleSlot* slotComponent() const
        {
            const auto name = "ModuleSlot:" + juce::String (slot);
            return dynamic_cast<ModuleSlot*> (
                findComponent (main.chainStrip, [&name] (juce::Component& c) { return c.getName() == name; }));
        }

        /** Clicks one of the plugin slot's buttons in the strip (by its text), as the mouse would. */
        bool clickSlotButton (const juce::String& text)
        {
            // A pending change would rebuild the strip's slots after the click is posted, and a click
            // posted to a slot that is then deleted is dropped: deliver it first.
            workstation.dispatchPendingMessages();
            auto* s = slotComponent();
            auto* button = s != nullptr ? dynamic_cast<juce::Button*> (findComponent (*s,
                               [&text] (juce::Component& c) {
                                   return dynamic_cast<juce::Button*> (&c) != nullptr
                                       && static_cast<juce::Button&> (c).getButtonText() == text;
                               }))
                                        : nullptr;
            if (button == nullptr)
                return false;
            button->triggerClick();
            return true;
        }

        float runningValue() const
        {
            const auto* module = workstation.runningModule (slot);
            return module != nullptr && parameterIndex >= 0 && (size_t) parameterIndex < module->parameters().size()
                ? module->parameters()[(size_t) parameterIndex]->get()
                : std::nanf ("");
        }

        juce::Component* menuWindow (int nth) const
        {
            auto& desktop = juce::Desktop::getInstance();
            int seen = 0;
            for (int i = 0; i < desktop.getNumComponents(); ++i)
            {
                auto* c = desktop.getComponent (i);
                // JUCE's pop-up menu windows are a private class: known by its name.
                if (c != &window && c->isVisible() && juce::String (typeid (*c).name()).contains ("MenuWindow") && seen++ == nth)
                    return c;
            }
            return nullptr;
        }

        void plan()
        {
            // ---- the scan, through the "Scan plugins..." window
            steps.push_back (
                [this]
                {
                    juce::StringArray arguments;
                    if (scanFolder.isNotEmpty())
                        arguments = { "--only-folders", "--folder", scanFolder };
                    showPluginScanWindow (true, arguments);
                    if (auto* p = pluginScanPanel())
                        p->onFinished = [this] { scanned = true; };
                    return true;
                });
            steps.push_back (
                [this]
                {
                    if (! scanned)
                        return false;
                    if (auto* p = pluginScanPanel())
                        shoot ("plugin-scan", p->createComponentSnapshot (p->getLocalBounds()));
                    std::vector<plugins::BlacklistedPlugin> refused;
                    std::string problem;
                    const auto choices = pluginChoices (&refused, problem);
                    bool listed = false;
                    for (const auto& c : choices)
                        if (pluginName.isNotEmpty() && c.name == pluginName.toStdString())
                            pluginUri = c.id;
                    for (const auto& c : choices)
                        if (c.id == pluginUri.toStdString())
                        {
                            listed = true;
                            std::printf (
                                "Crest: the Add menu offers %s: %s by %s\n", c.format.c_str(), c.name.c_str(), c.maker.c_str());
                        }
                    report (listed,
                        "the scan lists " + pluginUri + " (" + juce::String (choices.size()) + " plugins usable, "
                            + juce::String (refused.size()) + " blacklisted)");
                    for (const auto& b : refused)
                        std::printf ("Crest: blacklisted %s: %s\n", b.id.c_str(), b.reason.c_str());
                    closePluginScanWindow();
                    return true;
                });

            // ---- the Add menu, opened by its button, the plugin submenus open, at two sizes
            for (auto size : { juce::Point<int> (1280, 720), juce::Point<int> (1920, 1080) })
            {
                steps.push_back (
                    [this, size]
                    {
                        // A pop-up menu closes itself at once while its program has no keyboard focus, and
                        // xvfb has no window manager to give the window one: ask the X server, as a click would.
                        if (sinceStepMs() < 50.0 && window.getPeer() != nullptr)
                            window.getPeer()->grabFocus();
                        if (sinceStepMs() < 500.0)
                            return false;
                        menuRetries = 0;
                        resize (size.x, size.y);
                        auto* add = dynamic_cast<juce::Button*> (findComponent (main.chainStrip,
                            [] (juce::Component& c) {
                                return dynamic_cast<juce::Button*> (&c) != nullptr
                                    && static_cast<juce::Button&> (c).getButtonText() == "+ Add module";
                            }));
                        report (add != nullptr, "the chain strip has its Add button");
                        if (add != nullptr)
                            add->triggerClick();
                        return true;
                    });
                steps.push_back (
                    [this, size]
                    {
                        auto* menu = menuWindow (0);
                        if (menu == nullptr && sinceStepMs() > 1500.0 * (menuRetries + 1) && menuRetries < 3)
                        {
                            // Under xvfb (no window manager) a menu can lose the focus race and close
                            // within a tick on a loaded machine: focus the window and click again.
                            ++menuRetries;
                            if (auto* peer = window.getPeer())
                                peer->grabFocus();
                            if (auto* add = dynamic_cast<juce::Button*> (findComponent (main.chainStrip,
                                    [] (juce::Component& c) {
                                        return dynamic_cast<juce::Button*> (&c) != nullptr
                                            && static_cast<juce::Button&> (c).getButtonText() == "+ Add module";
                                    })))
                                add->triggerClick();
                        }
                        if (menu == nullptr)
                        {
                            if (sinceStepMs() > 8000.0)
                                report (false, "the Add button opened no menu");
                            return sinceStepMs() > 8000.0;
                        }
                        // At once, in the tick the menu appears (a window manager's focus dance may close it
                        // soon after under xvfb): down to the first format's submenu (past Crest's modules),
                        // into it and into its first maker; the submenus open synchronously.
                        for (size_t i = 0; i < engine::moduleTypes().size() + 1; ++i)
                            menu->keyPressed (juce::KeyPress (juce::KeyPress::downKey));
                        menu->keyPressed (juce::KeyPress (juce::KeyPress::rightKey));
                        if (auto* sub = menuWindow (1))
                            sub->keyPressed (juce::KeyPress (juce::KeyPress::rightKey));
                        report (menuWindow (2) != nullptr, "the Add menu opens a format's and a maker's submenus");
                        shoot ("plugin-add-menu-" + juce::String (size.x) + "x" + juce::String (size.y), composite());
                        juce::PopupMenu::dismissAllActiveMenus();
                        return true;
                    });
            }

            // ---- adding the plugin as the menu's item does, then the generic panel
            steps.push_back (
                [this]
                {
                    PluginMenu menu;
                    juce::PopupMenu items;
                    menu.addTo (items, 1000);
                    for (size_t i = 0; i < menu.choices().size(); ++i)
                        if (menu.choices()[i].id == pluginUri.toStdString())
                            menu.handleChoice (workstation, 1000 + 2 + (int) i);
                    slot = workstation.selectedModule;
                    const auto* added = const_cast<engine::ChainDescription&> (workstation.session().chain).find (slot);
                    report (added != nullptr && added->type == engine::ids::types::plugin
                            && added->plugin.id == pluginUri.toStdString(),
                        "the menu's item added a plugin slot '" + juce::String (slot) + "' at the chain's end");
                    if (added == nullptr)
                        return finish();
                    return true;
                });
            steps.push_back (
                [this]
                {
                    workstation.dispatchPendingMessages();
                    if (workstation.runningModule (slot) == nullptr || panel() == nullptr)
                        return sinceStepMs() > 20000.0 ? finish ("the slot never ran or its panel never showed") : false;
                    auto* p = panel();
                    int index = -1;
                    auto* k = knob (*p, index);
                    report (k != nullptr,
                        "the panel has a control for '" + parameterId + "' (" + juce::String (p->controls().size())
                            + " controls, range "
                            + (k != nullptr ? juce::String (k->spec().minimum) + " .. " + juce::String (k->spec().maximum) + " "
                                        + juce::String (k->spec().unit)
                                            : juce::String())
                            + ")");
                    report (p->openEditor.isVisible(), "the panel offers 'Open editor'");
                    levelBefore = renderLevelDb (workstation.session().chain);
                    report (movePanelControl (plusSix), "moved the panel's control to " + juce::String (plusSix) + " (+6 dB)");
                    const float inDocument = workstation.editor().parameterValue (slot, parameterId.toStdString());
                    report (std::abs (inDocument - plusSix) < 0.001f, "the document holds " + juce::String (inDocument));
                    report (workstation.editor().canUndo(), "the edit is undoable");
                    return true;
                });
            steps.push_back (
                [this]
                {
                    const float running = runningValue();
                    if (! (std::abs (running - plusSix) < 0.001f) && sinceStepMs() < 5000.0)
                        return false;
                    report (std::abs (running - plusSix) < 0.001f, "the running chain's parameter is " + juce::String (running));
                    const double levelAfter = renderLevelDb (workstation.session().chain);
                    report (std::abs ((levelAfter - levelBefore) - 6.0) < 0.05,
                        "the rendered output moved " + juce::String (levelAfter - levelBefore, 3) + " dB ("
                            + juce::String (levelBefore, 2) + " -> " + juce::String (levelAfter, 2) + " dB RMS), expected +6");
                    for (auto size : { juce::Point<int> (1280, 720), juce::Point<int> (1920, 1080) })
                    {
                        resize (size.x, size.y);
                        shoot ("plugin-panel-" + juce::String (size.x) + "x" + juce::String (size.y), composite());
                    }
                    return true;
                });

            // ---- the slot in the strip: bypass, solo the change, reorder, remove, as its buttons and a drag do
            steps.push_back (
                [this]
                {
                    report (clickSlotButton ("Bypass"), "clicked the plugin slot's Bypass");
                    return true;
                });
            steps.push_back (
                [this]
                {
                    const auto* module = slotDescription();
                    if ((module == nullptr || ! module->bypass) && sinceStepMs() < 3000.0)
                        return false;
                    const double bypassed = renderLevelDb (workstation.session().chain);
                    report (module != nullptr && module->bypass && std::abs (bypassed - levelBefore) < 0.05,
                        "bypassed, the render is back to " + juce::String (bypassed, 2) + " dB RMS (the +6 dB gone)");
                    clickSlotButton ("Bypass");
                    clickSlotButton ("S");
                    return true;
                });
            steps.push_back (
                [this]
                {
                    const auto* module = slotDescription();
                    if ((module == nullptr || module->bypass || workstation.soloedModule != slot) && sinceStepMs() < 3000.0)
                        return false;
                    report (module != nullptr && ! module->bypass, "Bypass again restores the slot");
                    report (workstation.soloedModule == slot, "S solos the plugin's change");
                    clickSlotButton ("S");
                    if (auto* s = slotComponent())
                        main.chainStrip.slotDragged (*s, 14, true); // dropped on the strip's first place
                    return true;
                });
            steps.push_back (
                [this]
                {
                    workstation.dispatchPendingMessages();
                    const auto& modules = workstation.session().chain.modules;
                    if ((modules.empty() || modules.front().id != slot) && sinceStepMs() < 3000.0)
                        return false;
                    report (workstation.soloedModule.empty(), "S again ends the solo");
                    report (! modules.empty() && modules.front().id == slot, "dragged to the front of the chain");
                    workstation.undo();
                    report (workstation.session().chain.modules.back().id == slot, "undo puts it back at the end");
                    return true;
                });
            steps.push_back (
                [this]
                {
                    workstation.dispatchPendingMessages(); // the strip rebuilds its slots after the undo first
                    if (sinceStepMs() < 200.0)
                        return false;
                    report (clickSlotButton ("x"), "clicked the plugin slot's x");
                    return true;
                });
            steps.push_back (
                [this]
                {
                    if (slotDescription() != nullptr && sinceStepMs() < 3000.0)
                        return false;
                    report (slotDescription() == nullptr, "x removes the plugin slot");
                    workstation.undo();
                    workstation.selectModule (slot);
                    report (slotDescription() != nullptr, "undo brings it back");
                    return true;
                });
            steps.push_back (
                [this]
                {
                    workstation.dispatchPendingMessages();
                    return workstation.runningModule (slot) != nullptr && panel() != nullptr ? true
                        : sinceStepMs() > 20000.0 ? finish ("the slot did not come back to the running chain")
                                                  : false;
                });

            // ---- the plugin's own editor
            steps.push_back (
                [this]
                {
                    if (auto* p = panel(); p != nullptr && p->openEditor.isVisible())
                        p->openEditor.triggerClick();
                    return true;
                });
            steps.push_back (
                [this]
                {
                    if (pluginEditorWindow (slot) == nullptr || sinceStepMs() < 1500.0)
                        return sinceStepMs() > 8000.0 ? finish ("the editor window did not open: " + workstation.problem) : false;
                    editorBefore = capturePluginEditor (slot);
                    report (editorBefore.isValid() && colours (editorBefore) > 20,
                        "the editor window shows the plugin's UI (" + juce::String (editorBefore.getWidth()) + "x"
                            + juce::String (editorBefore.getHeight()) + ", " + juce::String (colours (editorBefore))
                            + " colours)");
                    shoot ("plugin-editor", editorBefore);
                    report (movePanelControl (minusTwelve),
                        "moved the panel's control to " + juce::String (minusTwelve) + " (-12 dB) with the editor open");
                    return true;
                });
            steps.push_back (
                [this]
                {
                    if (sinceStepMs() < 1000.0)
                        return false;
                    const auto after = capturePluginEditor (slot);
                    const int changed = differingPixels (editorBefore, after);
                    report (changed > 0,
                        "the editor redrew for the document's change (" + juce::String (changed) + " pixels changed)");
                    for (auto size : { juce::Point<int> (1280, 720), juce::Point<int> (1920, 1080) })
                    {
                        resize (size.x, size.y);
                        const juce::Point<int> at (
                            (size.x - after.getWidth()) / 2, juce::jmax (40, (size.y - after.getHeight()) / 2));
                        shoot ("plugin-editor-" + juce::String (size.x) + "x" + juce::String (size.y), composite (after, at));
                    }
                    return true;
                });
            // The other way: the plugin's own knob, turned with the mouse wheel (X's test extension, as a
            // person's mouse would), must reach the document and the running chain.
            steps.push_back (
                [this]
                {
                    auto* editor = pluginEditorWindow (slot);
                    const auto at = (editor != nullptr ? editor->getScreenPosition() : juce::Point<int>()) + uiKnob;
                    if (editor == nullptr || ! (uiClick ? fakeMouseClick (at.x, at.y) : fakeMouseWheel (at.x, at.y, 4)))
                    {
                        report (false, "no X test extension to turn the editor's knob with");
                        return true;
                    }
                    valueBeforeUi = workstation.editor().parameterValue (slot, parameterId.toStdString());
                    return true;
                });
            steps.push_back (
                [this]
                {
                    const float now = workstation.editor().parameterValue (slot, parameterId.toStdString());
                    if (now == valueBeforeUi && sinceStepMs() < 3000.0)
                        return false;
                    report (now != valueBeforeUi,
                        "the editor's own knob moved the document's '" + parameterId + "' from " + juce::String (valueBeforeUi)
                            + " to " + juce::String (now));
                    report (std::abs (runningValue() - now) < 0.001f,
                        "the running chain's parameter followed the editor (" + juce::String (runningValue()) + ")");
                    report (workstation.editor().canUndo(), "the editor's edit is undoable");
                    workstation.endGesture();
                    workstation.undo();
                    const float undone = workstation.editor().parameterValue (slot, parameterId.toStdString());
                    report (std::abs (undone - valueBeforeUi) < 0.001f,
                        "undo takes the editor's edit back (" + juce::String (undone) + ")");
                    if (pluginName.isEmpty())
                    {
                        closePluginEditors();
                        return true;
                    }
                    // The VST3 test plugin's latency parameter rebuilds the chain with new modules:
                    // the editor must let go of the old one and come back from the new one.
                    latencyModuleBefore = workstation.runningModule (slot);
                    workstation.setParameter (slot, "latency", 0.1f);
                    workstation.endGesture();
                    return true;
                });
            steps.push_back (
                [this]
                {
                    if (pluginName.isEmpty())
                        return true;
                    const auto* now = workstation.runningModule (slot);
                    if ((now == nullptr || now == latencyModuleBefore || sinceStepMs() < 1500.0) && sinceStepMs() < 8000.0)
                        return false;
                    report (now != nullptr && now != latencyModuleBefore && now->latencySamples() == 480,
                        "the latency parameter rebuilt the chain (new module, latency "
                            + juce::String (now != nullptr ? now->latencySamples() : -1) + " samples)");
                    const auto image = capturePluginEditor (slot);
                    report (pluginEditorWindow (slot) != nullptr && image.isValid() && colours (image) > 20,
                        "the editor came back from the new module (" + juce::String (image.getWidth()) + "x"
                            + juce::String (image.getHeight()) + ", " + juce::String (colours (image)) + " colours)");
                    shoot ("plugin-editor-after-rebuild", image);
                    closePluginEditors();
                    return true;
                });

            // ---- a plugin this machine lacks
            steps.push_back (
                [this]
                {
                    engine::ModuleDescription missing;
                    missing.id = "plugin-elsewhere";
                    missing.type = engine::ids::types::plugin;
                    missing.plugin = { engine::ids::pluginFormats::lv2, "urn:crest:not-installed:mastering-eq",
                        "Elsewhere Mastering EQ", "2.1.0", "QSBzdGF0ZSBjaHVuayBmcm9tIGFub3RoZXIgbWFjaGluZQ==" };
                    missing.params = { { "low_gain", 1.5f }, { "high_gain", -2.0f }, { "output", 0.0f } };
                    missingSaved = missing.plugin;
                    workstation.editor().apply ("Add a slot from another machine", session::EditKind::chainStructure,
                        [missing] (session::Session& s) { s.chain.modules.push_back (missing); });
                    workstation.selectModule (missing.id);
                    workstation.sendChangeMessage();
                    return true;
                });
            steps.push_back (
                [this]
                {
                    workstation.dispatchPendingMessages();
                    const auto* running
                        = dynamic_cast<const engine::MissingPluginModule*> (workstation.runningModule ("plugin-elsewhere"));
                    auto* placeholder = findComponent (main,
                        [] (juce::Component& c) { return dynamic_cast<MissingPluginPanel*> (&c) != nullptr && c.isShowing(); });
                    if (running == nullptr || placeholder == nullptr)
                        return sinceStepMs() > 20000.0
                            ? finish ("the missing plugin's slot never ran as a placeholder, or its panel never showed")
                            : false;
                    report (true, "the missing plugin runs as a placeholder: " + juce::String (running->reason()));
                    for (auto size : { juce::Point<int> (1280, 720), juce::Point<int> (1920, 1080) })
                    {
                        resize (size.x, size.y);
                        shoot ("plugin-missing-" + juce::String (size.x) + "x" + juce::String (size.y), composite());
                    }
                    const auto json = session::SessionFile::toJson (workstation.session(), dir.getFullPathName().toStdString());
                    report (juce::String (json).contains (juce::String (missingSaved.state))
                            && juce::String (json).contains (juce::String (missingSaved.id)),
                        "saving the session writes the missing plugin's ID and state back unchanged");
                    return finish();
                });
        }

        bool finish (const juce::String& failure = {})
        {
            if (failure.isNotEmpty())
                report (false, failure);
            stopTimer();
            std::printf ("Crest: plugin panel check %s (%d failed)\n", failures == 0 ? "passed" : "FAILED", failures);
            std::fflush (stdout);
            auto then = done;
            const int status = failures == 0 ? 0 : 1;
            juce::MessageManager::callAsync (
                [this, then, status]
                {
                    delete this;
                    then (status);
                });
            finished = true;
            return true;
        }

        void timerCallback() override
        {
            if (finished)
                return;
            if (step >= steps.size())
            {
                finish();
                return;
            }
            if (steps[step]())
            {
                ++step;
                stepStartMs = juce::Time::getMillisecondCounterHiRes();
            }
            else if (sinceStepMs() > 300000.0)
                finish (
                    "step " + juce::String (step) + " did not end within 300 s (a full scan of many plugins is the slow one)");
        }

        MainWindow& window;
        MainComponent& main;
        Workstation& workstation;
        juce::File dir;
        std::function<void (int)> done;
        juce::String scanFolder, pluginName, pluginUri { "http://gareus.org/oss/lv2/fil4#stereo" }, parameterId { "gain" };
        std::vector<Step> steps;
        size_t step = 0;
        double stepStartMs = 0.0, levelBefore = 0.0;
        float valueBeforeUi = 0.0f, plusSix = 6.0f, minusTwelve = -12.0f;
        juce::Point<int> uiKnob { 48, 297 }; // x42 EQ's output gain knob, left of its window
        int failures = 0, parameterIndex = -1, menuRetries = 0;
        bool scanned = false, finished = false, uiClick = false;
        std::string slot;
        juce::Image editorBefore;
        const engine::Module* latencyModuleBefore = nullptr; // compared only, never used
        engine::PluginReference missingSaved;
    };
} // namespace

void runPluginPanelCheck (MainWindow& window, Workstation& workstation, const juce::File& folder,
    const juce::StringArray& options, std::function<void (int)> done)
{
    new Check (window, workstation, folder, options, std::move (done)); // deletes itself when done
}

} // namespace crest::app
