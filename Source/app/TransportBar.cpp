#include "app/TransportBar.h"

#include "app/CrestLookAndFeel.h"

#include <cmath>

namespace crest::app
{

namespace
{
    juce::String clock (double seconds)
    {
        seconds = juce::jmax (0.0, seconds);
        const int minutes = (int) (seconds / 60.0);
        const double rest = seconds - minutes * 60.0;
        return juce::String (minutes).paddedLeft ('0', 2) + ":" + juce::String (rest, 1).paddedLeft ('0', 4);
    }
} // namespace

TransportBar::TransportBar (Workstation& w) : workstation (w)
{
    setName ("TransportBar");
    playButton.setClickingTogglesState (false);
    playButton.onClick = [this] { togglePlay(); };
    stopButton.onClick = [this]
    {
        workstation.player().stop();
        workstation.player().seek (0);
    };
    homeButton.onClick = [this] { workstation.player().seek (0); };
    loopButton.setClickingTogglesState (true);
    loopButton.setTooltip ("Loop the track playing (Shift-drag on the overview for any region)");
    loopButton.onClick = [this]
    {
        auto& player = workstation.player();
        if (! loopButton.getToggleState())
        {
            player.setLoop (std::nullopt);
            return;
        }
        const int track = juce::jmax (0, player.currentTrack());
        if (track < (int) player.tracks().size())
        {
            const auto& t = player.tracks()[(size_t) track];
            player.setLoop (live::LoopRegion { t.start, t.start + t.length });
        }
    };
    settingsButton.onClick = [this]
    {
        if (onSettings)
            onSettings();
    };
    for (auto* b : { &homeButton, &playButton, &stopButton, &loopButton, &settingsButton })
        addAndMakeVisible (b);
    startTimerHz (20);
}

void TransportBar::togglePlay()
{
    auto& player = workstation.player();
    player.isPlaying() ? player.stop() : player.play();
}

bool TransportBar::handleKey (const juce::KeyPress& key)
{
    auto& player = workstation.player();
    const double rate = juce::jmax (1.0, player.sampleRate());
    const int code = key.getKeyCode();
    if (key.getModifiers().isCommandDown() || key.getModifiers().isAltDown())
        return false;
    if (code == juce::KeyPress::spaceKey)
        togglePlay();
    else if (code == juce::KeyPress::homeKey)
        player.seek (0);
    else if (code == juce::KeyPress::endKey)
        player.seek (juce::jmax<int64_t> (0, player.lengthSamples() - 1));
    else if (code == 'L' || code == 'l')
        loopButton.triggerClick();
    else if (code == juce::KeyPress::escapeKey)
        stopButton.triggerClick();
    else if (code == juce::KeyPress::leftKey || code == juce::KeyPress::rightKey)
    {
        const double step = (key.getModifiers().isShiftDown() ? 1.0 : 5.0) * (code == juce::KeyPress::leftKey ? -1.0 : 1.0);
        player.seek (juce::jmax<int64_t> (0, player.position() + (int64_t) (step * rate)));
    }
    else if (code == juce::KeyPress::upKey || code == juce::KeyPress::downKey)
    {
        const int count = (int) player.tracks().size();
        if (count > 0)
            player.jumpToTrack (juce::jlimit (0, count - 1, player.currentTrack() + (code == juce::KeyPress::upKey ? -1 : 1)));
    }
    else if (code >= '1' && code <= '9')
    {
        const int track = code - '1';
        if (track < (int) player.tracks().size())
            player.jumpToTrack (track);
    }
    else
        return false;
    return true;
}

void TransportBar::update()
{
    auto& player = workstation.player();
    const auto time = clock (player.positionSeconds()) + " / "
        + clock (player.sampleRate() > 0 ? (double) player.lengthSamples() / player.sampleRate() : 0.0);
    const int track = player.currentTrack();
    juce::String trackText;
    if (track >= 0 && track < (int) player.tracks().size())
        trackText = "Track " + juce::String (track + 1) + " of " + juce::String ((int) player.tracks().size()) + "   "
            + juce::String (player.tracks()[(size_t) track].title);
    playButton.setButtonText (player.isPlaying() ? "Pause" : "Play");
    playButton.setToggleState (player.isPlaying(), juce::dontSendNotification);
    if (time != shownTime || trackText != shownTrack)
    {
        shownTime = time;
        shownTrack = trackText;
        repaint();
    }
}

void TransportBar::paint (juce::Graphics& g)
{
    g.fillAll (palette::panel);
    auto area = getLocalBounds().reduced (12, 4);
    area.removeFromLeft (4 * 70 + 10);
    area.removeFromRight (120);
    g.setColour (palette::text);
    g.setFont (fonts::figure (30.0f));
    g.drawText (shownTime, area.removeFromLeft (300), juce::Justification::centredLeft);
    g.setColour (palette::textDim);
    g.setFont (fonts::label (16.0f));
    g.drawText (shownTrack, area, juce::Justification::centredLeft);
}

void TransportBar::resized()
{
    auto area = getLocalBounds().reduced (12, 10);
    for (auto* b : { &homeButton, &playButton, &stopButton, &loopButton })
    {
        b->setBounds (area.removeFromLeft (64));
        area.removeFromLeft (6);
    }
    settingsButton.setBounds (area.removeFromRight (110));
}

} // namespace crest::app
