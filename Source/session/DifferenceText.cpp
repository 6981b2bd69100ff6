#include "session/DifferenceText.h"

#include "engine/ModuleRegistry.h"
#include "session/SessionFile.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>

namespace crest::session
{
namespace
{
    /** The fewest decimals (1 to 3) that show a value as it is: 2.0, 0.25, 1.125. */
    std::string decimals (double v)
    {
        char text[64];
        for (int places = 1; places <= 3; ++places)
        {
            std::snprintf (text, sizeof (text), "%.*f", places, v);
            if (std::abs (std::atof (text) - v) < 1.0e-6)
                break;
        }
        return text;
    }

    std::string withSign (double v)
    {
        return (v >= 0.0 ? "+" : "") + decimals (v);
    }

    std::string seconds (double v)
    {
        return decimals (v) + " s";
    }

    std::string ordinal (int n)
    {
        const int lastTwo = n % 100, last = n % 10;
        const char* suffix = (lastTwo >= 11 && lastTwo <= 13) ? "th"
            : last == 1                                       ? "st"
            : last == 2                                       ? "nd"
            : last == 3                                       ? "rd"
                                                              : "th";
        return std::to_string (n) + suffix;
    }

    std::string spaced (std::string name)
    {
        for (auto& c : name)
            if (c == '_')
                c = ' ';
        return name;
    }

    /** "Ceiling" -> "ceiling", but "Band 4 Q" keeps its capitals after the first word. */
    std::string lowerFirst (std::string name)
    {
        if (name.size() > 1 && std::isupper ((unsigned char) name[0]) && std::islower ((unsigned char) name[1]))
            name[0] = (char) std::tolower ((unsigned char) name[0]);
        return name;
    }

    std::string capitalised (std::string text)
    {
        if (! text.empty())
            text[0] = (char) std::toupper ((unsigned char) text[0]);
        return text;
    }

    std::string typeName (const std::string& type)
    {
        const auto* info = engine::findModuleType (type);
        return info != nullptr ? info->name : type;
    }

    float valueOf (const engine::ModuleDescription& m, const engine::ParameterSpec& spec)
    {
        for (const auto& [id, value] : m.params)
            if (id == spec.id)
                return value;
        return spec.defaultValue;
    }

    bool differs (float a, float b)
    {
        return std::abs (a - b) > 1.0e-6f * std::max (1.0f, std::abs (a));
    }

    /** Positions (in `order`) of the items not in its longest ascending run: the fewest items
        whose moving explains the new order. */
    std::vector<size_t> movedItems (const std::vector<int>& order)
    {
        const size_t n = order.size();
        std::vector<int> length (n, 1), previous (n, -1);
        int best = -1;
        for (size_t i = 0; i < n; ++i)
        {
            for (size_t j = 0; j < i; ++j)
                if (order[j] < order[i] && length[j] + 1 > length[i])
                {
                    length[i] = length[j] + 1;
                    previous[i] = (int) j;
                }
            if (best < 0 || length[i] > length[(size_t) best])
                best = (int) i;
        }
        std::vector<bool> kept (n, false);
        for (int i = best; i >= 0; i = previous[(size_t) i])
            kept[(size_t) i] = true;
        std::vector<size_t> moved;
        for (size_t i = 0; i < n; ++i)
            if (! kept[i])
                moved.push_back (i);
        return moved;
    }

