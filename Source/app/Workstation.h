#pragma once

// The app's one place where the open session, its undo history, the live player and the audio
// device meet. Views read from it and send it the user's edits; it applies each edit to the
// document (SessionEditor, undoable) and to the live engine the cheapest correct way.
//
// Design note: it is the only code that sees both the document (session/) and the running
// chain (live/, engine/ProcessingChain), because it sits above both; the session editor never
// reaches the live side. One path for a parameter edit: a view names (module ID, parameter
// index, value); the SessionEditor records it and hands back a resolved ParameterChange; this
// class passes that to ProcessingChain::apply, which sets exactly that one atomic (no search,
// no rescan of the other parameters). Undo, redo and bypass make the running chain follow the
// whole document (ProcessingChain::follow); a structural change (add, remove, reorder, or a
// latency-changing parameter) rebuilds the chain off the audio thread and posts it (ChainHost's
// lock-free swap).
//
// Never: run on the audio thread (the audio thread sees only the player), block on the audio
// thread, change the document without going through the SessionEditor, or hold a pointer into
// a running chain past the call that got it (the host may retire that chain at any time).

#include "live/MeterSnapshot.h"
#include "live/ClientViewModel.h"
#include "live/SessionPlayer.h"
#include "session/VersionComparison.h"
#include "session/SessionEditor.h"

