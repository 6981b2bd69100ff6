#include "album/Timeline.h"

#include "engine/SampleRateConversion.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <sstream>

namespace crest::album
{
namespace
{
    std::string seconds (double s)
    {
        std::ostringstream out;
        out.precision (6);
        out << s << " s";
        return out.str();
    }

    std::string trackName (size_t index) { return "track " + std::to_string (index + 1); }

    /** Frames round half up, as a person reading a clock would. */
    int64_t nearestFrames (double secondsValue) { return (int64_t) std::floor (secondsValue * cdFramesPerSecond + 0.5); }

    int64_t ceilTo (int64_t position, int64_t step) { return (position + step - 1) / step * step; }
    int64_t nearestTo (int64_t position, int64_t step) { return (position + step / 2) / step * step; }
} // namespace

int64_t Timeline::samplesPerCdFrame() const noexcept
{
    const double perFrame = rate / cdFramesPerSecond;
    return perFrame == std::floor (perFrame) && perFrame > 0.0 ? (int64_t) perFrame : 0;
}

std::optional<Timeline> Timeline::build (const session::Session& session, const std::vector<engine::AudioFileInfo>& sources,
                                         Alignment alignment, std::string& error)
{
    const auto& tracks = session.tracks;
    if (tracks.empty())
    {
        error = "the session has no tracks";
        return std::nullopt;
    }
    if (sources.size() != tracks.size())
    {
        error = "the timeline needs one source description per track (" + std::to_string (tracks.size()) + " tracks, "
                + std::to_string (sources.size()) + " sources)";
        return std::nullopt;
    }

    Timeline timeline;
    timeline.align = alignment;
    timeline.rate = session.sampleRate > 0.0 ? session.sampleRate : sources.front().sampleRate;
    const double rate = timeline.rate;
    if (! (rate > 0.0))
    {
        error = trackName (0) + " (" + tracks.front().source + "): its sample rate is unknown";
        return std::nullopt;
    }

    const bool cd = alignment == Alignment::cdFrames;
    const int64_t frame = timeline.samplesPerCdFrame();
    if (cd && frame == 0)
    {
        error = "CD frame alignment needs a session rate that is a whole multiple of 75 Hz; " + std::to_string ((int) rate)
                + " Hz is not";
        return std::nullopt;
    }

    auto toSamples = [rate] (double s) { return (int64_t) std::llround (s * rate); };
    auto fail = [&error] (size_t index, const std::string& message)
    {
        error = trackName (index) + ": " + message;
        return std::nullopt;
    };

    auto& placements = timeline.placements;
    placements.resize (tracks.size());

    // Source ranges, fades and overlaps first: every length is known before anything is placed.
    for (size_t i = 0; i < tracks.size(); ++i)
    {
        const auto& t = tracks[i];
        const auto& source = sources[i];
        auto& p = placements[i];
        p.number = (int) i + 1;

        // A source at another rate plays converted (SourceAudio): its length at the session rate.
        if (! (source.sampleRate > 0.0))
            return fail (i, "'" + t.source + "': its sample rate is unknown");
        const int64_t sourceLength = source.sampleRate == rate ? source.lengthInSamples
                                                               : engine::SampleRateConversion::convertedLength (
                                                                   source.lengthInSamples, source.sampleRate, rate);

        if (t.trimInSeconds < 0.0)
            return fail (i, "trim_in_s must not be negative (" + seconds (t.trimInSeconds) + ")");
        p.sourceStart = toSamples (t.trimInSeconds);
        p.sourceEnd = sourceLength;
        if (t.trimOutSeconds)
        {
            if (*t.trimOutSeconds < 0.0)
                return fail (i, "trim_out_s must not be negative (" + seconds (*t.trimOutSeconds) + ")");
            const auto out = toSamples (*t.trimOutSeconds);
            if (out > sourceLength)
                return fail (i, "trim_out_s " + seconds (*t.trimOutSeconds) + " is beyond the end of '" + t.source + "' ("
                                    + seconds ((double) sourceLength / rate) + ")");
            p.sourceEnd = out;
        }
        if (p.sourceStart >= p.sourceEnd)
            return fail (i, "nothing is left to play: the trims leave no audio of '" + t.source + "'");

        const int64_t length = p.length();
        for (const auto& [key, fade] : { std::pair { "fade_in_s", &t.fadeIn }, std::pair { "fade_out_s", &t.fadeOut } })
        {
            if (fade->seconds < 0.0)
                return fail (i, std::string (key) + " must not be negative (" + seconds (fade->seconds) + ")");
            if (toSamples (fade->seconds) > length)
                return fail (i, std::string (key) + " must not be longer than the track (" + seconds (fade->seconds) + " > "
                                    + seconds ((double) length / rate) + ")");
        }
        p.fadeInLength = toSamples (t.fadeIn.seconds);
        p.fadeInCurve = t.fadeIn.curve;
        p.fadeOutLength = toSamples (t.fadeOut.seconds);
        p.fadeOutCurve = t.fadeOut.curve;

        if (t.gapSeconds < 0.0)
            return fail (i, "gap_s must not be negative (" + seconds (t.gapSeconds) + ")");

        if (t.crossfade)
        {
            if (i == 0)
                return fail (i, "the first track cannot crossfade: there is no track before it");
            if (t.crossfade->seconds < 0.0)
                return fail (i, "crossfade_s must not be negative (" + seconds (t.crossfade->seconds) + ")");
            const int64_t overlap = toSamples (t.crossfade->seconds);
            if (overlap > length || overlap > placements[i - 1].length())
                return fail (i, "crossfade_s must not be longer than either track (" + seconds (t.crossfade->seconds) + ")");
            p.crossfadeInLength = overlap;
            p.crossfadeInCurve = t.crossfade->curve;
            placements[i - 1].crossfadeOutLength = overlap;
            placements[i - 1].crossfadeOutCurve = t.crossfade->curve;
            if (placements[i - 1].crossfadeInLength + overlap > placements[i - 1].length())
                return fail (i - 1, "the crossfades into and out of it overlap; together they must not be longer than the track");
        }
    }

    // Then place them, track after track.
    int64_t previousAudioEnd = 0;
    for (size_t i = 0; i < tracks.size(); ++i)
    {
        const auto& t = tracks[i];
        auto& p = placements[i];
        if (i == 0 || (! t.crossfade && t.gapSeconds > 0.0))
        {
            // After a gap: the gap is silence, so the audio can start exactly on a mark.
            p.pregapStart = cd ? ceilTo (previousAudioEnd, frame) : previousAudioEnd;
            p.start = p.pregapStart + (cd ? nearestFrames (t.gapSeconds) * frame : toSamples (t.gapSeconds));
            p.audioStart = p.start;
        }
        else
        {
            // Gapless or crossfading: the audio is continuous; only the mark may move.
            p.audioStart = previousAudioEnd - p.crossfadeInLength;
            p.start = cd ? nearestTo (p.audioStart, frame) : p.audioStart;
            p.pregapStart = p.start;
            if (p.start <= placements[i - 1].start)
                return fail (i, "starts on the same " + std::string (cd ? "CD frame" : "sample") + " as the track before it");
        }
        p.audioEnd = p.audioStart + p.length();
        p.ownAudioEnd = p.audioEnd; // less the next crossfade, below
        if (i > 0)
        {
            placements[i - 1].end = p.pregapStart;
            placements[i - 1].ownAudioEnd = placements[i - 1].audioEnd - p.crossfadeInLength;
        }
        previousAudioEnd = p.audioEnd;
    }
    timeline.length = cd ? ceilTo (previousAudioEnd, frame) : previousAudioEnd;
    placements.back().end = timeline.length;

    // Index points, now that every track's end is known.
    for (size_t i = 0; i < tracks.size(); ++i)
    {
        auto& p = placements[i];
        auto points = tracks[i].indexPoints;
        std::sort (points.begin(), points.end());
        int64_t previous = p.start;
        for (const double s : points)
        {
            const int64_t position = p.start + (cd ? nearestFrames (s) * frame : toSamples (s));
            if (s <= 0.0 || position >= p.end)
                return fail (i, "index point " + seconds (s) + " must lie inside the track (after its start, before its end at "
                                    + seconds ((double) (p.end - p.start) / rate) + ")");
            if (position <= previous)
                return fail (i, "index point " + seconds (s) + " falls on the same " + (cd ? "CD frame" : "sample")
                                    + " as the mark before it");
            p.indexPoints.push_back (position);
            previous = position;
        }
    }
    return timeline;
}

std::optional<Timeline> Timeline::fromSources (const session::Session& session, Alignment alignment, std::string& error)
{
    std::vector<engine::AudioFileInfo> sources;
    for (size_t i = 0; i < session.tracks.size(); ++i)
    {
        const auto& path = session.tracks[i].source;
        std::string why;
        auto input = engine::AudioFileInput::open (path, why);
        if (input == nullptr)
        {
            error = trackName (i) + ": " + path + ": " + why;
            return std::nullopt;
        }
        sources.push_back (input->info());
    }
    return build (session, sources, alignment, error);
}

CdLayout Timeline::cdLayout (const session::Session& session) const
{
    const int64_t frame = samplesPerCdFrame();
    assert (align == Alignment::cdFrames && frame > 0);
    auto frames = [frame] (int64_t position)
    {
        assert (position % frame == 0);
        return position / frame;
    };

    CdLayout layout;
    layout.totalFrames = frames (length);
    layout.upc = session.album.upc;
    layout.catalogueNumber = session.album.catalogueNumber;
    if (! session.album.language.empty())
        layout.language = session.album.language;
    const auto& a = session.album;
    layout.text = { a.title, a.performer, a.songwriter, a.composer, a.arranger, a.message };

    for (size_t i = 0; i < placements.size(); ++i)
    {
        const auto& p = placements[i];
        const auto& t = session.tracks[i];
        CdTrack track;
        track.number = p.number;
        track.pregapFrame = frames (p.pregapStart);
        track.startFrame = frames (p.start);
        for (const auto position : p.indexPoints)
            track.indexFrames.push_back (frames (position));
        track.endFrame = frames (p.end);
        track.isrc = t.isrc;
        track.text = { t.title, t.performer, t.songwriter, t.composer, t.arranger, t.message };
        layout.tracks.push_back (std::move (track));
    }
    return layout;
}

} // namespace crest::album
