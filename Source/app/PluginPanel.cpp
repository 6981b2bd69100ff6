#include "app/PluginPanel.h"

#include "app/CrestLookAndFeel.h"
#include "app/PluginEditorWindow.h"
#include "engine/MissingPluginModule.h"
#include "engine/PluginSlots.h"

namespace crest::app
{

namespace
{
    constexpr int knobWidth = 124, knobHeight = 104;

    juce::String formatName (const std::string& format)
    {
        return juce::String (format).toUpperCase();
    }
} // namespace

PluginPanel::PluginPanel (Workstation& w, const engine::ModuleDescription& module, const engine::ParameterTable& table)
    : ModuleEditor (w, module.id, module.type, table), plugin (module.plugin)
{
    setName ("PluginPanel:" + module.id);
    for (const auto& spec : table)
        knobs.add (grid, spec.id);
    viewport.setViewedComponent (&grid, false);
    viewport.setScrollBarsShown (true, false);
    addAndMakeVisible (viewport);

    const auto problem = nativeEditorProblem (w, module.id, plugin);
    if (problem.empty())
    {
        openEditor.setTooltip ("Open the plugin's own editor in a window; its controls and these stay in step");
        openEditor.onClick = [this]
        {
            juce::String error;
            if (! openPluginEditor (workstation, id, error))
            {
                workstation.problem = error;
                workstation.sendChangeMessage();
            }
        };
        addAndMakeVisible (openEditor);
    }
    else
        editorNote = "No editor of its own: " + juce::String (problem);
}

void PluginPanel::paint (juce::Graphics& g)
{
    const auto inside = drawPanel (g, getLocalBounds(),
        juce::String (plugin.name) + "  -  " + formatName (plugin.format) + " plugin  -  " + juce::String (id));
    g.setColour (palette::textDim);
    g.setFont (fonts::label (11.5f));
    auto line = inside.withHeight (18).translated (0, 2);
    juce::String about = juce::String (plugin.id);
    if (! plugin.version.empty())
        about << "   version " << plugin.version;
    about << "   " << juce::String (knobs.knobs().size()) << " parameters";
    if (editorNote.isNotEmpty())
        about << "   " << editorNote;
    g.drawFittedText (about, line.withTrimmedRight (openEditor.isVisible() ? 140 : 0), juce::Justification::centredLeft, 1, 0.8f);
    if (knobs.knobs().empty())
    {
        g.setFont (fonts::label (14.0f));
        g.drawText ("This plugin has no parameters to show.", inside.withTrimmedTop (30), juce::Justification::centred);
    }
}

void PluginPanel::resized()
{
    auto area = getLocalBounds().reduced (12, 6);
    auto top = area.removeFromTop (44);
    openEditor.setBounds (top.removeFromRight (128).withSizeKeepingCentre (128, 26).translated (0, 6));
    viewport.setBounds (area);
    const int width = juce::jmax (knobWidth, area.getWidth() - viewport.getScrollBarThickness());
    const int perRow = juce::jmax (1, width / knobWidth);
    const int rows = ((int) knobs.knobs().size() + perRow - 1) / perRow;
    grid.setSize (width, rows * knobHeight);
    knobs.layOut (grid.getLocalBounds(), knobWidth, knobHeight);
    for (auto& k : knobs.knobs())
        k->setBounds (k->getBounds().reduced (5, 0)); // plugins' names are long: a gap between neighbours' labels
}

MissingPluginPanel::MissingPluginPanel (Workstation& w, const engine::ModuleDescription& module, juce::String why)
    : ModuleEditor (w, module.id, module.type), saved (module), reason (std::move (why))
{
    setName ("MissingPluginPanel:" + module.id);
}

void MissingPluginPanel::refresh()
{
    // The running slot knows why the plugin did not load (the chain may have been built after
    // this panel was made).
    if (const auto* placeholder = dynamic_cast<const engine::MissingPluginModule*> (workstation.runningModule (id)))
        if (juce::String (placeholder->reason()) != reason)
        {
            reason = placeholder->reason();
            repaint();
        }
}

void MissingPluginPanel::paint (juce::Graphics& g)
{
    const auto& p = saved.plugin;
    auto inside = drawPanel (
        g, getLocalBounds(), juce::String (engine::displayNameOf (saved)) + "  -  missing plugin  -  " + juce::String (id));
    auto card = inside.reduced (10, 8).removeFromTop (190).toFloat();
    g.setColour (palette::panelRaised);
    g.fillRoundedRectangle (card, 5.0f);
    g.setColour (palette::warning);
    g.drawRoundedRectangle (card.reduced (0.5f), 5.0f, 1.0f);

    auto text = card.reduced (16.0f, 12.0f).toNearestInt();
    g.setFont (fonts::label (20.0f).boldened());
    g.setColour (palette::text);
    g.drawFittedText (p.name.empty() ? juce::String (p.id) : juce::String (p.name), text.removeFromTop (28),
        juce::Justification::centredLeft, 1);
    g.setFont (fonts::label (14.0f));
    g.setColour (palette::warning);
    g.drawText ("Not installed on this machine: audio passes through, its saved state is kept.", text.removeFromTop (24),
        juce::Justification::centredLeft);
    text.removeFromTop (6);
    g.setFont (fonts::label (13.0f));
    auto row = [&] (const juce::String& name, const juce::String& value)
    {
        auto r = text.removeFromTop (21);
        g.setColour (palette::textDim);
        g.drawText (name, r.removeFromLeft (110), juce::Justification::centredLeft);
        g.setColour (palette::text);
        g.drawFittedText (value, r, juce::Justification::centredLeft, 1, 0.8f);
    };
    row ("Format", formatName (p.format));
    row ("ID", juce::String (p.id));
    row ("Version", p.version.empty() ? juce::String ("not recorded") : juce::String (p.version));
    row ("Saved state",
        p.state.empty() ? juce::String ("none") : juce::String (p.state.size()) + " characters (base64), written back unchanged");
    row ("Why", reason);

    // What the slot keeps: the saved parameter values, written back unchanged when the session is saved.
    auto values = inside.reduced (10, 0).withTrimmedTop (206);
    if (saved.params.empty() || values.getHeight() < 30)
        return;
    g.setColour (palette::textDim);
    g.setFont (fonts::label (12.5f));
    g.drawText ("SAVED PARAMETER VALUES (KEPT AS THEY ARE)", values.removeFromTop (20), juce::Justification::centredLeft);
    const int columnWidth = 240, rowHeight = 19;
    const int perColumn = juce::jmax (1, values.getHeight() / rowHeight);
    for (size_t i = 0; i < saved.params.size(); ++i)
    {
        const int column = (int) i / perColumn;
        if ((column + 1) * columnWidth > values.getWidth())
        {
            g.drawText ("... and " + juce::String (saved.params.size() - i) + " more", values.getX() + column * columnWidth,
                values.getY() + ((int) i % perColumn) * rowHeight, columnWidth, rowHeight, juce::Justification::centredLeft);
            break;
        }
        auto r = juce::Rectangle<int> (
            values.getX() + column * columnWidth, values.getY() + ((int) i % perColumn) * rowHeight, columnWidth - 12, rowHeight);
        g.setColour (palette::textDim);
        g.drawText (juce::String (saved.params[i].first), r.removeFromLeft (150), juce::Justification::centredLeft);
        g.setColour (palette::text);
        g.drawText (juce::String (saved.params[i].second, 3), r, juce::Justification::centredRight);
    }
}

std::unique_ptr<ModuleEditor> createPluginPanel (Workstation& w, const std::string& moduleId)
{
    const auto* module = const_cast<engine::ChainDescription&> (w.session().chain).find (moduleId);
    if (module == nullptr)
        return nullptr;
    const auto* table = engine::parameterTableOf (*module);
    const auto* placeholder = dynamic_cast<const engine::MissingPluginModule*> (w.runningModule (moduleId));
    if (table == nullptr || placeholder != nullptr)
    {
        juce::String why = placeholder != nullptr ? juce::String (placeholder->reason())
                                                  : juce::String ("not installed here, or blacklisted by the last plugin scan");
        return std::make_unique<MissingPluginPanel> (w, *module, why);
    }
    return std::make_unique<PluginPanel> (w, *module, *table);
}

} // namespace crest::app
