#pragma once

// The live engine under the GUI: plays the album (or one file) through the mastering chain,
// meters the chain's input and output, switches to loudness-matched references, and applies
// the monitor-only translation checks and platform preview.
//
// Design note. Three kinds of thread touch a player:
//   - the message thread (GUI, CLI) calls everything public except the audio callbacks: it
//     loads, edits and reads. Loading and chain building happen here (never on the audio thread).
//   - the audio thread (the device's callback, or processBlock() in tests and benches) pulls
//     audio from lock-free FIFOs, runs the ChainHost, meters, crossfades to a reference, applies
//     the monitor path, and publishes MeterSnapshots. It never allocates, locks, logs, waits or
//     touches a file. Transport commands (play, stop, seek, jump, loop) reach it as atomics it
//     reads at the start of each block.
//   - one disk thread (a juce::TimeSliceThread) reads the sources ahead of the play head into
//     fixed-size chunks of a single-producer single-consumer FIFO (about 0.5 s ahead). Each
//     chunk is tagged with its programme position and a seek generation, so the audio thread
//     drops stale chunks after a seek and plays loop regions sample-exactly: the disk thread
//     wraps at the loop end itself, and the audio thread checks every chunk's position.
//
// Signal path per block:
//   programme FIFO -> input meter -> ChainHost (chain, before/after compare) -> output meter
//   -> [crossfade to the selected reference, loudness-matched]
//   -> MonitorTranslation -> platform preview gain (+ limiter for Spotify Loud) -> device.
// Only the part up to the output meter is the master; everything after is monitoring.
//
// Differences from a render (album::AlbumStream), by design of a live monitor: the album chain
// runs once over the whole programme (per-track chain overrides are not applied live), so
// fades and crossfades happen before the chain rather than after it.
//
// A programme is an album laid out in time (tracks with gaps, trims, gains, fades and
// crossfades) or a single file. The engine (chain, meters, positions) runs at the programme's
// own rate, so what is metered is exactly what a render would produce. When the device runs at
// another rate (a 48 kHz JACK server playing a 44.1 kHz album), the finished monitor signal is
// converted to the device's rate at the very end (juce::WindowedSincInterpolator, monitor path
// only: renders never pass through it). References must run at the programme's rate.
//
// prepare() may be called at any time from the message thread: it suspends the audio thread
// (which then outputs silence for the few blocks it takes) instead of racing with it.

#include "live/ChainHost.h"
#include "live/MeterSnapshot.h"
#include "live/MonitorTranslation.h"
#include "live/PlatformTargets.h"
#include "session/Session.h"

#include <juce_audio_basics/juce_audio_basics.h>
#include <juce_audio_devices/juce_audio_devices.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace crest::dsp
{
class TruePeakLimiter;
}

namespace crest::live
{

class LiveMeter;
class ProgrammeStream;

/** A region of the programme, in samples: [start, end). */
struct LoopRegion
{
    int64_t start = 0, end = 0;
};

/** Where a track sits in the programme (for track buttons, keys 1-9 and the overview). */
struct PlayerTrack
{
    std::string title;
    int64_t start = 0; ///< programme sample of the track's first sample (INDEX 01)
    int64_t length = 0; ///< samples
};

/** How a reference is brought to the master's level. */
enum class ReferenceMatch
{
    off, ///< as it is
    integrated, ///< by integrated loudness (reference measured offline; master as metered live)
    shortTerm ///< by short-term loudness, both measured live (follows the music)
};

/** Where a reference plays from when switched to. */
enum class ReferenceStart
{
    synced, ///< the same position as the master
    cue ///< its own cue point (each time it is switched to)
};

/** A loaded reference track and what was measured of it. */
struct ReferenceInfo
{
    std::string name, path;
    double cueSeconds = 0.0;
    double durationSeconds = 0.0;
    bool measured = false; ///< the offline measurement has finished
    std::string error; ///< why loading or measuring failed (empty: fine)
    std::optional<double> integratedLufs; ///< measured offline, whole file
    std::optional<double> loudnessRangeLu;
    std::optional<double> truePeakDbtp;
    std::vector<float> thirdOctaveDb; ///< long-term spectrum (MeterSnapshot's 31 bands), for the overlay
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
    int64_t lengthSamples() const noexcept { return programmeLength.load (std::memory_order_relaxed); }

    /** The programme's tracks (message thread). */
    const std::vector<PlayerTrack>& tracks() const noexcept { return placements; }

    // ---------------------------------------------------------------- transport (any thread)

    /** Starts or stops playback (stop keeps the position). */
    void play() noexcept;
    void stop() noexcept;
    bool isPlaying() const noexcept { return playing.load(); }

