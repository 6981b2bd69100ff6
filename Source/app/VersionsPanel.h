#pragma once

// The Versions page beside the album timeline: every version with its time, note, figures per
// track and what changed from the one before; create, restore, approve, compare and proof.
//
// Design note: a view of the session's versions (session/Versions.h does every operation, each
// one undo step, the same functions `crest version|approve` call). Comparing is a monitoring
// switch of the Workstation (key C flips). "Proof..." runs delivery::writeProof, the code
// behind `crest proof`, on a thread of its own into a chosen folder; the timer shows its
// progress and, when it is done, keeps the figures it measured with the versions (one step).

#include "app/Workstation.h"

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

namespace crest::app
{

/** The Versions page. */
class VersionsPanel : public juce::Component, private juce::ChangeListener, private juce::Timer
{
public:
    explicit VersionsPanel (Workstation&);
    ~VersionsPanel() override;

    /** The track approvals go to (0-based; the timeline's selection). */
    int selectedTrack = 0;

    /** The version selected in the list (index into the session's versions; -1: none). */
    int selectedVersion = -1;

    /** The state the selected version is compared against ("A"): a version's name, or empty
        for the working state. "Set as A" picks the selected version. */
    std::string compareAgainst;

    /** Creates a version from the name and note fields. False with `problem` set. */
    bool createFromFields();

    /** Renders a proof of the selected version (and the one before it, to compare on the
        review page) into `folder` off the message thread. False when one is running already. */
    bool startProof (const juce::File& folder);

    /** Shows a running proof's progress and finishes it when it is done (the timer calls it). */
    void pollProof();

    /** True while a proof renders. */
    bool proofRunning() const noexcept { return proofThread.joinable(); }

    /** The name and note fields (screenshots fill them). */
    juce::TextEditor nameField, noteField;

    /** What the last action said (an error or the proof's progress). */
    juce::String status;

    int preferredHeight() const;

    void paint (juce::Graphics&) override;
    void resized() override;
    void mouseDown (const juce::MouseEvent&) override;

private:
    void changeListenerCallback (juce::ChangeBroadcaster*) override;
    void timerCallback() override;
    void layoutRows();
    void updateButtons();
    void finishProof();

    struct Row
    {
        int version = 0;
        juce::Rectangle<int> area;
        juce::StringArray lines; // heading, note, figures..., difference...
    };

    Workstation& workstation;
    juce::TextButton createButton { "Create version" }, restoreButton { "Restore" }, approveButton { "Approve" },
        compareButton { "Compare (C)" }, proofButton { "Proof..." }, againstButton { "Set as A" };
    juce::Label nameLabel, noteLabel;
    std::vector<Row> rows;
    int listTop = 0;
    std::unique_ptr<juce::FileChooser> chooser;

    std::thread proofThread;
    std::atomic<bool> proofDone { false }, cancelProof { false };
    std::mutex proofMutex; // guards proofLine, proofResult
    std::string proofLine;
    std::map<std::string, std::vector<session::TrackFigures>> proofFigures;
    std::string proofError, proofFolder;
    size_t proofFiles = 0;
};

} // namespace crest::app
