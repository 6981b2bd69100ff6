#include "app/CrossoverDisplay.h"

#include "app/CrestLookAndFeel.h"

namespace crest::app
{

CrossoverDisplay::CrossoverDisplay (Workstation& w, std::string moduleId) : workstation (w), id (std::move (moduleId))
{
    setName ("CrossoverDisplay");
}

void CrossoverDisplay::setBands (int count, std::array<float, 3> crossovers)
{
    bands = juce::jlimit (1, 4, count);
    split = crossovers;
    repaint();
}

void CrossoverDisplay::setBar (int band, float fraction, bool fromTop, const juce::String& caption)
{
    bars[(size_t) band] = juce::jlimit (0.0f, 1.0f, fraction);
    barFromTop[(size_t) band] = fromTop;
    captions[(size_t) band] = caption;
    repaint();
}

void CrossoverDisplay::resized()
{
    axis.area = getLocalBounds().toFloat().reduced (2.0f);
}

void CrossoverDisplay::paint (juce::Graphics& g)
{
    g.setColour (palette::background);
    g.fillRect (axis.area);
    axis.drawGrid (g);
    const auto area = axis.area;
    for (int b = 0; b < bands; ++b)
    {
        const float left = b == 0 ? area.getX() : axis.xOf (split[(size_t) b - 1]);
        const float right = b == bands - 1 ? area.getRight() : axis.xOf (split[(size_t) b]);
        auto column = juce::Rectangle<float> (left, area.getY(), right - left, area.getHeight() - 16.0f);
        if (b == selectedBand)
        {
            g.setColour (palette::accent.withAlpha (0.08f));
            g.fillRect (column);
        }
        const float h = column.getHeight() * bars[(size_t) b];
        auto bar = column.reduced (juce::jmin (column.getWidth() * 0.3f, 30.0f), 0.0f);
        bar = barFromTop[(size_t) b] ? bar.withHeight (h) : bar.withTrimmedTop (column.getHeight() - h);
        g.setColour (barFromTop[(size_t) b] ? palette::warning.withAlpha (0.8f) : palette::accent.withAlpha (0.6f));
        g.fillRect (bar);
        g.setColour (palette::text);
        g.setFont (fonts::label (13.0f));
        g.drawText (captions[(size_t) b], column.withTrimmedTop (column.getHeight() * 0.45f).withHeight (20.0f).toNearestInt(),
            juce::Justification::centred);
    }
    engine::ParameterSpec hertz;
    hertz.unit = "Hz";
    for (int c = 0; c < bands - 1; ++c)
    {
        const float x = axis.xOf (split[(size_t) c]);
        g.setColour (palette::text);
        g.drawLine (x, area.getY(), x, area.getBottom() - 16.0f, 2.0f);
        g.setFont (fonts::label (11.5f));
        g.drawText (ParameterKnob::formatValue (hertz, split[(size_t) c]),
            juce::Rectangle<float> (x + 3.0f, area.getY() + 2.0f, 70.0f, 14.0f), juce::Justification::centredLeft);
    }
}

void CrossoverDisplay::mouseDown (const juce::MouseEvent& e)
{
    draggedCrossover = -1;
    for (int c = 0; c < bands - 1; ++c)
        if (std::abs (axis.xOf (split[(size_t) c]) - e.position.x) < 6.0f)
            draggedCrossover = c;
    if (draggedCrossover >= 0)
        return;
    const double f = axis.frequencyAt (e.position.x);
    int band = 0;
    while (band < bands - 1 && f > split[(size_t) band])
        ++band;
    selectedBand = band;
    if (onBandSelected)
        onBandSelected (band);
    repaint();
}

void CrossoverDisplay::mouseDrag (const juce::MouseEvent& e)
{
    if (draggedCrossover < 0)
        return;
    const float x = e.mods.isShiftDown() ? e.mouseDownPosition.x + (e.position.x - e.mouseDownPosition.x) * 0.1f : e.position.x;
    workstation.setParameter (id, engine::ids::crossover (draggedCrossover), (float) axis.frequencyAt (x));
}

void CrossoverDisplay::mouseUp (const juce::MouseEvent&)
{
    if (draggedCrossover >= 0)
        workstation.endGesture();
    draggedCrossover = -1;
}

} // namespace crest::app
