#pragma once

// The editor area of a plugin slot: a generic parameter panel in Crest's look (one control per
// parameter, with the plugin's own names, ranges and units) and, when the plugin has a UI of its
// own that Crest can show, "Open editor"; or, for a plugin this machine lacks, a placeholder that
// says so and shows what the slot keeps.
//
// Design note: the panel is a ModuleEditor over the plugin's parameter table (the one the engine
// and the session editor check values against, engine::parameterTableOf), so an edit here takes
// the same undoable path as a knob of a built-in module: Workstation::setParameter with the
// parameter's index. Nothing here touches the plugin instance.

#include "app/ModuleEditor.h"

namespace crest::app
{

/** Every parameter of a plugin as a control, in a scrolling grid, with "Open editor". */
class PluginPanel : public ModuleEditor
{
public:
    PluginPanel (Workstation&, const engine::ModuleDescription&, const engine::ParameterTable&);

    void paint (juce::Graphics&) override;
    void resized() override;

    /** The controls, for the check mode (one per parameter, in the table's order). */
    const std::vector<std::unique_ptr<ParameterKnob>>& controls() const noexcept { return knobs.knobs(); }

    /** "Open editor" (visible when the plugin has a UI of its own). */
    juce::TextButton openEditor { "Open editor" };

private:
    engine::PluginReference plugin;
    juce::String editorNote; // why there is no editor button, when there is none
    juce::Viewport viewport;
    juce::Component grid;
};

/** A plugin this machine cannot load: its name, format and ID, why, and the saved values the
    slot keeps untouched. */
class MissingPluginPanel : public ModuleEditor
{
public:
    MissingPluginPanel (Workstation&, const engine::ModuleDescription&, juce::String reason);

    void refresh() override;
    void refreshLive() override { refresh(); }
    void paint (juce::Graphics&) override;

private:
    engine::ModuleDescription saved;
    juce::String reason;
};

/** The panel for a plugin slot of the session's chain (either kind). */
std::unique_ptr<ModuleEditor> createPluginPanel (Workstation&, const std::string& moduleId);

} // namespace crest::app
