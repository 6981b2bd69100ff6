#include "live/SessionPlayer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <thread>

namespace crest::live
{

namespace
{
    constexpr double readAheadSeconds = 0.5;
}

SessionPlayer::SessionPlayer()
    : diskThread (std::make_unique<juce::TimeSliceThread> ("Crest disk reader")), transport (*diskThread, retired),
      chainHost (std::make_unique<ChainHost>()), references (*diskThread, retired)
{
    diskThread->startThread();
}

SessionPlayer::~SessionPlayer()
{
    diskThread->stopThread (2000);
}

// ------------------------------------------------------------------------------- setup

/** Holds the audio thread off the engine while the message thread rebuilds it. The audio
    thread announces each block (inBlock) and checks `suspended` after; this side sets
    `suspended` and then waits for any block in progress to finish (sequentially consistent
    atomics: one of the two always sees the other). */
struct SessionPlayer::Suspension
{
    explicit Suspension (SessionPlayer& p) : player (p)
    {
        player.suspended.store (true);
        for (int i = 0; player.inBlock.load() && i < 2000; ++i)
            std::this_thread::sleep_for (std::chrono::microseconds (500));
    }
    ~Suspension() { player.suspended.store (false); }
    SessionPlayer& player;
};

void SessionPlayer::prepare (double deviceSampleRate, int maxBlock)
{
    const Suspension suspension (*this);
    deviceRate = deviceSampleRate;
    deviceBlock = std::max (1, maxBlock);
    const auto* programme = transport.programme();
    prepareEngine (programme != nullptr ? programme->sampleRate() : deviceRate);
}

void SessionPlayer::prepareEngine (double engineRate)
{
    rate = engineRate;
    blockSize = deviceBlock;
    deviceConverter.prepare (rate, deviceRate, deviceBlock, blockSize);

    chainHost = std::make_unique<ChainHost>();
    chainHost->prepare (rate, blockSize);
    if (chainDescription)
    {
        std::string error;
        if (! chainHost->setChain (*chainDescription, error))
            errorText = "chain: " + error;
    }

    transport.prepare (rate);
    meters.prepare (rate, blockSize);
    monitor.prepare (rate, blockSize);
    for (auto* v : { &masterLeft, &masterRight, &monoLeft, &monoRight })
        v->assign ((size_t) blockSize, 0.0f);
    if (const auto warning = references.prepare (rate, blockSize); ! warning.empty())
        errorText = warning;
}

bool SessionPlayer::openProgramme (ProgrammeLayout layout, std::string& error)
{
    if (layout.stream == nullptr)
        return false;
    const double programmeRate = layout.stream->sampleRate();
    if (deviceRate > 0.0 && std::abs (programmeRate - rate) > 0.5)
    {
        // The engine follows the programme's rate: rebuild it there, with audio held off.
        const Suspension suspension (*this);
        transport.setProgramme (std::move (layout.stream), std::move (layout.tracks));
        meters.requestReset();
        prepareEngine (programmeRate);
    }
    else
    {
        transport.setProgramme (std::move (layout.stream), std::move (layout.tracks));
        meters.requestReset();
    }
    errorText.clear();
    return true;
}

bool SessionPlayer::loadSession (const session::Session& sessionToLoad, const std::string& sessionFolder, std::string& error)
{
    auto resolved = sessionToLoad;
    for (auto& track : resolved.tracks)
        track.source = resolvePath (track.source, sessionFolder);
    if (! openProgramme (layOutSession (resolved, readAheadSeconds, error), error))
        return false;

    if (! setChain (sessionToLoad.chain, error))
        return false;
    clearReferences();
    for (const auto& reference : sessionToLoad.references)
    {
        std::string why;
        if (addReference (reference, sessionFolder, why) < 0)
            errorText = why; // a missing reference does not stop the album from playing
    }
    return true;
}

bool SessionPlayer::loadFile (const std::string& path, std::string& error)
{
    return openProgramme (layOutFile (path, readAheadSeconds, error), error);
}

void SessionPlayer::setLoop (std::optional<LoopRegion> region) noexcept
{
    references.setLoop (transport.setLoop (region));
}

bool SessionPlayer::setChain (const engine::ChainDescription& description, std::string& error)
{
    if (rate > 0.0 && ! chainHost->setChain (description, error))
        return false;
    chainDescription = description;
    return true;
}

void SessionPlayer::collectGarbage()
{
    chainHost->collectGarbage();
    retired.collect();
}

int SessionPlayer::addReference (const session::Reference& reference, const std::string& sessionFolder, std::string& error)
{
    return references.add (reference, sessionFolder, position(), transport.loop(), error);
}

void SessionPlayer::clearReferences()
{
    references.clear();
}

bool SessionPlayer::waitUntilBuffered (int timeoutMs)
{
    const auto deadline = juce::Time::getMillisecondCounter() + (juce::uint32) timeoutMs;
    const int wanted = (int) (0.25 * (rate > 0.0 ? rate : 48000.0));
    for (;;)
    {
        const auto* programme = transport.programme();
        if ((programme == nullptr || programme->isBuffered (wanted)) && references.isBuffered (wanted))
            return true;
        if (juce::Time::getMillisecondCounter() > deadline)
            return false;
        juce::Thread::sleep (1);
    }
}

// ------------------------------------------------------------------------------- audio thread

template <typename Render>
void SessionPlayer::runUnlessSuspended (float* left, float* right, int numSamples, Render&& render) noexcept
{
    inBlock.store (true);
    if (suspended.load() || rate <= 0.0 || blockSize <= 0)
    {
        std::fill (left, left + numSamples, 0.0f);
        std::fill (right, right + numSamples, 0.0f);
    }
    else
    {
        render (left, right, numSamples);
    }
    inBlock.store (false);
}

void SessionPlayer::processBlock (float* left, float* right, int numSamples) noexcept
{
    runUnlessSuspended (left, right, numSamples, [this] (float* l, float* r, int n) noexcept { renderBlock (l, r, n); });
}

void SessionPlayer::renderForDevice (float* left, float* right, int numSamples) noexcept
{
    runUnlessSuspended (left, right, numSamples,
        [this] (float* l, float* r, int n) noexcept
        { deviceConverter.process (l, r, n, [this] (float* el, float* er, int en) noexcept { renderBlock (el, er, en); }); });
}

void SessionPlayer::renderBlock (float* left, float* right, int numSamples) noexcept
{
    for (int done = 0; done < numSamples;)
    {
        const int n = std::min (blockSize, numSamples - done);
        processSubBlock (left + done, right + done, n);
        done += n;
    }
    retired.blockDone();
}

void SessionPlayer::processSubBlock (float* left, float* right, int n) noexcept
{
    float* ml = masterLeft.data();
    float* mr = masterRight.data();

    // the master: programme, input meter, chain, output meter
    const auto played = transport.process (ml, mr, n);
    if (played.sounding)
        meters.measureInput (ml, mr, n);
    chainHost->process (ml, mr, n);
    if (played.sounding)
        meters.measureOutput (ml, mr, n);
    const auto masterReading = meters.master();

    // monitoring: the master or a reference, then the translation check and platform preview
    references.process (ml, mr, left, right, n, played, masterReading);
    monitor.process (left, right, n, masterReading);
}

// ------------------------------------------------------------------------------- device glue

void SessionPlayer::audioDeviceIOCallbackWithContext (
    const float* const*, int, float* const* outputs, int numOutputs, int numSamples, const juce::AudioIODeviceCallbackContext&)
{
    if (numOutputs >= 2)
    {
        renderForDevice (outputs[0], outputs[1], numSamples);
        for (int c = 2; c < numOutputs; ++c)
            if (outputs[c] != nullptr)
                std::fill (outputs[c], outputs[c] + numSamples, 0.0f);
        return;
    }
    // One output: play the mono fold-down, through the scratch pair, a block at a time.
    for (int done = 0; done < numSamples;)
    {
        const int n = std::min (blockSize > 0 ? blockSize : numSamples, numSamples - done);
        if (blockSize <= 0 || (int) monoLeft.size() < n)
        {
            if (numOutputs == 1)
                std::fill (outputs[0] + done, outputs[0] + numSamples, 0.0f);
            return;
        }
        renderForDevice (monoLeft.data(), monoRight.data(), n);
        if (numOutputs == 1)
            for (int i = 0; i < n; ++i)
                outputs[0][done + i] = 0.5f * (monoLeft[(size_t) i] + monoRight[(size_t) i]);
        done += n;
    }
}

void SessionPlayer::audioDeviceAboutToStart (juce::AudioIODevice* device)
{
    prepare (device->getCurrentSampleRate(), device->getCurrentBufferSizeSamples());
    retired.setAudioRunning (true);
}

void SessionPlayer::audioDeviceStopped()
{
    retired.setAudioRunning (false);
}

void SessionPlayer::prepareToPlay (int samplesPerBlockExpected, double sampleRate)
{
    prepare (sampleRate, samplesPerBlockExpected);
    retired.setAudioRunning (true);
}

void SessionPlayer::releaseResources()
{
    retired.setAudioRunning (false);
}

void SessionPlayer::getNextAudioBlock (const juce::AudioSourceChannelInfo& info)
{
    auto& buffer = *info.buffer;
    if (buffer.getNumChannels() >= 2)
    {
        renderForDevice (
            buffer.getWritePointer (0, info.startSample), buffer.getWritePointer (1, info.startSample), info.numSamples);
        for (int c = 2; c < buffer.getNumChannels(); ++c)
            buffer.clear (c, info.startSample, info.numSamples);
    }
    else
    {
        info.clearActiveBufferRegion();
    }
}

} // namespace crest::live
