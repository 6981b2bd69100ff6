#include "live/SessionPlayer.h"

#include "album/Timeline.h"
#include "dsp/TruePeakLimiter.h"
#include "engine/AudioFileInput.h"
#include "engine/FileAnalysis.h"
#include "live/LiveMeter.h"
#include "live/ProgrammeStream.h"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <thread>

namespace crest::live
{

namespace
{
    constexpr int noSource = -2; // "nothing fading" in the source crossfade
    constexpr double readAheadSeconds = 0.5;

    std::string resolve (const std::string& path, const std::string& folder)
    {
        if (path.empty() || folder.empty() || juce::File::isAbsolutePath (path))
            return path;
        return juce::File (folder).getChildFile (path).getFullPathName().toStdString();
    }

    float dbToGain (float db) noexcept
    {
        return std::pow (10.0f, db / 20.0f);
    }
} // namespace

/** What was loaded, kept so the programme can be re-opened at another device rate. */
struct SessionPlayer::Loaded
{
    bool isSession = false;
    session::Session session; // paths resolved
    std::string file;
};

/** A reference track: its stream, its live loudness and its offline measurement. */
struct SessionPlayer::Reference
{
    ~Reference()
    {
        cancel.store (true);
        if (measuring.joinable())
            measuring.join();
    }

    mutable std::mutex infoLock; // message thread and the measuring thread only
    ReferenceInfo info;

    std::unique_ptr<ProgrammeStream> stream;
    int64_t cueSamples = 0;
    std::atomic<float> integratedLufs { std::numeric_limits<float>::quiet_NaN() }; // offline, for the audio thread

    // audio thread
    analysis::LoudnessMeter liveLoudness;
    dsp::LinearSmoother gain;
    std::vector<float> left, right;
    bool pulledThisBlock = false;

