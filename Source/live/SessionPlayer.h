#pragma once

// The live engine under the GUI: plays the album (or one file) through the mastering chain,
// meters the chain's input and output, switches to loudness-matched references, and applies
// the monitor-only translation checks and platform preview.
//
// Design note. The player is a thin coordinator of named stages, each in its own file with its
// own design note; per engine block, its audio thread runs them in signal order:
//
//   disk thread -> programme FIFO: each track's source after trim and gain, on its lane
//                     |
//                  Transport            play/stop/seek/jump/loop, pre-roll, de-click, underruns
//                     |  TrackChains:   per track, the track's chain (own or album, fresh from
//                     |                 the track's start, latency removed, tail flushed)
//                     |                 -> its fades and crossfade gains -> summed; two chains
//                     |                 run while tracks overlap; before/after compare;
//                     |                 comparing versions: both states' chains per track,
//                     |                 one switch between them (VersionSwitch.h)
//                  ChainMeters (input: the programme before the chains; output: the master)
//                     |  (the master ends here)  --MasterReading--+----------------+
//                  ReferencePlayer      <-------------------------+                |
//                     |  crossfade to a loudness-matched reference                  |
//                  MonitorPath          <------------------------------------------+
//                     |  translation check, platform preview (+ limiter)
//                  DeviceRateConverter  (per device callback, when the rates differ)
//                     |
//                   device
//
// One signal path for live and offline: the master is made exactly as album::AlbumStream makes
// the album for `crest export` (trim and gain -> the track's chain -> fades -> placed at the
// album::Timeline's positions and summed), so played from the start of the programme or of a
// track it equals the render sample for sample, and `crest play --device none --write` proves
// it. The only things on the master a render does not have are the transport's 3 ms de-click
// ramps at start, stop and seek, and what the user asks for while listening (an edit, the
// before/after compare). After a seek into a track the chains are pre-rolled from a few seconds
// before the target (see TrackChains.h for how much and why, and the residual measured). An edit
// of the album chain reaches every track that plays it, at once.
//
// Only the part up to the output meter is the master; everything after it is monitoring, and
// no render passes through it. Loading the programme is ProgrammeLayout's; objects the audio
// thread may still hold are freed through RetiredObjects.
//
// Threads: the message thread (GUI, CLI) calls everything public except the audio callbacks;
// loading and chain building happen there. The audio thread (the device's callback, or
// processBlock() in tests and benches) runs the stages and never allocates, locks, logs, waits
// or touches a file; commands reach it as atomics read at the start of each block. One disk
// thread (a juce::TimeSliceThread) reads the programme and the references ahead.
//
// The engine (chains, meters, positions) runs at the programme's own rate, so what is metered is
// exactly what a render would produce; the DeviceRateConverter converts for a device at another
// rate. prepare() and loading a programme may be called at any time from the message thread:
// they suspend the audio thread (which then outputs silence for the few blocks it takes) instead
// of racing with it.

#include "live/ChainHost.h"
#include "live/TrackChains.h"
#include "live/ChainMeters.h"
#include "live/DeviceRateConverter.h"
#include "live/MeterSnapshot.h"
#include "live/MonitorPath.h"
#include "live/MonitorTranslation.h"
#include "live/PlatformTargets.h"
#include "live/ProgrammeLayout.h"
#include "live/ReferencePlayer.h"
#include "live/RetiredObjects.h"
#include "live/Transport.h"
#include "session/Session.h"

