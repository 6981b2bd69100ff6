#include "live/VersionSwitch.h"

#include "session/Versions.h"

#include <algorithm>

namespace crest::live
{

namespace
{
    /** The session as a state has it (empty name: the working state). */
    session::Session stateSession (const session::Session& working, const std::string& state)
    {
        if (! state.empty())
            if (const auto* version = session::findVersion (working, state))
                return session::withVersion (working, *version);
        return working;
    }

    const session::Track* trackById (const session::Session& s, const std::string& id)
    {
        const int index = session::trackIndex (s, id);
        return index < 0 ? nullptr : &s.tracks[(size_t) index];
    }

    bool sameFade (const session::Fade& a, const session::Fade& b)
    {
        return a.seconds == b.seconds && (a.seconds == 0.0 || a.curve == b.curve);
    }

    /** The timing fields of a track that differ between two states, in words. */
    std::vector<std::string> timingDifferences (const session::Track& a, const session::Track& b, bool first)
    {
        std::vector<std::string> out;
        if (a.trimInSeconds != b.trimInSeconds || a.trimOutSeconds != b.trimOutSeconds)
            out.push_back ("trim");
        if (! first && ! a.crossfade && ! b.crossfade && a.gapSeconds != b.gapSeconds)
            out.push_back ("gap");
        if (first && a.gapSeconds != b.gapSeconds)
            out.push_back ("pregap");
        if (a.crossfade.has_value() != b.crossfade.has_value() || (a.crossfade && ! sameFade (*a.crossfade, *b.crossfade)))
            out.push_back ("crossfade");
        if (! sameFade (a.fadeIn, b.fadeIn))
            out.push_back ("fade in");
        if (! sameFade (a.fadeOut, b.fadeOut))
            out.push_back ("fade out");
        return out;
    }
} // namespace

ComparedStates comparedStates (
    const session::Session& session, const session::VersionComparison& comparison, std::string* problem)
{
    ComparedStates states;
    const session::Session sessions[]
        = { stateSession (session, comparison.firstState()), stateSession (session, comparison.secondState()) };
    ComparedState* out[] = { &states.first, &states.second };
    const std::string* names[] = { &comparison.firstState(), &comparison.secondState() };
    std::string firstProblem;
    for (size_t i = 0; i < session.tracks.size(); ++i)
    {
        const auto& working = session.tracks[i];
        double lufs[2] = { 0.0, 0.0 };
        bool measured = true;
        for (int k = 0; k < 2; ++k)
        {
            const auto* track = trackById (sessions[k], working.id);
            if (track == nullptr)
                track = &working;
            out[k]->chains.push_back (track->chain ? *track->chain : sessions[k].chain);
            out[k]->inputGainDb.push_back (track->gainDb - working.gainDb);
            const auto loudness = session::measuredLoudness (session, *names[k], working.id);
            if (loudness)
                lufs[k] = *loudness;
            else if (measured)
            {
                measured = false;
                if (firstProblem.empty())
                    firstProblem = "track " + std::to_string (i + 1) + " of " + session::stateLabel (*names[k])
                        + " is not measured (a proof measures it): not loudness-matched";
            }
        }
        const auto gains = measured ? session::loudnessMatchGains ({ lufs[0], lufs[1] }) : std::vector<double> { 0.0, 0.0 };
        states.first.matchGainDb.push_back (gains[0]);
        states.second.matchGainDb.push_back (gains[1]);
    }
    if (problem != nullptr)
        *problem = firstProblem;
    return states;
}

std::string timingNotSwitched (const session::Session& session, const session::VersionComparison& comparison)
{
    // Each state against the working layout, which is what plays for both.
    std::vector<std::string> items;
    auto add = [&items] (const std::string& item)
    {
        if (std::find (items.begin(), items.end(), item) == items.end())
            items.push_back (item);
    };
    for (const auto* name : { &comparison.firstState(), &comparison.secondState() })
    {
        if (name->empty())
            continue;
        const auto state = stateSession (session, *name);
        for (size_t i = 0; i < state.tracks.size() && i < session.tracks.size(); ++i)
            if (state.tracks[i].id != session.tracks[i].id)
                add ("the running order");
        for (size_t i = 0; i < session.tracks.size(); ++i)
            if (const auto* track = trackById (state, session.tracks[i].id))
                for (const auto& what : timingDifferences (session.tracks[i], *track, i == 0))
                    add ("track " + std::to_string (i + 1) + "'s " + what);
    }
    std::string list;
    for (const auto& item : items)
        list += (list.empty() ? "" : ", ") + item;
    return list.empty() ? std::string() : "Not switched live (the working state's timing plays for both): " + list;
}

} // namespace crest::live
