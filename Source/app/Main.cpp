// Crest: the desktop application.
//
//   Crest [SESSION.crest | AUDIO...]        opens the main window (the bundled demo session when
//                                           nothing is given); .crest files and audio files can
//                                           also be dropped on the window
//   Crest --screenshot DIR [SESSION]        renders the main views to DIR/*.png, lists their
//                                           components in DIR/components.txt, and quits
//   Crest --screenshot OUT.png [SESSION]    renders the main window alone
//   Crest --bench-ui [SESSION]              measures the UI's drawing cost and launch time
//
// Flags for tests that drive the window as a person would (each goes through the same code
// as the user's click or edit):
//   --no-audio              opens no audio device (as the screenshot mode does)
//   --edit KEY=VALUE        makes an album edit (as `crest session set --album KEY=VALUE`)
//                           through the session editor, one undo step, once the window is up
//   --accept-recovery       presses Restore on the recovery prompt, if one is offered
//   --dump-session FILE     after the above, writes the open session's JSON to FILE and quits
//   --export-to DIR         opens the export dialog, sets DIR, presses Export, and quits with
//                           0 when the export succeeded (1 otherwise)
//   --preflight-to FILE     opens the export dialog and writes the preflight rows it lists to
//                           FILE, one a line, and quits
//   --check-timeline-drags  drags on the album timeline with the mouse (reorder, gap, INDEX 00,
//                           crossfade, fades, an index marker), checks each is one undo step
//                           with the expected fields (app/TimelineDragCheck.h), prints what it
//                           found and quits, 0 when all were right
//   --check-unsaved-prompts OTHER.crest
//                           after the edits: quits, closes the window, closes the session and
//                           opens OTHER, checking that each asks and that Cancel keeps the
//                           session (app/UnsavedPromptCheck.h); exits 0 when all did
//   --check-plugin-panel DIR [--scan-folder F] [--plugin URI --parameter ID --ui-knob X,Y] [--plugin-named NAME --gain-values A,B --ui-click X,Y]
//                           scans, adds an LV2 plugin through the Add menu's code, edits it in
//                           its panel and its own editor, checks the engine followed, writes
//                           DIR/plugin-*.png and quits with 0 when every check passed

#include "app/ChainPresets.h"
#include "app/CrestLookAndFeel.h"
#include "app/MainWindow.h"
#include "app/PluginChooser.h"
#include "app/PluginEditorWindow.h"
#include "app/PluginPanelCheck.h"
#include "app/RecoveryPrompt.h"
#include "app/Screenshots.h"
#include "app/UiBench.h"
#include "app/TimelineDragCheck.h"
#include "app/UnsavedPromptCheck.h"
#include "engine/ChainFile.h"
#include "session/SessionFile.h"
#include "session/SessionRecovery.h"
#include "plugins/PluginHosting.h"

#include <juce_gui_basics/juce_gui_basics.h>

#include <filesystem>

#include <unistd.h>

namespace crest::app
{

namespace
{
    // Taken while the program's statics are set up, before JUCE starts: the launch's start.
    const double launchMs = juce::Time::getMillisecondCounterHiRes();

    /** How long this process has existed, from the kernel's record of its start (exec), in ms;
        falls back to the time since static initialisation. Linux's resolution is 10 ms. */
    double processAgeMs()
    {
        const auto stat = juce::File ("/proc/self/stat").loadFileAsString();
        const auto uptime = juce::File ("/proc/uptime").loadFileAsString();
        // Field 22 (starttime, clock ticks after boot) counts from after the ")" closing the name.
        const auto fields = juce::StringArray::fromTokens (stat.fromLastOccurrenceOf (")", false, false), " ", "");
        if (fields.size() > 20 && uptime.isNotEmpty())
        {
            const double started = fields[20].getDoubleValue() / (double) sysconf (_SC_CLK_TCK);
            return (uptime.getDoubleValue() - started) * 1000.0;
        }
        return juce::Time::getMillisecondCounterHiRes() - launchMs;
    }

    /** The folders the bundled demo may be in: ../demo beside the executable's folder (a build
        or an install), then the build tree's, fixed at build time. */
    juce::Array<juce::File> demoFolders()
    {
        const auto exe = juce::File::getSpecialLocation (juce::File::currentExecutableFile);
        juce::Array<juce::File> folders { exe.getParentDirectory().getSiblingFile ("demo"),
            exe.getParentDirectory().getParentDirectory().getChildFile ("share/crest/demo") };
#ifdef CREST_DEMO_DIR
        folders.add (juce::File (CREST_DEMO_DIR));
#endif
        return folders;
    }