    /** An equaliser band's phrasing, when `spec` belongs to a band with a type and a frequency. */
    bool describeBand (const engine::ParameterTable& table, const engine::ModuleDescription& before,
        const engine::ModuleDescription& after, const engine::ParameterSpec& spec, const std::string& where,
        std::vector<std::string>& lines)
    {
        const auto underscore = spec.id.find ('_');
        if (spec.id.rfind ("band", 0) != 0 || underscore == std::string::npos)
            return false;
        const auto prefix = spec.id.substr (0, underscore + 1);
        const auto suffix = spec.id.substr (underscore + 1);
        const auto* type = table.find (prefix + "type");
        const auto* frequency = table.find (prefix + "freq_hz");
        if (type == nullptr || frequency == nullptr || type->kind != engine::ParameterKind::choice)
            return false;
        const auto* gain = table.find (prefix + "gain_db");
        const float typeWas = valueOf (before, *type), typeNow = valueOf (after, *type);
        auto isOff = [type] (float v) { return describeValue (*type, v) == "off"; };
        if (isOff (typeWas) && isOff (typeNow))
            return true; // a band that is off both times is not heard either time
        if (differs (typeWas, typeNow))
        {
            // One line for the whole band, said once (at its type), for whichever of its
            // parameters changed with it.
            if (&spec != type)
                return true;
            auto band = [&] (const engine::ModuleDescription& m, float t)
            {
                if (isOff (t))
                    return std::string ("off");
                const float g = gain != nullptr ? valueOf (m, *gain) : 0.0f;
                return describeValue (*type, t) + (g != 0.0f ? " " + withSign (g) + " dB" : std::string()) + " at "
                    + describeValue (*frequency, valueOf (m, *frequency));
            };
            lines.push_back ("EQ band " + prefix.substr (4, prefix.size() - 5) + " " + where + ": " + band (before, typeWas)
                + " -> " + band (after, typeNow));
            return true;
        }
        const auto bandType = capitalised (describeValue (*type, typeNow));
        const auto at = describeValue (*frequency, valueOf (after, *frequency));
        const float was = valueOf (before, spec), now = valueOf (after, spec);
        if (&spec == gain)
            lines.push_back (bandType + " " + where + " " + withSign (now - was) + " dB at " + at);
        else if (&spec == frequency)
            lines.push_back (bandType + " " + where + " moved " + describeValue (spec, was) + " -> " + describeValue (spec, now));
        else
        {
            // "Band 2 Q" is "Q" once the band is named by its type and frequency.
            auto name = spec.name;
            if (name.rfind ("Band ", 0) == 0 && name.find (' ', 5) != std::string::npos)
                name = name.substr (name.find (' ', 5) + 1);
            const bool unitOnEach
                = spec.unit.empty() || spec.unit == "Hz" || spec.unit == ":1" || spec.kind != engine::ParameterKind::continuous;
            lines.push_back (bandType + " at " + at + " " + where + ": " + name + " " + describeValue (spec, was) + " -> "
                + describeValue (spec, now) + (unitOnEach ? "" : " " + spec.unit));
        }
        return true;
    }

    void describeFade (
        const Fade& was, const Fade& now, const std::string& lead, const char* name, std::vector<std::string>& lines)
    {
        if (differs ((float) was.seconds, (float) now.seconds))
            lines.push_back (lead + name + " " + decimals (was.seconds) + " -> " + seconds (now.seconds));
        if (was.curve != now.curve && now.seconds > 0.0)
            lines.push_back (lead + name + " curve " + curveName (was.curve) + " -> " + curveName (now.curve));
    }

