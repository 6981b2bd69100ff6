#include "app/EqualiserEditor.h"

#include "app/CrestLookAndFeel.h"
#include "dsp/EqualiserFilters.h"

#include <cmath>

namespace crest::app
{

namespace eq = engine::ids::equaliser;

namespace
{
    const juce::Colour bandColours[]
        = { juce::Colour (0xffe57373), juce::Colour (0xffffb74d), juce::Colour (0xfffff176), juce::Colour (0xff81c784),
              juce::Colour (0xff4fc3f7), juce::Colour (0xff7986cb), juce::Colour (0xffba68c8), juce::Colour (0xfff06292) };

    bool hasGain (int type)
    {
        const auto t = (dsp::EqBandType) type;
        return t == dsp::EqBandType::bell || t == dsp::EqBandType::lowShelf || t == dsp::EqBandType::highShelf
            || t == dsp::EqBandType::tilt;
    }
} // namespace

EqualiserEditor::EqualiserEditor (Workstation& w, std::string moduleId)
    : ModuleEditor (w, std::move (moduleId), engine::ids::types::equaliser)
{
    setName ("EqualiserEditor");
    for (int b = 0; b < numBands; ++b)
    {
        bandKnobs[(size_t) b] = std::make_unique<KnobGroup> (w, id, type);
        for (const char* p : { eq::bandType, eq::frequency, eq::gain, eq::q, eq::slope, eq::channel, eq::dynamic, eq::threshold,
                 eq::ratio, eq::attack, eq::release })
        {
            const auto* spec = knobs.parameterTable().find (bandParameter (b, p));
            // "Band 3 gain" -> "Gain": the band is shown by the selector above.
            juce::String label (spec != nullptr ? spec->name : p);
            label = label.fromFirstOccurrenceOf (" ", false, false).fromFirstOccurrenceOf (" ", false, false);
            bandKnobs[(size_t) b]->add (*this, bandParameter (b, p), label.substring (0, 1).toUpperCase() + label.substring (1));
        }
        nodeParameters[(size_t) b] = { (size_t) knobs.parameterTable().indexOf (bandParameter (b, eq::frequency)),
            (size_t) knobs.parameterTable().indexOf (bandParameter (b, eq::gain)) };
        auto& button = bandButtons[(size_t) b];
        button.setButtonText (juce::String (b + 1));
        button.setClickingTogglesState (false);
        button.onClick = [this, b] { selectBand (b); };
        addAndMakeVisible (button);
    }
    knobs.add (*this, eq::linearPhase);
    knobs.add (*this, eq::outputGain);
    selectBand (0);
}

std::string EqualiserEditor::bandParameter (int band, const char* name) const
{
    return engine::ids::band (band, name);
}

bool EqualiserEditor::bandIsOn (int band) const
{
    return value (bandParameter (band, eq::bandType)) >= 0.5f;
}

void EqualiserEditor::selectBand (int band)
{
    selectedBand = band;
    for (int b = 0; b < numBands; ++b)
    {
        for (auto& knob : bandKnobs[(size_t) b]->knobs())
            knob->setVisible (b == band);
        bandButtons[(size_t) b].setToggleState (b == band, juce::dontSendNotification);
    }
    resized();
    repaint();
}

void EqualiserEditor::refresh()
{
    knobs.refresh();
    for (auto& group : bandKnobs)
        group->refresh();
    repaint();
}

void EqualiserEditor::refreshLive()
{
    inputSpectrum = workstation.inputMeters().fineSpectrumDb;
    outputSpectrum = workstation.outputMeters().fineSpectrumDb;
    reductionDb = workstation.gainReductionDb (id);
    repaint (curveArea.toNearestInt().expanded (2));
}

float EqualiserEditor::yOf (float db) const
{
    return juce::jmap (db, rangeDb, -rangeDb, curveArea.getY(), curveArea.getBottom());
}

float EqualiserEditor::dbAt (float y) const
{
    return juce::jmap (y, curveArea.getY(), curveArea.getBottom(), rangeDb, -rangeDb);
}

juce::Point<float> EqualiserEditor::nodePosition (int band) const
{
    const int bandType = (int) value (bandParameter (band, eq::bandType));
    const float gain = hasGain (bandType) ? value (bandParameter (band, eq::gain)) : 0.0f;
    return { axis.xOf (value (bandParameter (band, eq::frequency))), yOf (juce::jlimit (-rangeDb, rangeDb, gain)) };
}

int EqualiserEditor::bandAt (juce::Point<float> p) const
{
    int best = -1;
    float bestDistance = 14.0f;
    for (int b = 0; b < numBands; ++b)
        if (bandIsOn (b))
            if (const float d = nodePosition (b).getDistanceFrom (p); d < bestDistance)
            {
                best = b;
                bestDistance = d;
            }
    return best;
}

void EqualiserEditor::paint (juce::Graphics& g)
{
    ModuleEditor::paint (g);
    g.setColour (palette::background);
    g.fillRect (curveArea);
    axis.drawGrid (g);
    g.setFont (fonts::label (11.0f));
    for (float db : { -12.0f, -6.0f, 0.0f, 6.0f, 12.0f })
    {
        g.setColour (db == 0.0f ? palette::outline : palette::grid);
        g.drawHorizontalLine ((int) yOf (db), curveArea.getX(), curveArea.getRight());
        g.setColour (palette::textDim);
        g.drawText (juce::String ((int) db), juce::Rectangle<float> (curveArea.getX() + 2, yOf (db) - 12, 28, 12),
            juce::Justification::centredLeft);
    }

    // Live spectra: -90..0 dB mapped onto the curve's height, input dim, output brighter.
    auto spectrumPath = [this] (const auto& spectrum)
    {
        juce::Path path;
        bool started = false;
        for (int i = 0; i < live::MeterSnapshot::fineSpectrumSize; ++i)
        {
            const float db = std::isfinite (spectrum[(size_t) i]) ? juce::jlimit (-90.0f, 0.0f, spectrum[(size_t) i]) : -90.0f;
            const float x = axis.xOf (live::MeterSnapshot::fineSpectrumFrequency (i));
            const float y = juce::jmap (db, 0.0f, -90.0f, curveArea.getY(), curveArea.getBottom());
            started ? path.lineTo (x, y) : path.startNewSubPath (x, y);
            started = true;
        }
        path.lineTo (curveArea.getRight(), curveArea.getBottom());
        path.lineTo (curveArea.getX(), curveArea.getBottom());
        path.closeSubPath();
        return path;
    };
    g.setColour (palette::input.withAlpha (0.25f));
    g.fillPath (spectrumPath (inputSpectrum));
    g.setColour (palette::accent.withAlpha (0.22f));
    g.fillPath (spectrumPath (outputSpectrum));

    // The summed response and each band's own curve, recomputed only when the settings or
    // the size change (the spectrum behind them moves 60 times a second; they do not).
    if (curveRevision != workstation.editor().revision() || curveBounds != curveArea)
        computeCurves();
    for (int b = 0; b < numBands; ++b)
        if (! bandCurves[(size_t) b].isEmpty())
        {
            g.setColour (bandColours[b].withAlpha (b == selectedBand ? 0.7f : 0.3f));
            g.strokePath (bandCurves[(size_t) b], juce::PathStrokeType (1.0f));
        }
    const auto& total = totalCurve;
    g.saveState();
    g.reduceClipRegion (curveArea.toNearestInt());
    g.setColour (palette::text);
    g.strokePath (total, juce::PathStrokeType (2.2f));
    g.restoreState();

    for (int b = 0; b < numBands; ++b)
    {
        if (! bandIsOn (b))
            continue;
        const auto p = nodePosition (b);
        g.setColour (bandColours[b]);
        g.fillEllipse (juce::Rectangle<float> (14.0f, 14.0f).withCentre (p));
        g.setColour (palette::background);
        g.setFont (fonts::label (10.5f).boldened());
        g.drawText (juce::String (b + 1), juce::Rectangle<float> (14.0f, 14.0f).withCentre (p), juce::Justification::centred);
        if (b == selectedBand)
        {
            g.setColour (palette::text);
            g.drawEllipse (juce::Rectangle<float> (20.0f, 20.0f).withCentre (p), 1.5f);
        }
    }

    if (reductionDb > 0.05f)
    {
        g.setColour (palette::warning);
        g.setFont (fonts::label (13.0f));
        g.drawText (
            "dynamic  -" + formatDb (reductionDb) + " dB", curveArea.reduced (8).toNearestInt(), juce::Justification::topRight);
    }
}

void EqualiserEditor::computeCurves()
{
    curveRevision = workstation.editor().revision();
    curveBounds = curveArea;
    std::array<dsp::EqBand, numBands> bands;
    for (int b = 0; b < numBands; ++b)
    {
        auto& band = bands[(size_t) b];
        band.type = (dsp::EqBandType) (int) value (bandParameter (b, eq::bandType));
        band.frequencyHz = value (bandParameter (b, eq::frequency));
        band.gainDb = value (bandParameter (b, eq::gain));
        band.q = value (bandParameter (b, eq::q));
        static const int slopes[] = { 6, 12, 18, 24, 36, 48 };
        band.slopeDbPerOctave = slopes[juce::jlimit (0, 5, (int) value (bandParameter (b, eq::slope)))];
    }
    const int points = juce::jmax (2, (int) curveArea.getWidth() / 2);
    std::vector<double> sum ((size_t) points, 0.0);
    for (int b = 0; b < numBands; ++b)
    {
        auto& path = bandCurves[(size_t) b];
        path.clear();
        if (bands[(size_t) b].type == dsp::EqBandType::off)
            continue;
        for (int i = 0; i < points; ++i)
        {
            const float x = curveArea.getX() + (float) i * curveArea.getWidth() / (float) (points - 1);
            const double db = dsp::analogMagnitudeDb (bands[(size_t) b], axis.frequencyAt (x));
            sum[(size_t) i] += db;
            const float y = yOf ((float) juce::jlimit (-rangeDb - 6.0, rangeDb + 6.0, db));
            i == 0 ? path.startNewSubPath (x, y) : path.lineTo (x, y);
        }
    }
    totalCurve.clear();
    for (int i = 0; i < points; ++i)
    {
        const float x = curveArea.getX() + (float) i * curveArea.getWidth() / (float) (points - 1);
        const float y = yOf ((float) juce::jlimit (-rangeDb - 6.0, rangeDb + 6.0, sum[(size_t) i]));
        i == 0 ? totalCurve.startNewSubPath (x, y) : totalCurve.lineTo (x, y);
    }
}

void EqualiserEditor::resized()
{
    auto area = getLocalBounds().reduced (10).withTrimmedTop (20);
    auto controls = area.removeFromBottom (112);
    auto selector = area.removeFromBottom (30).reduced (0, 3);
    curveArea = area.reduced (0, 4).toFloat();
    axis.area = curveArea;
    for (auto& button : bandButtons)
        button.setBounds (selector.removeFromLeft (34).reduced (2, 0));
    selector.removeFromLeft (12);
    auto globals = controls.removeFromRight (170);
    knobs.layOutRow (globals.withHeight (104));
    bandKnobs[(size_t) selectedBand]->layOutRow (controls.withHeight (104));
}

void EqualiserEditor::mouseDown (const juce::MouseEvent& e)
{
    if (! curveArea.contains (e.position))
        return;
    draggedBand = bandAt (e.position);
    if (draggedBand >= 0)
        selectBand (draggedBand);
}

void EqualiserEditor::mouseDrag (const juce::MouseEvent& e)
{
    if (draggedBand < 0)
        return;
    // Shift: fine (a tenth of the movement), as on every control.
    auto target = e.position;
    if (e.mods.isShiftDown())
        target = e.mouseDownPosition + (e.position - e.mouseDownPosition) * 0.1f;
    const auto& node = nodeParameters[(size_t) draggedBand];
    workstation.setParameter (id, node.frequency, (float) axis.frequencyAt (target.x));
    if (hasGain ((int) value (bandParameter (draggedBand, eq::bandType))))
        workstation.setParameter (id, node.gain, dbAt (target.y));
}

void EqualiserEditor::mouseUp (const juce::MouseEvent&)
{
    if (draggedBand >= 0)
        workstation.endGesture();
    draggedBand = -1;
}

void EqualiserEditor::mouseDoubleClick (const juce::MouseEvent& e)
{
    if (! curveArea.contains (e.position))
        return;
    const int band = bandAt (e.position);
    if (band >= 0)
    {
        workstation.setParameter (id, bandParameter (band, eq::bandType), 0.0f); // off
        workstation.endGesture();
        return;
    }
    // Double-click on empty curve: the first free band becomes a bell there.
    for (int b = 0; b < numBands; ++b)
        if (! bandIsOn (b))
        {
            workstation.setParameter (id, bandParameter (b, eq::bandType), 1.0f);
            workstation.setParameter (id, bandParameter (b, eq::frequency), (float) axis.frequencyAt (e.position.x));
            workstation.setParameter (id, bandParameter (b, eq::gain), dbAt (e.position.y));
            workstation.endGesture();
            selectBand (b);
            return;
        }
}

void EqualiserEditor::mouseWheelMove (const juce::MouseEvent& e, const juce::MouseWheelDetails& wheel)
{
    const int band = bandAt (e.position);
    if (band < 0)
        return;
    const float step = e.mods.isShiftDown() ? 0.02f : 0.15f;
    const float q = value (bandParameter (band, eq::q)) * std::exp ((wheel.deltaY > 0 ? 1.0f : -1.0f) * step);
    workstation.setParameter (id, bandParameter (band, eq::q), q);
}

} // namespace crest::app
