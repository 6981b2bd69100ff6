#include "export/RedBookPreflight.h"

#include "export/CdText.h"
#include "session/DeliverableTarget.h"
#include "session/Identifiers.h"

#include <cstdio>
#include <set>

namespace crest::delivery
{

std::string cdTime (int64_t frames)
{
    const bool negative = frames < 0;
    if (negative)
        frames = -frames;
    char s[32];
    std::snprintf (s, sizeof (s), "%s%02lld:%02lld:%02lld", negative ? "-" : "", (long long) (frames / (75 * 60)),
                   (long long) (frames / 75 % 60), (long long) (frames % 75));
    return s;
}

bool hasErrors (const std::vector<DeliveryFinding>& findings)
{
    for (const auto& f : findings)
        if (f.severity == Severity::error)
            return true;
    return false;
}

std::vector<DeliveryFinding> preflightRedBook (const album::CdLayout& layout)
{
    std::vector<DeliveryFinding> findings;
    auto add = [&] (Severity severity, int track, const char* check, const std::string& message) {
        DeliveryFinding f;
        f.target = session::targetName (session::DeliverableTarget::cd);
        f.check = check;
        f.severity = severity;
        f.track = track;
        f.message = message;
        findings.push_back (f);
    };
    auto trackName = [] (int n) { return "track " + std::to_string (n); };

    const auto numTracks = layout.tracks.size();
    if (numTracks < 1 || numTracks > 99)
        add (Severity::error, 0, "track-count",
             "a CD holds 1 to 99 tracks; this one has " + std::to_string (numTracks));

    for (size_t i = 0; i < numTracks; ++i)
    {
        const auto& t = layout.tracks[i];
        const int n = t.number;
        if (n != (int) i + 1)
            add (Severity::error, n, "track-count",
                 "tracks must be numbered 1, 2, 3, ... in order; position " + std::to_string (i + 1) + " is numbered "
                     + std::to_string (n));

        if (t.pregapFrame > t.startFrame || t.startFrame >= t.endFrame)
            add (Severity::error, n, "layout",
                 trackName (n) + " positions are out of order (INDEX 00 " + cdTime (t.pregapFrame) + ", INDEX 01 "
                     + cdTime (t.startFrame) + ", end " + cdTime (t.endFrame) + ")");
        const int64_t expectedEnd = i + 1 < numTracks ? layout.tracks[i + 1].pregapFrame : layout.totalFrames;
        if (t.endFrame != expectedEnd)
            add (Severity::error, n, "layout",
                 trackName (n) + " ends at " + cdTime (t.endFrame) + " but "
                     + (i + 1 < numTracks ? "the next track begins" : "the disc ends") + " at " + cdTime (expectedEnd));

        const int64_t length = t.endFrame - t.startFrame;
        if (length < 4 * album::cdFramesPerSecond)
            add (Severity::error, n, "track-length",
                 trackName (n) + " is " + cdTime (length) + " long; Red Book requires at least 4 seconds (00:04:00)");

        int64_t previous = t.startFrame;
        for (size_t k = 0; k < t.indexFrames.size(); ++k)
        {
            const auto frame = t.indexFrames[k];
            char label[24];
            std::snprintf (label, sizeof (label), "INDEX %02d", (int) k + 2);
            if (frame <= previous || frame >= t.endFrame)
                add (Severity::error, n, "index-points",
                     trackName (n) + " " + label + " at " + cdTime (frame) + " must lie after the previous index ("
                         + cdTime (previous) + ") and before the track's end (" + cdTime (t.endFrame) + ")");
            previous = frame;
        }
        if (t.indexFrames.size() > 98)
            add (Severity::error, n, "index-points", trackName (n) + " has more than 99 index points");

        if (! t.isrc.empty())
            if (const auto problem = session::isrcProblem (t.isrc); ! problem.empty())
                add (Severity::error, n, "isrc", trackName (n) + ": " + problem);
    }

    if (numTracks > 0)
    {
        const auto& first = layout.tracks.front();
        if (first.pregapFrame != 0)
            add (Severity::error, first.number, "first-pregap",
                 "track 1 INDEX 00 must be at the start of the disc (00:00:00), not " + cdTime (first.pregapFrame));
        if (first.startFrame - first.pregapFrame < album::cdStandardFirstPregapFrames)
            add (Severity::error, first.number, "first-pregap",
                 "track 1 starts " + cdTime (first.startFrame - first.pregapFrame)
                     + " into the disc; Red Book requires a pregap of at least 2 seconds (00:02:00)");
    }

    if (layout.totalFrames > redBookMaximumFrames)
        add (Severity::error, 0, "disc-length",
             "the disc is " + cdTime (layout.totalFrames) + " long; the most a CD holds is 79:57:74");
    else if (layout.totalFrames > redBookSafeFrames)
        add (Severity::warning, 0, "disc-length",
             "the disc is " + cdTime (layout.totalFrames)
                 + " long, over 74 minutes: some plants and older players do not accept discs this long");

    std::set<std::string> seen;
    for (const auto& t : layout.tracks)
        if (! t.isrc.empty() && ! seen.insert (t.isrc).second)
            add (Severity::warning, t.number, "isrc",
                 trackName (t.number) + " repeats ISRC " + session::formatIsrc (t.isrc)
                     + " (each recording has its own, unless this is the same recording again)");

    if (! layout.upc.empty())
        if (const auto problem = session::upcProblem (layout.upc); ! problem.empty())
            add (Severity::error, 0, "upc", problem);

    // CD-Text: the packer refuses text it cannot put on a disc; its reason names the field.
    std::string error;
    bool charsetGood = true;
    auto checkText = [&] (const album::CdText& text, int track) {
        for (const auto* s : { &text.title, &text.performer, &text.songwriter, &text.composer, &text.arranger, &text.message })
        {
            std::string latin1, problem;
            if (! utf8ToLatin1 (*s, latin1, problem))
            {
                charsetGood = false;
                add (Severity::error, track, "cd-text-charset",
                     (track == 0 ? std::string ("album") : trackName (track)) + " CD-Text \"" + *s + "\" " + problem);
            }
        }
    };
    checkText (layout.text, 0);
    for (const auto& t : layout.tracks)
        checkText (t.text, t.number);

    if (charsetGood && ! packCdText (layout, error))
        add (Severity::error, 0, "cd-text-size", error);

    if (hasCdText (layout) && ! cdTextLanguageCode (layout.language.empty() ? "en" : layout.language))
        add (Severity::warning, 0, "cd-text-language",
             "CD-Text cannot name the language \"" + layout.language + "\"; it will be marked as unknown");

    return findings;
}

} // namespace crest::delivery
