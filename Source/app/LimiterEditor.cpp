#include "app/LimiterEditor.h"

#include "app/CrestLookAndFeel.h"

#include <cmath>

namespace crest::app
{

namespace
{
    constexpr size_t historyFrames = 600; // ten seconds at 60 frames a second
    constexpr float historyRangeDb = 12.0f;
} // namespace

LimiterEditor::LimiterEditor (Workstation& w, std::string moduleId)
    : ModuleEditor (w, std::move (moduleId), engine::ids::types::limiter), reductionHistory (historyFrames, 0.0f),
      peakHistory (historyFrames, live::MeterSnapshot::noReading)
{
    setName ("LimiterEditor");
    for (const auto& spec : knobs.parameterTable())
        knobs.add (*this, spec.id);
    meter.setName ("GainReductionMeter");
    addAndMakeVisible (meter);
}

void LimiterEditor::refresh()
{
    knobs.refresh();
    repaint();
}

void LimiterEditor::refreshLive()
{
    const float reduction = workstation.gainReductionDb (id);
    const auto& out = workstation.outputMeters();
    reductionHistory[writePosition] = reduction;
    peakHistory[writePosition] = juce::jmax (out.truePeakDb[0], out.truePeakDb[1]);
    writePosition = (writePosition + 1) % historyFrames;
    meter.setReduction (reduction);
    repaint (historyArea.toNearestInt().expanded (2));
}

void LimiterEditor::paint (juce::Graphics& g)
{
    ModuleEditor::paint (g);
    g.setColour (palette::background);
    g.fillRect (historyArea);
    auto yOf = [this] (float db) { return juce::jmap (db, 0.0f, historyRangeDb, historyArea.getY(), historyArea.getBottom()); };
    g.setFont (fonts::label (11.0f));
    for (float db = 0.0f; db <= historyRangeDb; db += 3.0f)
    {
        g.setColour (palette::grid);
        g.drawHorizontalLine ((int) yOf (db), historyArea.getX(), historyArea.getRight());
        g.setColour (palette::textDim);
        g.drawText (juce::String (-(int) db), juce::Rectangle<float> (historyArea.getX() + 2, yOf (db), 26, 12),
            juce::Justification::centredLeft);
    }

    // Gain reduction hangs from the top, newest at the right.
    juce::Path area;
    area.startNewSubPath (historyArea.getRight(), historyArea.getY());
    area.lineTo (historyArea.getX(), historyArea.getY());
    for (size_t i = 0; i < historyFrames; ++i)
    {
        const float r = reductionHistory[(writePosition + i) % historyFrames];
        const float x = historyArea.getX() + (float) i * historyArea.getWidth() / (float) (historyFrames - 1);
        area.lineTo (x, yOf (juce::jmin (r, historyRangeDb)));
    }
    area.closeSubPath();
    g.setColour (palette::warning.withAlpha (0.65f));
    g.fillPath (area);

    // The output's true peak against the ceiling, scaled 0 dBTP .. -12 dBTP on the same grid.
    const float ceiling = value (engine::ids::limiter::ceiling);
    g.setColour (palette::clip.withAlpha (0.8f));
    g.drawHorizontalLine ((int) yOf (-ceiling), historyArea.getX(), historyArea.getRight());
    juce::Path peaks;
    bool started = false;
    for (size_t i = 0; i < historyFrames; ++i)
    {
        const float p = peakHistory[(writePosition + i) % historyFrames];
        if (! std::isfinite (p))
            continue;
        const float x = historyArea.getX() + (float) i * historyArea.getWidth() / (float) (historyFrames - 1);
        const float y = yOf (juce::jlimit (0.0f, historyRangeDb, -p));
        started ? peaks.lineTo (x, y) : peaks.startNewSubPath (x, y);
        started = true;
    }
    g.setColour (palette::text.withAlpha (0.7f));
    g.strokePath (peaks, juce::PathStrokeType (1.2f));
    g.setColour (palette::textDim);
    g.setFont (fonts::label (12.0f));
    g.drawText ("gain reduction (amber), true peak (line), ceiling " + formatDb (ceiling) + " dBTP (red)",
        historyArea.reduced (6).toNearestInt(), juce::Justification::bottomLeft);
}

void LimiterEditor::resized()
{
    auto area = getLocalBounds().reduced (10).withTrimmedTop (20);
    auto controls = area.removeFromBottom (108);
    meter.setBounds (area.removeFromRight (62).reduced (4, 0));
    historyArea = area.reduced (0, 4).toFloat();
    knobs.layOut (controls, 100, 104);
}

} // namespace crest::app