    std::thread measuring;
    std::atomic<bool> cancel { false };
};

SessionPlayer::SessionPlayer()
    : chainHost (std::make_unique<ChainHost>()), diskThread (std::make_unique<juce::TimeSliceThread> ("Crest disk reader")),
      loudLimiter (std::make_unique<dsp::TruePeakLimiter>()), inputMeter (std::make_unique<LiveMeter>()),
      outputMeter (std::make_unique<LiveMeter>()), inputSnapshots (std::make_unique<MeterSnapshotBuffer>()),
      outputSnapshots (std::make_unique<MeterSnapshotBuffer>())
{
    platformRules(); // built here, never first on the audio thread
    diskThread->startThread();
}

SessionPlayer::~SessionPlayer()
{
    diskThread->stopThread (2000);
    for (auto& slot : references)
        slot.store (nullptr);
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
    prepareEngine (programmeOwner != nullptr ? programmeOwner->sampleRate() : deviceRate);
}

void SessionPlayer::prepareEngine (double engineRate)
{
    rate = engineRate;
    blockSize = deviceBlock;

    resampling = std::abs (rate - deviceRate) > 0.5;
    resampleRatio = rate / deviceRate;
    resampleFill = 0;
    for (auto& interpolator : interpolators)
        interpolator.reset();
    const size_t resampleCapacity = resampling ? (size_t) std::ceil (deviceBlock * resampleRatio) + (size_t) blockSize + 16 : 0;
    resampleLeft.assign (resampleCapacity, 0.0f);
    resampleRight.assign (resampleCapacity, 0.0f);
    resampleGain = 1.0f;
    if (resampling)
    {
        // JUCE's windowed-sinc table sums to a little under 1 (about -0.09 dB, flat to 20 kHz):
        // measure its gain on a constant and undo it, so the monitor is level.
        std::vector<float> ones (1024, 1.0f), out (512, 0.0f);
        juce::WindowedSincInterpolator probe;
        probe.process (resampleRatio, ones.data(), out.data(), (int) out.size());
        resampleGain = out.back() > 0.5f ? 1.0f / out.back() : 1.0f;
    }

    chainHost = std::make_unique<ChainHost>();
    chainHost->prepare (rate, blockSize);
    if (chainDescription)
    {
        std::string error;
        if (! chainHost->setChain (*chainDescription, error))
            errorText = "chain: " + error;
    }

    inputMeter->prepare (rate, blockSize);
    outputMeter->prepare (rate, blockSize);
    translationStage.prepare (rate, blockSize);
    transportGain.prepare (rate, 0.003, 0.0f);
    sourceFade.prepare (rate, referenceCrossfadeSeconds, 1.0f);
    platformGainSmoother.prepare (rate, 0.05, 1.0f);
    loudLimiter->prepare (rate, blockSize, 5.0);
    loudLimiter->setCeilingDb (-1.0f);
    loudLimiter->setReleaseMs (100.0f);
    loudLimiter->reset();
    for (auto* v : { &masterLeft, &masterRight, &sourceLeft, &sourceRight, &otherLeft, &otherRight })
        v->assign ((size_t) blockSize, 0.0f);
    audibleSource = -1;
    fadingSource = noSource;
    pendingSeek = -1;

    for (auto& owner : referenceOwners)
    {
        if (owner == nullptr)
            continue;
        owner->liveLoudness.prepare (rate, 2);
        owner->gain.prepare (rate, 0.2, 1.0f);
        owner->left.assign ((size_t) blockSize, 0.0f);
        owner->right.assign ((size_t) blockSize, 0.0f);
        if (std::abs (owner->stream->sampleRate() - rate) > 0.5)
            errorText = "reference " + owner->info.path + " runs at " + std::to_string ((int) owner->stream->sampleRate())
                + " Hz, the device at " + std::to_string ((int) rate) + " Hz: it stays silent";
    }
}

bool SessionPlayer::openProgramme (const Loaded& what, std::string& error)
{
    std::vector<std::string> files;
    std::vector<ProgrammePiece> pieces;
    std::vector<PlayerTrack> newTracks;
    int64_t length = 0;
    double sourceRate = 0.0;

    if (! what.isSession)
    {
        std::string why;
        auto input = engine::AudioFileInput::open (what.file, why);
        if (input == nullptr)
        {
            error = what.file + ": " + why;
            return false;
        }
        const auto& info = input->info();
        if (info.numChannels > 2)
        {
            error = what.file + ": has " + std::to_string (info.numChannels) + " channels; the player plays mono and stereo";
            return false;
        }
        files.push_back (what.file);
        ProgrammePiece piece;
        piece.length = info.lengthInSamples;
        pieces.push_back (piece);
        length = info.lengthInSamples;
        sourceRate = info.sampleRate;
        newTracks.push_back ({ juce::File (what.file).getFileNameWithoutExtension().toStdString(), 0, length });
    }
    else
    {
        auto timeline = album::Timeline::fromSources (what.session, album::Alignment::samples, error);
        if (! timeline)
            return false;
        sourceRate = timeline->sampleRate();
        length = timeline->lengthInSamples();
        for (size_t i = 0; i < timeline->tracks().size(); ++i)
        {
            const auto& t = timeline->tracks()[i];
            const auto& track = what.session.tracks[i];
            files.push_back (track.source);
            ProgrammePiece piece;
            piece.source = (int) i;
            piece.sourceStart = t.sourceStart;
            piece.start = t.audioStart;
            piece.length = t.length();
            piece.gain = dbToGain ((float) track.gainDb);
            piece.fadeInLength = t.fadeInLength;
            piece.fadeInCurve = t.fadeInCurve;
            piece.fadeOutLength = t.fadeOutLength;
            piece.fadeOutCurve = t.fadeOutCurve;
            piece.crossfadeInLength = t.crossfadeInLength;
            piece.crossfadeInCurve = t.crossfadeInCurve;
            piece.crossfadeOutLength = t.crossfadeOutLength;
            piece.crossfadeOutCurve = t.crossfadeOutCurve;
            pieces.push_back (piece);
            const auto title = track.title.empty() ? "Track " + std::to_string (i + 1) : track.title;
            newTracks.push_back ({ title, t.start, t.audioEnd - t.start });
        }
    }

    auto stream = ProgrammeStream::create (files, std::move (pieces), length, sourceRate, readAheadSeconds, error);
    if (stream == nullptr)
        return false;
    placements = std::move (newTracks);
    if (deviceRate > 0.0 && std::abs (sourceRate - rate) > 0.5)
    {
        // The engine follows the programme's rate: rebuild it there, with audio held off.
        const Suspension suspension (*this);
        replaceProgramme (std::move (stream));
        prepareEngine (sourceRate);
    }
    else
    {
        replaceProgramme (std::move (stream));
    }
    errorText.clear();
    return true;
}

void SessionPlayer::replaceProgramme (std::unique_ptr<ProgrammeStream> stream)
{
    const auto ls = loopStart.load(), le = loopEnd.load();
    if (le > ls)
        stream->setLoop (ls, le);
    diskThread->addTimeSliceClient (stream.get());
    programme.store (stream.get(), std::memory_order_release);
    programmeLength.store (stream->lengthSamples());
    playPosition.store (0);
    retire (std::move (programmeOwner));
    programmeOwner = std::move (stream);
    inputMeter->requestReset();
    outputMeter->requestReset();
}

void SessionPlayer::retire (std::unique_ptr<ProgrammeStream> stream)
{
    if (stream == nullptr)
        return;
    diskThread->removeTimeSliceClient (stream.get());
    retiredObjects.push_back ({ std::move (stream), nullptr, blocksProcessed.load() + 2 });
    collectGarbage();
}

bool SessionPlayer::loadSession (const session::Session& sessionToLoad, const std::string& sessionFolder, std::string& error)
{
    auto what = std::make_unique<Loaded>();
    what->isSession = true;
    what->session = sessionToLoad;
    for (auto& track : what->session.tracks)
        track.source = resolve (track.source, sessionFolder);
    if (! openProgramme (*what, error))
        return false;
    loaded = std::move (what);

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
    auto what = std::make_unique<Loaded>();
    what->file = path;
    if (! openProgramme (*what, error))
        return false;
    loaded = std::move (what);
    return true;
}

// ------------------------------------------------------------------------------- transport

void SessionPlayer::play() noexcept
{
    playing.store (true);
}

void SessionPlayer::stop() noexcept
{
    playing.store (false);
}

void SessionPlayer::seek (int64_t sample) noexcept
{
    seekRequest.store (std::clamp<int64_t> (sample, 0, std::max<int64_t> (0, lengthSamples() - 1)));
}

void SessionPlayer::jumpToTrack (int index) noexcept
{
    if (index >= 0 && index < (int) placements.size())
        seek (placements[(size_t) index].start);
}

int SessionPlayer::currentTrack() const noexcept
{
    const auto at = position();
    int found = -1;
    for (size_t i = 0; i < placements.size(); ++i)
        if (placements[i].start <= at)
            found = (int) i;
    return found;
}

void SessionPlayer::setLoop (std::optional<LoopRegion> region) noexcept
{
    int64_t start = 0, end = 0;
    if (region && region->end > region->start)
    {
        start = std::max<int64_t> (0, region->start);
        end = std::min (region->end, lengthSamples());
    }
    loopStart.store (start);
    loopEnd.store (end);
    if (programmeOwner != nullptr)
        programmeOwner->setLoop (start, end);
    for (auto& owner : referenceOwners)
        if (owner != nullptr)
            owner->stream->setLoop (referenceStart.load() == ReferenceStart::synced ? start : 0,
                referenceStart.load() == ReferenceStart::synced ? end : 0);
}

std::optional<LoopRegion> SessionPlayer::loop() const noexcept
{
    const auto start = loopStart.load(), end = loopEnd.load();
    if (end > start)
        return LoopRegion { start, end };
    return std::nullopt;
}

// ------------------------------------------------------------------------------- chain

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
    const auto done = blocksProcessed.load();
    const bool audioIdle = ! deviceRunning.load();
    retiredObjects.erase (std::remove_if (retiredObjects.begin(), retiredObjects.end(),
                              [done, audioIdle] (const Retired& r) { return audioIdle || done >= r.afterBlock; }),
        retiredObjects.end());
}

