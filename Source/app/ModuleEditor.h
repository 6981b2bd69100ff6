#pragma once

// The editor area under the chain strip: one editor per module type, drawn for mastering work,
// and a generic editor (every parameter as a control) for any module without its own.
//
// Editors read parameter values from the session document and send edits to the Workstation;
// live readings (gain reduction, spectra) come from the Workstation on the meter timer via
// refreshLive(). An editor never touches the running chain itself.

#include "app/ParameterKnob.h"
#include "app/Workstation.h"

#include <juce_gui_basics/juce_gui_basics.h>

#include <memory>
#include <vector>

namespace crest::app
{

/** A set of parameter controls of one module, wired to the Workstation. */
class KnobGroup
{
public:
    KnobGroup (Workstation&, std::string moduleId, std::string moduleType);

    /** Adds a control for a parameter (by ID) to a parent component; returns it. */
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

private:
    Workstation& workstation;
    std::string moduleId, moduleType;
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
