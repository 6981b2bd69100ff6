#include "engine/SaturationModule.h"

namespace crest::engine
{
namespace
{
    using specs::choice;
    using specs::number;
} // namespace

SaturationModule::SaturationModule()
    : character (addParameter (choice ("character", "Character", { "tape", "tube" }, 0))),
      driveDb (addParameter (number ("drive_db", "Drive", "dB", 0.0f, 24.0f, 0.0f))),
      mixPct (addParameter (number ("mix_pct", "Mix", "%", 0.0f, 100.0f, 100.0f))),
      outputDb (addParameter (number ("output_db", "Output", "dB", -24.0f, 24.0f, 0.0f)))
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
    pushParameters();
    saturator.process (left, right, numSamples);
}

} // namespace crest::engine