// ------------------------------------------------------------------------------- references

int SessionPlayer::addReference (const session::Reference& reference, const std::string& sessionFolder, std::string& error)
{
    const auto path = resolve (reference.source, sessionFolder);
    int slot = -1;
    for (int i = 0; i < maxReferences && slot < 0; ++i)
        if (referenceOwners[(size_t) i] == nullptr)
            slot = i;
    if (slot < 0)
    {
        error = path + ": at most " + std::to_string (maxReferences) + " references at once";
        return -1;
    }

    std::string why;
    auto input = engine::AudioFileInput::open (path, why);
    if (input == nullptr)
    {
        error = path + ": " + why;
        return -1;
    }
    const auto info = input->info();
    input.reset();
    if (rate > 0.0 && std::abs (info.sampleRate - rate) > 0.5)
    {
        error = path + ": runs at " + std::to_string ((int) info.sampleRate) + " Hz but the player at "
            + std::to_string ((int) rate) + " Hz (Crest does not resample what you monitor)";
        return -1;
    }

    ProgrammePiece piece;
    piece.length = info.lengthInSamples;
    auto stream = ProgrammeStream::create ({ path }, { piece }, info.lengthInSamples, info.sampleRate, readAheadSeconds, error);
    if (stream == nullptr)
        return -1;

    auto ref = std::make_unique<Reference>();
    ref->info.name = reference.name.empty() ? juce::File (path).getFileNameWithoutExtension().toStdString() : reference.name;
    ref->info.path = path;
    ref->info.cueSeconds = reference.cueSeconds;
    ref->info.durationSeconds = info.durationSeconds();
    ref->cueSamples = std::clamp<int64_t> (
        (int64_t) std::llround (reference.cueSeconds * info.sampleRate), 0, std::max<int64_t> (0, info.lengthInSamples - 1));
    ref->stream = std::move (stream);
    const double r = rate > 0.0 ? rate : info.sampleRate;
    const int block = blockSize > 0 ? blockSize : 4096;
    ref->liveLoudness.prepare (r, 2);
    ref->gain.prepare (r, 0.2, 1.0f);
    ref->left.assign ((size_t) block, 0.0f);
    ref->right.assign ((size_t) block, 0.0f);

    const bool synced = referenceStart.load() == ReferenceStart::synced;
    ref->stream->requestPosition (synced ? std::min (position(), info.lengthInSamples) : ref->cueSamples);
    if (synced && loopEnd.load() > loopStart.load())
        ref->stream->setLoop (loopStart.load(), loopEnd.load());

    // Measured off every realtime thread; a mono file plays as dual mono, 3 dB louder than
    // BS.1770 measures it as mono.
    auto* raw = ref.get();
    raw->measuring = std::thread (
        [raw, path, mono = info.numChannels == 1]
        {
            std::string failure;
            auto result = engine::analyseFile (path, failure, {}, &raw->cancel);
            std::lock_guard<std::mutex> lock (raw->infoLock);
            raw->info.measured = true;
            if (! result)
            {
                raw->info.error = failure;
                return;
            }
            const auto& a = result->analysis;
            const double dualMono = mono ? 10.0 * std::log10 (2.0) : 0.0;
            if (a.integratedLufs)
                raw->info.integratedLufs = *a.integratedLufs + dualMono;
            raw->info.loudnessRangeLu = a.loudnessRangeLu;
            raw->info.truePeakDbtp = a.truePeakDbtp;
            raw->info.thirdOctaveDb.assign (MeterSnapshot::thirdOctaveSize, MeterSnapshot::noReading);
            for (const auto& band : a.spectrum.thirdOctaveBands())
                for (int b = 0; b < MeterSnapshot::thirdOctaveSize; ++b)
                    if (std::abs (std::log2 (band.centreHz / MeterSnapshot::thirdOctaveFrequency (b))) < 1.0 / 12.0)
                        raw->info.thirdOctaveDb[(size_t) b] = (float) band.levelDb;
            if (raw->info.integratedLufs)
                raw->integratedLufs.store ((float) *raw->info.integratedLufs);
        });

    diskThread->addTimeSliceClient (raw->stream.get());
    referenceOwners[(size_t) slot] = std::move (ref);
    references[(size_t) slot].store (raw, std::memory_order_release);
    referenceCount = std::max (referenceCount, slot + 1);
    return slot;
}

