// Crest Test Gain: a gain with a latency parameter, as a VST3 plugin, for Crest's plugin tests.
//
// It reports N samples of latency (the "Latency" parameter, read at prepare) and delays its
// output by exactly N, so a host that compensates latency gets an impulse back where it went
// in. "Gain" is in dB and applies from the start of each block (no smoothing: the test checks
// the level to 0.01 dB). State is JUCE's parameter state (XML), so a saved and restored plugin
// gives the same output.

#include <juce_audio_processors/juce_audio_processors.h>

namespace
{
class TestGainProcessor final : public juce::AudioProcessor
{
public:
    TestGainProcessor()
        : AudioProcessor (BusesProperties()
                              .withInput ("Input", juce::AudioChannelSet::stereo(), true)
                              .withOutput ("Output", juce::AudioChannelSet::stereo(), true))
    {
        addParameter (gain = new juce::AudioParameterFloat (
                          juce::ParameterID ("gain", 1), "Gain", juce::NormalisableRange<float> (-24.0f, 24.0f), 0.0f, "dB"));
        addParameter (
            latency = new juce::AudioParameterInt (juce::ParameterID ("latency", 1), "Latency", 0, maxLatency, 0, "samples"));
    }

    const juce::String getName() const override { return "CrestTestGain"; }
    bool acceptsMidi() const override { return false; }
    bool producesMidi() const override { return false; }
    double getTailLengthSeconds() const override { return 0.0; }
    int getNumPrograms() override { return 1; }
    int getCurrentProgram() override { return 0; }
    void setCurrentProgram (int) override { }
    const juce::String getProgramName (int) override { return {}; }
    void changeProgramName (int, const juce::String&) override { }
    bool hasEditor() const override { return true; }
    juce::AudioProcessorEditor* createEditor() override { return new juce::GenericAudioProcessorEditor (*this); }

    bool isBusesLayoutSupported (const BusesLayout& layouts) const override
    {
        return layouts.getMainInputChannelSet() == juce::AudioChannelSet::stereo()
            && layouts.getMainOutputChannelSet() == juce::AudioChannelSet::stereo();
    }

    void prepareToPlay (double, int) override
    {
        delaySamples = latency->get();
        setLatencySamples (delaySamples);
        line.setSize (2, maxLatency + 1);
        reset();
    }

    void releaseResources() override { }

    void reset() override
    {
        line.clear();
        writeAt = 0;
    }

    void processBlock (juce::AudioBuffer<float>& buffer, juce::MidiBuffer&) override
    {
        const float g = juce::Decibels::decibelsToGain (gain->get(), -1000.0f);
        const int n = buffer.getNumSamples(), size = line.getNumSamples();
        for (int ch = 0; ch < juce::jmin (2, buffer.getNumChannels()); ++ch)
        {
            auto* x = buffer.getWritePointer (ch);
            auto* d = line.getWritePointer (ch);
            int w = writeAt;
            for (int i = 0; i < n; ++i)
            {
                d[w] = x[i] * g;
                int r = w - delaySamples;
                if (r < 0)
                    r += size;
                x[i] = d[r];
                if (++w == size)
                    w = 0;
            }
        }
        writeAt = (writeAt + n) % size;
    }

    void getStateInformation (juce::MemoryBlock& destination) override
    {
        juce::XmlElement xml ("CrestTestGain");
        xml.setAttribute ("gain", (double) gain->get());
        xml.setAttribute ("latency", latency->get());
        copyXmlToBinary (xml, destination);
    }

    void setStateInformation (const void* data, int size) override
    {
        if (auto xml = getXmlFromBinary (data, size))
        {
            *gain = (float) xml->getDoubleAttribute ("gain", 0.0);
            *latency = xml->getIntAttribute ("latency", 0);
        }
    }

private:
    static constexpr int maxLatency = 4800;
    juce::AudioParameterFloat* gain = nullptr;
    juce::AudioParameterInt* latency = nullptr;
    juce::AudioBuffer<float> line;
    int delaySamples = 0, writeAt = 0;
};
} // namespace

juce::AudioProcessor* JUCE_CALLTYPE createPluginFilter()
{
    return new TestGainProcessor();
}