    /** A session of audio files as tracks, with the gentle-master preset as its chain when found. */
    session::Session sessionFromAudio (const juce::StringArray& paths)
    {
        session::Session s;
        s.album.title = "Untitled album";
        for (const auto& path : paths)
        {
            session::Track track;
            track.source = path.toStdString();
            track.title = juce::File (path).getFileNameWithoutExtension().toStdString();
            s.tracks.push_back (std::move (track));
        }
        for (const auto& folder : bundledPresetFolders())
            if (const auto preset = folder.getChildFile ("gentle-master.json"); preset.existsAsFile())
            {
                try
                {
                    s.chain = engine::ChainFile::load (preset.getFullPathName().toStdString());
                }
                catch (const std::exception&)
                {
                }
                break;
            }
        return s;
    }
} // namespace

class CrestApplication : public juce::JUCEApplication
{
public:
    const juce::String getApplicationName() override { return "Crest"; }
    const juce::String getApplicationVersion() override { return CREST_VERSION; }
    bool moreThanOneInstanceAllowed() override { return true; }

    void initialise (const juce::String& commandLine) override
    {
        juce::LookAndFeel::setDefaultLookAndFeel (&lookAndFeel);
        crest::plugins::installPluginHosting(); // sessions may name LV2 plugins; the chain strip adds them
        auto args = juce::StringArray::fromTokens (commandLine, true);
        for (auto& a : args)
            a = a.unquoted();

        juce::File screenshotTarget, dumpTarget, exportTarget, preflightTarget, promptCheckOther, pluginCheckTarget;
        juce::StringArray pluginCheckOptions;
        bool bench = false, noAudio = false, dragCheck = false;
        juce::StringArray inputs, edits;
        for (int i = 0; i < args.size(); ++i)
        {
            if (args[i] == "--screenshot" && i + 1 < args.size())
                screenshotTarget = juce::File::getCurrentWorkingDirectory().getChildFile (args[++i]);
            else if (args[i] == "--bench-ui")
                bench = true;
            else if (args[i] == "--edit" && i + 1 < args.size())
                edits.add (args[++i]);
            else if (args[i] == "--no-audio")
                noAudio = true;
            else if (args[i] == "--accept-recovery")
                acceptRecovery = true;
            else if (args[i] == "--dump-session" && i + 1 < args.size())
                dumpTarget = juce::File::getCurrentWorkingDirectory().getChildFile (args[++i]);
            else if (args[i] == "--check-timeline-drags")
                dragCheck = true;
            else if (args[i] == "--check-unsaved-prompts" && i + 1 < args.size())
                promptCheckOther = juce::File::getCurrentWorkingDirectory().getChildFile (args[++i]);
            else if (args[i] == "--preflight-to" && i + 1 < args.size())
                preflightTarget = juce::File::getCurrentWorkingDirectory().getChildFile (args[++i]);
            else if (args[i] == "--export-to" && i + 1 < args.size())
                exportTarget = juce::File::getCurrentWorkingDirectory().getChildFile (args[++i]);
            else if (args[i] == "--check-plugin-panel" && i + 1 < args.size())
                pluginCheckTarget = juce::File::getCurrentWorkingDirectory().getChildFile (args[++i]);
            else if ((args[i] == "--scan-folder" || args[i] == "--plugin" || args[i] == "--parameter" || args[i] == "--ui-knob" || args[i] == "--plugin-named" || args[i] == "--gain-values" || args[i] == "--ui-click") && i + 1 < args.size())
                pluginCheckOptions.add (args[i]), pluginCheckOptions.add (args[++i]);
            else if (! args[i].startsWith ("-") && args[i].isNotEmpty())
                inputs.add (juce::File::getCurrentWorkingDirectory().getChildFile (args[i]).getFullPathName());
        }
        const bool offline = screenshotTarget != juce::File() || bench || pluginCheckTarget != juce::File();
        workstation.recoveryEnabled = ! offline;

        openInputs (inputs);
        workstation.openAudioDevice (! offline && ! noAudio);
        mainWindow = std::make_unique<MainWindow> (getApplicationName(), workstation);

        if (! offline)
            offerRecovery();
        for (const auto& edit : edits)
            applyEdit (edit);
        if (dumpTarget != juce::File())
            juce::Timer::callAfterDelay (1500,
                [this, dumpTarget]
                {
                    const auto folder = workstation.sessionFile().getParentDirectory().getFullPathName().toStdString();
                    const bool ok = dumpTarget.replaceWithText (session::SessionFile::toJson (workstation.session(), folder));
                    setApplicationReturnValue (ok ? 0 : 1);
                    quit();
                });
        if (exportTarget != juce::File())
            juce::Timer::callAfterDelay (500, [this, exportTarget] { exportThroughDialog (exportTarget); });
        if (dragCheck)
            juce::Timer::callAfterDelay (800,
                [this]
                {
                    auto& main = mainWindow->main();
                    main.showTab (MainComponent::Tab::album);
                    juce::String report;
                    const bool ok = checkTimelineDrags (main.album, report);
                    std::printf ("%s", report.toRawUTF8());
                    std::fflush (stdout);
                    setApplicationReturnValue (ok ? 0 : 1);
                    quit();
                });
        if (promptCheckOther != juce::File())
            juce::Timer::callAfterDelay (800,
                [this, promptCheckOther]
                {
                    checkUnsavedPrompts (mainWindow->main(), promptCheckOther,
                        [this] (int status)
                        {
                            setApplicationReturnValue (status);
                            quit();
                        });
                });
        if (preflightTarget != juce::File())
            juce::Timer::callAfterDelay (500,
                [this, preflightTarget]
                {
                    const auto lines = mainWindow->main().showExportDialog().preflightLines();
                    const bool ok = preflightTarget.replaceWithText (
                        lines.joinIntoString ("\n") + (lines.isEmpty() ? "" : "\n"), false, false, "\n");
                    setApplicationReturnValue (ok ? 0 : 1);
                    quit();
                });

        if (pluginCheckTarget != juce::File())
            juce::Timer::callAfterDelay (300,
                [this, pluginCheckTarget, pluginCheckOptions]
                {
                    runPluginPanelCheck (*mainWindow, workstation, pluginCheckTarget, pluginCheckOptions,
                        [this] (int status)
                        {
                            setApplicationReturnValue (status);
                            quit();
                        });
                });
        else if (screenshotTarget != juce::File())
        {
            // Give the window a moment to appear, then render the views and leave.
            juce::Timer::callAfterDelay (300,
                [this, screenshotTarget]
                {
                    const bool ok = writeScreenshots (*mainWindow, workstation, screenshotTarget);
                    setApplicationReturnValue (ok ? 0 : 1);
                    quit();
                });
        }
        else if (bench)
        {
            // Responsive: the window is showing and the message loop has come round to us.
            juce::MessageManager::callAsync (
                [this]
                {
                    const double responsiveMs = processAgeMs();
                    runUiBench (*mainWindow, workstation, responsiveMs,
                        [this] (int status)
                        {
                            setApplicationReturnValue (status);
                            quit();
                        });
                });
        }
    }

