// Crest: the desktop application.
//
//   Crest [SESSION.crest | AUDIO...]        opens the main window (the bundled demo session when
//                                           nothing is given); .crest files and audio files can
//                                           also be dropped on the window
//   Crest --screenshot DIR [SESSION]        renders the main views to DIR/*.png, lists their
//                                           components in DIR/components.txt, and quits
//   Crest --screenshot OUT.png [SESSION]    renders the main window alone
//   Crest --bench-ui [SESSION]              measures the UI's drawing cost and launch time

#include "app/CrestLookAndFeel.h"
#include "app/MainWindow.h"
#include "app/Screenshots.h"
#include "app/UiBench.h"
#include "engine/ChainFile.h"
#include "plugins/PluginHosting.h"

#include <juce_gui_basics/juce_gui_basics.h>

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
        const auto exe = juce::File::getSpecialLocation (juce::File::currentExecutableFile);
        juce::Array<juce::File> presetFolders { exe.getParentDirectory().getSiblingFile ("presets"),
            exe.getParentDirectory().getParentDirectory().getChildFile ("share/crest/presets") }; // an install (/usr)
#ifdef CREST_PRESETS_DIR
        presetFolders.add (juce::File (CREST_PRESETS_DIR));
#endif
        for (const auto& folder : presetFolders)
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
        crest::plugins::installPluginHosting(); // sessions may name LV2 plugins (no editor for them yet)
        auto args = juce::StringArray::fromTokens (commandLine, true);
        for (auto& a : args)
            a = a.unquoted();

        juce::File screenshotTarget;
        bool bench = false;
        juce::StringArray inputs;
        for (int i = 0; i < args.size(); ++i)
        {
            if (args[i] == "--screenshot" && i + 1 < args.size())
                screenshotTarget = juce::File::getCurrentWorkingDirectory().getChildFile (args[++i]);
            else if (args[i] == "--bench-ui")
                bench = true;
            else if (! args[i].startsWith ("-") && args[i].isNotEmpty())
                inputs.add (juce::File::getCurrentWorkingDirectory().getChildFile (args[i]).getFullPathName());
        }
        const bool offline = screenshotTarget != juce::File() || bench;

        openInputs (inputs);
        workstation.openAudioDevice (! offline);
        mainWindow = std::make_unique<MainWindow> (getApplicationName(), workstation);

        if (screenshotTarget != juce::File())
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
        mainWindow.reset();
        juce::LookAndFeel::setDefaultLookAndFeel (nullptr);
    }

    void systemRequestedQuit() override { quit(); }

    void anotherInstanceStarted (const juce::String&) override { }

private:
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
};

} // namespace crest::app

START_JUCE_APPLICATION (crest::app::CrestApplication)
