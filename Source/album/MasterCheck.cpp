#include "album/MasterCheck.h"

#include "album/AlbumRenderer.h"
#include "session/SessionFile.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace crest::album
{
namespace
{
    std::string format (const char* pattern, double a, double b = 0.0)
    {
        char text[256];
        std::snprintf (text, sizeof (text), pattern, a, b);
        return text;
    }

    /** "The mix ..." becomes "The master ...": the sentences of the kept checks speak of the
        programme, and here the programme is the master. */
    std::string aboutTheMaster (std::string message)
    {
        for (const auto* from : { "The mix", "the mix" })
            for (auto at = message.find (from); at != std::string::npos; at = message.find (from, at + 1))
                message.replace (at, 7, from[0] == 'T' ? "The master" : "the master");
        return message;
    }

    /** A track with only what shapes its sound (no titles, codes, IDs or index points). */
    session::Track soundOf (const session::Track& t)
    {
        session::Track s;
        s.source = t.source;
        s.trimInSeconds = t.trimInSeconds;
        s.trimOutSeconds = t.trimOutSeconds;
        s.gainDb = t.gainDb;
        s.fadeIn = t.fadeIn;
        s.fadeOut = t.fadeOut;
        s.gapSeconds = 0.0; // its place is in the placement figures below
        s.crossfade = t.crossfade;
        s.chain = t.chain;
        return s;
    }
} // namespace

std::vector<analysis::Finding> masterFindings (const analysis::TrackAnalysis& a)
{
    analysis::DeliveryFormat rendered; // a float render: no source-format findings apply
    rendered.formatName = "WAV";
    rendered.bitsPerSample = 32;
    rendered.isFloatingPoint = true;
    std::vector<analysis::Finding> kept;
    for (auto f : analysis::checkMix (a, rendered))
    {
        if (f.code == "clipping")
        {
            const double t = f.timeSeconds.value_or (0.0);
            f.message = format ("The master reaches full scale in %.0f runs of 3 or more samples (%.0f samples), first at ",
                            (double) a.clipRuns, (double) a.clippedSamples)
                + analysis::clockTime (t)
                + ": a fixed-point file will clip there; lower the gain into the limiter or its ceiling.";
        }
        else if (f.code == "inter-sample-overs")
        {
            f.message = format ("Inter-sample peaks of the master reach %+.1f dBTP", a.truePeakDbtp.value_or (0.0))
                + (f.timeSeconds ? " (first over at " + analysis::clockTime (*f.timeSeconds) + ")" : std::string())
                + ": they will clip in a DAC or a lossy encoder; use a true-peak ceiling of -1 dBTP or lower.";
        }
        else if (f.code == "over-limited")
        {
            f.message = format ("The master is heavily limited (peak-to-loudness ratio %.1f dB", a.plrDb.value_or (0.0))
                + (a.loudnessRangeLu ? format (", loudness range %.1f LU", *a.loudnessRangeLu) : std::string())
                + "): the transients are flattened; ease the limiter's input gain.";
        }
        else if (f.code == "non-finite-samples" || f.code == "dc-offset" || f.code == "phase-inverted"
            || f.code == "negative-correlation" || f.code == "low-end-mono" || f.code == "mono-loss" || f.code == "silent")
        {
            f.message = aboutTheMaster (f.message);
        }
        else
            continue; // a master's business (headroom, limiting) or the source's (format, tone, edges)
        kept.push_back (std::move (f));
    }
    return kept;
}

std::optional<MasterCheck> checkMaster (
    const session::Session& session, const Timeline& timeline, int index, std::string& error, const std::atomic<bool>* cancel)
{
    auto stream = AlbumStream::track (session, timeline, index, error);
    if (stream == nullptr)
        return std::nullopt;
    MasterCheck check;
    check.sampleRate = stream->sampleRate();
    check.albumStart = timeline.tracks()[(size_t) index].audioStart;
    check.peaks.reserve ((size_t) (stream->lengthInSamples() / MasterCheck::samplesPerPeak + 1));

    analysis::TrackAnalyser analyser;
    analyser.prepare (check.sampleRate, 2);
    // A whole number of peaks per block, so a peak never straddles two reads.
    constexpr int blockSize = MasterCheck::samplesPerPeak * 32;
    std::vector<float> left (blockSize), right (blockSize);
    float* channels[2] = { left.data(), right.data() };
    for (;;)
    {
        if (cancel != nullptr && cancel->load())
        {
            error = "cancelled";
            return std::nullopt;
        }
        const int n = stream->read (channels, blockSize);
        if (n < 0)
        {
            error = stream->error();
            return std::nullopt;
        }
        if (n == 0)
            break;
        for (int from = 0; from < n; from += MasterCheck::samplesPerPeak)
        {
            const int to = std::min (n, from + MasterCheck::samplesPerPeak);
            float peak = 0.0f;
            for (int i = from; i < to; ++i)
                peak = std::max ({ peak, std::fabs (left[(size_t) i]), std::fabs (right[(size_t) i]) });
            check.peaks.push_back (std::isfinite (peak) ? peak : 0.0f);
        }
        analyser.process (channels, n);
        check.length += n;
    }
    check.analysis = analyser.finish();
    check.findings = masterFindings (check.analysis);
    return check;
}

std::string masterFingerprint (const session::Session& session, const Timeline& timeline, int index)
{
    if (index < 0 || index >= (int) session.tracks.size() || index >= (int) timeline.tracks().size())
        return {};
    session::Session sound;
    sound.sampleRate = session.sampleRate;
    const auto& track = session.tracks[(size_t) index];
    const bool usesAlbumChain = ! track.chain.has_value();
    if (track.crossfade && index > 0)
    {
        sound.tracks.push_back (soundOf (session.tracks[(size_t) index - 1]));
        if (! session.tracks[(size_t) index - 1].chain)
            sound.chain = session.chain;
    }
    if (usesAlbumChain)
        sound.chain = session.chain;
    sound.tracks.push_back (soundOf (track));
    const auto& p = timeline.tracks()[(size_t) index];
    char placement[160];
    std::snprintf (placement, sizeof (placement), "|%.3f|%lld|%lld|%lld|%lld|%lld|%lld", timeline.sampleRate(),
        (long long) p.sourceStart, (long long) p.sourceEnd, (long long) p.crossfadeInLength, (long long) p.fadeInLength,
        (long long) p.fadeOutLength, (long long) (p.ownAudioEnd - p.audioStart));
    return session::SessionFile::toJson (sound, {}) + placement;
}

} // namespace crest::album
