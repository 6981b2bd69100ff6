#include "app/TranslationPanel.h"

#include "app/CrestLookAndFeel.h"
#include "app/ModuleEditor.h"

namespace crest::app
{

TranslationPanel::TranslationPanel (Workstation& w) : workstation (w)
{
    setName ("TranslationPanel");
    auto* off = translationButtons.add (new juce::TextButton ("Off"));
    off->onClick = [this] { choose (live::Translation::off); };
    for (auto t : live::allTranslations)
    {
        auto* b = translationButtons.add (new juce::TextButton (live::translationName (t)));
        b->onClick = [this, t] { choose (t); };
    }
    for (auto* b : translationButtons)
    {
        b->setRadioGroupId (1);
        b->setClickingTogglesState (true);
        addAndMakeVisible (b);
    }
    off->setToggleState (true, juce::dontSendNotification);
    levelMatch.setToggleState (true, juce::dontSendNotification);
    levelMatch.onClick = [this] { workstation.player().translation().setLevelMatch (levelMatch.getToggleState()); };

    int id = 1;
    for (const auto& rule : live::platformRules())
        platformBox.addItem (
            rule.platform == live::Platform::none ? juce::String ("No platform") : juce::String (rule.name), id++);
    for (size_t i = 0; i < live::platformRules().size(); ++i)
        if (live::platformRules()[i].platform == workstation.platform)
            platformBox.setSelectedItemIndex ((int) i, juce::dontSendNotification);
    platformBox.onChange = [this] { applyPlatform(); };
    preview.onClick = [this] { applyPlatform(); };
    for (auto* s : { &customLufs, &customCeiling })
    {
        s->setSliderStyle (juce::Slider::LinearHorizontal);
        s->setTextBoxStyle (juce::Slider::TextBoxRight, false, 90, 22);
        s->onValueChange = [this] { applyPlatform(); };
    }
    customLufs.setRange (-24.0, -6.0, 0.1);
    customLufs.setValue (-14.0, juce::dontSendNotification);
    customLufs.setTextValueSuffix (" LUFS");
    customCeiling.setRange (-6.0, 0.0, 0.1);
    customCeiling.setValue (-1.0, juce::dontSendNotification);
    customCeiling.setTextValueSuffix (" dBTP");
    for (auto* c : std::initializer_list<juce::Component*> { &levelMatch, &preview, &platformBox, &customLufs, &customCeiling })
        addAndMakeVisible (c);
    customLufs.setEnabled (workstation.platform == live::Platform::custom);
    customCeiling.setEnabled (workstation.platform == live::Platform::custom);
    startTimerHz (5);
}

void TranslationPanel::choose (live::Translation t)
{
    workstation.player().setTranslation (t);
    int index = 0;
    for (size_t i = 0; i < live::allTranslations.size(); ++i)
        if (live::allTranslations[i] == t)
            index = (int) i + 1;
    translationButtons[index]->setToggleState (true, juce::dontSendNotification);
    repaint();
}

void TranslationPanel::applyPlatform()
{
    const auto index = platformBox.getSelectedItemIndex();
    if (index < 0)
        return;
    workstation.platform = live::platformRules()[(size_t) index].platform;
    workstation.player().setPlatformPreview (preview.getToggleState() ? workstation.platform : live::Platform::none,
        customLufs.getValue(), customCeiling.getValue());
    const bool custom = workstation.platform == live::Platform::custom;
    customLufs.setEnabled (custom);
    customCeiling.setEnabled (custom);
    repaint();
}

void TranslationPanel::timerCallback()
{
    repaint (getLocalBounds().removeFromBottom (56));
}

juce::String TranslationPanel::platformGainText() const
{
    const auto& rule = live::platformRule (workstation.platform);
    const auto& out = workstation.outputMeters();
    if (rule.platform == live::Platform::none)
        return {};
    if (! out.integratedLufs)
        return "Play the master to measure its integrated loudness.";
    const double peak = juce::jmax (out.truePeakMaxDb[0], out.truePeakMaxDb[1]);
    auto r = rule;
    if (rule.platform == live::Platform::custom)
    {
        r.targetLufs = customLufs.getValue();
        r.headroomDbtp = customCeiling.getValue();
    }
    const auto gain = live::platformGain (r, *out.integratedLufs, peak);
    return juce::String (rule.name) + " would play this master at " + (gain.gainDb >= 0 ? "+" : "") + formatDb (gain.gainDb)
        + " dB  (" + formatDb (gain.resultingLufs) + " LUFS, peaks " + formatDb (gain.resultingPeakDbtp) + " dBTP)"
        + (gain.limited ? ", turn-up limited by its headroom rule" : "") + (gain.limiterEngages ? ", its limiter engages" : "");
}

void TranslationPanel::paint (juce::Graphics& g)
{
    auto area = drawPanel (g, getLocalBounds(), "Translation checks and platforms  (monitor only, never rendered)");
    juce::ignoreUnused (area);

    // The selected simulation's filter response, as documented in MonitorTranslation.h.
    const auto t = workstation.player().translation().translation();
    FrequencyAxis axis { responseArea.toFloat() };
    g.setColour (palette::background);
    g.fillRect (responseArea);
    axis.drawGrid (g);
    const float range = 30.0f;
    auto yOf = [&] (double db)
    {
        return juce::jmap (
            (float) juce::jlimit ((double) -range, 12.0, db), 12.0f, -range, axis.area.getY(), axis.area.getBottom() - 14.0f);
    };
    g.setColour (palette::outline);
    g.drawHorizontalLine ((int) yOf (0.0), axis.area.getX(), axis.area.getRight());
    if (t != live::Translation::off)
    {
        juce::Path path;
        const double rate = juce::jmax (44100.0, workstation.player().sampleRate());
        for (int x = 0; x < responseArea.getWidth(); ++x)
        {
            const float px = (float) (responseArea.getX() + x);
            const float y = yOf (live::MonitorTranslation::magnitudeDb (t, rate, axis.frequencyAt (px)));
            x == 0 ? path.startNewSubPath (px, y) : path.lineTo (px, y);
        }
        g.setColour (palette::accent);
        g.strokePath (path, juce::PathStrokeType (2.0f));
        g.setColour (palette::textDim);
        g.setFont (fonts::label (12.0f));
        g.drawText (juce::String (live::translationName (t)) + ": filter response"
                + ((t == live::Translation::mono || t == live::Translation::phone || t == live::Translation::club)
                        ? ", summed to mono"
                        : "")
                + (levelMatch.getToggleState()
                        ? ", level-matched (" + formatDb (workstation.player().translation().matchGainDb()) + " dB)"
                        : ""),
            responseArea.reduced (6).toNearestInt(), juce::Justification::topLeft);
    }
    else
    {
        g.setColour (palette::textDim);
        g.setFont (fonts::label (13.0f));
        g.drawText ("No simulation: the monitors hear the master as it is.", responseArea, juce::Justification::centred);
    }

    g.setColour (palette::text);
    g.setFont (fonts::label (15.0f));
    g.drawFittedText (
        platformGainText(), getLocalBounds().reduced (12).removeFromBottom (40), juce::Justification::centredLeft, 2);
}

void TranslationPanel::resized()
{
    auto area = getLocalBounds().reduced (8, 6).withTrimmedTop (22);
    auto buttons = area.removeFromTop (36);
    for (auto* b : translationButtons)
        b->setBounds (
            buttons.removeFromLeft (juce::jmin (130, buttons.getWidth() / juce::jmax (1, translationButtons.size()) + 20))
                .reduced (2));
    levelMatch.setBounds (area.removeFromTop (28).removeFromLeft (200));
    area.removeFromBottom (44);
    auto platforms = area.removeFromBottom (96);
    responseArea = area.reduced (0, 6);
    auto row = platforms.removeFromTop (32);
    platformBox.setBounds (row.removeFromLeft (240).reduced (2));
    preview.setBounds (row.removeFromLeft (320).reduced (6, 2));
    customLufs.setBounds (platforms.removeFromTop (30).removeFromLeft (420));
    customCeiling.setBounds (platforms.removeFromTop (30).removeFromLeft (420));
}

} // namespace crest::app
