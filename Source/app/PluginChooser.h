#pragma once

// Third-party plugins as the window offers them: the chain strip's Add menu lists the plugins the
// last scan found (the remembered list, plugins::PluginCatalogue), and "Scan plugins..." runs a
// new scan.
//
// Design note: the scan is `crest plugins scan`, a child process of its own (which in turn runs
// one probe child per plugin), read line by line on a background thread: a plugin that crashes
// or hangs while being scanned takes down neither the window nor the message thread, and the
// window shows the scan's progress as it goes. The list is read back from the catalogue file the
// scan writes; the window never writes it. Adding a plugin (the menu's item, and the
// --check-plugin-panel mode) is one function, addPluginToChain().

#include "app/Workstation.h"
#include "plugins/PluginCatalogue.h"

#include <juce_gui_basics/juce_gui_basics.h>

#include <atomic>
#include <mutex>
#include <string>
#include <vector>

namespace crest::app
{

/** One plugin the Add menu offers. */
struct PluginChoice
{
    std::string format; ///< "lv2" or "vst3"
    std::string id, name;
    std::string maker; ///< as the plugin names its author; empty when unknown
};

/** The plugins of the remembered list, sorted by format, maker and name. `blacklisted` (when
    given) gets the plugins the scan refused. An unreadable list gives none, with `problem` set. */
std::vector<PluginChoice> pluginChoices (std::vector<plugins::BlacklistedPlugin>* blacklisted, std::string& problem);

/** Adds a plugin to the end of the album chain, as one undoable step, and selects it: what the
    Add menu's plugin items do. Returns the new slot's ID, or empty with `error` set. */
std::string addPluginToChain (Workstation&, const std::string& format, const std::string& id, juce::String& error);

/** The Add menu's plugin part: one submenu per format, makers as submenus inside it, then
    "Scan plugins..." and the blacklist. Item IDs start at `firstItem`; handleChoice() acts on
    one (true when it was one of these items). */
class PluginMenu
{
public:
    PluginMenu();

    /** Appends the plugin items to a menu. */
    void addTo (juce::PopupMenu& menu, int firstItem);

    /** Acts on a chosen item: adds the plugin, starts a scan or shows the blacklist. */
    bool handleChoice (Workstation&, int chosen);

    const std::vector<PluginChoice>& choices() const noexcept { return plugins; }

private:
    std::vector<PluginChoice> plugins;
    std::vector<plugins::BlacklistedPlugin> refused;
    std::string problem;
    int first = 0;
};

/** A running `crest plugins scan`: started on construction, read on a thread of its own. */
class PluginScanJob : private juce::Thread
{
public:
    /** Starts the scan (the `crest` program beside this one, or on the PATH). `expected` is the
        number of plugins it is likely to probe, for the progress fraction; `arguments` are
        added to `crest plugins scan` (the check mode scans one folder: --only-folders --folder). */
    PluginScanJob (int expected, juce::StringArray arguments);

    /** Stops the scan (kills the child) if it is still running. */
    ~PluginScanJob() override;

    /** 0..1, how far it has come. */
    double fraction() const noexcept { return progress.load(); }

    /** True once the child has ended. */
    bool finished() const noexcept { return done.load(); }

    /** The child's exit code (when finished) and the lines it printed so far. */
    int exitCode() const noexcept { return code.load(); }
    juce::StringArray lines() const;

    /** The `crest` program the scan runs, or empty when none was found. */
    static juce::File scanProgram();

private:
    void run() override;

    juce::ChildProcess child;
    int expectedCount;
    juce::StringArray extraArguments;
    std::atomic<double> progress { 0.0 };
    std::atomic<bool> done { false };
    std::atomic<int> code { -1 };
    mutable std::mutex linesLock;
    juce::StringArray output;
};

/** The window "Scan plugins..." opens: the scan's progress and its last lines while it runs,
    then how many plugins are usable and every blacklisted one with its reason. */
class PluginScanPanel : public juce::Component, private juce::Timer
{
public:
    /** Starts a scan at once (`scan` false: shows the last scan's blacklist only), with
        `arguments` added to `crest plugins scan`. */
    PluginScanPanel (bool scan, const juce::StringArray& arguments);

    void paint (juce::Graphics&) override;
    void resized() override;

    /** True when no scan is running any more. */
    bool idle() const noexcept { return job == nullptr || job->finished(); }

    /** Called once when a scan ends (the chain strip rereads the list). */
    std::function<void()> onFinished;

private:
    void timerCallback() override;
    void showResult();

    std::unique_ptr<PluginScanJob> job;
    double shownFraction = 0.0;
    juce::ProgressBar bar { shownFraction };
    juce::Label status;
    juce::TextEditor log;
    bool reported = false;
};

/** Opens the scan window (or brings it to the front); `scan` false shows the blacklist only. */
void showPluginScanWindow (bool scan, const juce::StringArray& arguments = {});

/** The open scan window's panel, or nullptr. */
PluginScanPanel* pluginScanPanel();

/** Closes the scan window (at shutdown). */
void closePluginScanWindow();

} // namespace crest::app
