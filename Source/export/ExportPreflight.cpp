#include "export/ExportPreflight.h"

#include "album/SourceAudio.h"
#include "album/Timeline.h"
#include "engine/PluginSlots.h"
#include "export/RedBookPreflight.h"
#include "export/TargetDescriptor.h"
#include "export/VinylChecks.h"
#include "session/SessionFile.h"
#include "session/Versions.h"

#include <algorithm>
#include <cmath>

namespace crest::delivery
{
namespace
{
    using session::DeliverableTarget;

    std::string name (DeliverableTarget t)
    {
        return session::targetName (t);
    }

    DeliveryFinding error (const std::string& target, const std::string& check, const std::string& message, int track = 0)
    {
        return { target, check, Severity::error, track, std::nullopt, message };
    }

    DeliveryFinding warning (const std::string& target, const std::string& check, const std::string& message)
    {
        return { target, check, Severity::warning, 0, std::nullopt, message };
    }

    std::string decibels (double value)
    {
        char text[32];
        std::snprintf (text, sizeof (text), "%.1f", value);
        return text;
    }
} // namespace

std::string describePreflight (const DeliveryFinding& f)
{
    std::string where = f.target;
    if (f.track > 0)
        where += (where.empty() ? "" : " ") + std::string ("track ") + std::to_string (f.track);
    return (where.empty() ? std::string() : where + ": ") + toString (f.severity) + ": " + f.check + ": " + f.message;
}

const DeliveryFinding* firstPreflightError (const std::vector<DeliveryFinding>& findings)
{
    for (const auto& f : findings)
        if (f.severity == Severity::error)
            return &f;
    return nullptr;
}

namespace
{
    /** What holds for any target: plugins that are missing here, and the approvals. */
    void checkSessionWide (
        const session::Session& working, const std::vector<std::string>& trackVersions, std::vector<DeliveryFinding>& findings)
    {
        for (const auto& missing : engine::missingPlugins (working.chain))
            findings.push_back (warning ("session", "plugin", "album chain: " + missing));
        for (size_t i = 0; i < working.tracks.size(); ++i)
            if (working.tracks[i].chain)
                for (const auto& missing : engine::missingPlugins (*working.tracks[i].chain))
                {
                    auto f = warning ("session", "plugin", "its own chain: " + missing);
                    f.track = (int) i + 1;
                    findings.push_back (std::move (f));
                }
        if (working.versions.empty())
            return;
        for (size_t i = 0; i < working.tracks.size(); ++i)
        {
            const bool approved = i < trackVersions.size() && ! trackVersions[i].empty();
            DeliveryFinding f { "session", "approval", approved ? Severity::info : Severity::warning, (int) i + 1, std::nullopt,
                approved ? "delivered from approved version '" + trackVersions[i] + "'"
                         : "not approved at any version; delivered from the working state" };
            findings.push_back (std::move (f));
        }
    }
} // namespace

std::vector<DeliveryFinding> preflightRelease (const session::Session& working, const std::vector<DeliverableTarget>& asked)
{
    // Checked as it will be delivered: each approved track in its version's state.
    const auto delivery = session::deliverySession (working);
    const auto& session = delivery.session;
    std::vector<DeliveryFinding> findings;
    checkSessionWide (working, delivery.trackVersions, findings);
    const auto targets = asked.empty() ? session.deliverables.targets : asked;
    if (targets.empty())
        findings.push_back (error ("", "targets",
            "no targets: tick at least one in the export dialog (or give crest export --targets " + session::targetNameList (",")
                + ")"));
    if (session.tracks.empty())
        findings.push_back (error ("", "tracks", "the session has no tracks"));
    for (const auto& missing : session::SessionFile::missingSources (session))
        findings.push_back (error ("", "source", missing.message(), missing.trackNumber));
    if (firstPreflightError (findings) != nullptr)
        return findings;

    auto wants = [&] (DeliverableTarget t) { return std::find (targets.begin(), targets.end(), t) != targets.end(); };
    auto wantsCheck = [&] (unsigned check)
    { return std::any_of (targets.begin(), targets.end(), [check] (auto t) { return (describe (t).checks & check) != 0; }); };
    const auto& d = session.deliverables;

    std::string problem;
    const double rate = album::SourceAudio::sessionRate (session, problem);
    if (rate <= 0.0)
    {
        findings.push_back (error ("", "source", problem, 1));
        return findings;
    }
    if (wantsCheck (codecClipping) && rate < 44100.0)
        findings.push_back (error (name (DeliverableTarget::adm), "rate",
            "Apple Digital Masters need 44.1 kHz or higher; the session runs at " + std::to_string ((int) rate) + " Hz"));

    if (wantsCheck (redBookPreflight))
    {
        const auto cdTarget = name (wants (DeliverableTarget::cd) ? DeliverableTarget::cd : DeliverableTarget::ddp);
        if (const auto timeline = album::Timeline::fromSources (session, album::Alignment::cdFrames, problem))
        {
            for (auto f : preflightRedBook (timeline->cdLayout (session)))
            {
                if (f.target.empty())
                    f.target = cdTarget;
                findings.push_back (std::move (f));
            }
        }
        else
            findings.push_back (error (cdTarget, "layout", problem));
        if (! ditherFor (describe (DeliverableTarget::cd), d))
            findings.push_back (error (cdTarget, "dither", "unknown dither curve '" + d.cdDither + "' (none, tpdf, shaped)"));
    }
    if (wants (DeliverableTarget::hires))
    {
        if (d.hiresFormat != "wav" && d.hiresFormat != "flac")
            findings.push_back (
                error (name (DeliverableTarget::hires), "format", "the format must be wav or flac, not '" + d.hiresFormat + "'"));
        if (wantsCheck (upsampledRate) && d.hiresSampleRate > rate)
            findings.push_back (warning (name (DeliverableTarget::hires), "upsampled",
                "the session runs at " + std::to_string ((int) rate) + " Hz and the hi-res files are upsampled to "
                    + std::to_string ((int) d.hiresSampleRate)
                    + " Hz: they hold no more than the session's bandwidth (not real hi-res)"));
    }
    if (wantsCheck (vinylCut))
    {
        vinylSides (d.vinyl, (int) session.tracks.size(), problem);
        if (! problem.empty())
            findings.push_back (error (name (DeliverableTarget::vinyl), "sides", problem));
    }

    // The platforms' advice for what is uploaded to them (Spotify, Amazon: -1 dBTP at most,
    // -2 dBTP when the master is louder than -14 LUFS, or their encoders clip).
    if (wants (DeliverableTarget::streaming))
    {
        const auto streaming = name (DeliverableTarget::streaming);
        if (d.ceilingDbtp > -1.0)
            findings.push_back (warning (streaming, "platform-ceiling",
                "the ceiling is " + decibels (d.ceilingDbtp)
                    + " dBTP: the streaming platforms ask for -1 dBTP or lower, or their lossy encoding may clip"));
        else if (d.streamingLufs && *d.streamingLufs > -14.0 && d.ceilingDbtp > -2.0)
            findings.push_back (warning (streaming, "platform-ceiling",
                "the tracks are normalised to " + decibels (*d.streamingLufs) + " LUFS with a ceiling of "
                    + decibels (d.ceilingDbtp) + " dBTP: above -14 LUFS Spotify asks for -2 dBTP or lower"));
        if (d.streamingLufs && *d.streamingLufs > -9.0)
            findings.push_back (warning (streaming, "platform-loudness",
                "the tracks are normalised to " + decibels (*d.streamingLufs)
                    + " LUFS: every platform turns them down to -14 to -16 LUFS, so the extra loudness costs dynamics for "
                      "nothing"));
    }
    return findings;
}

} // namespace crest::delivery
