#include "app/ModuleEditor.h"

#include "app/CompressorEditor.h"
#include "app/CrestLookAndFeel.h"
#include "app/EqualiserEditor.h"
#include "app/ImagerEditor.h"
#include "app/LimiterEditor.h"
#include "app/MultibandEditor.h"
#include "app/PluginPanel.h"

#include <cmath>

namespace crest::app
{

namespace
{
    const engine::ParameterTable& tableOf (const std::string& type)
    {
        static const engine::ParameterTable none ({});
        const auto* info = engine::findModuleType (type);
        return info != nullptr ? info->parameters : none;
    }
} // namespace

KnobGroup::KnobGroup (Workstation& w, std::string module, const std::string& moduleType)
    : workstation (w), moduleId (std::move (module)), table (tableOf (moduleType))
{
}

KnobGroup::KnobGroup (Workstation& w, std::string module, const engine::ParameterTable& parameters)
    : workstation (w), moduleId (std::move (module)), table (parameters)
{
}

ParameterKnob& KnobGroup::add (juce::Component& parent, const std::string& parameterId, const juce::String& label)
{
    const int index = table.indexOf (parameterId);
    jassert (index >= 0);
    auto knob = std::make_unique<ParameterKnob> (index >= 0 ? table[(size_t) index] : engine::ParameterSpec {});
    if (label.isNotEmpty())
        knob->setLabel (label);
    if (index >= 0)
        knob->onEdit = [this, index] (float v) { workstation.setParameter (moduleId, (size_t) index, v); };
    knob->onGestureEnd = [this] { workstation.endGesture(); };
    knob->setValue (workstation.editor().parameterValue (moduleId, parameterId));
    parent.addAndMakeVisible (*knob);
    controls.push_back (std::move (knob));
    return *controls.back();
}

void KnobGroup::refresh()
{
    for (auto& knob : controls)
        knob->setValue (workstation.editor().parameterValue (moduleId, knob->spec().id));
}

void KnobGroup::layOut (juce::Rectangle<int> area, int knobWidth, int knobHeight)
{
    const int perRow = juce::jmax (1, area.getWidth() / knobWidth);
    int column = 0;
    auto row = area.removeFromTop (knobHeight);
    for (auto& knob : controls)
    {
        if (! knob->isVisible())
            continue;
        if (column == perRow)
        {
            column = 0;
            row = area.removeFromTop (knobHeight);
        }
        knob->setBounds (row.removeFromLeft (knobWidth));
        ++column;
    }
}

void KnobGroup::layOutRow (juce::Rectangle<int> area)
{
    auto weight = [] (const ParameterKnob& k) { return k.spec().kind == engine::ParameterKind::continuous ? 1.0f : 1.5f; };
    float total = 0.0f;
    for (auto& knob : controls)
        if (knob->isVisible())
            total += weight (*knob);
    const float unit = total > 0.0f ? (float) area.getWidth() / total : 0.0f;
    float x = (float) area.getX();
    for (auto& knob : controls)
        if (knob->isVisible())
        {
            const float w = weight (*knob) * unit;
            knob->setBounds (juce::Rectangle<float> (x, (float) area.getY(), w, (float) area.getHeight()).toNearestInt());
            x += w;
        }
}

bool KnobGroup::setShown (const std::string& parameterId, bool shown)
{
    for (auto& knob : controls)
        if (knob->spec().id == parameterId && knob->isVisible() != shown)
        {
            knob->setVisible (shown);
            return true;
        }
    return false;
}

void KnobGroup::clear()
{
    controls.clear();
}

ModuleEditor::ModuleEditor (Workstation& w, std::string moduleId, std::string moduleType)
    : workstation (w), id (std::move (moduleId)), type (std::move (moduleType)), knobs (w, id, type)
{
    setName ("ModuleEditor:" + type);
}

ModuleEditor::ModuleEditor (Workstation& w, std::string moduleId, std::string moduleType, const engine::ParameterTable& table)
    : workstation (w), id (std::move (moduleId)), type (std::move (moduleType)), knobs (w, id, table)
{
    setName ("ModuleEditor:" + type);
}

void ModuleEditor::paint (juce::Graphics& g)
{
    const auto* info = engine::findModuleType (type);
    const juce::String title = info != nullptr ? juce::String (info->name) : juce::String (type);
    drawPanel (g, getLocalBounds(), title + "  -  " + id);
}

GenericModuleEditor::GenericModuleEditor (Workstation& w, std::string moduleId, std::string moduleType)
    : ModuleEditor (w, std::move (moduleId), std::move (moduleType))
{
    setName ("GenericModuleEditor:" + type);
    for (const auto& spec : tableOf (type))
        knobs.add (*this, spec.id);
}

void GenericModuleEditor::resized()
{
    knobs.layOut (getLocalBounds().reduced (12).withTrimmedTop (20), 96, 104);
}

std::unique_ptr<ModuleEditor> createModuleEditor (Workstation& w, const std::string& moduleId, const std::string& moduleType)
{
    namespace types = engine::ids::types;
    if (moduleType == types::equaliser)
        return std::make_unique<EqualiserEditor> (w, moduleId);
    if (moduleType == types::compressor)
        return std::make_unique<CompressorEditor> (w, moduleId);
    if (moduleType == types::multiband)
        return std::make_unique<MultibandEditor> (w, moduleId);
    if (moduleType == types::imager)
        return std::make_unique<ImagerEditor> (w, moduleId);
    if (moduleType == types::limiter)
        return std::make_unique<LimiterEditor> (w, moduleId);
    if (moduleType == types::plugin)
        return createPluginPanel (w, moduleId);
    return std::make_unique<GenericModuleEditor> (w, moduleId, moduleType);
}

float FrequencyAxis::xOf (double hz) const
{
    const double p = std::log (juce::jlimit (20.0, 20000.0, hz) / 20.0) / std::log (1000.0);
    return area.getX() + (float) p * area.getWidth();
}

double FrequencyAxis::frequencyAt (float x) const
{
    const double p = juce::jlimit (0.0, 1.0, (double) (x - area.getX()) / area.getWidth());
    return 20.0 * std::pow (1000.0, p);
}

void FrequencyAxis::drawGrid (juce::Graphics& g) const
{
    g.setFont (fonts::label (11.0f));
    for (double f : { 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0, 2000.0, 5000.0, 10000.0, 20000.0 })
    {
        const float x = xOf (f);
        if (x > area.getRight() - 24.0f)
            continue; // no room for a label at the right edge
        g.setColour (palette::grid);
        g.drawVerticalLine ((int) x, area.getY(), area.getBottom());
        g.setColour (palette::textDim);
        const auto text = f >= 1000.0 ? juce::String ((int) (f / 1000.0)) + "k" : juce::String ((int) f);
        g.drawText (
            text, juce::Rectangle<float> (x + 2.0f, area.getBottom() - 14.0f, 30.0f, 14.0f), juce::Justification::centredLeft);
    }
}

} // namespace crest::app
