#include "live/ClientViewModel.h"

#include "session/DifferenceText.h"
#include "session/Versions.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace crest::live
{

ClientViewModel::ClientViewModel (const ClientFeed& f) : feed (f) { }

std::string clockText (double seconds)
{
    const bool negative = seconds < 0.0;
    const auto tenths = (long long) std::floor (std::abs (seconds) * 10.0 + 0.5);
    char text[48];
    std::snprintf (text, sizeof (text), "%s%lld:%02lld.%lld", negative ? "-" : "", tenths / 600, (tenths / 10) % 60, tenths % 10);
    return text;
}

namespace
{
    std::string lufsText (const std::optional<float>& lufs)
    {
        if (! lufs || ! std::isfinite (*lufs))
            return "-";
        char text[32];
        std::snprintf (text, sizeof (text), "%.1f LUFS", *lufs);
        return text;
    }
} // namespace

void ClientViewModel::refresh (const std::string& time)
{
    const auto& s = feed.session();
    const int track = feed.currentTrack();
    const bool hasTrack = track >= 0 && (size_t) track < s.tracks.size();
    if (hasTrack)
    {
        const auto& title = s.tracks[(size_t) track].title;
        trackText = std::to_string (track + 1) + "  " + (title.empty() ? "Track " + std::to_string (track + 1) : title);
    }
    else
        trackText = "Not playing";
    positionText = clockText (feed.trackPositionSeconds());
    heardText = feed.heard();

    const auto& meters = feed.outputMeters();
    integratedText = lufsText (meters.integratedLufs);
    shortTermText = lufsText (meters.shortTermLufs);
    const auto platform = feed.platform();
    if (platform == Platform::none)
        targetText = "No platform target chosen";
    else
    {
        const auto& rule = platformRule (platform);
        char text[160];
        if (meters.integratedLufs && std::isfinite (*meters.integratedLufs))
        {
            const double offset = *meters.integratedLufs - rule.targetLufs;
            std::snprintf (text, sizeof (text), "%s target %.0f LUFS: %.1f LU %s", rule.name.c_str(), rule.targetLufs,
                std::abs (offset), offset >= 0.0 ? "over" : "under");
        }
        else
            std::snprintf (text, sizeof (text), "%s target %.0f LUFS", rule.name.c_str(), rule.targetLufs);
        targetText = text;
    }

    runningOrder.clear();
    for (size_t i = 0; i < s.tracks.size(); ++i)
    {
        const auto& t = s.tracks[i];
        RunningOrderLine line;
        line.number = (int) i + 1;
        line.title = t.title.empty() ? "Track " + std::to_string (i + 1) : t.title;
        line.approved = ! t.approvedVersion.empty();
        line.state = line.approved ? "approved: " + t.approvedVersion : std::string ("working state (not approved)");
        line.playing = hasTrack && (int) i == track;
        runningOrder.push_back (line);
    }

    // The log: what changed in the mastering state since the last refresh, in the versions' words.
    auto now = session::captureVersion (s, "", "", "");
    std::vector<std::string> approvals, versions;
    for (const auto& t : s.tracks)
        approvals.push_back (t.approvedVersion);
    for (const auto& v : s.versions)
        versions.push_back (v.name);
    if (lastState)
    {
        auto lines = session::describeDifference (*lastState, now);
        for (const auto& name : versions)
            if (std::find (lastVersions.begin(), lastVersions.end(), name) == lastVersions.end())
                lines.push_back ("Saved as version '" + name + "'");
        if (approvals.size() == lastApprovals.size())
            for (size_t i = 0; i < approvals.size(); ++i)
                if (approvals[i] != lastApprovals[i])
                    lines.push_back ("Track " + std::to_string (i + 1)
                        + (approvals[i].empty() ? ": approval withdrawn" : " approved at version '" + approvals[i] + "'"));
        for (const auto& line : lines)
            entries.push_front ({ time, line });
        while (entries.size() > maximumLogEntries)
            entries.pop_back();
    }
    lastState = std::move (now);
    lastApprovals = std::move (approvals);
    lastVersions = std::move (versions);
}

} // namespace crest::live
