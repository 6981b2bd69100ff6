#pragma once

// The offer shown at launch when the last run ended without a clean save or close: which
// session, when its recovery file was written, and what restoring it would change (the lines
// of session::SessionRecovery::differences), with Restore and Discard.
//
// It only presents and reports the choice; the application restores (Workstation::
// restoreRecovered, one undoable step) or removes the file. Restore and Discard are ordinary
// buttons, and the test flag --accept-recovery presses Restore (triggerClick), so a test goes
// through the same path as a person.

#include "session/SessionRecovery.h"

#include <juce_gui_basics/juce_gui_basics.h>

#include <functional>

namespace crest::app
{

class RecoveryPrompt : public juce::Component
{
public:
    /** `differences` are the lines to list (empty: the same as the file). */
    RecoveryPrompt (const session::Recovery&, const std::vector<std::string>& differences);

    /** Called once with the user's choice. */
    std::function<void()> onRestore, onDiscard;

    /** The one-paragraph text shown above the list (also printed by test runs). */
    juce::String summary() const { return heading; }

    juce::TextButton restoreButton { "Restore" }, discardButton { "Discard" };

    void paint (juce::Graphics&) override;
    void resized() override;

private:
    juce::String heading;
    juce::StringArray lines;
};

} // namespace crest::app
