#include "app/Goniometer.h"

#include "app/CrestLookAndFeel.h"

#include <cmath>

namespace crest::app
{

Goniometer::Goniometer()
{
    setName ("Goniometer");
    setOpaque (true);
}

void Goniometer::update (const live::MeterSnapshot& snapshot)
{
    points = snapshot.goniometer;
    float peak = 0.0f;
    for (const auto& p : points)
        peak = juce::jmax (peak, std::abs (p.left), std::abs (p.right));
    // Auto-gain with a slow release, so the picture does not pump with the music.
    const float wanted = 0.9f / juce::jmax (peak, 0.01f);
    scale = wanted < scale ? wanted : scale + (wanted - scale) * 0.05f;
    repaint();
}

void Goniometer::paint (juce::Graphics& g)
{
    g.fillAll (palette::panel);
    auto area = getLocalBounds().toFloat().reduced (4.0f);
    const float size = juce::jmin (area.getWidth(), area.getHeight());
    area = area.withSizeKeepingCentre (size, size);
    const auto centre = area.getCentre();
    const float radius = size * 0.5f;

    g.setColour (palette::grid);
    g.drawEllipse (area, 1.0f);
    g.drawLine (centre.x, area.getY(), centre.x, area.getBottom());
    g.drawLine (area.getX(), centre.y, area.getRight(), centre.y);
    g.setColour (palette::outline);
    const float d = radius * 0.7071f;
    g.drawLine (centre.x - d, centre.y - d, centre.x + d, centre.y + d);
    g.drawLine (centre.x - d, centre.y + d, centre.x + d, centre.y - d);
    g.setColour (palette::textDim);
    g.setFont (fonts::label (10.5f));
    g.drawText ("M", area.withHeight (12.0f).translated (4.0f, 0.0f), juce::Justification::centred);
    g.drawText ("L", juce::Rectangle<float> (centre.x - d - 12, centre.y - d - 12, 12, 12), juce::Justification::centred);
    g.drawText ("R", juce::Rectangle<float> (centre.x + d, centre.y - d - 12, 12, 12), juce::Justification::centred);

    g.setColour (palette::accent.withAlpha (0.55f));
    for (const auto& p : points)
    {
        const float side = (p.right - p.left) * 0.7071f * scale;
        const float mid = (p.left + p.right) * 0.7071f * scale;
        const float x = centre.x + juce::jlimit (-1.0f, 1.0f, side) * radius;
        const float y = centre.y - juce::jlimit (-1.0f, 1.0f, mid) * radius;
        g.fillRect (x, y, 1.6f, 1.6f);
    }
}

} // namespace crest::app
