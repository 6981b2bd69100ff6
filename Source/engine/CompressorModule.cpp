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

CompressorModule::CompressorModule()
    : threshold (addParameter (number ("threshold_db", "Threshold", "dB", -60.0f, 0.0f, -18.0f))),
      ratio (addParameter (number ("ratio", "Ratio", ":1", 1.0f, 20.0f, 1.0f))),
      knee (addParameter (number ("knee_db", "Knee", "dB", 0.0f, 24.0f, 6.0f))),
      attack (addParameter (number ("attack_ms", "Attack", "ms", 0.1f, 300.0f, 10.0f))),
      release (addParameter (number ("release_ms", "Release", "ms", 5.0f, 3000.0f, 150.0f))),
      autoRelease (addParameter (toggle ("auto_release", "Auto release"))),
      makeup (addParameter (number ("makeup_db", "Makeup gain", "dB", -12.0f, 24.0f, 0.0f))),
      detection (addParameter (choice ("detection", "Detection", { "peak", "rms" }, 0))),
      stereoLink (addParameter (number ("stereo_link_pct", "Stereo link", "%", 0.0f, 100.0f, 100.0f))),
      mode (addParameter (choice ("mode", "Channels", { "stereo", "mid_side" }, 0))),
      sidechainHighPass (addParameter (number ("sidechain_hpf_hz", "Side-chain high-pass (0 = off)", "Hz", 0.0f, 300.0f, 0.0f))),
      mix (addParameter (number ("mix_pct", "Mix", "%", 0.0f, 100.0f, 100.0f)))
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
