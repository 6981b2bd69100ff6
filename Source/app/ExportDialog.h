#pragma once

// The export dialog: the session's deliverable targets and their options, the preflight
// before starting, per-target progress with the time left and a Cancel, and the report at the
// end with buttons that open it and its folder.
//
// Design note: the dialog is a view over two engine parts. delivery::preflightRelease lists
// what the export would stop on (errors: Export stays disabled) or warn about (the dialog checks
// nothing itself: the rows are the ones `crest export` prints), and
// delivery::ExportJob runs exportRelease(), the function `crest export` runs, on its own
// thread, so the files are the CLI's byte for byte and playback goes on while it works. A
// timer reads the job's status ten times a second. Cancel (or closing the dialog, or quitting)
// stops the job, whose ExportFolder removes everything staged: nothing is left behind. Ticking
// a target changes the session's own target list (one undo step), so what the dialog shows is
// always what the session holds and what `crest export` of the saved session would write.

#include "app/Workstation.h"
#include "export/DeliveryFinding.h"
#include "export/ExportJob.h"

#include <juce_gui_basics/juce_gui_basics.h>

#include <functional>
#include <memory>

namespace crest::app
{

class ExportDialog : public juce::Component, private juce::Timer, private juce::ChangeListener
{
public:
    explicit ExportDialog (Workstation&);
    ~ExportDialog() override;

    /** Where the release is written (a folder; created when needed). */
    void setDestination (const juce::File& folder);
    const juce::File& destination() const noexcept { return folder; }

    /** The folder the dialog proposes for a session: "NAME deliverables" beside its file. */
    static juce::File defaultDestination (const Workstation&);

    /** Runs the preflight again (the targets or the session changed). */
    void refreshPreflight();

    /** True when the preflight found an error (Export is disabled). */
    bool blocked() const;

    /** The preflight's rows as the dialog lists them, in delivery::describePreflight's words
        (the lines `crest export` prints for the same session). */
    juce::StringArray preflightLines() const;

    /** The export running or finished, if any. */
    const delivery::ExportJob* job() const noexcept { return running.get(); }

    /** Called once when an export ends (succeeded, failed or cancelled). */
    std::function<void (const delivery::ReleaseExportResult&)> onFinished;

    /** Called once an export has succeeded (the window renders the masters for the timeline). */
    std::function<void()> onDelivered;

    /** Pumps the progress display once (the timer does this ten times a second). */
    void poll();

    juce::TextButton exportButton { "Export" }, cancelButton { "Cancel" }, chooseButton { "Choose..." },
        openReportButton { "Open report" }, openFolderButton { "Open folder" };

    void paint (juce::Graphics&) override;
    void resized() override;

private:
    void timerCallback() override { poll(); }
    void changeListenerCallback (juce::ChangeBroadcaster*) override;
    void start();
    void toggleTarget (session::DeliverableTarget, bool on);
    juce::String optionsText (session::DeliverableTarget) const;
    void paintProgress (juce::Graphics&, juce::Rectangle<int>);
    void paintReport (juce::Graphics&, juce::Rectangle<int>);

    Workstation& workstation;
    juce::File folder;
    juce::OwnedArray<juce::ToggleButton> targetButtons;
    std::vector<delivery::DeliveryFinding> preflight;
    std::unique_ptr<delivery::ExportJob> running;
    delivery::ExportJob::Status shown;
    bool reported = false;
    std::unique_ptr<juce::FileChooser> chooser;
    juce::Rectangle<int> targetsArea, statusArea;
};

} // namespace crest::app
