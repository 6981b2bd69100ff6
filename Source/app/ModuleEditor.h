#pragma once

// The editor area under the chain strip: one editor per module type, drawn for mastering work,
// and a generic editor (every parameter as a control) for any module without its own.
//
// Design note: an editor is a view of one module of the session document. It reads parameter
// values from the document (SessionEditor::parameterValue) and sends every user edit to the
// Workstation, naming the module and the parameter's index in its type's ParameterTable: the
// index is resolved once, when a control is made (KnobGroup::add), so a drag costs no search
// anywhere. Parameter and module-type IDs come from engine/ModuleIds.h, never typed here. Live
// readings (gain reduction, spectra) come from the Workstation on the meter timer via
// refreshLive().
//
// Never: touch the running chain or the player, edit the document behind the Workstation's
// back, or type a parameter or module-type ID as a string literal.

#include "app/ParameterKnob.h"
#include "app/Workstation.h"
#include "engine/ModuleIds.h"
#include "engine/ModuleRegistry.h"

#include <juce_gui_basics/juce_gui_basics.h>

#include <memory>
#include <vector>

namespace crest::app
{

/** A set of parameter controls of one module, wired to the Workstation. */
class KnobGroup
{
public:
    KnobGroup (Workstation&, std::string moduleId, const std::string& moduleType);

    /** A group over a table of its own (a plugin's parameters; the table must outlive it). */
    KnobGroup (Workstation&, std::string moduleId, const engine::ParameterTable& table);

    /** Adds a control for a parameter (by ID, resolved here to its index once) to a parent
        component; returns it. */
    ParameterKnob& add (juce::Component& parent, const std::string& parameterId, const juce::String& label = {});

    /** Shows the document's values. */
    void refresh();

    /** Lays the controls added so far out in rows inside an area. */
    void layOut (juce::Rectangle<int> area, int knobWidth = 88, int knobHeight = 96);

    /** Lays the visible controls out in one row across an area, menus and switches wider than knobs. */
    void layOutRow (juce::Rectangle<int> area);

    /** Shows or hides the control of a parameter (e.g. the crossovers of bands not in use).
        Returns true when that changed anything. */
    bool setShown (const std::string& parameterId, bool shown);

    /** Removes every control from its parent. */
    void clear();

    const std::vector<std::unique_ptr<ParameterKnob>>& knobs() const noexcept { return controls; }

    /** The declarations of the module's type (empty for an unknown type). */
    const engine::ParameterTable& parameterTable() const noexcept { return table; }

private:
    Workstation& workstation;
    std::string moduleId;
    const engine::ParameterTable& table;
    std::vector<std::unique_ptr<ParameterKnob>> controls;
};

/** Base of every module editor. */
class ModuleEditor : public juce::Component
{
public:
    ModuleEditor (Workstation&, std::string moduleId, std::string moduleType);

    /** The document changed (an edit, undo or redo): show its values. */
    virtual void refresh() { knobs.refresh(); }

    /** Called at the meter rate with the newest live readings. */
    virtual void refreshLive() { }

    const std::string& moduleId() const noexcept { return id; }

    void paint (juce::Graphics&) override;

protected:
    /** An editor whose parameters are not a registered type's (a plugin slot's); the table
        must outlive the editor. */
    ModuleEditor (Workstation&, std::string moduleId, std::string moduleType, const engine::ParameterTable& table);

    /** The current value of a parameter of this module in the document. */
    float value (const std::string& parameterId) const { return workstation.editor().parameterValue (id, parameterId); }

    Workstation& workstation;
    std::string id, type;
    KnobGroup knobs;
};

/** Every parameter of a module as a control: the fallback for modules without their own editor. */
class GenericModuleEditor : public ModuleEditor
{
public:
    GenericModuleEditor (Workstation&, std::string moduleId, std::string moduleType);
    void resized() override;
};

/** The editor for a module of the session's chain, by type. */
std::unique_ptr<ModuleEditor> createModuleEditor (Workstation&, const std::string& moduleId, const std::string& moduleType);

/** Maps frequencies to x logarithmically from 20 Hz to 20 kHz, and back. */
struct FrequencyAxis
{
    juce::Rectangle<float> area;
    float xOf (double hz) const;
    double frequencyAt (float x) const;

    /** Draws decade and octave grid lines with labels. */
    void drawGrid (juce::Graphics&) const;
};

} // namespace crest::app
