#include "engine/SaturationModule.h"

#include <juce_audio_basics/juce_audio_basics.h>

namespace crest::engine
{
namespace
{
    using specs::choice;
    using specs::number;
} // namespace

const ParameterTable& SaturationModule::parameterSpecs()
{
    namespace id = ids::saturation;
    static const ParameterTable table ({
        choice (id::character, "Character", { "tape", "tube" }, 0),
        number (id::drive, "Drive", "dB", 0.0f, 24.0f, 0.0f),
        number (id::mix, "Mix", "%", 0.0f, 100.0f, 100.0f),
        number (id::output, "Output", "dB", -24.0f, 24.0f, 0.0f),
    });
    return table;
}

SaturationModule::SaturationModule()
    : Module (parameterSpecs()), character (parameter (ids::saturation::character)), driveDb (parameter (ids::saturation::drive)),
      mixPct (parameter (ids::saturation::mix)), outputDb (parameter (ids::saturation::output))
{
}

void SaturationModule::pushParameters() noexcept
{
    saturator.setCharacter (character.getIndex() == 1 ? dsp::Saturator::Character::tube : dsp::Saturator::Character::tape);
    saturator.setDriveDb (driveDb.get());
    saturator.setMix (mixPct.get() * 0.01f);
    saturator.setOutputDb (outputDb.get());
}

void SaturationModule::prepare (double sampleRate, int maxBlockSize)
{
    pushParameters();
    saturator.prepare (sampleRate, maxBlockSize);
}

void SaturationModule::reset() noexcept
{
    pushParameters();
    saturator.reset();
}

void SaturationModule::process (float* left, float* right, int numSamples) noexcept
{
    // Tails decay through the denormal range; flush them here, as the equaliser does, so the
    // module is as fast and as clean alone as inside a chain (which flushes too).
    juce::ScopedNoDenormals noDenormals;
    pushParameters();
    saturator.process (left, right, numSamples);
}

} // namespace crest::engine