    /** The play position in samples (of the programme), as last processed by the audio thread. */
    int64_t position() const noexcept { return playPosition.load (std::memory_order_relaxed); }
    double positionSeconds() const noexcept { return rate > 0.0 ? (double) position() / rate : 0.0; }

    /** Moves the play head (clamped to the programme). Takes effect at the next block. */
    void seek (int64_t sample) noexcept;

    /** Moves the play head to a track's start (0-based). */
    void jumpToTrack (int index) noexcept;

    /** The track under the play head (0-based), or -1 in a gap before the first track.
        Message thread. */
    int currentTrack() const noexcept;

    /** Loops a region (sample-exact), or stops looping with std::nullopt. */
    void setLoop (std::optional<LoopRegion> region) noexcept;
    std::optional<LoopRegion> loop() const noexcept;

    // ---------------------------------------------------------------- chain

    /** Builds a chain and posts it to the audio thread (see ChainHost::setChain). Message thread. */
    bool setChain (const engine::ChainDescription& description, std::string& error);

    /** The live chain host: parameter edits go to host().editableChain(); before/after compare
        is host().setCompareUnprocessed() and host().setLoudnessMatch(). prepare() replaces the
        host (and rebuilds the chain at the new rate), so ask for it again after a device change. */
    ChainHost& host() noexcept { return *chainHost; }

    /** Frees retired chains and finished background work. Call from a message-thread timer. */
    void collectGarbage();

    // ---------------------------------------------------------------- references (message thread)

    /** Loads a reference and starts measuring it on a background thread; returns its index,
        or -1 with `error` naming the file. Its rate must be the player's rate. */
    int addReference (const session::Reference& reference, const std::string& sessionFolder, std::string& error);

    /** Removes every reference (stops listening to one). */
    void clearReferences();

    /** Number of references, and what is known of one (a copy; measurement fills in later). */
    int numReferences() const noexcept { return referenceCount; }
    ReferenceInfo referenceInfo (int index) const;

    /** The index used for the master in listenTo(). */
    static constexpr int master = -1;

    /** Listens to a reference (index) or to the master (-1). Switching crossfades over
        referenceCrossfadeSeconds, with no gap. Any thread. */
    void listenTo (int referenceIndex) noexcept;
    int listeningTo() const noexcept { return requestedReference.load(); }

    /** Length of the master/reference crossfade. */
    static constexpr double referenceCrossfadeSeconds = 0.02;

    /** How references are matched and where they start from. Any thread. */
    void setReferenceMatch (ReferenceMatch match) noexcept { referenceMatch.store (match); }
    void setReferenceStart (ReferenceStart start) noexcept { referenceStart.store (start); }

    /** The gain applied to the reference right now by matching, dB. */
    float referenceGainDb() const noexcept { return currentReferenceGainDb.load (std::memory_order_relaxed); }

    // ---------------------------------------------------------------- monitor path (any thread)

    /** Selects a translation check (Translation::off for none); level-matched by default. */
    void setTranslation (Translation translation) noexcept { translationStage.setTranslation (translation); }
    MonitorTranslation& translation() noexcept { return translationStage; }

    /** Previews a platform's normalisation (Platform::none for none). For Platform::custom,
        `customLufs` and `customCeilingDbtp` give the target and the headroom limit. */
    void setPlatformPreview (Platform platform, double customLufs = -14.0, double customCeilingDbtp = -1.0) noexcept;

    /** What the previewed platform does to the master as metered so far (integrated loudness and
        largest true peak of the output meter). Empty before the master has an integrated reading
        or with no platform selected. Message thread. */
    std::optional<PlatformGain> platformGain() const;

    // ---------------------------------------------------------------- meters (message thread)

    /** The newest meter snapshot of the chain's input / output (see MeterSnapshotBuffer::read). */
    bool readInputMeters (MeterSnapshot& into) noexcept;
    bool readOutputMeters (MeterSnapshot& into) noexcept;

    /** The newest snapshots without copying (valid until the next read on this thread). */
    const MeterSnapshot& inputMeters() noexcept;
    const MeterSnapshot& outputMeters() noexcept;

    /** Resets integrated loudness, LRA, peak maxima and clip flags of both meters (at the next block). */
    void resetMeters() noexcept;

    /** Sets the clip indicator's threshold on both meters, dBTP (default 0). */
    void setClipThreshold (float dbtp) noexcept;

    /** Spectrum display options, applied to both meters: averaging time constant (seconds,
        0 = none), slope in dB/octave about 1 kHz (e.g. 3 or 4.5), peak-hold fall in dB/s. */
    void setSpectrumOptions (float averagingSeconds, float slopeDbPerOctave, float peakFallDbPerSecond) noexcept;

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
    int64_t underruns() const noexcept { return underrunCount.load (std::memory_order_relaxed); }

