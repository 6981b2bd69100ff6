// Crest: the desktop application.
//
//   Crest                        opens the main window
//   Crest --screenshot OUT.png   renders the main window to a PNG and quits (for tests and docs)

#include "app/MainWindow.h"

#include <juce_gui_basics/juce_gui_basics.h>

namespace crest::app
{

class CrestApplication : public juce::JUCEApplication
{
public:
    const juce::String getApplicationName() override { return "Crest"; }
    const juce::String getApplicationVersion() override { return CREST_VERSION; }
    bool moreThanOneInstanceAllowed() override { return true; }

    void initialise (const juce::String& commandLine) override
    {
        const auto args = juce::StringArray::fromTokens (commandLine, true);
        mainWindow = std::make_unique<MainWindow> (getApplicationName());

        if (const int index = args.indexOf ("--screenshot"); index >= 0)
        {
            const auto target = juce::File::getCurrentWorkingDirectory().getChildFile (args[index + 1].unquoted());
            // Give the window a moment to appear, then render it and leave.
            juce::Timer::callAfterDelay (300, [this, target] {
                const bool ok = writeScreenshot (target);
                setApplicationReturnValue (ok ? 0 : 1);
                quit();
            });
        }
    }

    void shutdown() override { mainWindow.reset(); }

    void systemRequestedQuit() override { quit(); }

private:
    bool writeScreenshot (const juce::File& target)
    {
        auto* content = mainWindow->getContentComponent();
        const auto image = content->createComponentSnapshot (content->getLocalBounds());
        target.getParentDirectory().createDirectory();
        target.deleteFile();
        juce::FileOutputStream out (target);
        juce::PNGImageFormat png;
        const bool ok = out.openedOk() && png.writeImageToStream (image, out);
        if (! ok)
            std::fprintf (stderr, "Crest: %s: cannot write the screenshot\n", target.getFullPathName().toRawUTF8());
        return ok;
    }

    std::unique_ptr<MainWindow> mainWindow;
};

} // namespace crest::app

START_JUCE_APPLICATION (crest::app::CrestApplication)
