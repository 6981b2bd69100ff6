#include "app/PluginChooser.h"

#include "app/CrestLookAndFeel.h"
#include "engine/ModuleIds.h"
#include "plugins/Lv2World.h"
#include "plugins/PluginHosting.h"

#include <algorithm>
#include <map>

namespace crest::app
{

namespace
{
    /** The author an LV2 plugin's description names, or empty. */
    std::string lv2Maker (const std::string& uri)
    {
        const auto* plugin = plugins::Lv2World::shared().find (uri);
        if (plugin == nullptr)
            return {};
        LilvNode* author = lilv_plugin_get_author_name (plugin);
        std::string name = author != nullptr ? lilv_node_as_string (author) : "";
        lilv_node_free (author);
        return name;
    }

    juce::String formatName (const std::string& format)
    {
        return format == engine::ids::pluginFormats::lv2 ? "LV2"
            : format == engine::ids::pluginFormats::vst3 ? "VST3"
                                                         : juce::String (format);
    }
} // namespace

std::vector<PluginChoice> pluginChoices (std::vector<plugins::BlacklistedPlugin>* blacklisted, std::string& problem)
{
    std::vector<PluginChoice> list;
    plugins::PluginCatalogue catalogue;
    try
    {
        catalogue = plugins::PluginCatalogue::load (plugins::PluginCatalogue::defaultFile());
    }
    catch (const std::exception& e)
    {
        problem = e.what();
        return list;
    }
    for (const auto& p : catalogue.plugins)
    {
        PluginChoice c { p.format, p.id, p.name.empty() ? p.id : p.name, {} };
        if (p.format == engine::ids::pluginFormats::lv2)
            c.maker = lv2Maker (p.id);
        list.push_back (std::move (c));
    }
    std::sort (list.begin(), list.end(),
        [] (const PluginChoice& a, const PluginChoice& b)
        { return std::tie (a.format, a.maker, a.name, a.id) < std::tie (b.format, b.maker, b.name, b.id); });
    if (blacklisted != nullptr)
        *blacklisted = catalogue.blacklisted;
    return list;
}

std::string addPluginToChain (Workstation& workstation, const std::string& format, const std::string& id, juce::String& error)
{
    const auto reference = plugins::referenceFor (format, id);
    if (reference.id.empty())
    {
        error = "The plugin " + juce::String (id) + " (" + formatName (format)
            + ") is not on this machine any more: scan plugins again.";
        return {};
    }
    auto slot = workstation.addPlugin (reference);
    if (slot.empty())
        error = "The plugin " + juce::String (reference.name) + " cannot be hosted by Crest.";
    return slot;
}

// ---- the menu ----------------------------------------------------------------------------------

PluginMenu::PluginMenu()
{
    plugins = pluginChoices (&refused, problem);
}

void PluginMenu::addTo (juce::PopupMenu& menu, int firstItem)
{
    first = firstItem;
    menu.addSectionHeader ("Plugins");
    // Format > maker > name; a maker's submenu is skipped when the format has one maker only.
    std::map<std::string, std::map<std::string, juce::PopupMenu>> byFormat;
    for (size_t i = 0; i < plugins.size(); ++i)
        byFormat[plugins[i].format][plugins[i].maker.empty() ? "(unknown maker)" : plugins[i].maker].addItem (
            first + 2 + (int) i, plugins[i].name);
    for (auto& [format, makers] : byFormat)
    {
        juce::PopupMenu formatMenu;
        size_t count = 0;
        for (auto& [maker, items] : makers)
        {
            count += (size_t) items.getNumItems();
            formatMenu.addSubMenu (maker, items);
        }
        menu.addSubMenu (formatName (format) + " (" + juce::String (count) + ")", formatMenu);
    }
    if (plugins.empty())
        menu.addItem (first + 1000000, problem.empty() ? "No plugins known yet: scan first" : "The plugin list cannot be read",
            false, false);
    menu.addItem (first, "Scan plugins...");
    if (! refused.empty())
        menu.addItem (first + 1, "Blacklisted plugins (" + juce::String (refused.size()) + ")...");
}

bool PluginMenu::handleChoice (Workstation& workstation, int chosen)
{
    if (chosen < first || first == 0)
        return false;
    if (chosen == first)
        showPluginScanWindow (true);
    else if (chosen == first + 1)
        showPluginScanWindow (false);
    else if (const auto i = (size_t) (chosen - first - 2); i < plugins.size())
    {
        juce::String error;
        if (addPluginToChain (workstation, plugins[i].format, plugins[i].id, error).empty())
        {
            workstation.problem = error;
            workstation.sendChangeMessage();
        }
    }
    else
        return false;
    return true;
}

// ---- the scan ----------------------------------------------------------------------------------

juce::File PluginScanJob::scanProgram()
{
    const auto beside = juce::File::getSpecialLocation (juce::File::currentExecutableFile).getSiblingFile ("crest");
    if (beside.existsAsFile())
        return beside;
    for (const auto& folder : juce::StringArray::fromTokens (juce::SystemStats::getEnvironmentVariable ("PATH", {}), ":", ""))
        if (const auto f = juce::File (folder).getChildFile ("crest"); folder.isNotEmpty() && f.existsAsFile())
            return f;
    return {};
}

PluginScanJob::PluginScanJob (int expected, juce::StringArray arguments)
    : juce::Thread ("plugin scan"), expectedCount (juce::jmax (1, expected)), extraArguments (std::move (arguments))
{
    startThread();
}

PluginScanJob::~PluginScanJob()
{
    signalThreadShouldExit();
    child.kill(); // ends the read below; the scan's probe children die with their parent's pipe
    stopThread (5000);
}

juce::StringArray PluginScanJob::lines() const
{
    std::lock_guard<std::mutex> lock (linesLock);
    return output;
}

void PluginScanJob::run()
{
    const auto program = scanProgram();
    auto say = [this] (const juce::String& line)
    {
        std::lock_guard<std::mutex> lock (linesLock);
        output.add (line);
    };
    juce::StringArray command { program.getFullPathName(), "plugins", "scan" };
    command.addArray (extraArguments);
    if (program == juce::File() || ! child.start (command, juce::ChildProcess::wantStdOut | juce::ChildProcess::wantStdErr))
    {
        say ("Cannot start the scan: no `crest` program beside Crest or on the PATH.");
        code = 127;
        done = true;
        return;
    }
    juce::String pending;
    int probed = 0;
    char buffer[4096];
    while (! threadShouldExit())
    {
        const int n = child.readProcessOutput (buffer, sizeof (buffer));
        if (n <= 0)
            break;
        pending += juce::String::fromUTF8 (buffer, n);
        while (pending.containsChar ('\n'))
        {
            const auto line = pending.upToFirstOccurrenceOf ("\n", false, false);
            pending = pending.fromFirstOccurrenceOf ("\n", false, false);
            if (line.startsWith ("ok ") || line.startsWith ("blacklisted "))
                progress = juce::jmin (0.99, (double) ++probed / expectedCount);
            say (line);
        }
    }
    if (pending.isNotEmpty())
        say (pending);
    code = (int) child.getExitCode();
    progress = 1.0;
    done = true;
}

// ---- the scan window ---------------------------------------------------------------------------

PluginScanPanel::PluginScanPanel (bool scan, const juce::StringArray& arguments)
{
    setName ("PluginScanPanel");
    status.setColour (juce::Label::textColourId, palette::text);
    status.setFont (fonts::label (14.0f));
    log.setMultiLine (true);
    log.setReadOnly (true);
    log.setScrollbarsShown (true);
    log.setFont (juce::Font (juce::Font::getDefaultMonospacedFontName(), 12.5f, juce::Font::plain));
    log.setColour (juce::TextEditor::backgroundColourId, palette::background);
    log.setColour (juce::TextEditor::textColourId, palette::text);
    log.setColour (juce::TextEditor::outlineColourId, palette::outline);
    bar.setColour (juce::ProgressBar::foregroundColourId, palette::accent);
    bar.setColour (juce::ProgressBar::backgroundColourId, palette::panelRaised);
    addAndMakeVisible (status);
    addAndMakeVisible (bar);
    addAndMakeVisible (log);
    if (scan)
    {
        // The count of LV2 plugins this process sees: what the scan will probe, near enough.
        job = std::make_unique<PluginScanJob> ((int) plugins::Lv2World::shared().pluginUris().size(), arguments);
        status.setText ("Scanning plugins, each in a process of its own...", juce::dontSendNotification);
        startTimerHz (10);
    }
    else
    {
        bar.setVisible (false);
        showResult();
    }
    setSize (760, 460);
}

void PluginScanPanel::timerCallback()
{
    if (job == nullptr)
        return;
    shownFraction = job->fraction();
    auto lines = job->lines();
    lines.removeRange (0, lines.size() - 200); // the last lines are what matters while it runs
    const auto text = lines.joinIntoString ("\n");
    if (text != log.getText())
    {
        log.setText (text, false);
        log.moveCaretToEnd();
    }
    if (job->finished() && ! reported)
    {
        reported = true;
        stopTimer();
        bar.setVisible (false); // the counts say it is done
        resized();
        plugins::reloadPluginList(); // a plugin the scan just blacklisted is not loaded from now on
        showResult();
        if (onFinished)
            onFinished();
    }
}

void PluginScanPanel::showResult()
{
    std::vector<plugins::BlacklistedPlugin> refused;
    std::string problem;
    const auto found = pluginChoices (&refused, problem);
    juce::String text;
    if (job != nullptr && job->exitCode() != 0)
    {
        text << "The scan failed (exit code " << job->exitCode() << "):\n";
        text << job->lines().joinIntoString ("\n") << "\n\n";
    }
    if (! problem.empty())
        text << juce::String (problem) << "\n\n";
    status.setText (juce::String (found.size()) + " plugins usable, " + juce::String (refused.size()) + " blacklisted"
            + (refused.empty() ? juce::String()
                               : juce::String (" (not offered; a session naming one keeps its slot as a placeholder)")),
        juce::dontSendNotification);
    if (refused.empty())
        text << "No plugin was blacklisted.";
    for (const auto& b : refused)
        text << formatName (b.format) << "  " << juce::String (b.id) << "\n    " << juce::String (b.reason) << "\n";
    log.setText (text, false);
    log.moveCaretToTop (false);
}

void PluginScanPanel::paint (juce::Graphics& g)
{
    g.fillAll (palette::panel);
}

void PluginScanPanel::resized()
{
    auto area = getLocalBounds().reduced (14);
    status.setBounds (area.removeFromTop (26));
    area.removeFromTop (6);
    if (bar.isVisible())
    {
        bar.setBounds (area.removeFromTop (22));
        area.removeFromTop (8);
    }
    log.setBounds (area);
}

namespace
{
    class ScanWindow : public juce::DocumentWindow
    {
    public:
        ScanWindow (bool scan, const juce::StringArray& arguments)
            : juce::DocumentWindow ("Plugins", palette::panel, juce::DocumentWindow::closeButton)
        {
            setUsingNativeTitleBar (true);
            setContentOwned (new PluginScanPanel (scan, arguments), true);
            setResizable (true, false);
            centreWithSize (getWidth(), getHeight());
            setVisible (true);
        }
        void closeButtonPressed() override
        {
            // Deleted after the click that asked for it has been handled.
            if (auto* w = scanWindowSlot().release())
                juce::MessageManager::callAsync ([w] { delete w; });
        }
        static std::unique_ptr<ScanWindow>& scanWindowSlot();
    };

    std::unique_ptr<ScanWindow>& ScanWindow::scanWindowSlot()
    {
        static std::unique_ptr<ScanWindow> window;
        return window;
    }

    std::unique_ptr<ScanWindow>& scanWindow()
    {
        return ScanWindow::scanWindowSlot();
    }
} // namespace

void showPluginScanWindow (bool scan, const juce::StringArray& arguments)
{
    auto& window = scanWindow();
    if (window != nullptr)
    {
        auto* panel = dynamic_cast<PluginScanPanel*> (window->getContentComponent());
        if (panel != nullptr && ! panel->idle())
        {
            window->toFront (true); // one scan at a time
            return;
        }
        window.reset();
    }
    window = std::make_unique<ScanWindow> (scan, arguments);
}

PluginScanPanel* pluginScanPanel()
{
    auto& window = scanWindow();
    return window != nullptr ? dynamic_cast<PluginScanPanel*> (window->getContentComponent()) : nullptr;
}

void closePluginScanWindow()
{
    scanWindow().reset(); // a running scan's child is killed
}

} // namespace crest::app