void SessionPlayer::clearReferences()
{
    requestedReference.store (master);
    for (int i = 0; i < maxReferences; ++i)
    {
        references[(size_t) i].store (nullptr, std::memory_order_release);
        if (auto owner = std::move (referenceOwners[(size_t) i]))
        {
            diskThread->removeTimeSliceClient (owner->stream.get());
            retiredObjects.push_back ({ nullptr, std::move (owner), blocksProcessed.load() + 2 });
        }
    }
    referenceCount = 0;
    collectGarbage();
}

ReferenceInfo SessionPlayer::referenceInfo (int index) const
{
    if (index < 0 || index >= maxReferences || referenceOwners[(size_t) index] == nullptr)
        return {};
    const auto& ref = *referenceOwners[(size_t) index];
    std::lock_guard<std::mutex> lock (ref.infoLock);
    return ref.info;
}

void SessionPlayer::listenTo (int referenceIndex) noexcept
{
    requestedReference.store (referenceIndex >= 0 && referenceIndex < maxReferences ? referenceIndex : master);
}

float SessionPlayer::referenceMatchDb (Reference& ref) noexcept
{
    const auto mode = referenceMatch.load (std::memory_order_relaxed);
    if (mode == ReferenceMatch::off)
        return 0.0f;
    const auto masterShort = outputMeter->loudness().shortTermLufs(), refShort = ref.liveLoudness.shortTermLufs();
    const float refIntegrated = ref.integratedLufs.load (std::memory_order_relaxed);
    const bool haveIntegrated = ! std::isnan (refIntegrated) && outputHasIntegrated.load (std::memory_order_relaxed);
    const float byIntegrated = outputIntegratedLufs.load (std::memory_order_relaxed) - refIntegrated;

    // Each mode falls back on the other while its own figures are not there yet (the first
    // 3 s, or while the reference is still being measured), then holds the last gain.
    if (mode == ReferenceMatch::integrated && haveIntegrated)
        return std::clamp (byIntegrated, -30.0f, 30.0f);
    if (masterShort && refShort)
        return (float) std::clamp (*masterShort - *refShort, -30.0, 30.0);
    if (haveIntegrated)
        return std::clamp (byIntegrated, -30.0f, 30.0f);
    return ref.gain.targetValue() > 0.0f ? 20.0f * std::log10 (ref.gain.targetValue()) : 0.0f;
}

