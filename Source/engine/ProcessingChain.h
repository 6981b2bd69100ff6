#pragma once

#include "dsp/LinearSmoother.h"
#include "engine/ChainDescription.h"
#include "engine/Module.h"

#include <atomic>
#include <memory>
#include <string>
#include <vector>

namespace crest::engine
{

/** A chain of mastering modules ready to run: the object the audio thread processes and the
    offline renderer uses alike (one code path for realtime and render).

    Design: built complete on the message thread from a ChainDescription (modules created,
    parameters set, prepared, delay lines sized), then handed to the audio thread, which only
    calls process(). Each slot's bypass is a crossfade (10 ms) between the module's output and
    its input delayed by the module's latency, so bypassing never changes the chain's total
    latency and never clicks. Modules keep running while bypassed, so un-bypassing starts from
    warm state.

    Never: allocate, lock or do I/O in process().
*/
class ProcessingChain
{
public:
    /** Builds and prepares a chain. Returns nullptr and sets `error` (naming the module) when
        a type is unknown or a parameter invalid. Not realtime-safe. */
    static std::unique_ptr<ProcessingChain> build (const ChainDescription& description, double sampleRate, int maxBlockSize,
                                                   std::string& error);

    ~ProcessingChain();

    /** Processes a stereo block in place (numSamples <= the prepared maximum). */
    void process (float* left, float* right, int numSamples) noexcept;

    /** Total latency of the chain in samples. */
    int latencySamples() const noexcept { return totalLatency; }

    /** Clears all signal memory (modules, bypass delays) without reallocating. */
    void reset() noexcept;

    /** Bypasses or restores a module by its position (any thread; takes effect with a ramp). */
    void setBypass (size_t index, bool bypassed) noexcept;

    /** Sets exactly one parameter of one module: the edit's position and index are used as
        they are (no search), and the module's ID is compared once as a guard. Returns false,
        changing nothing, when the chain has another module at that position, the index is out
        of range or the parameter changes latency (that needs a rebuild). Any thread but the
        audio thread's; the module reads the atomic at its next block. */
    bool apply (const ParameterChange& change) noexcept;

    /** Makes the running chain follow a description without rebuilding it, for whole-document
        changes such as undo and redo: sets the parameter atomics that differ and bypasses or
        restores slots (realtime-safe hand-overs the audio thread picks up at its next block).
        Returns false, changing nothing, when the two differ in structure (modules, their order,
        or a latency-changing parameter): the chain must then be rebuilt off the audio thread and
        swapped in. Message thread. */
    bool follow (const ChainDescription& wanted);

    /** Solo-the-change: the chain's output becomes only what the module at `index` adds or
        removes: its output, level-matched to its input (by mean square over about a second, so
        a module's make-up gain is not what you hear), minus its latency-aligned input, then
        delayed by the later modules' latency so the chain's latency does not change. The later
        modules keep running on the normal signal. -1 turns it off. Any thread; the switch is a
        10 ms crossfade. */
    void setSoloChange (int index) noexcept { soloRequested.store (index); }

    /** The module whose change is soloed, or -1. */
    int soloChange() const noexcept { return soloRequested.load(); }

    /** Number of modules. */
    size_t size() const noexcept { return slots.size(); }

    /** The module at a position (for parameter access and meters). */
    Module& module (size_t index) const noexcept { return *slots[index]->module; }

    /** The position of a module by ID, or -1. */
    int indexOf (const std::string& id) const noexcept;

    /** Sample rate and block size prepared for. */
    double getSampleRate() const noexcept { return sampleRate; }
    int getMaxBlockSize() const noexcept { return maxBlockSize; }

    /** The description this chain was built from. */
    const ChainDescription& description() const noexcept { return built; }

private:
    struct Slot
    {
        std::string id;
        std::unique_ptr<Module> module;
        std::atomic<bool> bypassed { false };
        dsp::LinearSmoother wet;        // 1 = module output, 0 = delayed input
        std::vector<float> delayLeft, delayRight; // the dry path, as long as the module's latency
        int delayPosition = 0;
        int latency = 0;
    };

    ProcessingChain() = default;
    /** Runs one module with its bypass and dry path; `keepInput`: leave the module's input
        (delayed by its latency) in dryLeft/dryRight for takeDelta(), as a bypass does. */
    void processSlot (Slot& slot, float* left, float* right, int numSamples, bool keepInput) noexcept;
    void updateSoloSwitch() noexcept;
    void takeDelta (const float* left, const float* right, int numSamples) noexcept;
    void mixDelta (float* left, float* right, int numSamples) noexcept;

    std::vector<std::unique_ptr<Slot>> slots;
    std::vector<float> dryLeft, dryRight;

    // Solo-the-change (audio thread, except soloRequested).
    std::atomic<int> soloRequested { -1 };
    int soloPlaying = -1;
    dsp::LinearSmoother soloMix;                       // 0: the chain's output, 1: the change
    std::vector<int> laterLatency;                     // per slot: latency of the slots after it
    std::vector<float> deltaLeft, deltaRight;          // ring, totalLatency + block long
    int deltaWrite = 0;
    double inputPower = 0.0, outputPower = 0.0;        // of the soloed module, smoothed
    float matchGain = 1.0f;
    ChainDescription built;
    double sampleRate = 48000.0;
    int maxBlockSize = 0, totalLatency = 0;
};

} // namespace crest::engine
