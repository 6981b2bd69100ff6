#pragma once

// Every edit the user makes to a session, with undo and redo in named steps.
//
// Design note: the session is plain, copyable data of a few kilobytes, so the history keeps
// whole snapshots of it rather than inverse commands: undo can never drift from redo, and an
// edit written tomorrow is undoable without writing its inverse. juce::UndoManager would do
// the bookkeeping too, but it lives in juce_data_structures, a GUI-side module here, and the
// tests link only the engine; this keeps the edit logic testable without a display.
//
// A drag of one control makes hundreds of edits; those that share a merge key with the step
// before them fold into that step, so one gesture is one undo. Each edit says what it touched
// (a parameter, the chain's structure, the album), so the app knows whether to set a
// parameter atomic on the live chain or to rebuild the chain off the audio thread; a parameter
// edit also leaves its ParameterChange (module position, parameter index, value), so the app
// sets exactly that one atomic with no search (ProcessingChain::apply). The editor never sees
// the running chain: it is data below the live side, and the app, above both, joins them.
//
// Message thread only; nothing here is for the audio thread.

#include "engine/ChainDescription.h"
#include "session/Session.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace crest::session
{

/** What an edit touched, so the live engine can apply it the cheapest correct way. */
enum class EditKind
{
    parameter, ///< one parameter value of one module: set its atomic, no rebuild
    chainStructure, ///< modules added, removed, reordered, bypassed, or a latency-changing parameter
    album ///< tracks, gaps, fades, metadata, references
};

/** The session being edited, its undo history and the edits a user can make. */
class SessionEditor
{
public:
    /** Starts editing a session; the history starts empty. */
    explicit SessionEditor (Session initial = {});

    /** The session as it is now. */
    const Session& session() const noexcept { return current; }

    /** Replaces the whole session (a file was opened) and clears the history. */
    void reset (Session replacement);

    /** Applies an edit as one named undo step. When `mergeKey` is not empty and equals the
        key of the step just made (and nothing was undone since), the edit joins that step.
        The named edits below check their arguments first and make no step when invalid. */
    void apply (
        const std::string& stepName, EditKind kind, const std::function<void (Session&)>& edit, const std::string& mergeKey = {});

    /** Ends the current gesture: the next edit starts a new step even with the same key. */
    void endGesture() noexcept { lastMergeKey.clear(); }

    // ---- the chain -------------------------------------------------------------------------

    /** Appends a module of a registered type (or inserts it at `position`), giving it a
        unique ID such as "limiter" or "limiter-2". Returns the ID, or empty for an unknown type. */
    std::string addModule (const std::string& type, int position = -1);

    /** Adds a third-party plugin slot (its ID is "plugin", "plugin-2", ...) at a position (-1:
        the end), with the plugin's state as given; returns the new ID, or empty when the plugin
        is not on this machine. */
    std::string addPlugin (const engine::PluginReference& plugin, int position = -1);

    /** Removes a module. */
    bool removeModule (const std::string& id);

    /** Moves a module to a new position (0-based, in the order after removal). */
    bool moveModule (const std::string& id, int newPosition);

    /** Bypasses or restores a module. */
    bool setBypass (const std::string& id, bool bypassed);

    /** Sets a parameter by its index in the module type's ParameterTable, constrained by its
        spec (clamped to the range, rounded for choices). A drag of one parameter folds into one
        step until endGesture(). Returns false, making no step, for an unknown module or index
        or when the value does not change. */
    bool setParameter (const std::string& moduleId, size_t parameterIndex, float value);

    /** Sets a parameter by ID (resolved to its index by a hash look-up), as above. */
    bool setParameter (const std::string& moduleId, const std::string& parameterId, float value);

    /** The last change as one resolved parameter edit, for the live chain to take as it is
        (ProcessingChain::apply): set by a setParameter() that made a parameter-kind change,
        empty after any other change (undo and redo included: the chain then follows the
        whole document). */
    const std::optional<engine::ParameterChange>& lastParameterChange() const noexcept { return parameterChange; }

    /** A parameter's value in the session's chain (its default when the chain does not set it). */
    float parameterValue (const std::string& moduleId, const std::string& parameterId) const;

    // ---- the album -------------------------------------------------------------------------

    /** Appends a track for an audio file. */
    void addTrack (const std::string& source, const std::string& title);

    /** Removes a track. */
    bool removeTrack (int index);

    /** Moves a track to a new position in the running order. */
    bool moveTrack (int from, int to);

    /** Sets a track's title. */
    bool setTrackTitle (int index, const std::string& title);

    /** Sets the silence before a track (seconds, 0 or more). */
    bool setTrackGap (int index, double seconds);

    /** Sets a track's gain offset in dB. */
    bool setTrackGain (int index, double decibels);

    /** Adds a reference track. */
    void addReference (const std::string& source, const std::string& name);

    // ---- history ---------------------------------------------------------------------------

    /** True when there is a step to undo / redo. */
    bool canUndo() const noexcept { return position > 0; }
    bool canRedo() const noexcept { return position < steps.size(); }

    /** Names of the steps undo and redo would take back or repeat ("Set Ceiling"), or empty. */
    std::string undoName() const;
    std::string redoName() const;

    /** Takes back / repeats one step. Returns false when there is none. */
    bool undo();
    bool redo();

    /** The kind of the most recent change (edit, undo or redo). */
    EditKind lastChangeKind() const noexcept { return lastKind; }

    /** Counts every change; the app compares it to know when to refresh. */
    uint64_t revision() const noexcept { return changes; }

    /** Steps kept; the oldest fall off beyond this. */
    static constexpr size_t maximumSteps = 200;

private:
    std::string addModule (engine::ModuleDescription module, int position);
    struct Step
    {
        std::string name;
        EditKind kind;
        Session before, after;
    };

    Session current;
    std::vector<Step> steps;
    size_t position = 0; // steps[0, position) are done
    std::string lastMergeKey;
    EditKind lastKind = EditKind::album;
    std::optional<engine::ParameterChange> parameterChange;
    uint64_t changes = 0;
};

/** Two chains equal as data (module IDs, types, bypass and every parameter value set). */
bool sameChain (const engine::ChainDescription& a, const engine::ChainDescription& b);

} // namespace crest::session
