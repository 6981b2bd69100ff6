#include "album/AlbumRenderer.h"

#include "album/SourceAudio.h"

#include "album/Fades.h"
#include "engine/AudioFileInput.h"
#include "engine/ChainStream.h"

#include <algorithm>
#include <cmath>

namespace crest::album
{
namespace
{
    std::string trackName (int number) { return "track " + std::to_string (number); }

    /** A track's source after trims, with its gain offset, as a stereo stream. */
    class TrackSource : public engine::AudioStream
    {
    public:
        TrackSource (std::unique_ptr<engine::AudioFileInput> file, const TrackPlacement& placement, double gainDb, int blockSize)
            : input (std::move (file)),
              where (trackName (placement.number) + ": " + input->info().path),
              toSkip (placement.sourceStart),
              remaining (placement.length()),
              length (placement.length()),
              gain ((float) std::pow (10.0, gainDb / 20.0)),
              buffer (std::max (2, input->info().numChannels), std::max (1, blockSize))
        {
        }

        double sampleRate() const override { return input->info().sampleRate; }
        int numChannels() const override { return 2; }
        int64_t lengthInSamples() const override { return length; }
        const char* error() const override { return failure.c_str(); }

        int read (float* const* channels, int numSamples) override
        {
            // The trim-in is skipped by reading: files are read forwards only.
            while (toSkip > 0)
            {
                const int got = input->read (buffer, (int) std::min<int64_t> (toSkip, buffer.getNumSamples()));
                if (got <= 0)
                    return endedEarly();
                toSkip -= got;
            }

            int written = 0;
            while (written < numSamples && remaining > 0)
            {
                const int want = (int) std::min<int64_t> ({ (int64_t) (numSamples - written), remaining, (int64_t) buffer.getNumSamples() });
                const int got = input->read (buffer, want);
                if (got <= 0)
                    return endedEarly();
                const bool mono = input->info().numChannels == 1;
                for (int c = 0; c < 2; ++c)
                {
                    const float* from = buffer.getReadPointer (mono ? 0 : c);
                    float* to = channels[c] + written;
                    for (int i = 0; i < got; ++i)
                        to[i] = from[i] * gain;
                }
                written += got;
                remaining -= got;
            }
            return written;
        }

    private:
        int endedEarly()
        {
            failure = where + ": the file ended early (truncated, or changed since the session was laid out)";
            return -1;
        }

        std::unique_ptr<engine::AudioFileInput> input;
        std::string where;
        int64_t toSkip, remaining, length;
        float gain;
        juce::AudioBuffer<float> buffer;
        std::string failure;
    };

    /** One track being played onto the album: its chain's output with its fades. */
    struct Voice
    {
        const TrackPlacement* placement = nullptr;
        std::unique_ptr<engine::ChainStream> stream;
        int64_t t = 0; // the next sample's index within the track's audio
        std::vector<float> left, right;

        /** Gain of the track's own fades and crossfades at sample t of its audio. */
        double gainAt (int64_t i) const noexcept { return trackFadeGain (*placement, i); }

        /** Renders the next n samples (n <= the block size) and adds them to out, or only
            advances when out is null. Returns false on a failure. */
        bool render (float* outLeft, float* outRight, int n)
        {
            float* channels[2] = { left.data(), right.data() };
            int done = 0;
            while (done < n)
            {
                float* at[2] = { channels[0] + done, channels[1] + done };
                const int got = stream->read (at, n - done);
                if (got <= 0)
                    return false;
                done += got;
            }
            if (outLeft != nullptr)
            {
                const auto& p = *placement;
                const int64_t length = p.length();
                const int64_t plainFrom = std::max (p.fadeInLength, p.crossfadeInLength);
                const int64_t plainTo = length - std::max (p.fadeOutLength, p.crossfadeOutLength);
                for (int k = 0; k < n; ++k)
                {
                    const int64_t i = t + k;
                    if (i >= plainFrom && i < plainTo)
                    {
                        outLeft[k] += left[(size_t) k];
                        outRight[k] += right[(size_t) k];
                    }
                    else
                    {
                        const auto g = (float) gainAt (i);
                        outLeft[k] += left[(size_t) k] * g;
                        outRight[k] += right[(size_t) k] * g;
                    }
                }
            }
            t += n;
            return true;
        }
    };
} // namespace

struct AlbumStream::State
{
    session::Session session;
    Timeline timeline;
    int64_t rangeStart = 0, rangeEnd = 0, position = 0;
    int block = defaultBlockSize;
    std::vector<std::unique_ptr<Voice>> voices; // per track, alive while its audio plays
    size_t firstLive = 0;                       // tracks before this have finished
    std::string failure;

    State (const session::Session& s, const Timeline& t) : session (s), timeline (t) {}

    bool startVoice (size_t index)
    {
        const auto& p = timeline.tracks()[index];
        const auto& track = session.tracks[index];
        std::string why;
        auto file = SourceAudio::open (track.source, timeline.sampleRate(), session.sourceCache, why);
        if (file == nullptr)
        {
            failure = trackName (p.number) + ": " + why;
            return false;
        }
        auto source = std::make_unique<TrackSource> (std::move (file), p, track.gainDb, block);
        auto stream = engine::ChainStream::create (std::move (source), track.chain ? *track.chain : session.chain, block, why);
        if (stream == nullptr)
        {
            failure = trackName (p.number) + ": its chain: " + why;
            return false;
        }
        auto voice = std::make_unique<Voice>();
        voice->placement = &p;
        voice->stream = std::move (stream);
        voice->left.resize ((size_t) block);
        voice->right.resize ((size_t) block);

        // Starting inside the track (a per-track stream after a crossfade): run it up to here,
        // so its chain's state is what it is on the album.
        for (int64_t behind = position - p.audioStart; behind > 0;)
        {
            const int n = (int) std::min<int64_t> (behind, block);
            if (! voice->render (nullptr, nullptr, n))
                return voiceFailed (*voice);
            behind -= n;
        }
        voices[index] = std::move (voice);
        return true;
    }

