#pragma once

// The audio device settings window.
//
// Design note: choosing a device reopens it through the Workstation's juce::AudioDeviceManager
// on the message thread; the player keeps running the engine at the programme's rate and
// converts to the device's rate only on the monitor path, so a device change never changes
// what a render would produce.

#include <juce_audio_devices/juce_audio_devices.h>
#include <juce_gui_basics/juce_gui_basics.h>

namespace crest::app
{

/** The audio device settings: driver (ALSA or JACK), output device, sample rate and buffer
    size, and what the device manager says when a choice fails.

    JUCE's AudioDeviceSelectorComponent lives in juce_audio_utils, which would pull the whole
    plugin-hosting module (juce_audio_processors) into Crest for one panel; these four menus on
    AudioDeviceManager are all a mastering monitor needs. */
class AudioSettings : public juce::Component, private juce::ChangeListener
{
public:
    explicit AudioSettings (juce::AudioDeviceManager&);
    ~AudioSettings() override;

    void paint (juce::Graphics&) override;
    void resized() override;

    /** Opens the settings in a dialog window over `parent`. */
    static void showDialog (juce::AudioDeviceManager&, juce::Component* parent);

private:
    void changeListenerCallback (juce::ChangeBroadcaster*) override;
    void refresh();
    void apply();

    juce::AudioDeviceManager& devices;
    juce::ComboBox typeBox, deviceBox, rateBox, bufferBox;
    juce::Label typeLabel, deviceLabel, rateLabel, bufferLabel;
    juce::TextButton testButton { "Test tone" };
    juce::String status;
    bool updating = false;
};

} // namespace crest::app
