#pragma once

#include "live/MeterSnapshot.h"

#include <juce_gui_basics/juce_gui_basics.h>

namespace crest::app
{

/** The vectorscope: the newest L/R samples drawn as points with mid up and side across (the
    45-degree rotation of an X/Y plot), auto-scaled so quiet passages stay visible. A mono signal
    is a vertical line; out-of-phase content spreads sideways. */
class Goniometer : public juce::Component
{
public:
    Goniometer();

    /** Takes the newest samples from a snapshot. */
    void update (const live::MeterSnapshot&);

    void paint (juce::Graphics&) override;

private:
    std::array<live::StereoPoint, live::MeterSnapshot::goniometerSize> points {};
    float scale = 1.0f;
};

} // namespace crest::app