    bool voiceFailed (const Voice& voice)
    {
        failure = voice.stream->error();
        if (failure.empty())
            failure = trackName (voice.placement->number) + ": " + session.tracks[(size_t) voice.placement->number - 1].source
                      + ": the audio ended early";
        return false;
    }

    /** Renders [position, position + n) (n <= block) into out, which is cleared first. */
    bool renderChunk (float* left, float* right, int n)
    {
        std::fill_n (left, n, 0.0f);
        std::fill_n (right, n, 0.0f);
        const auto& tracks = timeline.tracks();
        while (firstLive < tracks.size() && tracks[firstLive].audioEnd <= position)
            voices[firstLive++].reset();

        const int64_t chunkEnd = position + n;
        for (size_t k = firstLive; k < tracks.size() && tracks[k].audioStart < chunkEnd; ++k)
        {
            const auto& p = tracks[k];
            if (p.audioEnd <= position)
                continue;
            if (voices[k] == nullptr && ! startVoice (k))
                return false;
            const int64_t from = std::max (position, p.audioStart), to = std::min (chunkEnd, p.audioEnd);
            auto& voice = *voices[k];
            if (! voice.render (left + (from - position), right + (from - position), (int) (to - from)))
                return voiceFailed (voice);
            if (to == p.audioEnd)
                voices[k].reset(); // frees the file and the chain as soon as the track ends
        }
        position = chunkEnd;
        return true;
    }
};

AlbumStream::AlbumStream (std::unique_ptr<State> s) : state (std::move (s)) {}
AlbumStream::~AlbumStream() = default;

namespace
{
    /** Every source opens and has one or two channels (checked before any audio is rendered;
        one at another rate is converted when its voice starts, SourceAudio). */
    bool checkSources (const session::Session& session, const Timeline& timeline, std::string& error)
    {
        if (session.tracks.size() != timeline.tracks().size())
        {
            error = "the timeline was built from another session (" + std::to_string (timeline.tracks().size()) + " tracks, the session has "
                    + std::to_string (session.tracks.size()) + ")";
            return false;
        }
        for (size_t i = 0; i < session.tracks.size(); ++i)
        {
            const auto& path = session.tracks[i].source;
            std::string why;
            auto file = engine::AudioFileInput::open (path, why);
            if (file == nullptr)
            {
                error = trackName ((int) i + 1) + ": " + path + ": " + why;
                return false;
            }
            if (file->info().numChannels > 2)
            {
                error = trackName ((int) i + 1) + ": " + path + ": the mastering chain works on mono and stereo; this file has "
                        + std::to_string (file->info().numChannels) + " channels";
                return false;
            }
        }
        return true;
    }
} // namespace

std::unique_ptr<AlbumStream> AlbumStream::album (const session::Session& session, const Timeline& timeline, std::string& error,
                                                 int blockSize)
{
    if (! checkSources (session, timeline, error))
        return nullptr;
    auto s = std::make_unique<State> (session, timeline);
    s->block = std::max (1, blockSize);
    s->voices.resize (session.tracks.size());
    s->rangeStart = s->position = 0;
    s->rangeEnd = timeline.lengthInSamples();
    return std::unique_ptr<AlbumStream> (new AlbumStream (std::move (s)));
}

std::unique_ptr<AlbumStream> AlbumStream::track (const session::Session& session, const Timeline& timeline, int index, std::string& error,
                                                 int blockSize)
{
    if (index < 0 || (size_t) index >= timeline.tracks().size())
    {
        error = "there is no track " + std::to_string (index + 1) + " (the album has " + std::to_string (timeline.tracks().size())
                + ")";
        return nullptr;
    }
    if (! checkSources (session, timeline, error))
        return nullptr;
    auto s = std::make_unique<State> (session, timeline);
    s->block = std::max (1, blockSize);
    s->voices.resize (session.tracks.size());
    const auto& p = timeline.tracks()[(size_t) index];
    s->rangeStart = s->position = p.audioStart;
    s->rangeEnd = p.ownAudioEnd;
    // Tracks that end before this one's audio begins play no part.
    while (s->firstLive < (size_t) index && timeline.tracks()[s->firstLive].audioEnd <= p.audioStart)
        ++s->firstLive;
    return std::unique_ptr<AlbumStream> (new AlbumStream (std::move (s)));
}

double AlbumStream::sampleRate() const { return state->timeline.sampleRate(); }
int64_t AlbumStream::lengthInSamples() const { return state->rangeEnd - state->rangeStart; }
const char* AlbumStream::error() const { return state->failure.c_str(); }
int64_t AlbumStream::position() const noexcept { return state->position; }

int AlbumStream::read (float* const* channels, int numSamples)
{
    auto& s = *state;
    const int n = (int) std::min<int64_t> (numSamples, s.rangeEnd - s.position);
    int done = 0;
    while (done < n)
    {
        const int chunk = std::min (s.block, n - done);
        if (! s.renderChunk (channels[0] + done, channels[1] + done, chunk))
            return -1;
        done += chunk;
    }
    return std::max (0, n);
}

} // namespace crest::album