    void shutdown() override
    {
        delete recoveryWindow.getComponent();
        closePluginEditors(); // before the workstation whose slots they edit
        closePluginScanWindow();
        mainWindow.reset();
        juce::LookAndFeel::setDefaultLookAndFeel (nullptr);
    }

    void systemRequestedQuit() override
    {
        if (mainWindow == nullptr)
            quit();
        else
            mainWindow->main().confirmDiscard ([this] { quit(); });
    }

    void anotherInstanceStarted (const juce::String&) override { }

private:
    /** At launch: when the session being opened (or, failing that, an unsaved one) has a
        recovery file, the last run ended without a clean save or close: offer it. */
    void offerRecovery()
    {
        const auto data = Workstation::dataFolder().getFullPathName().toStdString();
        const auto open = workstation.sessionFile() == juce::File() ? std::string()
                                                                     : workstation.sessionFile().getFullPathName().toStdString();
        std::string error;
        auto found = session::SessionRecovery::find (open, data, error);
        if (! found && error.empty() && ! open.empty())
            found = session::SessionRecovery::find ({}, data, error);
        if (! error.empty())
        {
            workstation.problem = juce::String (error);
            workstation.sendChangeMessage();
        }
        if (! found)
            return;
        recovery = std::move (*found);
        const bool sameFile = recovery.sessionPath == open;
        const auto differences
            = session::SessionRecovery::differences (sameFile ? workstation.session() : session::Session {}, recovery.session);
        auto* prompt = new RecoveryPrompt (recovery, differences);
        std::printf ("Crest: recovery offered: %s\n", prompt->summary().toRawUTF8());
        for (const auto& line : differences)
            std::printf ("Crest: recovery would change: %s\n", line.c_str());
        std::fflush (stdout);
        prompt->onRestore = [this]
        {
            if (recovery.sessionPath != (workstation.sessionFile() == juce::File() ? std::string()
                                                                                     : workstation.sessionFile().getFullPathName().toStdString()))
            {
                juce::String why;
                if (recovery.sessionPath.empty())
                    workstation.newSession();
                else if (! workstation.openSession (juce::File (recovery.sessionPath), why))
                    workstation.problem = why;
            }
            workstation.restoreRecovered (recovery.session);
            workstation.writeRecoveryIfDue (true); // the restored state is itself recoverable
            std::printf ("Crest: recovery restored\n");
            std::fflush (stdout);
            closeRecoveryPrompt();
        };
        prompt->onDiscard = [this]
        {
            std::error_code ec;
            std::filesystem::remove (recovery.recoveryPath, ec);
            closeRecoveryPrompt();
        };
        juce::DialogWindow::LaunchOptions options;
        options.content.setOwned (prompt);
        options.dialogTitle = "Restore unsaved edits?";
        options.dialogBackgroundColour = palette::panel;
        options.componentToCentreAround = mainWindow.get();
        options.useNativeTitleBar = true;
        options.escapeKeyTriggersCloseButton = false;
        recoveryWindow = options.launchAsync();
        if (acceptRecovery)
            juce::Timer::callAfterDelay (300,
                [this]
                {
                    if (recoveryWindow != nullptr)
                        if (auto* p = dynamic_cast<RecoveryPrompt*> (recoveryWindow->getContentComponent()))
                            p->restoreButton.triggerClick();
                });
    }

