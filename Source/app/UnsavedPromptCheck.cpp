#include "app/UnsavedPromptCheck.h"

#include <cstdio>

namespace crest::app
{
namespace
{
    /** The question on the screen, if there is one. */
    juce::AlertWindow* openQuestion()
    {
        for (int i = 0; i < juce::TopLevelWindow::getNumTopLevelWindows(); ++i)
            if (auto* alert = dynamic_cast<juce::AlertWindow*> (juce::TopLevelWindow::getTopLevelWindow (i)))
                if (alert->isShowing())
                    return alert;
        return nullptr;
    }

    juce::Button* buttonNamed (juce::Component& parent, const juce::String& text)
    {
        for (auto* child : parent.getChildren())
            if (auto* button = dynamic_cast<juce::Button*> (child); button != nullptr && button->getButtonText() == text)
                return button;
        return nullptr;
    }

    void say (const juce::String& line)
    {
        std::printf ("Crest: unsaved prompt: %s\n", line.toRawUTF8());
        std::fflush (stdout);
    }

    struct Check
    {
        Check (MainComponent& m, juce::File o, std::function<void (int)> d)
            : main (m), other (std::move (o)), done (std::move (d))
        {
        }

        MainComponent& main;
        juce::File other;
        std::function<void (int)> done;
        std::vector<std::pair<juce::String, std::function<void()>>> actions;
        size_t next = 0;
        bool failed = false;

        // What must survive a Cancel.
        uint64_t revision = 0;
        juce::File file;
        std::string title;

        void fail (const juce::String& why)
        {
            say ("FAIL: " + why);
            failed = true;
        }

        void step()
        {
            auto& w = main.workstation;
            if (next == actions.size())
            {
                done (failed ? 1 : 0);
                return;
            }
            if (! w.hasUnsavedEdits())
                fail ("no unsaved edits to ask about (give --edit)");
            revision = w.editor().revision();
            file = w.sessionFile();
            title = w.session().album.title;
            const auto name = actions[next].first;
            actions[next++].second();
            juce::Timer::callAfterDelay (400, [this, name] { answer (name); });
        }

        void answer (const juce::String& name)
        {
            auto* question = openQuestion();
            if (question == nullptr)
            {
                fail (name + ": nothing was asked");
                juce::Timer::callAfterDelay (100, [this] { step(); });
                return;
            }
            auto* cancel = buttonNamed (*question, "Cancel");
            say (name + ": asked \"" + question->getName() + "\" with "
                + (buttonNamed (*question, "Save") != nullptr && buttonNamed (*question, "Don't save") != nullptr
                        ? "Save, Don't save and Cancel"
                        : "other buttons"));
            if (cancel == nullptr)
            {
                fail (name + ": the question has no Cancel");
                question->exitModalState (0);
            }
            else
                cancel->triggerClick();
            juce::Timer::callAfterDelay (400, [this, name] { verify (name); });
        }

        void verify (const juce::String& name)
        {
            auto& w = main.workstation;
            if (openQuestion() != nullptr)
                fail (name + ": the question is still open after Cancel");
            const bool kept = w.editor().revision() == revision && w.sessionFile() == file && w.session().album.title == title
                && w.hasUnsavedEdits();
            if (kept)
                say (name + ": Cancel kept the session (" + file.getFileName() + ", title \"" + juce::String (title)
                    + "\", its unsaved edits)");
            else
                fail (name + ": Cancel did not keep the session");
            juce::Timer::callAfterDelay (100, [this] { step(); });
        }
    };
} // namespace

void checkUnsavedPrompts (MainComponent& main, const juce::File& otherSession, std::function<void (int)> done)
{
    // One check a run; it lives until the process ends (its steps are timer callbacks).
    static std::unique_ptr<Check> running;
    running = std::make_unique<Check> (main, otherSession, std::move (done));
    auto* check = running.get();
    check->actions = {
        { "quit", [] { juce::JUCEApplication::getInstance()->systemRequestedQuit(); } },
        { "close the window",
            [&main]
            {
                if (auto* window = main.findParentComponentOfClass<juce::DocumentWindow>())
                    window->closeButtonPressed();
            } },
        { "close the session", [&main] { main.closeSession(); } },
        { "open another session", [&main, otherSession] { main.openFile (otherSession); } },
    };
    check->step();
}

} // namespace crest::app
