#include "engine/CompressorModule.h"

#include <string>
#include <vector>

namespace crest::engine
{
namespace
{
    using specs::choice;
    using specs::number;
    using specs::toggle;
} // namespace

const ParameterTable& CompressorModule::parameterSpecs()
{
    namespace id = ids::compressor;
    static const ParameterTable table ({
        number (id::threshold, "Threshold", "dB", -60.0f, 0.0f, -18.0f),
        number (id::ratio, "Ratio", ":1", 1.0f, 20.0f, 1.0f),
        number (id::knee, "Knee", "dB", 0.0f, 24.0f, 6.0f),
        number (id::attack, "Attack", "ms", 0.1f, 300.0f, 10.0f),
        number (id::release, "Release", "ms", 5.0f, 3000.0f, 150.0f),
        toggle (id::autoRelease, "Auto release"),
        number (id::makeup, "Makeup gain", "dB", -12.0f, 24.0f, 0.0f),
        choice (id::detection, "Detection", { "peak", "rms" }, 0),
        number (id::stereoLink, "Stereo link", "%", 0.0f, 100.0f, 100.0f),
        choice (id::mode, "Channels", { "stereo", "mid_side" }, 0),
        number (id::sidechainHighPass, "Side-chain high-pass (0 = off)", "Hz", 0.0f, 300.0f, 0.0f),
        number (id::mix, "Mix", "%", 0.0f, 100.0f, 100.0f),
    });
    return table;
}

CompressorModule::CompressorModule()
    : Module (parameterSpecs()), threshold (parameter (ids::compressor::threshold)), ratio (parameter (ids::compressor::ratio)),
      knee (parameter (ids::compressor::knee)), attack (parameter (ids::compressor::attack)),
      release (parameter (ids::compressor::release)), autoRelease (parameter (ids::compressor::autoRelease)),
      makeup (parameter (ids::compressor::makeup)), detection (parameter (ids::compressor::detection)),
      stereoLink (parameter (ids::compressor::stereoLink)), mode (parameter (ids::compressor::mode)),
      sidechainHighPass (parameter (ids::compressor::sidechainHighPass)), mix (parameter (ids::compressor::mix))
{
}

dsp::DynamicsSettings CompressorModule::currentSettings() const noexcept
{
    dsp::DynamicsSettings s;
    s.thresholdDb = threshold.get();
    s.ratio = ratio.get();
    s.kneeDb = knee.get();
    s.attackMs = attack.get();
    s.releaseMs = release.get();
    s.autoRelease = autoRelease.getIndex() != 0;
    s.makeupDb = makeup.get();
    s.detection = detection.getIndex() == 1 ? dsp::DetectionMode::rms : dsp::DetectionMode::peak;
    s.stereoLinkPct = stereoLink.get();
    s.stereoMode = mode.getIndex() == 1 ? dsp::StereoMode::midSide : dsp::StereoMode::stereo;
    s.sidechainHighPassHz = sidechainHighPass.get();
    s.mixPct = mix.get();
    return s;
}

void CompressorModule::prepare (double sampleRate, int)
{
    processor.prepare (sampleRate, currentSettings());
    reduction.store (0.0f, std::memory_order_relaxed);
}

void CompressorModule::reset() noexcept
{
    processor.setSettings (currentSettings());
    processor.reset();
    reduction.store (0.0f, std::memory_order_relaxed);
}

void CompressorModule::process (float* left, float* right, int numSamples) noexcept
{
    processor.setSettings (currentSettings());
    processor.process (left, right, numSamples);
    reduction.store (processor.gainReductionDb(), std::memory_order_relaxed);
}

} // namespace crest::engine
