#pragma once

// Reference tracks beside the master: loaded, measured, loudness-matched and crossfaded to.
//
// Design note. Up to eight references, each a one-file ProgrammeStream read ahead by the
// player's disk thread. Each must run at the programme's rate (Crest does not resample what
// you monitor). When one is added, a background thread measures the whole file offline
// (engine::analyseFile: integrated loudness, LRA, true peak, long-term spectrum); the audio
// thread also measures its short-term loudness live.
//
// On the audio thread, after the master's output meter:
//   - which source is heard, the master or a reference, follows listenTo(); a change crossfades
//     over crossfadeSeconds (20 ms) with equal power (a master and a reference are unrelated
//     signals), with no gap;
//   - synced references run beside the master all the time, at its position (seeks and loops
//     included); cue references run only while heard, and go back to their cue point, primed,
//     when no longer heard;
//   - each reference is brought to the master's level: by integrated loudness (the reference's
//     offline figure against the master's as metered live), or by short-term loudness (both
//     live, following the music). Each mode falls back on the other while its own figures are
//     not there yet, then holds the last gain; the gain is clamped to +-30 dB and ramps over
//     200 ms. References play under the transport's de-click gain, like the master.
// The message thread owns the references; the audio thread sees them through atomic pointers,
// and a removed reference is freed through RetiredObjects once the audio thread is done with it.
// process() never allocates, locks, logs, waits or touches a file.

#include "analysis/LoudnessMeter.h"
#include "dsp/LinearSmoother.h"
#include "live/ChainMeters.h"
#include "live/Transport.h"
#include "session/Session.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace juce
{
class TimeSliceThread;
}

namespace crest::live
{

class RetiredObjects;

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

/** Plays loudness-matched references and crossfades between them and the master. */
class ReferencePlayer
{
public:
    /** Most references at once. */
    static constexpr int maxReferences = 8;

    /** The index of the master in listenTo(). */
    static constexpr int master = -1;

    /** Length of the master/reference crossfade. */
    static constexpr double crossfadeSeconds = 0.02;

    /** References are read on `diskThread`; removed ones go to `retired`. */
    ReferencePlayer (juce::TimeSliceThread& diskThread, RetiredObjects& retired);
    ~ReferencePlayer();

    /** Prepares for the engine's rate and largest block (message thread, audio held off).
        Returns a warning naming any reference that runs at another rate (it stays silent),
        or an empty string. */
    std::string prepare (double sampleRate, int maxBlockSize);

    /** Loads a reference (path resolved against `sessionFolder`), starts measuring it on a
        background thread and places it at the master's `position` and `loop` (synced) or at its
        cue. Returns its index, or -1 with `error` naming the file. Message thread. */
    int add (const session::Reference& reference, const std::string& sessionFolder, int64_t position,
        std::optional<LoopRegion> loop, std::string& error);

    /** Removes every reference and listens to the master. Message thread. */
    void clear();

    /** Number of reference slots in use, and what is known of one (a copy). Message thread. */
    int count() const noexcept { return referenceCount; }
    ReferenceInfo info (int index) const;

    /** Listens to a reference (index) or to the master (-1). Any thread. */
    void listenTo (int referenceIndex) noexcept;
    int listeningTo() const noexcept { return requested.load(); }

    /** How references are matched and where they start from. Any thread. */
    void setMatch (ReferenceMatch match) noexcept { matchMode.store (match); }
    void setStart (ReferenceStart start) noexcept { startMode.store (start); }

    /** The gain applied to the reference heard right now by matching, dB (0 for the master). */
    float gainDb() const noexcept { return currentGainDb.load (std::memory_order_relaxed); }

    /** Follows the master's loop region (synced references only). Message thread. */
    void setLoop (LoopRegion loop) noexcept;

    /** True when every reference has at least `samples` read ahead. Message thread. */
    bool isBuffered (int samples) const noexcept;

    /** Audio thread: advances the references beside the master and writes what is heard (the
        master, a reference, or a crossfade of two) to `left`/`right`. `transport` is what the
        transport did this block, `masterReading` the output meter's figures. */
    void process (const float* masterLeft, const float* masterRight, float* left, float* right, int numSamples,
        const TransportBlock& transport, const MasterReading& masterReading) noexcept;

private:
    struct Reference;

    Reference* slot (int index) const noexcept;
    void followTransport (const TransportBlock& transport, ReferenceStart start) noexcept;
    void chooseSource() noexcept;
    void runReferences (
        int numSamples, const TransportBlock& transport, const MasterReading& masterReading, bool synced) noexcept;
    void mix (const float* masterLeft, const float* masterRight, float* left, float* right, int numSamples, bool synced) noexcept;
    float matchDb (Reference& reference, const MasterReading& masterReading) const noexcept;

    juce::TimeSliceThread& disk;
    RetiredObjects& retiredObjects;
    double rate = 0.0;
    int blockSize = 0;

    // Owned by the message thread; the audio thread sees them through the atomics.
    std::array<std::unique_ptr<Reference>, maxReferences> owners;
    std::array<std::atomic<Reference*>, maxReferences> published {};
    int referenceCount = 0;

    std::atomic<int> requested { master };
    std::atomic<ReferenceMatch> matchMode { ReferenceMatch::integrated };
    std::atomic<ReferenceStart> startMode { ReferenceStart::synced };
    std::atomic<float> currentGainDb { 0.0f };

    // audio thread
    static constexpr int noSource = -2; // "nothing fading" in the source crossfade
    int audibleSource = master, fadingSource = noSource; // -1 master, else a reference slot
    ReferenceStart runningStart = ReferenceStart::synced;
    dsp::LinearSmoother sourceFade;
};

} // namespace crest::live
