#include "album/TimelineEdits.h"

#include "album/CdLayout.h"
#include "album/Timeline.h"
#include "session/Identifiers.h"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace crest::album
{

namespace
{
    std::string number (int track)
    {
        return std::to_string (track + 1);
    }

    const char* fieldName (TextField field)
    {
        switch (field)
        {
            case TextField::title:
                return "Title";
            case TextField::performer:
                return "Performer";
            case TextField::songwriter:
                return "Songwriter";
            case TextField::composer:
                return "Composer";
            case TextField::arranger:
                return "Arranger";
            case TextField::message:
                return "Message";
        }
        return "Text";
    }

    template <typename Holder>
    std::string& textOf (Holder& holder, TextField field)
    {
        switch (field)
        {
            case TextField::performer:
                return holder.performer;
            case TextField::songwriter:
                return holder.songwriter;
            case TextField::composer:
                return holder.composer;
            case TextField::arranger:
                return holder.arranger;
            case TextField::message:
                return holder.message;
            case TextField::title:
                break;
        }
        return holder.title;
    }
} // namespace

bool snapsToCdFrames (const session::Session& session) noexcept
{
    for (auto target : session.deliverables.targets)
        if (target == session::DeliverableTarget::cd || target == session::DeliverableTarget::ddp)
            return true;
    return false;
}

double snapToCdFrame (const session::Session& session, double seconds) noexcept
{
    if (! snapsToCdFrames (session) || ! std::isfinite (seconds))
        return seconds;
    return (double) std::llround (seconds * cdFramesPerSecond) / (double) cdFramesPerSecond;
}

bool TimelineEdits::refuse (const std::string& why)
{
    lastProblem = why;
    return false;
}

bool TimelineEdits::validTrack (int track)
{
    if (track >= 0 && track < (int) edits.session().tracks.size())
        return true;
    return refuse ("there is no track " + number (track));
}

bool TimelineEdits::layOutOrRefuse (const session::Session& candidate)
{
    std::vector<engine::AudioFileInfo> infos;
    for (const auto& track : candidate.tracks)
    {
        const auto found = sources.find (track.source);
        if (found == sources.end())
            return true; // not every source is known: the session's own rules were checked
        infos.push_back (found->second);
    }
    std::string error;
    if (Timeline::build (candidate, infos, Alignment::samples, error))
        return true;
    return refuse (error);
}

bool TimelineEdits::commit (const std::string& name, const session::Session& candidate, const std::string& mergeKey)
{
    if (! layOutOrRefuse (candidate))
        return false;
    lastProblem.clear();
    edits.apply (
        name, session::EditKind::album, [&candidate] (session::Session& s) { s = candidate; }, mergeKey);
    if (mergeKey.empty())
        edits.endGesture();
    return true;
}

bool TimelineEdits::dragTrack (int from, int to)
{
    const int count = (int) edits.session().tracks.size();
    if (! validTrack (from))
        return false;
    if (to < 0 || to >= count)
        return refuse ("a track cannot move to position " + number (to) + " of " + std::to_string (count));
    if (from == to)
        return false;
    auto candidate = edits.session();
    auto moved = std::move (candidate.tracks[(size_t) from]);
    candidate.tracks.erase (candidate.tracks.begin() + from);
    candidate.tracks.insert (candidate.tracks.begin() + to, std::move (moved));
    // The first track cannot start with a crossfade: the track that becomes first keeps its
    // spacing as a gap (its crossfade length becomes no overlap: its usual 2 s pregap).
    if (candidate.tracks.front().crossfade)
    {
        candidate.tracks.front().crossfade.reset();
        candidate.tracks.front().gapSeconds = snapToCdFrame (candidate, 2.0);
    }
    return commit ("Move Track " + number (from), candidate, "reorder");
}

bool TimelineEdits::setGap (int track, double seconds)
{
    if (! validTrack (track))
        return false;
    if (! (seconds >= 0.0) || ! std::isfinite (seconds))
        return refuse ("a gap is 0 seconds or more");
    seconds = snap (seconds);
    const auto& now = edits.session().tracks[(size_t) track];
    if (now.gapSeconds == seconds && ! now.crossfade)
        return false;
    auto candidate = edits.session();
    candidate.tracks[(size_t) track].gapSeconds = seconds;
    candidate.tracks[(size_t) track].crossfade.reset();
    return commit ("Set Gap Before Track " + number (track), candidate, "spacing." + std::to_string (track));
}

bool TimelineEdits::setCrossfade (int track, double seconds)
{
    if (! validTrack (track))
        return false;
    if (track == 0)
        return refuse ("the first track has nothing to crossfade with");
    if (! (seconds >= 0.0) || ! std::isfinite (seconds))
        return refuse ("a crossfade is 0 seconds or more");
    seconds = snap (seconds);
    const auto& now = edits.session().tracks[(size_t) track];
    auto candidate = edits.session();
    auto& t = candidate.tracks[(size_t) track];
    if (seconds <= 0.0)
    {
        if (! now.crossfade && now.gapSeconds == 0.0)
            return false;
        t.crossfade.reset();
        t.gapSeconds = 0.0;
    }
    else
    {
        if (now.crossfade && now.crossfade->seconds == seconds)
            return false;
        session::Fade fade;
        fade.curve = now.crossfade ? now.crossfade->curve : session::FadeCurve::equalPower;
        fade.seconds = seconds;
        t.crossfade = fade;
    }
    return commit ("Set Crossfade Before Track " + number (track), candidate, "spacing." + std::to_string (track));
}

bool TimelineEdits::setCrossfadeCurve (int track, session::FadeCurve curve)
{
    if (! validTrack (track))
        return false;
    const auto& now = edits.session().tracks[(size_t) track];
    if (! now.crossfade)
        return refuse ("track " + number (track) + " has no crossfade");
    if (now.crossfade->curve == curve)
        return false;
    auto candidate = edits.session();
    candidate.tracks[(size_t) track].crossfade->curve = curve;
    return commit ("Set Crossfade Curve of Track " + number (track), candidate);
}

bool TimelineEdits::setSpacing (int track, double seconds)
{
    if (! std::isfinite (seconds))
        return refuse ("the spacing is not a number");
    if (seconds < 0.0)
        return setCrossfade (track, -seconds);
    return setGap (track, seconds);
}

bool TimelineEdits::setFade (int track, FadeEnd end, double seconds)
{
    if (! validTrack (track))
        return false;
    if (! (seconds >= 0.0) || ! std::isfinite (seconds))
        return refuse ("a fade is 0 seconds or more");
    seconds = snap (seconds);
    auto candidate = edits.session();
    auto& fade = end == FadeEnd::in ? candidate.tracks[(size_t) track].fadeIn : candidate.tracks[(size_t) track].fadeOut;
    if (fade.seconds == seconds)
        return false;
    fade.seconds = seconds;
    const bool in = end == FadeEnd::in;
    return commit (std::string (in ? "Set Fade-In of Track " : "Set Fade-Out of Track ") + number (track), candidate,
        (in ? "fadein." : "fadeout.") + std::to_string (track));
}

bool TimelineEdits::setFadeCurve (int track, FadeEnd end, session::FadeCurve curve)
{
    if (! validTrack (track))
        return false;
    auto candidate = edits.session();
    auto& fade = end == FadeEnd::in ? candidate.tracks[(size_t) track].fadeIn : candidate.tracks[(size_t) track].fadeOut;
    if (fade.curve == curve)
        return false;
    fade.curve = curve;
    return commit (
        std::string (end == FadeEnd::in ? "Set Fade-In Curve of Track " : "Set Fade-Out Curve of Track ") + number (track),
        candidate);
}

bool TimelineEdits::setTrimIn (int track, double seconds)
{
    if (! validTrack (track))
        return false;
    if (! (seconds >= 0.0) || ! std::isfinite (seconds))
        return refuse ("a trim is 0 seconds or more");
    seconds = snap (seconds);
    const auto& now = edits.session().tracks[(size_t) track];
    if (now.trimOutSeconds && seconds >= *now.trimOutSeconds)
        return refuse ("track " + number (track) + " would start after it ends");
    if (now.trimInSeconds == seconds)
        return false;
    auto candidate = edits.session();
    candidate.tracks[(size_t) track].trimInSeconds = seconds;
    return commit ("Trim Start of Track " + number (track), candidate, "trimin." + std::to_string (track));
}

bool TimelineEdits::setTrimOut (int track, std::optional<double> seconds)
{
    if (! validTrack (track))
        return false;
    if (seconds)
    {
        if (! std::isfinite (*seconds) || *seconds <= 0.0)
            return refuse ("a track's end is after the source's start");
        seconds = snap (*seconds);
    }
    const auto& now = edits.session().tracks[(size_t) track];
    if (seconds && *seconds <= now.trimInSeconds)
        return refuse ("track " + number (track) + " would end before it starts");
    if (now.trimOutSeconds == seconds)
        return false;
    auto candidate = edits.session();
    candidate.tracks[(size_t) track].trimOutSeconds = seconds;
    return commit ("Trim End of Track " + number (track), candidate, "trimout." + std::to_string (track));
}

bool TimelineEdits::setGain (int track, double decibels)
{
    if (! validTrack (track))
        return false;
    if (! std::isfinite (decibels))
        return refuse ("a gain is a number of dB");
    if (edits.session().tracks[(size_t) track].gainDb == decibels)
        return false;
    auto candidate = edits.session();
    candidate.tracks[(size_t) track].gainDb = decibels;
    return commit ("Set Gain of Track " + number (track), candidate, "gain." + std::to_string (track));
}

int TimelineEdits::addIndex (int track, double seconds)
{
    if (! validTrack (track))
        return -1;
    if (! (seconds > 0.0) || ! std::isfinite (seconds))
    {
        refuse ("an index point lies after the track's start");
        return -1;
    }
    seconds = snap (seconds);
    auto candidate = edits.session();
    auto& points = candidate.tracks[(size_t) track].indexPoints;
    if (std::find (points.begin(), points.end(), seconds) != points.end() || seconds <= 0.0)
    {
        refuse ("track " + number (track) + " already has an index point there");
        return -1;
    }
    const auto at = std::upper_bound (points.begin(), points.end(), seconds);
    const int position = (int) (at - points.begin());
    points.insert (at, seconds);
    return commit ("Add Index to Track " + number (track), candidate) ? position : -1;
}

int TimelineEdits::moveIndex (int track, int which, double seconds)
{
    if (! validTrack (track))
        return -1;
    const auto& now = edits.session().tracks[(size_t) track].indexPoints;
    if (which < 0 || which >= (int) now.size())
    {
        refuse ("track " + number (track) + " has no INDEX " + std::to_string (which + 2));
        return -1;
    }
    if (! (seconds > 0.0) || ! std::isfinite (seconds))
    {
        refuse ("an index point lies after the track's start");
        return -1;
    }
    seconds = snap (seconds);
    if (now[(size_t) which] == seconds)
        return which;
    auto candidate = edits.session();
    auto& points = candidate.tracks[(size_t) track].indexPoints;
    points.erase (points.begin() + which);
    if (seconds <= 0.0 || std::find (points.begin(), points.end(), seconds) != points.end())
    {
        refuse ("track " + number (track) + " already has an index point there");
        return -1;
    }
    const auto at = std::upper_bound (points.begin(), points.end(), seconds);
    const int position = (int) (at - points.begin());
    points.insert (at, seconds);
    return commit ("Move Index of Track " + number (track), candidate, "index." + std::to_string (track)) ? position : -1;
}

bool TimelineEdits::removeIndex (int track, int which)
{
    if (! validTrack (track))
        return false;
    const auto& now = edits.session().tracks[(size_t) track].indexPoints;
    if (which < 0 || which >= (int) now.size())
        return refuse ("track " + number (track) + " has no INDEX " + std::to_string (which + 2));
    auto candidate = edits.session();
    auto& points = candidate.tracks[(size_t) track].indexPoints;
    points.erase (points.begin() + which);
    return commit ("Remove Index from Track " + number (track), candidate);
}

bool TimelineEdits::setTrackText (int track, TextField field, const std::string& value)
{
    if (! validTrack (track))
        return false;
    auto candidate = edits.session();
    auto& text = textOf (candidate.tracks[(size_t) track], field);
    if (text == value)
        return false;
    text = value;
    return commit (std::string ("Set ") + fieldName (field) + " of Track " + number (track), candidate);
}

bool TimelineEdits::setIsrc (int track, const std::string& typed)
{
    if (! validTrack (track))
        return false;
    const auto isrc = session::normaliseIsrc (typed);
    if (! isrc.empty())
        if (auto why = session::isrcProblem (isrc); ! why.empty())
            return refuse (why);
    if (edits.session().tracks[(size_t) track].isrc == isrc)
        return false;
    auto candidate = edits.session();
    candidate.tracks[(size_t) track].isrc = isrc;
    return commit ("Set ISRC of Track " + number (track), candidate);
}

bool TimelineEdits::useOwnChain (int track, bool own)
{
    if (! validTrack (track))
        return false;
    if (edits.session().tracks[(size_t) track].chain.has_value() == own)
        return false;
    auto candidate = edits.session();
    auto& chain = candidate.tracks[(size_t) track].chain;
    if (own)
        chain = candidate.chain;
    else
        chain.reset();
    return commit ((own ? "Own Chain for Track " : "Album Chain for Track ") + number (track), candidate);
}

bool TimelineEdits::setAlbumText (TextField field, const std::string& value)
{
    auto candidate = edits.session();
    auto& text = textOf (candidate.album, field);
    if (text == value)
        return false;
    text = value;
    return commit (std::string ("Set Album ") + fieldName (field), candidate);
}

bool TimelineEdits::setUpc (const std::string& typed)
{
    const auto upc = session::normaliseUpc (typed);
    if (! upc.empty())
        if (auto why = session::upcProblem (upc); ! why.empty())
            return refuse (why);
    if (edits.session().album.upc == upc)
        return false;
    auto candidate = edits.session();
    candidate.album.upc = upc;
    return commit ("Set UPC/EAN", candidate);
}

bool TimelineEdits::setCatalogueNumber (const std::string& value)
{
    if (edits.session().album.catalogueNumber == value)
        return false;
    auto candidate = edits.session();
    candidate.album.catalogueNumber = value;
    return commit ("Set Catalogue Number", candidate);
}

bool TimelineEdits::setGenre (const std::string& value)
{
    if (edits.session().album.genre == value)
        return false;
    auto candidate = edits.session();
    candidate.album.genre = value;
    return commit ("Set Genre", candidate);
}

bool TimelineEdits::setLanguage (const std::string& value)
{
    const bool valid = value.empty()
        || (value.size() == 2 && std::islower ((unsigned char) value[0]) && std::islower ((unsigned char) value[1]));
    if (! valid)
        return refuse ("the language is an ISO 639-1 code: two lower-case letters, such as \"en\"");
    if (edits.session().album.language == value)
        return false;
    auto candidate = edits.session();
    candidate.album.language = value;
    return commit ("Set Language", candidate);
}

bool TimelineEdits::setYear (int year)
{
    if (year != 0 && (year < 1900 || year > 2999))
        return refuse ("the year is 1900 to 2999, or empty");
    if (edits.session().album.year == year)
        return false;
    auto candidate = edits.session();
    candidate.album.year = year;
    return commit ("Set Year", candidate);
}

bool TimelineEdits::setGains (const std::vector<double>& gainsDb, const std::string& stepName)
{
    if (gainsDb.size() != edits.session().tracks.size())
        return refuse ("one gain per track is needed");
    bool changes = false;
    for (size_t i = 0; i < gainsDb.size(); ++i)
    {
        if (! std::isfinite (gainsDb[i]))
            return refuse ("a gain is a number of dB");
        changes = changes || gainsDb[i] != edits.session().tracks[i].gainDb;
    }
    if (! changes)
        return false;
    auto candidate = edits.session();
    for (size_t i = 0; i < gainsDb.size(); ++i)
        candidate.tracks[i].gainDb = gainsDb[i];
    return commit (stepName, candidate);
}

} // namespace crest::album