    std::string indexList (const std::vector<double>& points)
    {
        if (points.empty())
            return "none";
        std::string list;
        for (const double p : points)
            list += (list.empty() ? "" : ", ") + decimals (p);
        return list + " s";
    }
} // namespace

std::string describeValue (const engine::ParameterSpec& spec, float value)
{
    switch (spec.kind)
    {
        case engine::ParameterKind::toggle:
            return value >= 0.5f ? "on" : "off";
        case engine::ParameterKind::choice:
        {
            const auto index = (size_t) std::lround (value);
            return index < spec.choices.size() ? spaced (spec.choices[index]) : std::to_string (index);
        }
        case engine::ParameterKind::continuous:
            break;
    }
    if (spec.unit == "Hz")
    {
        // Engineers say "10 kHz" and "90 Hz", with a decimal only when there is one.
        const bool kilo = value >= 1000.0f;
        const double shown = kilo ? value / 1000.0 : value;
        const auto digits
            = std::abs (shown - std::round (shown)) < 1.0e-6 ? std::to_string ((long) std::lround (shown)) : decimals (shown);
        return digits + (kilo ? " kHz" : " Hz");
    }
    if (spec.unit == ":1")
        return decimals (value) + ":1";
    return decimals (value);
}

std::vector<std::string> describeChainDifference (
    const engine::ChainDescription& before, const engine::ChainDescription& after, int trackNumber)
{
    std::vector<std::string> lines;
    const bool master = trackNumber == 0;
    const std::string where = master ? "on the master" : "on track " + std::to_string (trackNumber);
    const std::string from = master ? "the master" : "track " + std::to_string (trackNumber) + "'s chain";
    const std::string lead = master ? "" : "Track " + std::to_string (trackNumber) + ": ";

    auto find = [] (const engine::ChainDescription& chain, const std::string& id) -> const engine::ModuleDescription*
    {
        for (const auto& m : chain.modules)
            if (m.id == id)
                return &m;
        return nullptr;
    };

    for (const auto& m : before.modules)
        if (const auto* now = find (after, m.id); now == nullptr || now->type != m.type)
            lines.push_back (typeName (m.type) + " removed from " + from);
    for (size_t i = 0; i < after.modules.size(); ++i)
    {
        const auto& m = after.modules[i];
        if (const auto* was = find (before, m.id); was == nullptr || was->type != m.type)
            lines.push_back (typeName (m.type) + " added to " + from
                + (i == 0 ? " (first)" : " after " + typeName (after.modules[i - 1].type)));
    }

    // Reordered: the modules present in both, by their place before.
    std::vector<int> order;
    std::vector<const engine::ModuleDescription*> common;
    for (const auto& m : after.modules)
        for (size_t j = 0; j < before.modules.size(); ++j)
            if (before.modules[j].id == m.id && before.modules[j].type == m.type)
            {
                order.push_back ((int) j);
                common.push_back (&m);
            }
    for (const auto i : movedItems (order))
        lines.push_back (typeName (common[i]->type) + " " + where + " moved "
            + (i == 0 ? std::string ("to the start") : "after " + typeName (common[i - 1]->type)));

    for (const auto* now : common)
    {
        const auto* was = find (before, now->id);
        if (was->bypass != now->bypass)
            lines.push_back (typeName (now->type) + " " + where + (now->bypass ? " bypassed" : " back in (bypass off)"));
        const auto* info = engine::findModuleType (now->type);
        if (info == nullptr)
            continue;
        for (const auto& spec : info->parameters)
        {
            const float a = valueOf (*was, spec), b = valueOf (*now, spec);
            if (! differs (a, b))
                continue;
            if (describeBand (info->parameters, *was, *now, spec, where, lines))
                continue;
            const bool unitOnEach = spec.unit == "Hz" || spec.unit == ":1" || spec.kind != engine::ParameterKind::continuous;
            lines.push_back (lead + typeName (now->type) + " " + lowerFirst (spec.name) + " " + describeValue (spec, a) + " -> "
                + describeValue (spec, b) + (unitOnEach || spec.unit.empty() ? "" : " " + spec.unit));
        }
    }
    return lines;
}

std::vector<std::string> describeDifference (const Version& before, const Version& after)
{
    auto lines = describeChainDifference (before.chain, after.chain, 0);

    std::map<std::string, size_t> placeBefore;
    for (size_t i = 0; i < before.tracks.size(); ++i)
        placeBefore[before.tracks[i].trackId] = i;
    for (size_t i = 0; i < before.tracks.size(); ++i)
        if (after.find (before.tracks[i].trackId) == nullptr)
            lines.push_back ("Track " + std::to_string (i + 1) + " removed from the album");

    std::vector<int> order;
    std::vector<size_t> afterIndex;
    for (size_t i = 0; i < after.tracks.size(); ++i)
        if (const auto it = placeBefore.find (after.tracks[i].trackId); it != placeBefore.end())
        {
            order.push_back ((int) it->second);
            afterIndex.push_back (i);
        }
    for (const auto i : movedItems (order))
        lines.push_back (
            "Running order: track " + std::to_string (order[i] + 1) + " now plays " + ordinal ((int) afterIndex[i] + 1));

    for (size_t i = 0; i < after.tracks.size(); ++i)
    {
        const int number = (int) i + 1;
        const auto n = std::to_string (number);
        const auto lead = "Track " + n + ": ";
        const auto& now = after.tracks[i].state;
        const auto* wasTrack = before.find (after.tracks[i].trackId);
        if (wasTrack == nullptr)
        {
            lines.push_back ("Track " + n + " added to the album");
            continue;
        }
        const auto& was = wasTrack->state;

        if (now.crossfade && was.crossfade)
        {
            if (differs ((float) was.crossfade->seconds, (float) now.crossfade->seconds))
                lines.push_back ("Crossfade into track " + n + ": " + decimals (was.crossfade->seconds) + " -> "
                    + seconds (now.crossfade->seconds));
            if (was.crossfade->curve != now.crossfade->curve)
                lines.push_back ("Crossfade into track " + n + ": curve " + curveName (was.crossfade->curve) + " -> "
                    + curveName (now.crossfade->curve));
        }
        else if (now.crossfade)
            lines.push_back ("Track " + n + " now crossfades from the track before over " + seconds (now.crossfade->seconds)
                + " (was a gap of " + seconds (was.gapSeconds) + ")");
        else if (was.crossfade)
            lines.push_back ("Crossfade into track " + n + " removed: a gap of " + seconds (now.gapSeconds) + " instead");
        else if (differs ((float) was.gapSeconds, (float) now.gapSeconds))
            lines.push_back ("Gap before track " + n + ": " + decimals (was.gapSeconds) + " -> " + seconds (now.gapSeconds));

        if (differs ((float) was.trimInSeconds, (float) now.trimInSeconds))
            lines.push_back (lead + "trim in " + decimals (was.trimInSeconds) + " -> " + seconds (now.trimInSeconds));
        if (was.trimOutSeconds != now.trimOutSeconds)
        {
            if (was.trimOutSeconds && now.trimOutSeconds)
            {
                if (differs ((float) *was.trimOutSeconds, (float) *now.trimOutSeconds))
                    lines.push_back (
                        lead + "trim out " + decimals (*was.trimOutSeconds) + " -> " + seconds (*now.trimOutSeconds));
            }
            else if (now.trimOutSeconds)
                lines.push_back (lead + "now ends at " + seconds (*now.trimOutSeconds) + " of the mix (was its end)");
            else
                lines.push_back (
                    lead + "plays to the end of the mix (trim out at " + seconds (*was.trimOutSeconds) + " removed)");
        }

        if (differs ((float) was.gainDb, (float) now.gainDb))
        {
            const double change = now.gainDb - was.gainDb;
            lines.push_back (lead + (change > 0.0 ? "louder by " : "quieter by ") + decimals (std::abs (change)) + " dB");
        }
        describeFade (was.fadeIn, now.fadeIn, lead, "fade-in", lines);
        describeFade (was.fadeOut, now.fadeOut, lead, "fade-out", lines);
        if (was.indexPoints != now.indexPoints)
            lines.push_back (lead + "index points " + indexList (was.indexPoints) + " -> " + indexList (now.indexPoints));

        if (now.chain && ! was.chain)
        {
            std::string modules;
            for (const auto& m : now.chain->modules)
                modules += (modules.empty() ? "" : ", ") + typeName (m.type);
            lines.push_back (lead + "its own chain (" + (modules.empty() ? "empty" : modules) + ") instead of the master chain");
        }
        else if (was.chain && ! now.chain)
            lines.push_back (lead + "back to the master chain (its own chain removed)");
        else if (was.chain && now.chain)
            for (auto& line : describeChainDifference (*was.chain, *now.chain, number))
                lines.push_back (line);
    }
    return lines;
}

} // namespace crest::session
