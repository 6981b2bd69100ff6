#include "live/TrackChains.h"

#include "album/Fades.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace crest::live
{

std::unique_ptr<TrackChains> TrackChains::create (std::vector<album::TrackPlacement> placements,
    std::vector<std::optional<engine::ChainDescription>> overrides, const engine::ChainDescription& albumChain, double sampleRate,
    int maxBlockSize, std::string& error, const ComparedStates* comparison)
{
    std::unique_ptr<TrackChains> chains (new TrackChains());
    chains->rate = sampleRate;
    chains->block = std::max (1, maxBlockSize);
    chains->comparisonOn = comparison != nullptr;
    for (auto* v : { &chains->in[0], &chains->in[1], &chains->dry[0], &chains->dry[1], &chains->alt[0], &chains->alt[1] })
        v->assign ((size_t) chains->block, 0.0f);
    chains->outPosition.assign ((size_t) chains->block, -1);
    chains->spare = std::make_unique<ChainHost>();
    chains->spare->prepare (sampleRate, chains->block);

    bool albumUsed = false;
    for (size_t i = 0; i < placements.size(); ++i)
    {
        auto voice = std::make_unique<Voice>();
        voice->placement = placements[i];
        voice->albumChain = comparison == nullptr && (i >= overrides.size() || ! overrides[i].has_value());
        voice->host = std::make_unique<ChainHost>();
        voice->host->prepare (sampleRate, chains->block);
        std::string why;
        if (comparison != nullptr)
        {
            const ComparedState* states[] = { &comparison->first, &comparison->second };
            auto at = [i] (const std::vector<double>& v) { return i < v.size() ? v[i] : 0.0; };
            for (int k = 0; k < 2; ++k)
            {
                if (i >= states[k]->chains.size())
                {
                    error = "track " + std::to_string (i + 1) + ": the compared state has no chain for it";
                    return nullptr;
                }
                voice->inputGain[k] = (float) std::pow (10.0, at (states[k]->inputGainDb) / 20.0);
                voice->matchGain[k] = (float) std::pow (10.0, at (states[k]->matchGainDb) / 20.0);
            }
            voice->compared = std::make_unique<ChainHost>();
            voice->compared->prepare (sampleRate, chains->block);
            if (! voice->compared->setChain (comparison->second.chains[i], why))
            {
                error = "track " + std::to_string (i + 1) + ": its chain in the second state: " + why;
                return nullptr;
            }
            voice->comparedLatency = voice->compared->editableChain()->latencySamples();
            voice->mix.prepare (sampleRate, compareCrossfadeSeconds, 0.0f);
        }
        if (! chains->post (*voice,
                comparison != nullptr   ? comparison->first.chains[i]
                    : voice->albumChain ? albumChain
                                        : *overrides[i],
                why))
        {
            error = "track " + std::to_string (i + 1) + ": its chain: " + why;
            return nullptr;
        }
        albumUsed = albumUsed || voice->albumChain;
        chains->voices.push_back (std::move (voice));
    }
    if (! albumUsed && ! chains->spare->setChain (albumChain, error))
        return nullptr;
    chains->updateLatency();
    return chains;
}

TrackChains::~TrackChains() = default;

bool TrackChains::post (Voice& voice, const engine::ChainDescription& description, std::string& error)
{
    voice.host->collectGarbage();
    if (! voice.host->setChain (description, error))
        return false;
    voice.postedLatency.store (voice.host->editableChain()->latencySamples());
    return true;
}

void TrackChains::updateLatency() noexcept
{
    int longest = 0;
    for (const auto& voice : voices)
        longest = std::max ({ longest, voice->postedLatency.load(), voice->comparedLatency });
    longestLatency.store (longest);
}

bool TrackChains::setAlbumChain (const engine::ChainDescription& description, std::string& error)
{
    bool albumUsed = false, fine = true;
    for (auto& voice : voices)
        if (voice->albumChain)
        {
            albumUsed = true;
            std::string why;
            if (! post (*voice, description, why))
            {
                error = "track " + std::to_string (voice->placement.number) + ": " + why;
                fine = false;
            }
        }
    if (! albumUsed)
    {
        spare->collectGarbage();
        fine = spare->setChain (description, error) && fine;
    }
    updateLatency();
    return fine;
}

bool TrackChains::applyToAlbumChain (const engine::ParameterChange& change) noexcept
{
    bool fine = true;
    for (auto& voice : voices)
        if (voice->albumChain && voice->host->editableChain() != nullptr)
            fine = voice->host->editableChain()->apply (change) && fine;
    if (auto* chain = spare->editableChain())
        fine = chain->apply (change) && fine;
    return fine;
}

bool TrackChains::followAlbumChain (const engine::ChainDescription& wanted)
{
    bool fine = true;
    for (auto& voice : voices)
        if (voice->albumChain)
            fine = voice->host->editableChain() != nullptr && voice->host->editableChain()->follow (wanted) && fine;
    if (auto* chain = spare->editableChain())
        fine = chain->follow (wanted) && fine;
    return fine;
}

ChainHost& TrackChains::albumHost() noexcept
{
    for (auto& voice : voices)
        if (voice->albumChain)
            return *voice->host;
    return *spare;
}

ChainHost* TrackChains::heardAlbumHost() noexcept
{
    const int heard = heardAlbumVoice.load();
    if (heard == notRendered)
        return &albumHost();
    if (heard < 0 || (size_t) heard >= voices.size())
        return nullptr;
    return voices[(size_t) heard]->host.get();
}

void TrackChains::setCompareUnprocessed (bool unprocessed) noexcept
{
    for (auto& voice : voices)
    {
        voice->host->setCompareUnprocessed (unprocessed);
        if (voice->compared)
            voice->compared->setCompareUnprocessed (unprocessed);
    }
    spare->setCompareUnprocessed (unprocessed);
}

void TrackChains::setLoudnessMatch (bool on) noexcept
{
    for (auto& voice : voices)
    {
        voice->host->setLoudnessMatch (on);
        if (voice->compared)
            voice->compared->setLoudnessMatch (on);
    }
    spare->setLoudnessMatch (on);
}

void TrackChains::setSoloChange (int index) noexcept
{
    for (auto& voice : voices)
        if (voice->albumChain && voice->host->editableChain() != nullptr)
            voice->host->editableChain()->setSoloChange (index);
    if (auto* chain = spare->editableChain())
        chain->setSoloChange (index);
}

void TrackChains::collectGarbage()
{
    for (auto& voice : voices)
    {
        voice->host->collectGarbage();
        if (voice->compared)
            voice->compared->collectGarbage();
    }
    spare->collectGarbage();
}

int64_t TrackChains::prerollSamples() const noexcept
{
    return lookahead() + (int64_t) (prerollSeconds * rate);
}

void TrackChains::restart() noexcept
{
    for (auto& voice : voices)
        voice->active = false;
}

// ------------------------------------------------------------------------------- audio thread

int TrackChains::gather (
    const ProgrammeStream& stream, const Voice& voice, int lane, int latency, int n, std::vector<float>* into) noexcept
{
    // The track's lane `latency` samples ahead of the play head; zeros outside its audio (the
    // tail's flush), and where the ring holds nothing yet.
    std::fill_n (into[0].begin(), n, 0.0f);
    std::fill_n (into[1].begin(), n, 0.0f);
    const int64_t from = voice.placement.audioStart, to = voice.placement.audioEnd;
    int first = n;
    stream.peek (latency, n,
        [&] (const float* const* channels, int64_t position, int index, int count) noexcept
        {
            const int a = (int) std::clamp<int64_t> (from - position, 0, count);
            const int b = (int) std::clamp<int64_t> (to - position, 0, count);
            if (a >= b)
                return;
            std::copy (channels[2 * lane] + a, channels[2 * lane] + b, into[0].begin() + index + a);
            std::copy (channels[2 * lane + 1] + a, channels[2 * lane + 1] + b, into[1].begin() + index + a);
            first = std::min (first, index + a);
        });
    return first; // n: none of the track's audio in this block's look-ahead
}

int TrackChains::render (ProgrammeStream& stream, float* left, float* right, int n) noexcept
{
    n = std::min (n, block);
    if (! started.load (std::memory_order_relaxed))
        started.store (true);
    stream.sync();
    std::fill_n (left, n, 0.0f);
    std::fill_n (right, n, 0.0f);
    std::fill_n (dry[0].begin(), n, 0.0f);
    std::fill_n (dry[1].begin(), n, 0.0f);
    std::fill_n (outPosition.begin(), n, (int64_t) -1);

    // Where each output sample of this block lies (a loop may wrap inside it).
    int64_t lo = std::numeric_limits<int64_t>::max(), hi = -1;
    stream.peek (0, n,
        [&] (const float* const*, int64_t position, int index, int count) noexcept
        {
            for (int k = 0; k < count; ++k)
                outPosition[(size_t) (index + k)] = position + k;
            lo = std::min (lo, position);
            hi = std::max (hi, position + count - 1);
        });
    if (stream.loopEndSample() > stream.loopStartSample())
        lo = std::min (lo, stream.loopStartSample());

    int heardAlbum = -1, heardAny = -1; // the last voice heard in this block (voices are in order)
    const float heardTarget = (float) heardState.load (std::memory_order_relaxed);
    for (size_t i = 0; i < voices.size(); ++i)
    {
        auto& voice = *voices[i];
        const auto& p = voice.placement;
        auto* second = voice.compared.get();
        int latency = voice.active ? voice.host->latencySamples() : voice.postedLatency.load (std::memory_order_relaxed);
        int latency2 = second == nullptr ? 0 : voice.active ? second->latencySamples() : voice.comparedLatency;
        if (! voice.active && (hi < 0 || p.audioStart > hi + std::max (latency, latency2) + n || p.audioEnd <= lo))
        {
            voice.host->takePosted(); // keeps the mailbox free for the next edit
            if (second != nullptr)
                second->takePosted();
            continue;
        }
        const int lane = (int) (i % 2);
        int first = gather (stream, voice, lane, latency, n, in);
        int first2 = second != nullptr ? gather (stream, voice, lane, latency2, n, alt) : n;
        bool heard = false;
        for (int k = 0; k < n && ! heard; ++k)
            heard = outPosition[(size_t) k] >= p.audioStart && outPosition[(size_t) k] < p.audioEnd;
        if (heard)
        {
            heardAny = (int) i;
            heardAlbum = voice.albumChain ? (int) i : -1;
        }
        if (first == n && first2 == n && ! heard)
        {
            voice.active = false;
            voice.host->takePosted();
            if (second != nullptr)
                second->takePosted();
            continue;
        }
        int start = 0, start2 = 0;
        if (! voice.active)
        {
            // The track's chain starts fresh at the first sample it hears, as in a render.
            voice.host->reset();
            voice.active = true;
            if (voice.host->latencySamples() != latency)
            {
                latency = voice.host->latencySamples();
                first = gather (stream, voice, lane, latency, n, in);
            }
            start = first < n ? first : 0;
            if (second != nullptr)
            {
                second->reset();
                if (second->latencySamples() != latency2)
                    first2 = gather (stream, voice, lane, second->latencySamples(), n, alt);
                start2 = first2 < n ? first2 : 0;
                voice.mix.reset (heardTarget); // a track starts on the state heard
            }
        }
        if (second == nullptr)
            voice.host->process (in[0].data() + start, in[1].data() + start, n - start);
        else
        {
            // Both states run on the track's input at their own gains; the heard one is mixed
            // in (a short equal-gain crossfade on a switch), each at its loudness-match gain.
            for (int c = 0; c < 2; ++c)
            {
                for (int k = start; k < n; ++k)
                    in[c][(size_t) k] *= voice.inputGain[0];
                for (int k = start2; k < n; ++k)
                    alt[c][(size_t) k] *= voice.inputGain[1];
            }
            voice.host->process (in[0].data() + start, in[1].data() + start, n - start);
            second->process (alt[0].data() + start2, alt[1].data() + start2, n - start2);
            voice.mix.setTarget (heardTarget);
            const float g0 = voice.matchGain[0], g1 = voice.matchGain[1];
            for (int k = 0; k < n; ++k)
            {
                const float x = voice.mix.next(), a = (1.0f - x) * g0, b = x * g1;
                in[0][(size_t) k] = a * in[0][(size_t) k] + b * alt[0][(size_t) k];
                in[1][(size_t) k] = a * in[1][(size_t) k] + b * alt[1][(size_t) k];
            }
            start = std::min (start, start2);
        }

        // Fades after the chain, at the output's positions (outside every fade the gain is
        // exactly 1, so those samples are added as they are: the same bits, less work).
        const int64_t plainFrom = p.audioStart + std::max (p.fadeInLength, p.crossfadeInLength);
        const int64_t plainTo = p.audioEnd - std::max (p.fadeOutLength, p.crossfadeOutLength);
        for (int k = start; k < n; ++k)
        {
            const int64_t at = outPosition[(size_t) k];
            if (at < p.audioStart || at >= p.audioEnd)
                continue;
            if (at >= plainFrom && at < plainTo)
            {
                left[k] += in[0][(size_t) k];
                right[k] += in[1][(size_t) k];
                continue;
            }
            const auto g = (float) album::trackFadeGain (p, at - p.audioStart);
            left[k] += in[0][(size_t) k] * g;
            right[k] += in[1][(size_t) k] * g;
        }
    }

    if (heardAny >= 0)
        heardAlbumVoice.store (heardAlbum, std::memory_order_relaxed);

    // The input meter's programme: each lane at the play head with its track's fades.
    stream.peek (0, n,
        [&] (const float* const* channels, int64_t position, int index, int count) noexcept
        {
            for (size_t i = 0; i < voices.size(); ++i)
            {
                const auto& p = voices[i]->placement;
                const int a = (int) std::clamp<int64_t> (p.audioStart - position, 0, count);
                const int b = (int) std::clamp<int64_t> (p.audioEnd - position, 0, count);
                const int lane = (int) (i % 2);
                const int64_t plainFrom = std::max (p.fadeInLength, p.crossfadeInLength);
                const int64_t plainTo = p.length() - std::max (p.fadeOutLength, p.crossfadeOutLength);
                for (int k = a; k < b; ++k)
                {
                    const int64_t t = position + k - p.audioStart;
                    const auto g = t >= plainFrom && t < plainTo ? 1.0f : (float) album::trackFadeGain (p, t);
                    dry[0][(size_t) (index + k)] += channels[2 * lane][k] * g;
                    dry[1][(size_t) (index + k)] += channels[2 * lane + 1][k] * g;
                }
            }
        });
    return stream.advance (n);
}

} // namespace crest::live
