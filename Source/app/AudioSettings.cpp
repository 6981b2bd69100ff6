#include "app/AudioSettings.h"

#include "app/CrestLookAndFeel.h"

namespace crest::app
{

AudioSettings::AudioSettings (juce::AudioDeviceManager& manager) : devices (manager)
{
    setName ("AudioSettings");
    const std::pair<juce::Label*, const char*> labels[] = { { &typeLabel, "Driver" }, { &deviceLabel, "Output device" },
        { &rateLabel, "Sample rate" }, { &bufferLabel, "Buffer size" } };
    for (auto [label, text] : labels)
    {
        label->setText (text, juce::dontSendNotification);
        label->setColour (juce::Label::textColourId, palette::textDim);
        addAndMakeVisible (label);
    }
    for (auto* box : { &typeBox, &deviceBox, &rateBox, &bufferBox })
    {
        box->onChange = [this, box]
        {
            if (updating)
                return;
            if (box == &typeBox)
            {
                devices.setCurrentAudioDeviceType (typeBox.getText(), true);
                refresh();
                return;
            }
            apply();
        };
        addAndMakeVisible (box);
    }
    testButton.onClick = [this] { devices.playTestSound(); };
    addAndMakeVisible (testButton);
    devices.addChangeListener (this);
    refresh();
    setSize (560, 300);
}

AudioSettings::~AudioSettings()
{
    devices.removeChangeListener (this);
}

void AudioSettings::changeListenerCallback (juce::ChangeBroadcaster*)
{
    refresh();
}

void AudioSettings::refresh()
{
    const juce::ScopedValueSetter<bool> quiet (updating, true);
    typeBox.clear (juce::dontSendNotification);
    int id = 1;
    for (auto* type : devices.getAvailableDeviceTypes())
        typeBox.addItem (type->getTypeName(), id++);
    if (devices.getCurrentAudioDeviceType().isEmpty() && ! devices.getAvailableDeviceTypes().isEmpty())
        devices.setCurrentAudioDeviceType (devices.getAvailableDeviceTypes()[0]->getTypeName(), false);
    typeBox.setText (devices.getCurrentAudioDeviceType(), juce::dontSendNotification);

    deviceBox.clear (juce::dontSendNotification);
    if (auto* type = devices.getCurrentDeviceTypeObject())
    {
        type->scanForDevices();
        deviceBox.addItemList (type->getDeviceNames (false), 1);
    }
    rateBox.clear (juce::dontSendNotification);
    bufferBox.clear (juce::dontSendNotification);
    auto* device = devices.getCurrentAudioDevice();
    if (device != nullptr)
    {
        deviceBox.setText (device->getName(), juce::dontSendNotification);
        for (double rate : device->getAvailableSampleRates())
            rateBox.addItem (juce::String ((int) rate) + " Hz", (int) rate);
        rateBox.setSelectedId ((int) device->getCurrentSampleRate(), juce::dontSendNotification);
        for (int size : device->getAvailableBufferSizes())
            bufferBox.addItem (juce::String (size) + " samples  ("
                    + juce::String (1000.0 * size / juce::jmax (1.0, device->getCurrentSampleRate()), 1) + " ms)",
                size);
        bufferBox.setSelectedId (device->getCurrentBufferSizeSamples(), juce::dontSendNotification);
        status = "Running: " + device->getName() + ", " + juce::String ((int) device->getCurrentSampleRate()) + " Hz, "
            + juce::String (device->getCurrentBufferSizeSamples()) + " samples.";
    }
    else
    {
        deviceBox.setText ("(none)", juce::dontSendNotification);
        status = "No device is open. Choose a driver and an output device.";
    }
    repaint();
}

void AudioSettings::apply()
{
    auto setup = devices.getAudioDeviceSetup();
    setup.outputDeviceName = deviceBox.getText();
    if (rateBox.getSelectedId() > 0)
        setup.sampleRate = rateBox.getSelectedId();
    if (bufferBox.getSelectedId() > 0)
        setup.bufferSize = bufferBox.getSelectedId();
    setup.useDefaultOutputChannels = true;
    const auto error = devices.setAudioDeviceSetup (setup, true);
    refresh();
    if (error.isNotEmpty())
        status = "Could not use that setting: " + error;
    repaint();
}

void AudioSettings::paint (juce::Graphics& g)
{
    auto area = drawPanel (g, getLocalBounds(), "Audio device");
    area.removeFromTop (4 * 36 + 62);
    g.setColour (palette::text);
    g.setFont (fonts::label (14.0f));
    g.drawFittedText (status, area.removeFromTop (40), juce::Justification::topLeft, 2);
    g.setColour (palette::textDim);
    g.setFont (fonts::label (13.0f));
    g.drawFittedText ("Crest processes at the session's rate; when the device runs at another rate, only the monitor "
                      "signal is converted for it, never the master. JACK needs a running server (jackd).",
        area, juce::Justification::topLeft, 3);
}

void AudioSettings::resized()
{
    auto area = getLocalBounds().reduced (14).withTrimmedTop (22);
    const std::pair<juce::Label*, juce::ComboBox*> rows[]
        = { { &typeLabel, &typeBox }, { &deviceLabel, &deviceBox }, { &rateLabel, &rateBox }, { &bufferLabel, &bufferBox } };
    for (auto [label, box] : rows)
    {
        auto row = area.removeFromTop (36);
        label->setBounds (row.removeFromLeft (130));
        box->setBounds (row.reduced (0, 4));
    }
    testButton.setBounds (area.removeFromTop (40).removeFromLeft (120).reduced (0, 6));
}

void AudioSettings::showDialog (juce::AudioDeviceManager& devices, juce::Component* parent)
{
    juce::DialogWindow::LaunchOptions options;
    options.content.setOwned (new AudioSettings (devices));
    options.dialogTitle = "Audio settings";
    options.dialogBackgroundColour = palette::panel;
    options.componentToCentreAround = parent;
    options.useNativeTitleBar = true;
    options.resizable = true;
    options.launchAsync();
}

} // namespace crest::app