    void closeRecoveryPrompt()
    {
        if (recoveryWindow != nullptr)
            recoveryWindow->exitModalState (0); // launched with deleteWhenDismissed: JUCE deletes it
    }

    /** An album edit from the command line, as one undo step through the session editor. */
    void applyEdit (const juce::String& keyValue)
    {
        const auto key = keyValue.upToFirstOccurrenceOf ("=", false, false).toStdString();
        const auto value = keyValue.fromFirstOccurrenceOf ("=", false, false).toStdString();
        try
        {
            auto probe = workstation.session();
            session::SessionFile::setAlbumField (probe, key, value); // throws on a bad key or value
            workstation.editor().apply ("Set " + key, session::EditKind::album,
                [&key, &value] (session::Session& s) { session::SessionFile::setAlbumField (s, key, value); });
            workstation.sendChangeMessage();
            std::printf ("Crest: edit made: %s\n", keyValue.toRawUTF8());
            std::fflush (stdout);
        }
        catch (const std::exception& e)
        {
            std::fprintf (stderr, "Crest: --edit %s: %s\n", keyValue.toRawUTF8(), e.what());
            setApplicationReturnValue (2);
            quit();
        }
    }

    /** Opens the export dialog, sets the folder and presses Export, as a person would; quits
        when the export ends, 0 when it succeeded. */
    void exportThroughDialog (const juce::File& folder)
    {
        auto& dialog = mainWindow->main().showExportDialog();
        dialog.setDestination (folder);
        dialog.onFinished = [this] (const delivery::ReleaseExportResult& result)
        {
            std::printf ("Crest: export %s: %zu files%s%s\n", result.succeeded ? "finished" : result.cancelled ? "cancelled" : "failed",
                result.report.files.size(), result.error.empty() ? "" : ": ", result.error.c_str());
            std::fflush (stdout);
            setApplicationReturnValue (result.succeeded ? 0 : 1);
            quit();
        };
        if (dialog.blocked())
        {
            std::fprintf (stderr, "Crest: the export's preflight found errors\n");
            setApplicationReturnValue (1);
            quit();
            return;
        }
        std::printf ("Crest: export started into %s\n", folder.getFullPathName().toRawUTF8());
        std::fflush (stdout);
        dialog.exportButton.triggerClick();
    }

    void openInputs (const juce::StringArray& inputs)
    {
        juce::StringArray audio;
        for (const auto& path : inputs)
        {
            if (juce::File (path).hasFileExtension (".crest"))
            {
                juce::String error;
                if (! workstation.openSession (juce::File (path), error))
                    workstation.problem = juce::File (path).getFileName() + ": " + error;
                return;
            }
            audio.add (path);
        }
        if (! audio.isEmpty())
        {
            workstation.useSession (sessionFromAudio (audio), juce::File (audio[0]).getParentDirectory());
            return;
        }
        for (const auto& folder : demoFolders())
        {
            if (const auto demo = folder.getChildFile ("crest-demo.crest"); demo.existsAsFile())
            {
                juce::String error;
                if (workstation.openSession (demo, error))
                    return;
                workstation.problem = demo.getFileName() + ": " + error;
            }
            if (const auto mix = folder.getChildFile ("crest-demo-mix.wav"); mix.existsAsFile())
            {
                workstation.useSession (sessionFromAudio ({ mix.getFullPathName() }), folder);
                return;
            }
        }
        workstation.problem = "The demo session was not found: open a session or drop audio files on the window.";
    }

    CrestLookAndFeel lookAndFeel;
    Workstation workstation;
    std::unique_ptr<MainWindow> mainWindow;
    session::Recovery recovery;
    juce::Component::SafePointer<juce::DialogWindow> recoveryWindow;
    bool acceptRecovery = false;
};

} // namespace crest::app

START_JUCE_APPLICATION (crest::app::CrestApplication)
