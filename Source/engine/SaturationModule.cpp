#include "engine/SaturationModule.h"

namespace crest::engine
{
namespace
{
    ParameterSpec continuous (const char* id, const char* name, const char* unit, float lo, float hi, float def)
    {
        ParameterSpec s;
        s.id = id;
        s.name = name;
        s.unit = unit;
        s.minimum = lo;
        s.maximum = hi;
        s.defaultValue = def;
        return s;
    }

    ParameterSpec choice (const char* id, const char* name, std::vector<std::string> choices)
    {
        auto s = continuous (id, name, "", 0.0f, (float) choices.size() - 1.0f, 0.0f);
        s.kind = ParameterKind::choice;
        s.choices = std::move (choices);
        return s;
    }
} // namespace

SaturationModule::SaturationModule()
    : character (addParameter (choice ("character", "Character", { "tape", "tube" }))),
      driveDb (addParameter (continuous ("drive_db", "Drive", "dB", 0.0f, 24.0f, 0.0f))),
      mixPct (addParameter (continuous ("mix_pct", "Mix", "%", 0.0f, 100.0f, 100.0f))),
      outputDb (addParameter (continuous ("output_db", "Output", "dB", -24.0f, 24.0f, 0.0f)))
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