// ------------------------------------------------------------------------------- monitor path

void SessionPlayer::setPlatformPreview (Platform platform, double lufs, double ceiling) noexcept
{
    customLufs.store (lufs);
    customCeiling.store (ceiling);
    previewPlatform.store (platform);
}

std::optional<PlatformGain> SessionPlayer::platformGain() const
{
    const auto platform = previewPlatform.load();
    if (platform == Platform::none || ! outputHasIntegrated.load())
        return std::nullopt;
    const auto& rule = platformRule (platform);
    const double target = platform == Platform::custom ? customLufs.load() : rule.targetLufs;
    const double headroom = platform == Platform::custom ? customCeiling.load() : rule.headroomDbtp;
    return crest::live::platformGain (target, rule.positiveGain, headroom, rule.limiter, rule.limiterCeilingDb,
        outputIntegratedLufs.load(), outputTruePeakDb.load());
}

// ------------------------------------------------------------------------------- meters

bool SessionPlayer::readInputMeters (MeterSnapshot& into) noexcept
{
    return inputSnapshots->read (into);
}
bool SessionPlayer::readOutputMeters (MeterSnapshot& into) noexcept
{
    return outputSnapshots->read (into);
}
const MeterSnapshot& SessionPlayer::inputMeters() noexcept
{
    return inputSnapshots->latest();
}
const MeterSnapshot& SessionPlayer::outputMeters() noexcept
{
    return outputSnapshots->latest();
}

void SessionPlayer::resetMeters() noexcept
{
    inputMeter->requestReset();
    outputMeter->requestReset();
}

void SessionPlayer::setClipThreshold (float dbtp) noexcept
{
    inputMeter->setClipThreshold (dbtp);
    outputMeter->setClipThreshold (dbtp);
}

void SessionPlayer::setSpectrumOptions (float averaging, float slope, float peakFall) noexcept
{
    inputMeter->setSpectrumOptions (averaging, slope, peakFall);
    outputMeter->setSpectrumOptions (averaging, slope, peakFall);
}

bool SessionPlayer::waitUntilBuffered (int timeoutMs)
{
    const auto deadline = juce::Time::getMillisecondCounter() + (juce::uint32) timeoutMs;
    const int wanted = (int) (0.25 * (rate > 0.0 ? rate : 48000.0));
    for (;;)
    {
        bool ready = programmeOwner == nullptr || programmeOwner->isBuffered (wanted);
        for (auto& owner : referenceOwners)
            if (owner != nullptr)
                ready = ready && owner->stream->isBuffered (wanted);
        if (ready)
            return true;
        if (juce::Time::getMillisecondCounter() > deadline)
            return false;
        juce::Thread::sleep (1);
    }
}

// ------------------------------------------------------------------------------- audio thread

