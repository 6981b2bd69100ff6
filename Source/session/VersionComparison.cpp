#include "session/VersionComparison.h"

#include "session/DifferenceText.h"
#include "session/Versions.h"

#include <cmath>

namespace crest::session
{

void VersionComparison::compare (const std::string& a, const std::string& b)
{
    first = a;
    second = b;
    comparing = true;
    onSecond = true;
}

void VersionComparison::stop()
{
    comparing = false;
    onSecond = false;
    first.clear();
    second.clear();
}

void VersionComparison::toggle() noexcept
{
    if (comparing)
        onSecond = ! onSecond;
}

void VersionComparison::forgetMissing (const Session& session)
{
    if (! comparing)
        return;
    for (const auto* state : { &first, &second })
        if (! state->empty() && findVersion (session, *state) == nullptr)
        {
            stop();
            return;
        }
}

std::string stateLabel (const std::string& state)
{
    return state.empty() ? std::string ("the working state") : "version '" + state + "'";
}

std::optional<double> measuredLoudness (const Session& session, const std::string& state, const std::string& trackId)
{
    const Version* version = nullptr;
    if (! state.empty())
        version = findVersion (session, state);
    else
    {
        // The working state is measured only as a version identical to it.
        const auto working = captureVersion (session, "", "", "");
        for (auto it = session.versions.rbegin(); it != session.versions.rend() && version == nullptr; ++it)
            if (describeDifference (*it, working).empty())
                version = &*it;
    }
    if (version == nullptr)
        return std::nullopt;
    const auto* track = version->find (trackId);
    if (track == nullptr || ! track->figures.integratedLufs || ! std::isfinite (*track->figures.integratedLufs))
        return std::nullopt;
    return track->figures.integratedLufs;
}

ComparisonGain comparisonGain (const Session& session, const VersionComparison& comparison, int trackIndex)
{
    ComparisonGain result;
    if (! comparison.active())
    {
        result.problem = "not comparing";
        return result;
    }
    if (trackIndex < 0 || (size_t) trackIndex >= session.tracks.size())
    {
        result.problem = "no track is playing";
        return result;
    }
    const auto& id = session.tracks[(size_t) trackIndex].id;
    const auto heard = measuredLoudness (session, comparison.heard(), id);
    const auto other = measuredLoudness (session, comparison.other(), id);
    if (! heard || ! other)
    {
        const auto& missing = ! heard ? comparison.heard() : comparison.other();
        result.problem = "track " + std::to_string (trackIndex + 1) + " of " + stateLabel (missing)
            + " is not measured (a proof measures it): not loudness-matched";
        return result;
    }
    result.gainDb = loudnessMatchGains ({ *heard, *other }).front();
    result.matched = true;
    return result;
}

const engine::ChainDescription& heardChain (const Session& session, const VersionComparison& comparison)
{
    if (comparison.active() && ! comparison.heard().empty())
        if (const auto* version = findVersion (session, comparison.heard()))
            return version->chain;
    return session.chain;
}

} // namespace crest::session
