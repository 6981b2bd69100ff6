#include "app/MeterViews.h"

#include "app/CrestLookAndFeel.h"
#include "app/ModuleEditor.h"

#include <algorithm>
#include <cmath>

namespace crest::app
{

namespace
{
    juce::String lufsText (const std::optional<float>& v)
    {
        return v ? formatDb (*v) : juce::String ("--.-");
    }

    /** Colour of a loudness figure against the platform's target. */
    juce::Colour loudnessColour (const std::optional<float>& v, const live::PlatformRule& rule)
    {
        if (! v || rule.platform == live::Platform::none)
            return palette::text;
        if (*v > rule.targetLufs + 1.0)
            return palette::warning;
        return palette::loudness;
    }
} // namespace

// ---- loudness ----------------------------------------------------------------------------------

LoudnessMeterView::LoudnessMeterView()
{
    setName ("LoudnessMeterView");
    setOpaque (true);
}

void LoudnessMeterView::update (
    const live::MeterSnapshot& master, const live::PlatformRule& target, std::optional<double> referenceLufs)
{
    snapshot = master;
    rule = target;
    reference = referenceLufs;
    repaint();
}

void LoudnessMeterView::paint (juce::Graphics& g)
{
    g.fillAll (palette::background);
    auto area = drawPanel (g, getLocalBounds(), "Loudness (LUFS)");

    // Big figures: integrated first (what the platforms read), then short-term and momentary.
    // Narrow (the bridge dragged to one column): integrated on a line of its own, the others
    // under it, and the small figures two to a line.
    const int w = area.getWidth();
    const bool narrow = w < 380;
    auto figures = area.removeFromTop (juce::jmin (narrow ? 128 : 110, area.getHeight() / 2));
    auto figure = [&] (juce::Rectangle<int> box, const juce::String& caption, const std::optional<float>& v, float size)
    {
        g.setColour (palette::textDim);
        g.setFont (fonts::label (12.5f));
        g.drawText (caption, box.removeFromTop (16), juce::Justification::centredLeft);
        g.setColour (loudnessColour (v, rule));
        g.setFont (fonts::figure (size));
        g.drawFittedText (lufsText (v), box, juce::Justification::centredLeft, 1, 0.8f);
    };
    if (narrow)
    {
        figure (figures.removeFromTop (figures.getHeight() * 55 / 100), "Integrated", snapshot.integratedLufs, 40.0f);
        figure (figures.removeFromLeft (w / 2), "Short-term", snapshot.shortTermLufs, 26.0f);
        figure (figures, "Momentary", snapshot.momentaryLufs, 26.0f);
    }
    else
    {
        figure (figures.removeFromLeft (w * 40 / 100), "Integrated", snapshot.integratedLufs, 46.0f);
        figure (figures.removeFromLeft (w * 30 / 100), "Short-term", snapshot.shortTermLufs, 34.0f);
        figure (figures, "Momentary", snapshot.momentaryLufs, 34.0f);
    }

    // Small figures: LRA, PLR, PSR, target, reference.
    const int perRow = narrow ? 2 : w < 470 ? 3 : 5; // "PLR 10.6 dB" needs about 85 px
    int placed = 0;
    juce::Rectangle<int> row;
    g.setFont (fonts::label (14.0f));
    auto small = [&] (const juce::String& caption, const juce::String& value, juce::Colour colour)
    {
        if (placed++ % perRow == 0)
            row = area.removeFromTop (22);
        auto box = row.removeFromLeft (juce::jmin (row.getWidth(), w / perRow));
        g.setColour (palette::textDim);
        g.drawText (caption, box.removeFromLeft (32), juce::Justification::centredLeft);
        g.setColour (colour);
        g.drawFittedText (value, box, juce::Justification::centredLeft, 1, 0.85f);
    };
    small ("LRA", snapshot.loudnessRangeLu ? formatDb (*snapshot.loudnessRangeLu) + " LU" : "--", palette::text);
    small ("PLR", snapshot.plrDb ? formatDb (*snapshot.plrDb) + " dB" : "--", palette::text);
    small ("PSR", snapshot.psrDb ? formatDb (*snapshot.psrDb) + " dB" : "--", palette::text);
    if (rule.platform != live::Platform::none)
        small ("Tgt", formatDb (rule.targetLufs), palette::target);
    if (reference)
        small ("Ref", formatDb (*reference), palette::reference);

    // History: short-term (line) and momentary (fill), -40 .. -4 LUFS, with the target.
    area.removeFromTop (4);
    auto history = area.toFloat();
    g.setColour (palette::panelRaised);
    g.fillRect (history);
    const float top = -4.0f, bottom = -40.0f;
    auto yOf = [&] (float lufs)
    { return juce::jmap (juce::jlimit (bottom, top, lufs), top, bottom, history.getY(), history.getBottom()); };
    g.setFont (fonts::label (11.0f));
    for (float l = -36.0f; l <= -8.0f; l += 6.0f)
    {
        g.setColour (palette::grid);
        g.drawHorizontalLine ((int) yOf (l), history.getX(), history.getRight());
        g.setColour (palette::textDim);
        g.drawText (juce::String ((int) l), juce::Rectangle<float> (history.getX() + 2, yOf (l) - 12, 28, 12),
            juce::Justification::centredLeft);
    }
    // The last 30 seconds: long enough to see a section's shape, short enough to follow.
    const int shown = juce::jmin (live::MeterSnapshot::historySize, 300);
    const int first = live::MeterSnapshot::historySize - shown;
    auto xOf = [&] (int i) { return history.getX() + (float) (i - first) * history.getWidth() / (float) (shown - 1); };
    juce::Path momentary, shortTerm;
    bool mStarted = false, sStarted = false;
    for (int i = first; i < live::MeterSnapshot::historySize; ++i)
    {
        const float m = snapshot.momentaryHistory[(size_t) i], s = snapshot.shortTermHistory[(size_t) i];
        if (std::isfinite (m))
        {
            mStarted ? momentary.lineTo (xOf (i), yOf (m)) : momentary.startNewSubPath (xOf (i), yOf (m));
            mStarted = true;
        }
        if (std::isfinite (s))
        {
            sStarted ? shortTerm.lineTo (xOf (i), yOf (s)) : shortTerm.startNewSubPath (xOf (i), yOf (s));
            sStarted = true;
        }
    }
    g.setColour (palette::accent.withAlpha (0.35f));
    g.strokePath (momentary, juce::PathStrokeType (1.0f));
    g.setColour (palette::accent);
    g.strokePath (shortTerm, juce::PathStrokeType (2.0f));
    if (rule.platform != live::Platform::none)
    {
        g.setColour (palette::target.withAlpha (0.8f));
        const float y = yOf ((float) rule.targetLufs);
        const float dashes[] = { 6.0f, 4.0f };
        g.drawDashedLine ({ history.getX(), y, history.getRight(), y }, dashes, 2, 1.2f);
        g.setFont (fonts::label (11.5f));
        g.drawText (juce::String (rule.name) + " " + formatDb (rule.targetLufs),
            juce::Rectangle<float> (history.getRight() - 170, y - 14, 166, 13), juce::Justification::centredRight);
    }
    if (reference)
    {
        g.setColour (palette::reference.withAlpha (0.8f));
        g.drawHorizontalLine ((int) yOf ((float) *reference), history.getX(), history.getRight());
    }
}

// ---- true peak and PPM -------------------------------------------------------------------------

TruePeakMeterView::TruePeakMeterView()
{
    setName ("TruePeakMeterView");
    setOpaque (true);
}

void TruePeakMeterView::update (
    const live::MeterSnapshot& input, const live::MeterSnapshot& output, const live::PlatformRule& target)
{
    in = input;
    out = output;
    rule = target;
    repaint();
}

void TruePeakMeterView::paint (juce::Graphics& g)
{
    g.fillAll (palette::background);
    auto area = drawPanel (g, getLocalBounds(), "Peak (dBTP)");

    // The largest true peak of the output in a big figure, red when over the clip threshold.
    auto header = area.removeFromTop (44);
    const float maxPeak = juce::jmax (out.truePeakMaxDb[0], out.truePeakMaxDb[1]);
    const bool clipped = out.clipped[0] || out.clipped[1];
    g.setColour (clipped ? palette::clip : (maxPeak > rule.adviceDbtp ? palette::warning : palette::text));
    g.setFont (fonts::figure (30.0f));
    g.drawText (std::isfinite (maxPeak) ? formatDb (maxPeak) : juce::String ("--.-"), header, juce::Justification::centredLeft);
    g.setFont (fonts::label (12.0f));
    g.setColour (palette::textDim);
    g.drawText ("max TP", header, juce::Justification::topRight);

    auto bars = area.reduced (0, 4);
    auto scale = bars.removeFromLeft (26);
    auto yOf = [&] (float db) {
        return juce::jmap (
            juce::jlimit (floorDb, 0.0f, db), 0.0f, floorDb, (float) bars.getY() + 14.0f, (float) bars.getBottom());
    };
    g.setFont (fonts::label (10.5f));
    for (float db : { 0.0f, -3.0f, -6.0f, -9.0f, -12.0f, -18.0f, -24.0f, -36.0f, -48.0f })
    {
        g.setColour (palette::textDim);
        g.drawText (juce::String ((int) db), juce::Rectangle<float> ((float) scale.getX(), yOf (db) - 6, 24, 12),
            juce::Justification::centredRight);
    }

    const live::MeterSnapshot* sides[] = { &in, &out };
    const int barWidth = juce::jmax (8, (bars.getWidth() - 18) / 4);
    for (int s = 0; s < 2; ++s)
    {
        for (int c = 0; c < 2; ++c)
        {
            const auto& m = *sides[s];
            auto bar = bars.removeFromLeft (barWidth).reduced (2, 0).toFloat();
            auto clip = bar.removeFromTop (12.0f);
            g.setColour (m.clipped[(size_t) c] ? palette::clip : palette::panelRaised);
            g.fillRect (clip);
            bar = bar.withTrimmedTop (2.0f);
            g.setColour (palette::panelRaised);
            g.fillRect (bar);
            const float level = m.ppmDb[(size_t) c];
            if (std::isfinite (level))
            {
                const auto filled = bar.withTop (yOf (level));
                juce::ColourGradient gradient (
                    palette::clip, bar.getX(), yOf (0.0f), palette::loudness, bar.getX(), yOf (-18.0f), false);
                gradient.addColour (0.25, palette::warning);
                g.setGradientFill (gradient);
                g.fillRect (filled);
                if (s == 0)
                {
                    g.setColour (palette::background.withAlpha (0.45f)); // input drawn dimmer
                    g.fillRect (filled);
                }
            }
            const float hold = m.truePeakHoldDb[(size_t) c];
            if (std::isfinite (hold) && hold > floorDb)
            {
                g.setColour (palette::text);
                g.fillRect (bar.getX(), yOf (hold) - 1.0f, bar.getWidth(), 2.0f);
            }
            g.setColour (palette::textDim);
            g.setFont (fonts::label (10.0f));
        }
        if (s == 0)
            bars.removeFromLeft (14);
    }

    // The platform's advised ceiling across all bars.
    const float advice = (float) rule.adviceDbtp;
    g.setColour (palette::target.withAlpha (0.75f));
    const float dashes[] = { 4.0f, 3.0f };
    g.drawDashedLine ({ (float) scale.getRight(), yOf (advice), (float) area.getRight(), yOf (advice) }, dashes, 2, 1.0f);
    g.setColour (palette::textDim);
    g.setFont (fonts::label (10.5f));
    g.drawText ("in        out", area.removeFromBottom (12).withTrimmedLeft (28), juce::Justification::centredLeft);
}

// ---- correlation -------------------------------------------------------------------------------

CorrelationMeterView::CorrelationMeterView()
{
    setName ("CorrelationMeterView");
    setOpaque (true);
}

void CorrelationMeterView::update (const live::MeterSnapshot& snapshot)
{
    correlation = snapshot.correlation;
    repaint();
}

void CorrelationMeterView::paint (juce::Graphics& g)
{
    g.fillAll (palette::background);
    auto area = drawPanel (g, getLocalBounds(), "Correlation");
    auto figure = area.removeFromRight (58);
    auto bar = area.reduced (0, 4).toFloat();
    g.setColour (palette::panelRaised);
    g.fillRect (bar);
    const float centre = bar.getCentreX();
    g.setColour (palette::outline);
    g.drawVerticalLine ((int) centre, bar.getY(), bar.getBottom());
    if (correlation)
    {
        const float x = centre + *correlation * bar.getWidth() * 0.5f;
        g.setColour (*correlation < 0.0f ? palette::clip : palette::loudness);
        g.fillRect (juce::Rectangle<float>::leftTopRightBottom (
            juce::jmin (x, centre), bar.getY() + 2, juce::jmax (x, centre), bar.getBottom() - 2));
    }
    g.setColour (palette::textDim);
    g.setFont (fonts::label (10.5f));
    g.drawText ("-1", bar.toNearestInt(), juce::Justification::centredLeft);
    g.drawText ("+1", bar.toNearestInt(), juce::Justification::centredRight);
    g.setColour (correlation && *correlation < 0.0f ? palette::clip : palette::text);
    g.setFont (fonts::figure (18.0f));
    g.drawText (correlation ? juce::String (*correlation, 2) : juce::String ("--"), figure, juce::Justification::centredRight);
}

// ---- spectrum ----------------------------------------------------------------------------------

SpectrumView::SpectrumView()
{
    setName ("SpectrumView");
    setOpaque (true);
}

void SpectrumView::update (
    const live::MeterSnapshot& input, const live::MeterSnapshot& output, const std::vector<float>& referenceThirds)
{
    in = input;
    out = output;
    reference = referenceThirds;
    repaint();
}

void SpectrumView::paint (juce::Graphics& g)
{
    g.fillAll (palette::background);
    auto area = drawPanel (g, getLocalBounds(), juce::String ("Spectrum, ") + (thirdOctave ? "1/3 octave" : "fine"));
    FrequencyAxis axis { area.toFloat() };
    axis.drawGrid (g);
    const float top = 0.0f, bottom = -84.0f;
    auto yOf = [&] (float db)
    {
        return juce::jmap (std::isfinite (db) ? juce::jlimit (bottom, top, db) : bottom, top, bottom, axis.area.getY(),
            axis.area.getBottom() - 14.0f);
    };
    g.setFont (fonts::label (10.5f));
    for (float db = -12.0f; db > bottom; db -= 12.0f)
    {
        g.setColour (palette::grid);
        g.drawHorizontalLine ((int) yOf (db), axis.area.getX(), axis.area.getRight());
        g.setColour (palette::textDim);
        g.drawText (juce::String ((int) db), juce::Rectangle<float> (axis.area.getX() + 2, yOf (db) - 12, 28, 12),
            juce::Justification::centredLeft);
    }

    if (thirdOctave)
    {
        for (int b = 0; b < live::MeterSnapshot::thirdOctaveSize; ++b)
        {
            const float f = live::MeterSnapshot::thirdOctaveFrequency (b);
            const float x0 = axis.xOf (f / 1.122f), x1 = axis.xOf (f * 1.122f);
            auto column
                = juce::Rectangle<float>::leftTopRightBottom (x0 + 1, yOf (out.thirdOctaveDb[(size_t) b]), x1 - 1, yOf (bottom));
            g.setColour (palette::accent.withAlpha (0.7f));
            g.fillRect (column);
            if (showPeakHold)
            {
                g.setColour (palette::text);
                g.fillRect (x0 + 1, yOf (out.thirdOctavePeakDb[(size_t) b]) - 1, x1 - x0 - 2, 2.0f);
            }
        }
    }
    else
    {
        auto trace = [&] (const auto& values, bool closed)
        {
            juce::Path path;
            for (int i = 0; i < live::MeterSnapshot::fineSpectrumSize; ++i)
            {
                const float x = axis.xOf (live::MeterSnapshot::fineSpectrumFrequency (i));
                i == 0 ? path.startNewSubPath (x, yOf (values[(size_t) i])) : path.lineTo (x, yOf (values[(size_t) i]));
            }
            if (closed)
            {
                path.lineTo (axis.area.getRight(), yOf (bottom));
                path.lineTo (axis.area.getX(), yOf (bottom));
                path.closeSubPath();
            }
            return path;
        };
        g.setColour (palette::input.withAlpha (0.6f));
        g.strokePath (trace (in.fineSpectrumDb, false), juce::PathStrokeType (1.0f));
        g.setColour (palette::accent.withAlpha (0.3f));
        g.fillPath (trace (out.fineSpectrumDb, true));
        g.setColour (palette::accent);
        g.strokePath (trace (out.fineSpectrumDb, false), juce::PathStrokeType (1.5f));
        if (showPeakHold)
        {
            g.setColour (palette::text.withAlpha (0.5f));
            g.strokePath (trace (out.fineSpectrumPeakDb, false), juce::PathStrokeType (1.0f));
        }
    }

    if (reference.size() == (size_t) live::MeterSnapshot::thirdOctaveSize)
    {
        // The reference's long-term spectrum is band power with no slope; the display's traces
        // carry the slope, and the fine trace is power per point, not per band. Bring the
        // reference onto the display's scale: the same slope about 1 kHz, and in the fine view
        // the master's own band-to-point offset (median over the bands), so that equal
        // balance draws as the same height.
        float offset = 0.0f;
        if (! thirdOctave)
        {
            std::vector<float> differences;
            for (int b = 0; b < live::MeterSnapshot::thirdOctaveSize; ++b)
            {
                const float f = live::MeterSnapshot::thirdOctaveFrequency (b);
                int nearest = 0;
                for (int i = 1; i < live::MeterSnapshot::fineSpectrumSize; ++i)
                    if (std::abs (std::log (live::MeterSnapshot::fineSpectrumFrequency (i) / f))
                        < std::abs (std::log (live::MeterSnapshot::fineSpectrumFrequency (nearest) / f)))
                        nearest = i;
                const float band = out.thirdOctaveDb[(size_t) b], point = out.fineSpectrumDb[(size_t) nearest];
                if (std::isfinite (band) && std::isfinite (point))
                    differences.push_back (band - point);
            }
            if (! differences.empty())
            {
                std::nth_element (
                    differences.begin(), differences.begin() + (std::ptrdiff_t) differences.size() / 2, differences.end());
                offset = differences[differences.size() / 2];
            }
        }
        juce::Path path;
        bool started = false;
        for (int b = 0; b < live::MeterSnapshot::thirdOctaveSize; ++b)
        {
            const float f = live::MeterSnapshot::thirdOctaveFrequency (b);
            if (! std::isfinite (reference[(size_t) b]))
                continue;
            const float db = reference[(size_t) b] + slopeDbPerOctave * std::log2 (f / 1000.0f) - offset;
            started ? path.lineTo (axis.xOf (f), yOf (db)) : path.startNewSubPath (axis.xOf (f), yOf (db));
            started = true;
        }
        g.setColour (palette::reference);
        g.strokePath (path, juce::PathStrokeType (2.0f));
        g.setFont (fonts::label (11.5f));
        g.drawText (
            "reference (long-term)", axis.area.reduced (6).withTrimmedTop (24).toNearestInt(), juce::Justification::topRight);
    }
}

} // namespace crest::app
