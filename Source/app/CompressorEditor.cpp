#include "app/CompressorEditor.h"

#include "app/CrestLookAndFeel.h"
#include "dsp/DynamicsProcessor.h"

namespace crest::app
{

void GainReductionMeter::setReduction (float decibels)
{
    reduction = juce::jmax (0.0f, decibels);
    if (reduction >= held || --holdCountdown <= 0)
    {
        held = reduction;
        holdCountdown = 60; // about a second at the meter rate
    }
    repaint();
}

void GainReductionMeter::paint (juce::Graphics& g)
{
    auto area = getLocalBounds().toFloat();
    auto label = area.removeFromBottom (18.0f);
    g.setColour (palette::background);
    g.fillRoundedRectangle (area, 3.0f);
    const float h = area.getHeight() * juce::jmin (1.0f, reduction / rangeDb);
    g.setColour (palette::warning);
    g.fillRect (area.withHeight (h).reduced (3.0f, 0.0f));
    const float holdY = area.getY() + area.getHeight() * juce::jmin (1.0f, held / rangeDb);
    g.setColour (palette::text);
    g.drawHorizontalLine ((int) holdY, area.getX() + 2, area.getRight() - 2);
    g.setColour (palette::textDim);
    g.setFont (fonts::label (12.0f));
    g.drawText ("GR " + formatDb (-held), label, juce::Justification::centred);
}

CompressorEditor::CompressorEditor (Workstation& w, std::string moduleId)
    : ModuleEditor (w, std::move (moduleId), engine::ids::types::compressor)
{
    setName ("CompressorEditor");
    for (const auto& spec : knobs.parameterTable())
        knobs.add (*this, spec.id);
    meter.setName ("GainReductionMeter");
    addAndMakeVisible (meter);
}

void CompressorEditor::refresh()
{
    knobs.refresh();
    repaint();
}

void CompressorEditor::refreshLive()
{
    meter.setReduction (workstation.gainReductionDb (id));
}

void CompressorEditor::paint (juce::Graphics& g)
{
    ModuleEditor::paint (g);
    const float lowDb = -60.0f;
    auto xOf = [&] (float db) { return juce::jmap (db, lowDb, 0.0f, curveArea.getX(), curveArea.getRight()); };
    auto yOf = [&] (float db) { return juce::jmap (db, lowDb, 0.0f, curveArea.getBottom(), curveArea.getY()); };

    g.setColour (palette::background);
    g.fillRect (curveArea);
    g.setFont (fonts::label (11.0f));
    for (float db = lowDb; db <= 0.0f; db += 12.0f)
    {
        g.setColour (palette::grid);
        g.drawVerticalLine ((int) xOf (db), curveArea.getY(), curveArea.getBottom());
        g.drawHorizontalLine ((int) yOf (db), curveArea.getX(), curveArea.getRight());
        g.setColour (palette::textDim);
        g.drawText (juce::String ((int) db), juce::Rectangle<float> (xOf (db) + 2, curveArea.getBottom() - 14, 30, 14),
            juce::Justification::centredLeft);
    }
    g.setColour (palette::outline);
    g.drawLine (xOf (lowDb), yOf (lowDb), xOf (0.0f), yOf (0.0f), 1.0f);

    namespace id = engine::ids::compressor;
    const float threshold = value (id::threshold), ratio = value (id::ratio), knee = value (id::knee),
                makeup = value (id::makeup);
    juce::Path curve;
    for (int i = 0; i <= 240; ++i)
    {
        const float in = lowDb + (float) i * (-lowDb) / 240.0f;
        const float out = in - (float) dsp::DynamicsProcessor::staticGainReductionDb (in, threshold, ratio, knee) + makeup;
        const float y = juce::jlimit (curveArea.getY(), curveArea.getBottom(), yOf (out));
        i == 0 ? curve.startNewSubPath (xOf (in), y) : curve.lineTo (xOf (in), y);
    }
    g.setColour (palette::accent);
    g.strokePath (curve, juce::PathStrokeType (2.2f));
    g.setColour (palette::warning.withAlpha (0.6f));
    g.drawVerticalLine ((int) xOf (threshold), curveArea.getY(), curveArea.getBottom());
    g.setColour (palette::textDim);
    g.setFont (fonts::label (12.0f));
    g.drawText ("in (dBFS) / out", curveArea.reduced (6).toNearestInt(), juce::Justification::topLeft);
}

void CompressorEditor::resized()
{
    auto area = getLocalBounds().reduced (10).withTrimmedTop (20);
    auto visual = area.removeFromLeft (juce::jmin (area.getHeight() + 60, area.getWidth() / 2));
    meter.setBounds (visual.removeFromRight (62).reduced (4, 0));
    curveArea = visual.reduced (4).toFloat();
    if (curveArea.getWidth() > curveArea.getHeight())
        curveArea = curveArea.withSizeKeepingCentre (curveArea.getHeight(), curveArea.getHeight());
    knobs.layOut (area.reduced (8, 0), 92, 100);
}

} // namespace crest::app
