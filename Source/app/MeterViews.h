#pragma once

// The meter bridge's instruments. Each takes the newest MeterSnapshot (a plain copy made on the
// message thread; the audio thread is never waited on) and draws it. Figures show one decimal
// place, as EBU meters do.

#include "live/MeterSnapshot.h"
#include "live/PlatformTargets.h"

#include <juce_gui_basics/juce_gui_basics.h>

namespace crest::app
{

/** Momentary, short-term and integrated loudness in large figures, LRA and PLR, the platform's
    loudness target, and a scrolling short-term/momentary history with the target drawn on it. */
class LoudnessMeterView : public juce::Component
{
public:
    LoudnessMeterView();
    void update (const live::MeterSnapshot& master, const live::PlatformRule& target, std::optional<double> referenceLufs);
    void paint (juce::Graphics&) override;

private:
    live::MeterSnapshot snapshot;
    live::PlatformRule rule;
    std::optional<double> reference;
};

/** PPM bars per channel (input and output side by side) with true-peak hold marks, the
    largest true peak since reset, a clip indicator per channel and the platform's peak advice. */
class TruePeakMeterView : public juce::Component
{
public:
    TruePeakMeterView();
    void update (const live::MeterSnapshot& input, const live::MeterSnapshot& output, const live::PlatformRule& target);
    void paint (juce::Graphics&) override;

    /** Lowest level shown, dBFS. */
    static constexpr float floorDb = -48.0f;

private:
    live::MeterSnapshot in, out;
    live::PlatformRule rule;
};

/** Phase correlation, -1 .. +1, as a horizontal bar with its figure. */
class CorrelationMeterView : public juce::Component
{
public:
    CorrelationMeterView();
    void update (const live::MeterSnapshot&);
    void paint (juce::Graphics&) override;

private:
    std::optional<float> correlation;
};

/** The spectrum analyser: fine or 1/3-octave, with peak hold, the input drawn dimmer behind the
    output, and a reference track's long-term spectrum overlaid. Slope and averaging are set on
    the player's meters (SessionPlayer::setSpectrumOptions). */
class SpectrumView : public juce::Component
{
public:
    SpectrumView();
    void update (
        const live::MeterSnapshot& input, const live::MeterSnapshot& output, const std::vector<float>& referenceThirds);
    void paint (juce::Graphics&) override;

    bool thirdOctave = false;
    bool showPeakHold = true;
    float slopeDbPerOctave = 4.5f;

private:
    live::MeterSnapshot in, out;
    std::vector<float> reference;
};

} // namespace crest::app