#include <juce_audio_basics/juce_audio_basics.h>
#include <juce_audio_devices/juce_audio_devices.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace crest::live
{

/** Receives the master of every block the transport played or pre-rolled silently (before the
    monitor paths): `crest play --write`. Called on the audio thread, so with a device it must
    not allocate, lock or do I/O; driven by processBlock() (no device) it may. */
class MasterTap
{
public:
    virtual ~MasterTap() = default;

    /** One engine block of the master, and what the transport did in it. */
    virtual void master (const float* left, const float* right, int numSamples, const TransportBlock& block) = 0;
};

/** Plays a session or a file live through the mastering chain. See the design note above. */
class SessionPlayer : public juce::AudioIODeviceCallback, public juce::AudioSource
{
public:
    SessionPlayer();

    /** Remove the player from its device (or stop calling processBlock()) before destroying it. */
    ~SessionPlayer() override;

    // ---------------------------------------------------------------- setup (message thread)

    /** Prepares for a device's rate and largest block size; the device callbacks call it too.
        Keeps the loaded programme, chain and references. Message thread, at any time. */
    void prepare (double deviceSampleRate, int maxBlockSize);

    /** The engine's rate: the programme's (or the device's before anything is loaded); every
        position is counted at it. 0 before prepare(). */
    double sampleRate() const noexcept { return rate; }
    int maxBlockSize() const noexcept { return blockSize; }

    /** The device's rate as given to prepare(); differs from sampleRate() when the monitor
        signal is converted for the device. */
    double deviceSampleRate() const noexcept { return deviceRate; }

    /** Loads a session's album as the programme (and its album chain and references). Source
        paths are resolved against `sessionFolder` when relative. Returns false with a message
        naming the track and file on failure (the previous programme keeps playing). A programme
        at another rate than the last re-prepares the engine at its rate (a moment of silence). */
    bool loadSession (const session::Session& session, const std::string& sessionFolder, std::string& error);

    /** Loads one audio file as the programme. */
    bool loadFile (const std::string& path, std::string& error);

    /** Length of the programme in samples (any thread). */
    int64_t lengthSamples() const noexcept { return transport.lengthSamples(); }

    /** The programme's tracks (message thread). */
    const std::vector<PlayerTrack>& tracks() const noexcept { return transport.tracks(); }

    // ---------------------------------------------------------------- transport (any thread)

    /** Starts or stops playback (stop keeps the position). */
    void play() noexcept { transport.play(); }
    void stop() noexcept { transport.stop(); }
    bool isPlaying() const noexcept { return transport.isPlaying(); }

    /** The play position in samples (of the programme), as last processed by the audio thread. */
    int64_t position() const noexcept { return transport.position(); }
    double positionSeconds() const noexcept { return rate > 0.0 ? (double) position() / rate : 0.0; }

    /** Moves the play head (clamped to the programme). Takes effect at the next block. */
    void seek (int64_t sample) noexcept { transport.seek (sample); }

    /** Moves the play head to a track's start (0-based). */
    void jumpToTrack (int index) noexcept { transport.jumpToTrack (index); }

    /** The track under the play head (0-based), or -1 in a gap before the first track.
        Message thread. */
    int currentTrack() const noexcept { return transport.currentTrack(); }

    /** Loops a region (sample-exact), or stops looping with std::nullopt. */
    void setLoop (std::optional<LoopRegion> region) noexcept;
    std::optional<LoopRegion> loop() const noexcept { return transport.loop(); }

    // ---------------------------------------------------------------- chain

    /** Sets the album chain: builds it for every track that plays it and posts it to the audio
        thread (see ChainHost::setChain). False when it cannot be built, or when a track's
        previous change is still pending (collectGarbage() and retry). Message thread. */
    bool setChain (const engine::ChainDescription& description, std::string& error);

    /** A parameter edit of the album chain, on every track's instance of it (tracks with their
        own chain keep theirs). False when an instance refused it (a rebuild is needed). */
    bool applyToAlbumChain (const engine::ParameterChange& change) noexcept { return chains->applyToAlbumChain (change); }

    /** Makes every instance of the album chain follow a description without rebuilding (undo,
        redo, bypass); false when it must be rebuilt with setChain(). Message thread. */
    bool followAlbumChain (const engine::ChainDescription& wanted) { return chains->followAlbumChain (wanted); }

    /** Solo-the-change on the album chain's module at `index` (-1: off), on every instance. */
    void setSoloChange (int index) noexcept { chains->setSoloChange (index); }

    /** Compares two mastering states live (see TrackChains.h): every track runs both states'
        chains and gains, and hearComparedState() switches between them at once, crossfaded
        over TrackChains::compareCrossfadeSeconds, with the play head where it is. Starting (or
        changing) a comparison rebuilds the chains and re-cues the play head in place (a
        moment of silent pre-roll, as after a seek). False with `error` naming the track when a
        chain cannot be built (nothing changes then). Message thread. */
    bool compareStates (const ComparedStates& states, std::string& error);

    /** Hears the first (0) or second (1) compared state. Any thread; no allocation. */
    void hearComparedState (int which) noexcept
    {
        heardState.store (which);
        chains->hearComparedState (which);
    }

    /** Ends a comparison: the programme's own chains again, re-cued in place. Message thread. */
    bool stopComparing (std::string& error);

    /** True while comparing two states. Message thread. */
    bool comparingStates() const noexcept { return comparison.has_value(); }

    /** Before/after compare and its loudness matching, on every track's chain. Any thread but
        the audio thread's. */
    void setCompareUnprocessed (bool unprocessed) noexcept;
    void setLoudnessMatch (bool on) noexcept;

    /** One instance of the album chain, for reading (module positions, gain reduction): the
        first track's that plays it. Edits go through setChain(), applyToAlbumChain(),
        followAlbumChain() and setSoloChange(), which reach every instance. Loading a programme
        and prepare() replace it, so ask for it again after either. Message thread. */
    ChainHost& host() noexcept { return chains->albumHost(); }

    /** The album-chain instance the listener hears now, for gain-reduction readouts (see
        TrackChains::heardAlbumHost(); nullptr while a track on its own chain is heard).
        Message thread. */
    ChainHost* heardAlbumHost() noexcept { return chains->heardAlbumHost(); }

    /** The master's per-track stage (TrackChains). Message thread. */
    TrackChains& trackChains() noexcept { return *chains; }

    /** Frees retired chains, programmes and references. Call from a message-thread timer. */
    void collectGarbage();

    // ---------------------------------------------------------------- references (message thread)

    /** Loads a reference and starts measuring it on a background thread; returns its index,
        or -1 with `error` naming the file. Its rate must be the player's rate. */
    int addReference (const session::Reference& reference, const std::string& sessionFolder, std::string& error);

    /** Removes every reference (stops listening to one). */
    void clearReferences();

    /** Number of references, and what is known of one (a copy; measurement fills in later). */
    int numReferences() const noexcept { return references.count(); }
    ReferenceInfo referenceInfo (int index) const { return references.info (index); }

    /** The index used for the master in listenTo(). */
    static constexpr int master = ReferencePlayer::master;

    /** Listens to a reference (index) or to the master (-1). Switching crossfades over
        referenceCrossfadeSeconds, with no gap. Any thread. */
    void listenTo (int referenceIndex) noexcept { references.listenTo (referenceIndex); }
    int listeningTo() const noexcept { return references.listeningTo(); }

    /** Length of the master/reference crossfade. */
    static constexpr double referenceCrossfadeSeconds = ReferencePlayer::crossfadeSeconds;

    /** How references are matched and where they start from. Any thread. */
    void setReferenceMatch (ReferenceMatch match) noexcept { references.setMatch (match); }
    void setReferenceStart (ReferenceStart start) noexcept { references.setStart (start); }

    /** The gain applied to the reference right now by matching, dB. */
    float referenceGainDb() const noexcept { return references.gainDb(); }

    // ---------------------------------------------------------------- monitor path (any thread)

    /** The version comparison's loudness-match gain on the monitor (dB; 0: none). Any thread. */
    void setComparisonGain (float gainDb) noexcept { monitor.setComparisonGain (gainDb); }

    /** Selects a translation check (Translation::off for none); level-matched by default. */
    void setTranslation (Translation translation) noexcept { monitor.translation().setTranslation (translation); }
    MonitorTranslation& translation() noexcept { return monitor.translation(); }

    /** Previews a platform's normalisation (Platform::none for none). For Platform::custom,
        `customLufs` and `customCeilingDbtp` give the target and the headroom limit. */
    void setPlatformPreview (Platform platform, double customLufs = -14.0, double customCeilingDbtp = -1.0) noexcept
    {
        monitor.setPlatformPreview (platform, customLufs, customCeilingDbtp);
    }

    /** What the previewed platform does to the master as metered so far (integrated loudness and
        largest true peak of the output meter). Empty before the master has an integrated reading
        or with no platform selected. Message thread. */
    std::optional<PlatformGain> platformGain() const
    {
        return monitor.platformGain (meters.masterIntegratedLufs(), meters.masterTruePeakDb());
    }

    // ---------------------------------------------------------------- meters (message thread)

    /** The newest meter snapshot of the chain's input / output (see MeterSnapshotBuffer::read). */
    bool readInputMeters (MeterSnapshot& into) noexcept { return meters.readInput (into); }
    bool readOutputMeters (MeterSnapshot& into) noexcept { return meters.readOutput (into); }

    /** The newest snapshots without copying (valid until the next read on this thread). */
    const MeterSnapshot& inputMeters() noexcept { return meters.latestInput(); }
    const MeterSnapshot& outputMeters() noexcept { return meters.latestOutput(); }

    /** Resets integrated loudness, LRA, peak maxima and clip flags of both meters (at the next block). */
    void resetMeters() noexcept { meters.requestReset(); }

    /** Sets the clip indicator's threshold on both meters, dBTP (default 0). */
    void setClipThreshold (float dbtp) noexcept { meters.setClipThreshold (dbtp); }

    /** Spectrum display options, applied to both meters: averaging time constant (seconds,
        0 = none), slope in dB/octave about 1 kHz (e.g. 3 or 4.5), peak-hold fall in dB/s. */
    void setSpectrumOptions (float averagingSeconds, float slopeDbPerOctave, float peakFallDbPerSecond) noexcept
    {
        meters.setSpectrumOptions (averagingSeconds, slopeDbPerOctave, peakFallDbPerSecond);
    }

    /** Hands every block's master to `tap` (nullptr: none). Message thread, before the audio
        runs (or between processBlock() calls). */
    void setMasterTap (MasterTap* tap) noexcept { masterTap = tap; }

    // ---------------------------------------------------------------- audio (audio thread)

    /** Renders the next block into a stereo pair at the engine's rate (the device callbacks
        add the conversion to the device's rate when it differs). Usable without a device:
        tests, benches and `crest play --device none` drive the player with it. */
    void processBlock (float* left, float* right, int numSamples) noexcept;

    /** juce::AudioIODeviceCallback: give the player to juce::AudioDeviceManager::addAudioCallback(). */
    void audioDeviceIOCallbackWithContext (const float* const* inputChannelData, int numInputChannels,
        float* const* outputChannelData, int numOutputChannels, int numSamples,
        const juce::AudioIODeviceCallbackContext& context) override;
    void audioDeviceAboutToStart (juce::AudioIODevice* device) override;
    void audioDeviceStopped() override;

    /** juce::AudioSource, for hosts that mix sources (e.g. an AudioSourcePlayer). */
    void prepareToPlay (int samplesPerBlockExpected, double sampleRate) override;
    void releaseResources() override;
    void getNextAudioBlock (const juce::AudioSourceChannelInfo& info) override;

    /** Blocks (in the audio thread) that found the FIFO short of audio while playing: a disk
        underrun, heard as silence. Should stay 0. (After a seek, a jump or a load the player
        waits, silent, until the disk thread has read the new place, typically a few ms, and
        then fades in; that wait is not an underrun.) */
    int64_t underruns() const noexcept { return transport.underruns(); }

    /** Waits until the disk thread has read ahead after a load or seek (tests, CLI). Message thread.
        A seek reaches the disk thread through the audio thread, so with no audio running, call
        processBlock() once after seek() before waiting. */
    bool waitUntilBuffered (int timeoutMs);

    /** Why the programme could not be (re)opened, e.g. after the device changed rate (empty: fine). */
    std::string lastError() const { return errorText; }

private:
    struct Suspension;
    bool openProgramme (ProgrammeLayout layout, const engine::ChainDescription& albumChain, std::string& error);
    bool rebuildInPlace (std::string& error);
    void prepareEngine (double engineRate, std::unique_ptr<TrackChains> built, std::unique_ptr<TrackChains>& old);
    void install (std::unique_ptr<TrackChains> built, std::unique_ptr<TrackChains>& old);
    template <typename Render>
    void runUnlessSuspended (float* left, float* right, int numSamples, Render&& render) noexcept;
    void renderBlock (float* left, float* right, int numSamples) noexcept;
    void renderForDevice (float* left, float* right, int numSamples) noexcept;
    void processSubBlock (float* left, float* right, int numSamples) noexcept;

    double rate = 0.0, deviceRate = 0.0;
    int blockSize = 0, deviceBlock = 0;

    // prepare() while audio may run: the audio thread outputs silence while `suspended`
    std::atomic<bool> suspended { false }, inBlock { false };

    // Declared first so it is destroyed last: every stage below may still be its client.
    std::unique_ptr<juce::TimeSliceThread> diskThread;
    RetiredObjects retired;

    // the stages, in signal order
    Transport transport;
    ChainMeters meters;
    std::unique_ptr<TrackChains> chains;
    engine::ChainDescription chainDescription; // the album chain
    std::vector<album::TrackPlacement> placements; // of the programme, for rebuilding the chains
    std::vector<std::optional<engine::ChainDescription>> overrides;
    bool compareOn = false, loudnessMatchOn = true;
    std::optional<ComparedStates> comparison; // of the programme loaded (a new programme ends it)
    std::atomic<int> heardState { 0 };
    ReferencePlayer references;
    MonitorPath monitor;
    DeviceRateConverter deviceConverter;

    MasterTap* masterTap = nullptr;
    std::vector<float> masterLeft, masterRight, monoLeft, monoRight;
    std::string errorText;
};

} // namespace crest::live