void SessionPlayer::applySeek (ProgrammeStream& stream, int64_t target) noexcept
{
    target = std::clamp<int64_t> (target, 0, std::max<int64_t> (0, stream.lengthSamples() - 1));
    stream.requestPosition (target);
    stream.dropStale(); // frees the ring for the disk thread at once
    awaitingData = true;
    playPosition.store (target, std::memory_order_relaxed);
    if (referenceStart.load (std::memory_order_relaxed) == ReferenceStart::synced)
    {
        for (auto& slot : references)
            if (auto* ref = slot.load (std::memory_order_acquire))
            {
                ref->stream->requestPosition (std::min (target, ref->stream->lengthSamples()));
                ref->stream->dropStale();
            }
    }
}

void SessionPlayer::processBlock (float* left, float* right, int numSamples) noexcept
{
    inBlock.store (true);
    if (suspended.load() || rate <= 0.0 || blockSize <= 0)
    {
        std::fill (left, left + numSamples, 0.0f);
        std::fill (right, right + numSamples, 0.0f);
    }
    else
    {
        renderBlock (left, right, numSamples);
    }
    inBlock.store (false);
}

void SessionPlayer::renderBlock (float* left, float* right, int numSamples) noexcept
{
    for (int done = 0; done < numSamples;)
    {
        const int n = std::min (blockSize, numSamples - done);
        processSubBlock (left + done, right + done, n);
        done += n;
    }
    blocksProcessed.fetch_add (1, std::memory_order_release);
}

void SessionPlayer::renderForDevice (float* left, float* right, int numSamples) noexcept
{
    inBlock.store (true);
    if (suspended.load() || rate <= 0.0 || blockSize <= 0)
    {
        std::fill (left, left + numSamples, 0.0f);
        std::fill (right, right + numSamples, 0.0f);
    }
    else if (! resampling)
    {
        renderBlock (left, right, numSamples);
    }
    else
    {
        // Render engine blocks at the programme's rate until there is enough to interpolate a
        // device block from, then keep what was not used for the next callback.
        for (int done = 0; done < numSamples;)
        {
            const int n = std::min (deviceBlock, numSamples - done);
            const int needed = (int) std::ceil (n * resampleRatio) + 4;
            while (resampleFill < needed)
            {
                renderBlock (resampleLeft.data() + resampleFill, resampleRight.data() + resampleFill, blockSize);
                resampleFill += blockSize;
            }
            const int used = interpolators[0].process (resampleRatio, resampleLeft.data(), left + done, n);
            interpolators[1].process (resampleRatio, resampleRight.data(), right + done, n);
            juce::FloatVectorOperations::multiply (left + done, resampleGain, n);
            juce::FloatVectorOperations::multiply (right + done, resampleGain, n);
            std::copy (resampleLeft.begin() + used, resampleLeft.begin() + resampleFill, resampleLeft.begin());
            std::copy (resampleRight.begin() + used, resampleRight.begin() + resampleFill, resampleRight.begin());
            resampleFill -= used;
            done += n;
        }
    }
    inBlock.store (false);
}