    /** Waits until the disk thread has read ahead after a load or seek (tests, CLI). Message thread.
        A seek reaches the disk thread through the audio thread, so with no audio running, call
        processBlock() once after seek() before waiting. */
    bool waitUntilBuffered (int timeoutMs);

    /** Why the programme could not be (re)opened, e.g. after the device changed rate (empty: fine). */
    std::string lastError() const { return errorText; }

private:
    struct Reference;
    struct Loaded; // what was loaded, to re-open at another rate

    static constexpr int maxReferences = 8;

    struct Suspension;
    bool openProgramme (const Loaded& what, std::string& error);
    void prepareEngine (double engineRate);
    void renderBlock (float* left, float* right, int numSamples) noexcept;
    void renderForDevice (float* left, float* right, int numSamples) noexcept;
    void replaceProgramme (std::unique_ptr<ProgrammeStream> stream);
    void retire (std::unique_ptr<ProgrammeStream> stream);
    void processSubBlock (float* left, float* right, int numSamples) noexcept;
    void applySeek (ProgrammeStream& stream, int64_t target) noexcept;
    float referenceMatchDb (Reference& reference) noexcept;

    double rate = 0.0, deviceRate = 0.0;
    int blockSize = 0, deviceBlock = 0;

    // prepare() while audio may run: the audio thread outputs silence while `suspended`
    std::atomic<bool> suspended { false }, inBlock { false };

    // conversion of the monitor signal to the device's rate (audio thread)
    bool resampling = false;
    double resampleRatio = 1.0;
    float resampleGain = 1.0f;
    std::array<juce::WindowedSincInterpolator, 2> interpolators;
    std::vector<float> resampleLeft, resampleRight;
    int resampleFill = 0;

    std::unique_ptr<ChainHost> chainHost;
    std::optional<engine::ChainDescription> chainDescription;
    std::unique_ptr<Loaded> loaded;
    std::unique_ptr<juce::TimeSliceThread> diskThread;

    // Owned by the message thread; the audio thread sees them through the atomics.
    std::unique_ptr<ProgrammeStream> programmeOwner;
    std::atomic<ProgrammeStream*> programme { nullptr };
    std::atomic<int64_t> programmeLength { 0 };
    std::vector<PlayerTrack> placements;
    std::array<std::unique_ptr<Reference>, maxReferences> referenceOwners;
    std::array<std::atomic<Reference*>, maxReferences> references {};
    int referenceCount = 0;

    struct Retired
    {
        std::unique_ptr<ProgrammeStream> stream;
        std::unique_ptr<Reference> reference;
        int64_t afterBlock = 0;
    };
    std::vector<Retired> retiredObjects;
    std::atomic<int64_t> blocksProcessed { 0 };
    std::atomic<bool> deviceRunning { false };

    // transport
    std::atomic<bool> playing { false };
    std::atomic<int64_t> playPosition { 0 };
    std::atomic<int64_t> seekRequest { -1 };
    int64_t pendingSeek = -1; // audio thread: waiting for the fade-out
    bool awaitingData = true; // audio thread: after a seek or load, silent until the disk has read
    ProgrammeStream* runningProgramme = nullptr; // audio thread: the programme of the last block
    std::atomic<int64_t> loopStart { 0 }, loopEnd { 0 };
    std::atomic<int64_t> underrunCount { 0 };
    dsp::LinearSmoother transportGain; // de-clicks start, stop and seek

    // references
    std::atomic<int> requestedReference { -1 };
    int audibleSource = -1, fadingSource = -1; // audio thread: -1 master, else a reference slot
    dsp::LinearSmoother sourceFade;
    std::atomic<ReferenceMatch> referenceMatch { ReferenceMatch::integrated };
    std::atomic<ReferenceStart> referenceStart { ReferenceStart::synced };
    ReferenceStart runningStart = ReferenceStart::synced; // audio thread's view
    std::atomic<float> currentReferenceGainDb { 0.0f };

    // monitor path
    MonitorTranslation translationStage;
    std::atomic<Platform> previewPlatform { Platform::none };
    std::atomic<double> customLufs { -14.0 }, customCeiling { -1.0 };
    std::atomic<float> outputIntegratedLufs { 0.0f }, outputTruePeakDb { -200.0f };
    std::atomic<bool> outputHasIntegrated { false };
    dsp::LinearSmoother platformGainSmoother;
    std::unique_ptr<dsp::TruePeakLimiter> loudLimiter;

    // meters
    std::unique_ptr<LiveMeter> inputMeter, outputMeter;
    std::unique_ptr<MeterSnapshotBuffer> inputSnapshots, outputSnapshots;

    std::vector<float> masterLeft, masterRight, sourceLeft, sourceRight, otherLeft, otherRight;
    std::string errorText;
};

} // namespace crest::live
