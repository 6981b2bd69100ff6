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
      references (*diskThread, retired)
{
    std::string error;
    chains = TrackChains::create ({}, {}, chainDescription, 48000.0, 1, error);
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
    std::unique_ptr<TrackChains> old; // freed after the audio thread is back
    const Suspension suspension (*this);
    deviceRate = deviceSampleRate;
    deviceBlock = std::max (1, maxBlock);
    const auto* programme = transport.programme();
    prepareEngine (programme != nullptr ? programme->sampleRate() : deviceRate, nullptr, old);
    if (programme != nullptr && position() > 0)
        transport.seek (position()); // the new chains start fresh: pre-roll them to where we are
}

void SessionPlayer::prepareEngine (double engineRate, std::unique_ptr<TrackChains> built, std::unique_ptr<TrackChains>& old)
{
    rate = engineRate;
    blockSize = deviceBlock;
    deviceConverter.prepare (rate, deviceRate, deviceBlock, blockSize);

    if (built == nullptr)
    {
        std::string error;
        built = TrackChains::create (
            placements, overrides, chainDescription, rate, blockSize, error, comparison ? &*comparison : nullptr);
        if (built == nullptr)
        {
            errorText = "chain: " + error;
            built = TrackChains::create (placements, std::vector<std::optional<engine::ChainDescription>> (placements.size(),
                                                                                                          engine::ChainDescription {}),
                {}, rate, blockSize, error);
        }
    }
    install (std::move (built), old);

    transport.prepare (rate);
    meters.prepare (rate, blockSize);
    monitor.prepare (rate, blockSize);
    for (auto* v : { &masterLeft, &masterRight, &monoLeft, &monoRight })
        v->assign ((size_t) blockSize, 0.0f);
    if (const auto warning = references.prepare (rate, blockSize); ! warning.empty())
        errorText = warning;
}

void SessionPlayer::install (std::unique_ptr<TrackChains> built, std::unique_ptr<TrackChains>& old)
{
    built->setCompareUnprocessed (compareOn);
    built->setLoudnessMatch (loudnessMatchOn);
    built->hearComparedState (heardState.load());
    old = std::move (chains);
    chains = std::move (built);
    transport.setRender (chains.get());
}

bool SessionPlayer::openProgramme (ProgrammeLayout layout, const engine::ChainDescription& albumChain, std::string& error)
{
    if (layout.stream == nullptr)
        return false;
    const double programmeRate = layout.stream->sampleRate();

    // Every chain is built here, before the audio thread is held off for the swap.
    std::unique_ptr<TrackChains> built, old;
    if (deviceRate > 0.0)
    {
        built = TrackChains::create (layout.placements, layout.chains, albumChain, programmeRate, deviceBlock, error);
        if (built == nullptr)
            return false;
    }
    {
        const Suspension suspension (*this);
        placements = layout.placements;
        overrides = layout.chains;
        comparison.reset(); // its states were worked out for the previous programme
        chainDescription = albumChain;
        transport.setProgramme (std::move (layout.stream), std::move (layout.tracks));
        meters.requestReset();
        if (deviceRate > 0.0 && std::abs (programmeRate - rate) > 0.5)
            prepareEngine (programmeRate, std::move (built), old); // the engine follows the programme's rate
        else if (built != nullptr)
            install (std::move (built), old);
    }
    errorText.clear();
    return true;
}

bool SessionPlayer::loadSession (const session::Session& sessionToLoad, const std::string& sessionFolder, std::string& error)
{
    references.setSourceCache (sessionToLoad.sourceCache); // references at another rate convert there
    auto resolved = sessionToLoad;
    for (auto& track : resolved.tracks)
        track.source = resolvePath (track.source, sessionFolder);
    if (! openProgramme (layOutSession (resolved, readAheadSeconds, error), sessionToLoad.chain, error))
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
    return openProgramme (layOutFile (path, readAheadSeconds, error), chainDescription, error);
}

void SessionPlayer::setLoop (std::optional<LoopRegion> region) noexcept
{
    references.setLoop (transport.setLoop (region));
}

bool SessionPlayer::setChain (const engine::ChainDescription& description, std::string& error)
{
    if (rate > 0.0)
    {
        std::string why;
        if (! engine::ProcessingChain::build (description, rate, std::max (1, blockSize), why))
        {
            error = why; // nothing posted: the tracks keep the chain they have
            return false;
        }
        chainDescription = description; // a retry after a pending change posts the same
        if (chains->setAlbumChain (description, error))
            return true;

        // Right after a load, before any audio, the load's chains still wait in their hosts'
        // mailboxes: build the programme's chains anew instead (nothing has played them).
        auto built = TrackChains::create (
            placements, overrides, chainDescription, rate, blockSize, why, comparison ? &*comparison : nullptr);
        if (built == nullptr)
            return false;
        std::unique_ptr<TrackChains> old;
        {
            const Suspension suspension (*this);
            if (chains->hasStarted())
                return false; // audio runs: the pending change lands within a block; retry then
            install (std::move (built), old);
        }
        error.clear();
        return true;
    }
    chainDescription = description;
    return true;
}

bool SessionPlayer::compareStates (const ComparedStates& states, std::string& error)
{
    auto previous = std::move (comparison);
    comparison = states;
    if (rebuildInPlace (error))
        return true;
    comparison = std::move (previous);
    return false;
}

bool SessionPlayer::stopComparing (std::string& error)
{
    if (! comparison)
        return true;
    auto previous = std::move (comparison);
    comparison.reset();
    heardState.store (0);
    if (rebuildInPlace (error))
        return true;
    comparison = std::move (previous);
    return false;
}

bool SessionPlayer::rebuildInPlace (std::string& error)
{
    if (rate <= 0.0)
        return true; // built at prepare()
    // Built here, before the audio thread is held off for the swap.
    auto built = TrackChains::create (
        placements, overrides, chainDescription, rate, blockSize, error, comparison ? &*comparison : nullptr);
    if (built == nullptr)
        return false;
    std::unique_ptr<TrackChains> old; // freed after the audio thread is back
    {
        const Suspension suspension (*this);
        install (std::move (built), old);
        if (transport.programme() != nullptr)
            transport.seek (position()); // the new chains start fresh: pre-roll them to where we are
    }
    return true;
}

void SessionPlayer::setCompareUnprocessed (bool unprocessed) noexcept
{
    compareOn = unprocessed;
    chains->setCompareUnprocessed (unprocessed);
}

void SessionPlayer::setLoudnessMatch (bool on) noexcept
{
    loudnessMatchOn = on;
    chains->setLoudnessMatch (on);
}

void SessionPlayer::collectGarbage()
{
    chains->collectGarbage();
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

    // the master: the programme through every track's chain (TrackChains, run by the
    // transport), the input meter on the programme before the chains, the output meter
    const auto played = transport.process (ml, mr, n);
    if (played.sounding)
    {
        meters.measureInput (chains->dryLeft(), chains->dryRight(), n);
        meters.measureOutput (ml, mr, n);
    }
    if (masterTap != nullptr)
        masterTap->master (ml, mr, n, played);
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