#include <juce_audio_devices/juce_audio_devices.h>
#include <juce_events/juce_events.h>
#include <juce_gui_basics/juce_gui_basics.h>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace crest::app
{

/** The open session, its edits, the player and the audio device. */
class Workstation : public juce::ChangeBroadcaster, private juce::ChangeListener, private juce::Timer
{
public:
    Workstation();
    ~Workstation() override;

    // ---- the document ----------------------------------------------------------------------

    /** Opens a `.crest` session file. Returns false with a message naming the file and reason. */
    bool openSession (const juce::File& file, juce::String& error);

    /** Uses a session already in memory (e.g. built from dropped audio files). */
    void useSession (session::Session session, const juce::File& folder);

    /** Adds audio files as tracks at the album's end (undoable). */
    void addAudioFiles (const juce::StringArray& paths);

    /** Adds a reference track (undoable) and loads it into the player, which measures it. */
    void addReference (const juce::File& audio, const juce::String& name);

    /** The session file open, if any, and the folder its relative paths start from. */
    const juce::File& sessionFile() const noexcept { return file; }

    // ---- saving, and the recovery file (session::SessionRecovery) ---------------------------

    /** Starts a new, empty session (no file yet). */
    void newSession();

    /** Saves the session to `target` (atomically), which becomes its file; the recovery file
        is removed. False with `error` naming the file and the reason. */
    bool saveAs (const juce::File& target, juce::String& error);

    /** True when the session has edits that are not in its file (or it was never saved and
        has been edited). */
    bool hasUnsavedEdits() const noexcept { return edits.revision() != savedRevision; }

    /** Forgets the unsaved edits' recovery file: the user chose not to keep them. */
    void discardRecovery();

    /** Replaces the session with a recovered one, as one undoable step ("Restore recovered
        edits"); the session keeps its file and counts as unsaved. */
    void restoreRecovered (const session::Session& recovered);

    /** Where recovery files of unsaved sessions go: $CREST_DATA_DIR when set (tests), else the
        user's application data folder's Crest/. */
    static juce::File dataFolder();

    /** False in the screenshot and bench modes, whose edits are for pictures and are never the
        user's: no recovery file is written for them. */
    bool recoveryEnabled = true;

    /** Seconds after an edit before the recovery file is written. */
    static constexpr double recoveryDelaySeconds = 2.0;

    /** The longest a stream of edits (a long drag) goes unwritten to the recovery file. */
    static constexpr double recoveryMaximumDelaySeconds = 8.0;

    /** Writes the recovery file now if there are edits not written yet (the timer does this
        recoveryDelaySeconds after the last edit). */
    void writeRecoveryIfDue (bool evenIfRecent = false);

    const session::Session& session() const noexcept { return edits.session(); }
    session::SessionEditor& editor() noexcept { return edits; }

    // ---- edits (each one undoable; the engine follows) -------------------------------------

    /** Sets a parameter by its index in the module type's ParameterTable: the drag path (the
        document records it; the running chain gets exactly that one atomic). */
    void setParameter (const std::string& moduleId, size_t parameterIndex, float value);

    /** Sets a parameter by ID (a hash look-up to its index, then as above). */
    void setParameter (const std::string& moduleId, const std::string& parameterId, float value);

    /** Ends a drag: the next edit of the same parameter starts a new undo step. */
    void endGesture();
    std::string addModule (const std::string& type, int position = -1);

    /** Adds a third-party plugin slot (undoable) and selects it; returns its ID, or empty when
        the plugin is not on this machine. */
    std::string addPlugin (const engine::PluginReference& plugin, int position = -1);
    void removeModule (const std::string& moduleId);
    void moveModule (const std::string& moduleId, int newPosition);
    void setBypass (const std::string& moduleId, bool bypassed);

    /** Loads a chain preset (a crest-chain file) into the album chain (`track` -1) or as track
        `track`'s own chain, as one undoable step. False with `error` naming the file and why. */
    bool loadChainPreset (const juce::File& preset, int track, juce::String& error);

    /** Takes track `track` back to the album chain (undoable). */
    void useAlbumChain (int track);

    /** Saves the album chain as a preset file (atomically). False with `error`. */
    bool saveChainPreset (const juce::File& preset, juce::String& error) const;

    /** Solo-the-change: hear only what this module adds or removes, level-matched (empty:
        off). A monitoring switch, not an edit: it is not undoable and is not saved. */
    void setSoloChange (const std::string& moduleId);

    /** The module whose change is soloed (empty: none). */
    std::string soloedModule;
    bool undo();
    bool redo();

    /** The module whose editor is open (empty: none). */
    std::string selectedModule;
    void selectModule (const std::string& moduleId);

    // ---- version comparison (a monitoring switch: not an edit, not saved) -------------------

    /** Compares two states (version names; empty: the working state) and plays `second`: every
        track runs both states' whole mastering state (album chain or its own chain with every
        parameter, and its gain) side by side, loudness-matched per track from each state's
        measured loudness (live::comparedStates); starting re-cues the play head in place. */
    void compareVersions (const std::string& first, const std::string& second);

    /** Flips to the other state of the pair (key C): instant, crossfaded over a few ms, the play
        head where it is. False when not comparing. */
    bool toggleComparison();

    /** Back to the working state. */
    void stopComparison();

    const session::VersionComparison& comparison() const noexcept { return versionComparison; }

    /** Updates the readout of the match gain for the track under the play head when that track
        changed (the timer calls it; the gains themselves are applied per track by the player). */
    void updateComparisonGain();

    /** The match gain in use now and why it is not matched (empty: matched or not comparing). */
    session::ComparisonGain comparisonGainNow;

    /** What the comparison does not switch live (timing edits), in words; empty when nothing. */
    std::string comparisonTiming;

    /** Before/after compare (the chain strip's button): hear the programme unprocessed. */
    void setCompareUnprocessed (bool unprocessed);
    bool comparingUnprocessed() const noexcept { return unprocessedHeard; }

    /** What is heard, in words (the client view's "heard" readout). */
    std::string heardDescription() const;

    /** The read-only face the client view gets (see live::ClientFeed). */
    const live::ClientFeed& clientFeed() const noexcept { return feed; }

    // ---- live readings ---------------------------------------------------------------------

    live::SessionPlayer& player() noexcept { return *livePlayer; }

    /** Gain reduction of a module of the running chain right now, dB (0 when not running). */
    float gainReductionDb (const std::string& moduleId) const;

    /** The module of the running album chain the listener hears, or nullptr: for readouts and
        checks only (a parameter's atomic, a latency); never kept past the call. */
    const engine::Module* runningModule (const std::string& moduleId) const { return heardModule (moduleId); }

    /** Called on the message thread when running modules may be freed soon (a rebuilt chain has
        replaced them) or now (`all`: the album is reloaded), so that what holds one (a VST3
        plugin's editor window) lets go of it first. */
    std::function<void (bool all)> beforeModulesFreed;

    /** Gain reduction of one band of a multiband module right now, dB. */
    float bandGainReductionDb (const std::string& moduleId, int band) const;

    /** The newest meter snapshots, refreshed by refreshMeters() (the meter bridge's timer). */
    const live::MeterSnapshot& inputMeters() const noexcept { return inputSnapshot; }
    const live::MeterSnapshot& outputMeters() const noexcept { return outputSnapshot; }

    /** Copies the newest snapshots out of the player; returns true when there was news. */
    bool refreshMeters();

    /** The platform whose targets the meters draw, and its rule. */
    live::Platform platform = live::Platform::spotify;

    /** The last problem to tell the user about in the window (empty: none). */
    juce::String problem;

    // ---- audio device ----------------------------------------------------------------------

    /** Opens the default device (ALSA or JACK). With none usable (or `useHardware` false, for
        screenshots and benches), deviceProblem() says why and the player is prepared at the
        session's rate without a device, so that editing, metering and export still work. */
    void openAudioDevice (bool useHardware = true);

    juce::AudioDeviceManager& devices() noexcept { return deviceManager; }

    /** Why there is no sound, or empty when a device is running. */
    juce::String deviceProblem() const;

    /** Drives the player by hand for `seconds` of audio (no device needed): screenshots and
        benches use it to show meters moving. */
    void runOffline (double seconds);

private:
    void timerCallback() override;
    void changeListenerCallback (juce::ChangeBroadcaster*) override;
    void applyToEngine();
    bool postComparison();
    void loadIntoPlayer();
    bool convertSourcesFirst();
    void finishConversion();
    int runningIndexOf (const std::string& moduleId) const;
    engine::Module* heardModule (const std::string& moduleId) const;
    void freeGarbage();

    session::SessionEditor edits;
    session::VersionComparison versionComparison;
    bool unprocessedHeard = false;
    int matchedTrack = -2;
    std::string playedKey; // playbackKey() of the session the player last loaded

    /** The client view's feed: const questions about this workstation, nothing else. */
    class Feed final : public live::ClientFeed
    {
    public:
        explicit Feed (const Workstation& w) : owner (w) {}
        const session::Session& session() const override { return owner.session(); }
        int currentTrack() const override;
        double trackPositionSeconds() const override;
        bool isPlaying() const override;
        std::string heard() const override { return owner.heardDescription(); }
        const live::MeterSnapshot& outputMeters() const override { return owner.outputMeters(); }
        live::Platform platform() const override { return owner.platform; }

    private:
        const Workstation& owner;
    };
    Feed feed { *this };
    juce::File file, folder;
    std::uint64_t savedRevision = 0, recoveredRevision = 0, seenRevision = 0;
    double lastEditMs = 0.0, firstUnwrittenEditMs = 0.0;
    juce::AudioDeviceManager deviceManager;
    std::unique_ptr<live::SessionPlayer> livePlayer;
    live::MeterSnapshot inputSnapshot, outputSnapshot;
    juce::String deviceError;
    std::uint64_t appliedRevision = 0;
    bool chainPending = false;

    // Sources at another rate than the session are converted (album::SourceAudio::prepare) on
    // this thread, never the message thread; the timer shows its progress and loads the player
    // when it is done.
    std::thread converter;
    std::atomic<bool> converterDone { false }, stopConverter { false };
    std::atomic<double> converterFraction { 0.0 };
    std::mutex converterMutex; // guards converterSource and converterError
    std::string converterSource, converterError;
};

} // namespace crest::app
