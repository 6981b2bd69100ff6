#include "live/ChainMeters.h"

#include "live/LiveMeter.h"

namespace crest::live
{

ChainMeters::ChainMeters()
    : inputMeter (std::make_unique<LiveMeter>()), outputMeter (std::make_unique<LiveMeter>()),
      inputSnapshots (std::make_unique<MeterSnapshotBuffer>()), outputSnapshots (std::make_unique<MeterSnapshotBuffer>())
{
}

ChainMeters::~ChainMeters() = default;

void ChainMeters::prepare (double sampleRate, int maxBlockSize)
{
    inputMeter->prepare (sampleRate, maxBlockSize);
    outputMeter->prepare (sampleRate, maxBlockSize);
}

void ChainMeters::measureInput (const float* left, const float* right, int n) noexcept
{
    inputMeter->process (left, right, n, *inputSnapshots);
}

void ChainMeters::measureOutput (const float* left, const float* right, int n) noexcept
{
    const auto steps = outputMeter->loudness().stepsCompleted();
    outputMeter->process (left, right, n, *outputSnapshots);
    if (outputMeter->loudness().stepsCompleted() != steps)
    {
        // Integrated loudness is a histogram walk: refreshed at the meter's 10 Hz, not per block.
        const auto integrated = outputMeter->loudness().integratedLufs();
        if (integrated)
            outputIntegratedLufs.store ((float) *integrated, std::memory_order_relaxed);
        outputHasIntegrated.store (integrated.has_value(), std::memory_order_relaxed);
        outputTruePeakDb.store (outputMeter->truePeakMaxDb(), std::memory_order_relaxed);
    }
}

MasterReading ChainMeters::master() const noexcept
{
    MasterReading reading;
    reading.loudness = &outputMeter->loudness();
    if (outputHasIntegrated.load (std::memory_order_relaxed))
        reading.integratedLufs = outputIntegratedLufs.load (std::memory_order_relaxed);
    reading.truePeakDb = outputTruePeakDb.load (std::memory_order_relaxed);
    return reading;
}

std::optional<float> ChainMeters::masterIntegratedLufs() const noexcept
{
    if (! outputHasIntegrated.load())
        return std::nullopt;
    return outputIntegratedLufs.load();
}

void ChainMeters::requestReset() noexcept
{
    inputMeter->requestReset();
    outputMeter->requestReset();
}

void ChainMeters::setClipThreshold (float dbtp) noexcept
{
    inputMeter->setClipThreshold (dbtp);
    outputMeter->setClipThreshold (dbtp);
}

void ChainMeters::setSpectrumOptions (float averaging, float slope, float peakFall) noexcept
{
    inputMeter->setSpectrumOptions (averaging, slope, peakFall);
    outputMeter->setSpectrumOptions (averaging, slope, peakFall);
}

} // namespace crest::live