void SessionPlayer::processSubBlock (float* left, float* right, int n) noexcept
{
    auto* prog = programme.load (std::memory_order_acquire);
    if (prog != nullptr && std::abs (prog->sampleRate() - rate) > 0.5)
        prog = nullptr; // refused at load or prepare with a message; silent here
    if (prog != runningProgramme)
    {
        runningProgramme = prog;
        awaitingData = true;
        pendingSeek = -1;
        transportGain.reset (0.0f);
    }

    // ---- transport: commands arrive as atomics, applied at the block start
    const auto seek = seekRequest.exchange (-1, std::memory_order_acq_rel);
    const bool sounding = transportGain.isSmoothing() || transportGain.value() > 0.0f;
    if (seek >= 0 && prog != nullptr)
    {
        if (sounding)
            pendingSeek = seek; // fade out first, then jump (no click)
        else
            applySeek (*prog, seek);
    }
    const bool wantPlay = playing.load (std::memory_order_relaxed) && prog != nullptr;
    // After a seek or a load, stay silent until the new place is read, then fade in from its
    // first sample (no click, no skipped audio, and not an underrun).
    if (awaitingData && prog != nullptr && pendingSeek < 0 && prog->isBuffered (n))
        awaitingData = false;
    const bool ready = prog != nullptr && ! awaitingData;
    transportGain.setTarget (wantPlay && pendingSeek < 0 && ready ? 1.0f : 0.0f);
    const bool active
        = ready && (transportGain.isSmoothing() || transportGain.value() > 0.0f || transportGain.targetValue() > 0.0f);

    float* ml = masterLeft.data();
    float* mr = masterRight.data();
    if (active)
    {
        const int got = prog->pull (ml, mr, n);
        const bool looping = loopEnd.load (std::memory_order_relaxed) > loopStart.load (std::memory_order_relaxed);
        if (prog->position() >= prog->lengthSamples() && ! looping)
            playing.store (false); // the end of the programme
        else if (got < n && wantPlay)
            underrunCount.fetch_add (1, std::memory_order_relaxed);
        if (transportGain.isSmoothing() || transportGain.value() != 1.0f)
            for (int i = 0; i < n; ++i)
            {
                const float g = transportGain.next();
                ml[i] *= g;
                mr[i] *= g;
            }
        playPosition.store (prog->position(), std::memory_order_relaxed);
    }
    else
    {
        std::fill (ml, ml + n, 0.0f);
        std::fill (mr, mr + n, 0.0f);
        if (prog != nullptr)
            prog->dropStale();
    }
    if (pendingSeek >= 0 && prog != nullptr && ! transportGain.isSmoothing() && transportGain.value() == 0.0f)
    {
        applySeek (*prog, pendingSeek);
        pendingSeek = -1;
    }

    // ---- the master: input meter, chain, output meter
    if (active)
        inputMeter->process (ml, mr, n, *inputSnapshots);
    chainHost->process (ml, mr, n);
    if (active)
    {
        const auto steps = outputMeter->loudness().stepsCompleted();
        outputMeter->process (ml, mr, n, *outputSnapshots);
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

    // ---- which source is heard: the master (-1) or a reference, crossfaded on a change
    int requested = requestedReference.load (std::memory_order_relaxed);
    if (requested >= 0 && references[(size_t) requested].load (std::memory_order_acquire) == nullptr)
        requested = master;
    if (audibleSource >= 0 && references[(size_t) audibleSource].load (std::memory_order_acquire) == nullptr)
        audibleSource = master; // cleared under us
    if (fadingSource >= 0 && references[(size_t) fadingSource].load (std::memory_order_acquire) == nullptr)
        fadingSource = noSource;
    if (requested != audibleSource && ! sourceFade.isSmoothing())
    {
        fadingSource = audibleSource;
        audibleSource = requested;
        sourceFade.reset (0.0f);
        sourceFade.setTarget (1.0f);
    }

    // ---- references: synced ones run beside the master all the time; cue ones only while heard
    const auto startMode = referenceStart.load (std::memory_order_relaxed);
    const bool synced = startMode == ReferenceStart::synced;
    if (startMode != runningStart)
    {
        // Re-place the references not heard right now: beside the master, or primed at their cue.
        runningStart = startMode;
        for (int i = 0; i < maxReferences; ++i)
            if (auto* ref = references[(size_t) i].load (std::memory_order_acquire))
                if (i != audibleSource && i != fadingSource)
                    ref->stream->requestPosition (synced
                            ? std::min (playPosition.load (std::memory_order_relaxed), ref->stream->lengthSamples())
                            : ref->cueSamples);
    }
    for (int i = 0; i < maxReferences; ++i)
    {
        auto* ref = references[(size_t) i].load (std::memory_order_acquire);
        if (ref == nullptr)
            continue;
        ref->pulledThisBlock = false;
        if (std::abs (ref->stream->sampleRate() - rate) > 0.5)
            continue;
        const bool heard = i == audibleSource || i == fadingSource;
        if (active && (synced || heard))
        {
            ref->stream->pull (ref->left.data(), ref->right.data(), n);
            const float* channels[] = { ref->left.data(), ref->right.data() };
            ref->liveLoudness.process (channels, n);
            ref->pulledThisBlock = true;
        }
        else
        {
            ref->stream->dropStale();
        }
        const float db = referenceMatchDb (*ref);
        ref->gain.setTarget (dbToGain (db));
        if (i == audibleSource)
            currentReferenceGainDb.store (db, std::memory_order_relaxed);
        if (ref->pulledThisBlock)
        {
            for (int k = 0; k < n; ++k)
            {
                const float g = ref->gain.next() * (active ? transportGain.value() : 0.0f);
                ref->left[(size_t) k] *= g;
                ref->right[(size_t) k] *= g;
            }
        }
        else
        {
            ref->gain.skip (n);
            std::fill (ref->left.begin(), ref->left.begin() + n, 0.0f);
            std::fill (ref->right.begin(), ref->right.begin() + n, 0.0f);
        }
    }
    if (audibleSource == master)
        currentReferenceGainDb.store (0.0f, std::memory_order_relaxed);

    auto signalOf = [this, ml, mr] (int source, const float*& l, const float*& r) noexcept
    {
        if (source >= 0)
        {
            auto* ref = references[(size_t) source].load (std::memory_order_relaxed);
            l = ref->left.data();
            r = ref->right.data();
        }
        else
        {
            l = ml;
            r = mr;
        }
    };

    const float *al = nullptr, *ar = nullptr;
    signalOf (audibleSource, al, ar);
    if (fadingSource == noSource)
    {
        std::copy (al, al + n, left);
        std::copy (ar, ar + n, right);
    }
    else
    {
        const float *fl = nullptr, *fr = nullptr;
        signalOf (fadingSource, fl, fr);
        // Equal power: a master and a reference are unrelated signals.
        for (int i = 0; i < n; ++i)
        {
            const float c = sourceFade.next();
            const float in = std::sin (c * 1.57079633f), out = std::cos (c * 1.57079633f);
            left[i] = in * al[i] + out * fl[i];
            right[i] = in * ar[i] + out * fr[i];
        }
        if (! sourceFade.isSmoothing())
        {
            // A cue-mode reference that is no longer heard goes back to its cue, primed.
            if (fadingSource >= 0 && ! synced)
                if (auto* ref = references[(size_t) fadingSource].load (std::memory_order_acquire))
                {
                    ref->stream->requestPosition (ref->cueSamples);
                    ref->liveLoudness.reset();
                }
            fadingSource = noSource;
        }
    }

    // ---- monitor path: translation check, then the platform's normalisation
    translationStage.process (left, right, n);

    const auto platform = previewPlatform.load (std::memory_order_relaxed);
    float platformDb = 0.0f;
    if (platform != Platform::none && outputHasIntegrated.load (std::memory_order_relaxed))
    {
        const auto& rule = platformRule (platform);
        const bool custom = platform == Platform::custom;
        platformDb = (float) crest::live::platformGain (custom ? customLufs.load (std::memory_order_relaxed) : rule.targetLufs,
            rule.positiveGain, custom ? customCeiling.load (std::memory_order_relaxed) : rule.headroomDbtp, rule.limiter,
            rule.limiterCeilingDb, outputIntegratedLufs.load (std::memory_order_relaxed),
            outputTruePeakDb.load (std::memory_order_relaxed))
                         .gainDb;
    }
    platformGainSmoother.setTarget (dbToGain (platformDb));
    if (platformGainSmoother.isSmoothing() || platformGainSmoother.value() != 1.0f)
    {
        for (int i = 0; i < n; ++i)
        {
            const float g = platformGainSmoother.next();
            left[i] *= g;
            right[i] *= g;
        }
    }
    if (platform == Platform::spotifyLoud)
        loudLimiter->process (left, right, n);
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
        if (blockSize <= 0 || (int) otherLeft.size() < n)
        {
            if (numOutputs == 1)
                std::fill (outputs[0] + done, outputs[0] + numSamples, 0.0f);
            return;
        }
        renderForDevice (otherLeft.data(), otherRight.data(), n);
        if (numOutputs == 1)
            for (int i = 0; i < n; ++i)
                outputs[0][done + i] = 0.5f * (otherLeft[(size_t) i] + otherRight[(size_t) i]);
        done += n;
    }
}

void SessionPlayer::audioDeviceAboutToStart (juce::AudioIODevice* device)
{
    prepare (device->getCurrentSampleRate(), device->getCurrentBufferSizeSamples());
    deviceRunning.store (true);
}

void SessionPlayer::audioDeviceStopped()
{
    deviceRunning.store (false);
}

void SessionPlayer::prepareToPlay (int samplesPerBlockExpected, double sampleRate)
{
    prepare (sampleRate, samplesPerBlockExpected);
    deviceRunning.store (true);
}

void SessionPlayer::releaseResources()
{
    deviceRunning.store (false);
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
