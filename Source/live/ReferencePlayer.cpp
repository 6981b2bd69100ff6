#include "live/ReferencePlayer.h"

#include "album/SourceAudio.h"

#include "engine/AudioFileInput.h"
#include "engine/FileAnalysis.h"
#include "live/ProgrammeLayout.h"
#include "live/ProgrammeStream.h"
#include "live/RetiredObjects.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>
#include <thread>

namespace crest::live
{

namespace
{
    constexpr double readAheadSeconds = 0.5;
}

/** A reference track: its stream, its live loudness and its offline measurement. */
struct ReferencePlayer::Reference
{
    ~Reference()
    {
        cancel.store (true);
        if (measuring.joinable())
            measuring.join();
    }

    /** Sizes the audio thread's part for a rate and block. */
    void prepare (double sampleRate, int maxBlockSize)
    {
        liveLoudness.prepare (sampleRate, 2);
        gain.prepare (sampleRate, 0.2, 1.0f);
        left.assign ((size_t) maxBlockSize, 0.0f);
        right.assign ((size_t) maxBlockSize, 0.0f);
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

ReferencePlayer::ReferencePlayer (juce::TimeSliceThread& diskThread, RetiredObjects& retired)
    : disk (diskThread), retiredObjects (retired)
{
}

ReferencePlayer::~ReferencePlayer()
{
    for (auto& reference : published)
        reference.store (nullptr);
    for (auto& owner : owners) // as the transport does: not freed while the disk thread reads them
        if (owner != nullptr)
            disk.removeTimeSliceClient (owner->stream.get());
}

std::string ReferencePlayer::prepare (double sampleRate, int maxBlockSize)
{
    rate = sampleRate;
    blockSize = maxBlockSize;
    sourceFade.prepare (rate, crossfadeSeconds, 1.0f);
    audibleSource = master;
    fadingSource = noSource;

    std::string warning;
    for (auto& owner : owners)
    {
        if (owner == nullptr)
            continue;
        owner->prepare (rate, blockSize);
        if (std::abs (owner->stream->sampleRate() - rate) > 0.5)
            warning = "reference " + owner->info.path + " runs at " + std::to_string ((int) owner->stream->sampleRate())
                + " Hz, the device at " + std::to_string ((int) rate) + " Hz: it stays silent";
    }
    return warning;
}

// ------------------------------------------------------------------------------- message thread

int ReferencePlayer::add (const session::Reference& reference, const std::string& sessionFolder, int64_t position,
    std::optional<LoopRegion> loop, std::string& error)
{
    const auto path = resolvePath (reference.source, sessionFolder);
    int free = -1;
    for (int i = 0; i < maxReferences && free < 0; ++i)
        if (owners[(size_t) i] == nullptr)
            free = i;
    if (free < 0)
    {
        error = path + ": at most " + std::to_string (maxReferences) + " references at once";
        return -1;
    }

    // A reference at another rate plays converted to the player's, like a track (SourceAudio).
    std::string why;
    auto input = rate > 0.0 ? album::SourceAudio::open (path, rate, sourceCache, why) : engine::AudioFileInput::open (path, why);
    if (input == nullptr)
    {
        error = rate > 0.0 ? why : path + ": " + why;
        return -1;
    }
    const auto audioPath = input->info().path;
    const auto info = input->info();
    input.reset();

    ProgrammePiece piece;
    piece.length = info.lengthInSamples;
    auto stream = ProgrammeStream::create ({ audioPath }, { piece }, info.lengthInSamples, info.sampleRate, readAheadSeconds, error);
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
    ref->prepare (rate > 0.0 ? rate : info.sampleRate, blockSize > 0 ? blockSize : 4096);

    const bool synced = startMode.load() == ReferenceStart::synced;
    ref->stream->requestPosition (synced ? std::min (position, info.lengthInSamples) : ref->cueSamples);
    if (synced && loop)
        ref->stream->setLoop (loop->start, loop->end);

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

    disk.addTimeSliceClient (raw->stream.get());
    owners[(size_t) free] = std::move (ref);
    published[(size_t) free].store (raw, std::memory_order_release);
    referenceCount = std::max (referenceCount, free + 1);
    return free;
}

void ReferencePlayer::clear()
{
    requested.store (master);
    for (int i = 0; i < maxReferences; ++i)
    {
        published[(size_t) i].store (nullptr, std::memory_order_release);
        if (auto owner = std::move (owners[(size_t) i]))
        {
            disk.removeTimeSliceClient (owner->stream.get());
            retiredObjects.retire (std::move (owner));
        }
    }
    referenceCount = 0;
}

ReferenceInfo ReferencePlayer::info (int index) const
{
    if (index < 0 || index >= maxReferences || owners[(size_t) index] == nullptr)
        return {};
    const auto& ref = *owners[(size_t) index];
    std::lock_guard<std::mutex> lock (ref.infoLock);
    return ref.info;
}

void ReferencePlayer::listenTo (int referenceIndex) noexcept
{
    requested.store (referenceIndex >= 0 && referenceIndex < maxReferences ? referenceIndex : master);
}

void ReferencePlayer::setLoop (LoopRegion loop) noexcept
{
    const bool synced = startMode.load() == ReferenceStart::synced;
    for (auto& owner : owners)
        if (owner != nullptr)
            owner->stream->setLoop (synced ? loop.start : 0, synced ? loop.end : 0);
}

bool ReferencePlayer::isBuffered (int samples) const noexcept
{
    for (auto& owner : owners)
        if (owner != nullptr && ! owner->stream->isBuffered (samples))
            return false;
    return true;
}

// ------------------------------------------------------------------------------- audio thread

ReferencePlayer::Reference* ReferencePlayer::slot (int index) const noexcept
{
    return published[(size_t) index].load (std::memory_order_acquire);
}

void ReferencePlayer::process (const float* masterLeft, const float* masterRight, float* left, float* right, int n,
    const TransportBlock& transport, const MasterReading& masterReading) noexcept
{
    const auto start = startMode.load (std::memory_order_relaxed);
    const bool synced = start == ReferenceStart::synced;
    followTransport (transport, start);
    chooseSource();
    runReferences (n, transport, masterReading, synced);
    mix (masterLeft, masterRight, left, right, n, synced);
}

void ReferencePlayer::followTransport (const TransportBlock& transport, ReferenceStart start) noexcept
{
    // Synced references follow the master's seeks.
    if (transport.seekedTo >= 0 && start == ReferenceStart::synced)
        for (int i = 0; i < maxReferences; ++i)
            if (auto* ref = slot (i))
            {
                ref->stream->requestPosition (std::min (transport.seekedTo, ref->stream->lengthSamples()));
                ref->stream->dropStale();
            }
}

void ReferencePlayer::chooseSource() noexcept
{
    // The master (-1) or a reference; a change starts a crossfade once the last one is over.
    int wanted = requested.load (std::memory_order_relaxed);
    if (wanted >= 0 && slot (wanted) == nullptr)
        wanted = master;
    if (audibleSource >= 0 && slot (audibleSource) == nullptr)
        audibleSource = master; // cleared under us
    if (fadingSource >= 0 && slot (fadingSource) == nullptr)
        fadingSource = noSource;
    if (wanted != audibleSource && ! sourceFade.isSmoothing())
    {
        fadingSource = audibleSource;
        audibleSource = wanted;
        sourceFade.reset (0.0f);
        sourceFade.setTarget (1.0f);
    }
}

void ReferencePlayer::runReferences (
    int n, const TransportBlock& transport, const MasterReading& masterReading, bool synced) noexcept
{
    const auto start = synced ? ReferenceStart::synced : ReferenceStart::cue;
    if (start != runningStart)
    {
        // Re-place the references not heard right now: beside the master, or primed at their cue.
        runningStart = start;
        for (int i = 0; i < maxReferences; ++i)
            if (auto* ref = slot (i))
                if (i != audibleSource && i != fadingSource)
                    ref->stream->requestPosition (
                        synced ? std::min (transport.position, ref->stream->lengthSamples()) : ref->cueSamples);
    }

    // Synced references run beside the master all the time; cue ones only while heard.
    for (int i = 0; i < maxReferences; ++i)
    {
        auto* ref = slot (i);
        if (ref == nullptr)
            continue;
        ref->pulledThisBlock = false;
        if (std::abs (ref->stream->sampleRate() - rate) > 0.5)
            continue;
        const bool heard = i == audibleSource || i == fadingSource;
        if (transport.sounding && (synced || heard))
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
        const float db = matchDb (*ref, masterReading);
        ref->gain.setTarget (std::pow (10.0f, db / 20.0f));
        if (i == audibleSource)
            currentGainDb.store (db, std::memory_order_relaxed);
        if (ref->pulledThisBlock)
        {
            for (int k = 0; k < n; ++k)
            {
                const float g = ref->gain.next() * (transport.sounding ? transport.gain : 0.0f);
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
        currentGainDb.store (0.0f, std::memory_order_relaxed);
}

void ReferencePlayer::mix (const float* ml, const float* mr, float* left, float* right, int n, bool synced) noexcept
{
    auto signalOf = [this, ml, mr] (int source, const float*& l, const float*& r) noexcept
    {
        if (source >= 0)
        {
            auto* ref = published[(size_t) source].load (std::memory_order_relaxed);
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
        return;
    }
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
            if (auto* ref = slot (fadingSource))
            {
                ref->stream->requestPosition (ref->cueSamples);
                ref->liveLoudness.reset();
            }
        fadingSource = noSource;
    }
}

float ReferencePlayer::matchDb (Reference& ref, const MasterReading& masterReading) const noexcept
{
    const auto mode = matchMode.load (std::memory_order_relaxed);
    if (mode == ReferenceMatch::off)
        return 0.0f;
    const auto masterShort
        = masterReading.loudness != nullptr ? masterReading.loudness->shortTermLufs() : std::optional<double>();
    const auto refShort = ref.liveLoudness.shortTermLufs();
    const float refIntegrated = ref.integratedLufs.load (std::memory_order_relaxed);
    const bool haveIntegrated = ! std::isnan (refIntegrated) && masterReading.integratedLufs.has_value();
    const float byIntegrated = masterReading.integratedLufs.value_or (0.0f) - refIntegrated;

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

} // namespace crest::live
