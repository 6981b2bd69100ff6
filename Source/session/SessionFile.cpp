#include "session/SessionFile.h"

#include "engine/AtomicFile.h"
#include "engine/FileKind.h"
#include "engine/ChainFile.h"
#include "session/Identifiers.h"
#include "session/Versions.h"

#include <juce_core/juce_core.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <optional>
#include <set>

namespace crest::session
{
namespace
{
    namespace fs = std::filesystem;
    using Json = nlohmann::ordered_json;

    /** A value that breaks a field's rule; the caller adds where it is. */
    struct Problem
    {
        std::string message;
    };

    [[noreturn]] void refuse (const std::string& message) { throw Problem { message }; }

    // ---- values -------------------------------------------------------------------------

    std::string text (const Json& j)
    {
        if (! j.is_string())
            refuse ("must be text (in quotes)");
        return j.get<std::string>();
    }

    double number (const Json& j)
    {
        if (! j.is_number())
            refuse ("must be a number");
        const double v = j.get<double>();
        if (! std::isfinite (v))
            refuse ("must be a finite number");
        return v;
    }

    double numberIn (const Json& j, double low, double high, const char* unit)
    {
        const double v = number (j);
        if (v < low || v > high)
            refuse ("must be from " + juce::String (low).toStdString() + " to " + juce::String (high).toStdString() + " " + unit + " (it is "
                    + juce::String (v).toStdString() + ")");
        return v;
    }

    double seconds (const Json& j)
    {
        const double v = number (j);
        if (v < 0.0)
            refuse ("times must not be negative (it is " + juce::String (v).toStdString() + " s)");
        return v;
    }

    int integerOf (const Json& j)
    {
        const double v = number (j);
        if (v != std::floor (v) || std::abs (v) > 1.0e9)
            refuse ("must be a whole number");
        return (int) v;
    }

    int oneOf (const Json& j, std::initializer_list<int> allowed)
    {
        const int v = integerOf (j);
        std::string list;
        for (const int a : allowed)
        {
            if (a == v)
                return v;
            list += (list.empty() ? "" : ", ") + std::to_string (a);
        }
        refuse ("must be one of " + list + " (it is " + std::to_string (v) + ")");
    }

    std::string word (const Json& j, std::initializer_list<const char*> allowed)
    {
        const auto v = text (j);
        std::string list;
        for (const auto* a : allowed)
        {
            if (v == a)
                return v;
            list += (list.empty() ? "" : ", ") + std::string (a);
        }
        refuse ("unknown value '" + v + "' (known: " + list + ")");
    }

    FadeCurve curve (const Json& j)
    {
        FadeCurve c;
        if (! curveFromName (text (j), c))
            refuse ("unknown curve '" + j.get<std::string>() + "' (known: linear, equal-power, logarithmic, s-curve)");
        return c;
    }

    const Json& array (const Json& j)
    {
        if (! j.is_array())
            refuse ("must be a list");
        return j;
    }

    engine::ChainDescription chainOf (const Json& j, const std::string& where)
    {
        if (! j.is_object())
            refuse ("must be a chain object ({\"format\": \"crest-chain\", ...})");
        try
        {
            return engine::ChainFile::parse (j.dump(), where);
        }
        catch (const engine::ChainFileError& e)
        {
            refuse (e.what());
        }
    }

    // ---- fields: every property name is declared here, once --------------------------------

    constexpr const char* trackIdKey = "id";
    constexpr const char* approvedVersionKey = "approved_version";
    constexpr const char* noteTrackKey = "track";

    /** How a value typed on the command line becomes JSON. */
    enum class Typed
    {
        text,
        number,
        optionalNumber, ///< empty text: not set
        numberList,     ///< comma list
        textList,       ///< comma list
        chainFile       ///< a chain file's path (empty: none)
    };

    template <typename Object>
    struct Field
    {
        const char* key;
        Typed typed;
        std::function<void (Object&, const Json&)> set;    // throws Problem
        std::function<std::optional<Json> (const Object&)> get; // nothing: not written
    };

    template <typename Object>
    Field<Object> textField (const char* key, std::string Object::*member)
    {
        return { key, Typed::text, [member] (Object& o, const Json& j) { o.*member = text (j); },
                 [member] (const Object& o) -> std::optional<Json> { return o.*member; } };
    }

    std::vector<Field<Album>> albumFields()
    {
        return {
            textField ("title", &Album::title),
            textField ("performer", &Album::performer),
            textField ("songwriter", &Album::songwriter),
            textField ("composer", &Album::composer),
            textField ("arranger", &Album::arranger),
            textField ("message", &Album::message),
            { "upc", Typed::text,
              [] (Album& a, const Json& j)
              {
                  const auto code = normaliseUpc (text (j));
                  if (! code.empty())
                      if (const auto problem = upcProblem (code); ! problem.empty())
                          refuse (problem);
                  a.upc = code;
              },
              [] (const Album& a) -> std::optional<Json> { return a.upc; } },
            textField ("catalogue", &Album::catalogueNumber),
            textField ("genre", &Album::genre),
            { "language", Typed::text,
              [] (Album& a, const Json& j)
              {
                  const auto v = text (j);
                  if (! v.empty() && (v.size() != 2 || ! std::islower ((unsigned char) v[0]) || ! std::islower ((unsigned char) v[1])))
                      refuse ("a language is a two-letter ISO 639-1 code such as \"en\" (it is '" + v + "')");
                  a.language = v;
              },
              [] (const Album& a) -> std::optional<Json> { return a.language; } },
            { "year", Typed::number,
              [] (Album& a, const Json& j)
              {
                  const int v = integerOf (j);
                  if (v != 0 && (v < 1000 || v > 9999))
                      refuse ("a year has four digits, or is 0 for none (it is " + std::to_string (v) + ")");
                  a.year = v;
              },
              [] (const Album& a) -> std::optional<Json> { return a.year; } },
        };
    }

    std::vector<Field<Deliverables>> deliverableFields()
    {
        return {
            { "targets", Typed::textList,
                [] (Deliverables& d, const Json& j)
                {
                    std::vector<DeliverableTarget> targets;
                    for (const auto& t : array (j))
                    {
                        const auto name = text (t);
                        const auto target = targetFromName (name);
                        if (! target)
                            refuse ("unknown target '" + name + "' (known: " + targetNameList() + ")");
                        if (std::find (targets.begin(), targets.end(), *target) != targets.end())
                            refuse ("the target '" + name + "' is listed twice");
                        targets.push_back (*target);
                    }
                    d.targets = targets;
                },
                [] (const Deliverables& d) -> std::optional<Json>
                {
                    auto names = Json::array();
                    for (const auto target : d.targets)
                        names.push_back (targetName (target));
                    return names;
                } },
            { "streaming_lufs", Typed::optionalNumber,
                [] (Deliverables& d, const Json& j)
                {
                    if (j.is_null())
                        d.streamingLufs.reset();
                    else
                        d.streamingLufs = numberIn (j, -40.0, 0.0, "LUFS");
                },
                [] (const Deliverables& d) -> std::optional<Json>
                {
                    if (! d.streamingLufs)
                        return std::nullopt;
                    return *d.streamingLufs;
                } },
            { "streaming_mode", Typed::text,
                [] (Deliverables& d, const Json& j) {
                    d.streamingAlbumMode = word (j, { "album", "track" }) == "album";
                },
                [] (const Deliverables& d) -> std::optional<Json> { return d.streamingAlbumMode ? "album" : "track"; } },
            { "ceiling_dbtp", Typed::number,
                [] (Deliverables& d, const Json& j) { d.ceilingDbtp = numberIn (j, -20.0, 0.0, "dBTP"); },
                [] (const Deliverables& d) -> std::optional<Json> { return d.ceilingDbtp; } },
            { "hires_rate", Typed::number,
                [] (Deliverables& d, const Json& j) {
                    d.hiresSampleRate = oneOf (j, { 88200, 96000, 176400, 192000 });
                },
                [] (const Deliverables& d) -> std::optional<Json> { return (int) d.hiresSampleRate; } },
            { "hires_format", Typed::text,
                [] (Deliverables& d, const Json& j) {
                    d.hiresFormat = word (j, { "wav", "flac" });
                },
                [] (const Deliverables& d) -> std::optional<Json> { return d.hiresFormat; } },
            { "mp3_modes", Typed::textList,
                [] (Deliverables& d, const Json& j)
                {
                    std::vector<std::string> modes;
                    for (const auto& m : array (j))
                    {
                        const auto mode = word (m, { "320", "v0" });
                        if (std::find (modes.begin(), modes.end(), mode) != modes.end())
                            refuse ("the MP3 mode '" + mode + "' is listed twice");
                        modes.push_back (mode);
                    }
                    if (modes.empty())
                        refuse ("the mp3 target needs at least one mode: \"320\" or \"v0\"");
                    d.mp3Modes = modes;
                },
                [] (const Deliverables& d) -> std::optional<Json> { return d.mp3Modes; } },
            { "cd_dither", Typed::text,
                [] (Deliverables& d, const Json& j)
                {
                    const auto v = text (j);
                    const bool token = ! v.empty()
                        && std::all_of (v.begin(), v.end(),
                            [] (char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
                    if (! token)
                        refuse ("a dither is named in lower-case letters, digits and dashes, e.g. \"tpdf\" (it is '" + v + "')");
                    d.cdDither = v;
                },
                [] (const Deliverables& d) -> std::optional<Json> { return d.cdDither; } },
            { "vinyl_sides", Typed::numberList,
                [] (Deliverables& d, const Json& j)
                {
                    std::vector<int> starts;
                    for (const auto& s : array (j))
                    {
                        const int n = integerOf (s);
                        if (n < 1)
                            refuse ("sides are given by the track number that starts each, from 1");
                        if (starts.empty() && n != 1)
                            refuse ("side A starts with track 1");
                        if (! starts.empty() && n - 1 <= starts.back())
                            refuse ("the tracks starting the sides must ascend");
                        starts.push_back (n - 1);
                    }
                    if (starts.empty())
                        refuse ("there is at least one side, starting with track 1");
                    d.vinyl.sideStarts = starts;
                },
                [] (const Deliverables& d) -> std::optional<Json>
                {
                    Json list = Json::array();
                    for (const int s : d.vinyl.sideStarts)
                        list.push_back (s + 1);
                    return list;
                } },
            { "vinyl_rpm", Typed::number,
                [] (Deliverables& d, const Json& j) {
                    d.vinyl.rpm = oneOf (j, { 33, 45 });
                },
                [] (const Deliverables& d) -> std::optional<Json> { return d.vinyl.rpm; } },
            { "vinyl_diameter_in", Typed::number,
                [] (Deliverables& d, const Json& j) {
                    d.vinyl.diameterInches = oneOf (j, { 7, 10, 12 });
                },
                [] (const Deliverables& d) -> std::optional<Json> { return d.vinyl.diameterInches; } },
        };
    }

    std::vector<Field<Track>> trackFields()
    {
        auto fadeSeconds = [] (const char* key, Fade Track::*fade)
        {
            return Field<Track> { key, Typed::number, [fade] (Track& t, const Json& j) { (t.*fade).seconds = seconds (j); },
                                  [fade] (const Track& t) -> std::optional<Json> { return (t.*fade).seconds; } };
        };
        auto fadeCurve = [] (const char* key, Fade Track::*fade)
        {
            return Field<Track> { key, Typed::text, [fade] (Track& t, const Json& j) { (t.*fade).curve = curve (j); },
                                  [fade] (const Track& t) -> std::optional<Json> { return curveName ((t.*fade).curve); } };
        };

        return {
            { "source", Typed::text,
              [] (Track& t, const Json& j)
              {
                  const auto v = text (j);
                  if (v.empty())
                      refuse ("a track needs a source audio file");
                  t.source = v;
              },
              [] (const Track& t) -> std::optional<Json> { return t.source; } },
            textField ("title", &Track::title),
            textField ("performer", &Track::performer),
            textField ("songwriter", &Track::songwriter),
            textField ("composer", &Track::composer),
            textField ("arranger", &Track::arranger),
            textField ("message", &Track::message),
            { "isrc", Typed::text,
              [] (Track& t, const Json& j)
              {
                  const auto code = normaliseIsrc (text (j));
                  if (! code.empty())
                      if (const auto problem = isrcProblem (code); ! problem.empty())
                          refuse (problem);
                  t.isrc = code;
              },
              [] (const Track& t) -> std::optional<Json> { return t.isrc; } },
            { "trim_in_s", Typed::number, [] (Track& t, const Json& j) { t.trimInSeconds = seconds (j); },
              [] (const Track& t) -> std::optional<Json> { return t.trimInSeconds; } },
            { "trim_out_s", Typed::optionalNumber,
              [] (Track& t, const Json& j)
              {
                  if (j.is_null())
                      t.trimOutSeconds.reset();
                  else
                      t.trimOutSeconds = seconds (j);
              },
              [] (const Track& t) -> std::optional<Json>
              {
                  if (! t.trimOutSeconds)
                      return std::nullopt;
                  return *t.trimOutSeconds;
              } },
            { "gain_db", Typed::number, [] (Track& t, const Json& j) { t.gainDb = numberIn (j, -48.0, 48.0, "dB"); },
              [] (const Track& t) -> std::optional<Json> { return t.gainDb; } },
            { "gap_s", Typed::number, [] (Track& t, const Json& j) { t.gapSeconds = seconds (j); },
              [] (const Track& t) -> std::optional<Json> { return t.gapSeconds; } },
            fadeSeconds ("fade_in_s", &Track::fadeIn),
            fadeCurve ("fade_in_curve", &Track::fadeIn),
            fadeSeconds ("fade_out_s", &Track::fadeOut),
            fadeCurve ("fade_out_curve", &Track::fadeOut),
            { "crossfade_s", Typed::number,
              [] (Track& t, const Json& j)
              {
                  const double s = seconds (j);
                  if (s == 0.0)
                      t.crossfade.reset();
                  else if (t.crossfade)
                      t.crossfade->seconds = s;
                  else
                      t.crossfade = Fade { s, FadeCurve::equalPower };
              },
              [] (const Track& t) -> std::optional<Json>
              {
                  if (! t.crossfade)
                      return std::nullopt;
                  return t.crossfade->seconds;
              } },
            { "crossfade_curve", Typed::text,
              [] (Track& t, const Json& j)
              {
                  const auto c = curve (j);
                  if (! t.crossfade)
                      refuse ("set crossfade_s (the overlap with the previous track) before its curve");
                  t.crossfade->curve = c;
              },
              [] (const Track& t) -> std::optional<Json>
              {
                  if (! t.crossfade)
                      return std::nullopt;
                  return curveName (t.crossfade->curve);
              } },
            { "index_s", Typed::numberList,
              [] (Track& t, const Json& j)
              {
                  std::vector<double> points;
                  for (const auto& p : array (j))
                  {
                      const double s = seconds (p);
                      if (s <= 0.0)
                          refuse ("index points are seconds after the track's start (INDEX 01), so greater than 0");
                      points.push_back (s);
                  }
                  std::sort (points.begin(), points.end());
                  if (std::adjacent_find (points.begin(), points.end()) != points.end())
                      refuse ("an index point is listed twice");
                  if (points.size() > 98)
                      refuse ("a track has at most 98 extra index points (INDEX 02-99)");
                  t.indexPoints = points;
              },
              [] (const Track& t) -> std::optional<Json> { return t.indexPoints; } },
            textField (trackIdKey, &Track::id),
            { approvedVersionKey, Typed::text, [] (Track& t, const Json& j) { t.approvedVersion = text (j); },
              [] (const Track& t) -> std::optional<Json>
              {
                  if (t.approvedVersion.empty())
                      return std::nullopt;
                  return t.approvedVersion;
              } },
        };
    }

    /** The track fields a version keeps: those that shape a track's sound and place. */
    const std::set<std::string>& masteringKeys()
    {
        static const std::set<std::string> keys { "trim_in_s", "trim_out_s", "gain_db", "gap_s", "fade_in_s", "fade_in_curve",
            "fade_out_s", "fade_out_curve", "crossfade_s", "crossfade_curve", "index_s" };
        return keys;
    }

    std::vector<Field<Track>> masteringFields()
    {
        std::vector<Field<Track>> fields;
        for (auto& f : trackFields())
            if (masteringKeys().count (f.key) > 0)
                fields.push_back (f);
        return fields;
    }

    std::vector<Field<TrackFigures>> figureFields()
    {
        auto figure = [] (const char* key, std::optional<double> TrackFigures::*member)
        {
            return Field<TrackFigures> { key, Typed::optionalNumber,
                [member] (TrackFigures& f, const Json& j)
                {
                    if (j.is_null())
                        (f.*member).reset();
                    else
                        f.*member = number (j);
                },
                [member] (const TrackFigures& f) -> std::optional<Json>
                {
                    if (! (f.*member))
                        return std::nullopt;
                    return *(f.*member);
                } };
        };
        return { figure ("integrated_lufs", &TrackFigures::integratedLufs), figure ("lra_lu", &TrackFigures::loudnessRangeLu),
                 figure ("true_peak_dbtp", &TrackFigures::truePeakDbtp), figure ("plr_db", &TrackFigures::plrDb) };
    }

    std::vector<Field<Version>> versionFields()
    {
        return {
            { "name", Typed::text,
              [] (Version& v, const Json& j)
              {
                  v.name = text (j);
                  if (const auto problem = versionNameProblem (v.name); ! problem.empty())
                      refuse (problem);
              },
              [] (const Version& v) -> std::optional<Json> { return v.name; } },
            textField ("created", &Version::createdUtc),
            textField ("note", &Version::note),
        };
    }

    std::vector<Field<Note>> noteFields()
    {
        return {
            textField (noteTrackKey, &Note::trackId),
            textField ("version", &Note::version),
            { "time_s", Typed::number, [] (Note& n, const Json& j) { n.timeSeconds = seconds (j); },
              [] (const Note& n) -> std::optional<Json> { return n.timeSeconds; } },
            { "end_s", Typed::optionalNumber,
              [] (Note& n, const Json& j)
              {
                  if (j.is_null())
                      n.endSeconds.reset();
                  else
                      n.endSeconds = seconds (j);
              },
              [] (const Note& n) -> std::optional<Json>
              {
                  if (! n.endSeconds)
                      return std::nullopt;
                  return *n.endSeconds;
              } },
            { "author", Typed::text, [] (Note& n, const Json& j) { n.author = authorFromName (word (j, { "engineer", "client" })); },
              [] (const Note& n) -> std::optional<Json> { return authorName (n.author); } },
            textField ("text", &Note::text),
            { "done", Typed::text,
              [] (Note& n, const Json& j)
              {
                  if (! j.is_boolean())
                      refuse ("must be true or false");
                  n.done = j.get<bool>();
              },
              [] (const Note& n) -> std::optional<Json> { return n.done; } },
        };
    }

    std::vector<Field<Reference>> referenceFields()
    {
        return {
            { "source", Typed::text,
              [] (Reference& r, const Json& j)
              {
                  r.source = text (j);
                  if (r.source.empty())
                      refuse ("a reference needs a source audio file");
              },
              [] (const Reference& r) -> std::optional<Json> { return r.source; } },
            textField ("name", &Reference::name),
            { "cue_s", Typed::number, [] (Reference& r, const Json& j) { r.cueSeconds = seconds (j); },
              [] (const Reference& r) -> std::optional<Json> { return r.cueSeconds; } },
        };
    }

    constexpr const char* sampleRateKey = "sample_rate";
    constexpr const char* chainKey = "chain";
    constexpr const char* versionsKey = "versions";
    constexpr const char* notesKey = "notes";
    constexpr const char* measuredKey = "measured";

    void setSampleRate (Session& s, const Json& j)
    {
        // The rates a master is made at; sources at any rate are converted to it (album::SourceAudio).
        const double rate = number (j);
        const auto& rates = SessionFile::sessionRates;
        if (rate != 0.0 && std::find (std::begin (rates), std::end (rates), rate) == std::end (rates))
            refuse ("a session rate is 44100, 48000, 88200, 96000, 176400 or 192000 Hz, or 0 for the first track's rate");
        s.sampleRate = rate;
    }

    // ---- reading ---------------------------------------------------------------------------

    template <typename Object>
    void readObject (Object& object, const Json& j, const std::vector<Field<Object>>& fields, const std::string& where,
                     const std::string& source, const std::set<std::string>& alsoAllowed = {})
    {
        if (! j.is_object())
            throw SessionError (source + ": " + where + " must be an object");
        for (const auto& item : j.items())
        {
            const auto& key = item.key(); // not a structured binding: C++17 lambdas cannot capture one (Clang refuses)
            const bool known = alsoAllowed.count (key) > 0
                               || std::any_of (fields.begin(), fields.end(), [&] (const auto& f) { return key == f.key; });
            if (! known)
            {
                std::string list;
                for (const auto& f : fields)
                    list += (list.empty() ? "" : ", ") + std::string (f.key);
                throw SessionError (source + ": " + where + ": unknown key '" + key + "' (known: " + list + ")");
            }
        }
        // In table order, not the file's, so that a crossfade's length comes before its curve.
        for (const auto& f : fields)
            if (j.contains (f.key))
            {
                try
                {
                    f.set (object, j.at (f.key));
                }
                catch (const Problem& p)
                {
                    throw SessionError (source + ": " + where + ": '" + f.key + "' " + p.message);
                }
            }
    }

    std::string lineAndColumn (const std::string& textIn, size_t byte)
    {
        size_t line = 1, column = 1;
        for (size_t i = 0; i + 1 < byte && i < textIn.size(); ++i)
        {
            if (textIn[i] == '\n')
            {
                ++line;
                column = 1;
            }
            else
            {
                ++column;
            }
        }
        return "line " + std::to_string (line) + ", column " + std::to_string (column);
    }

    /** Upgrades JSON of one version to the next: migrations[v - 1] turns version v into v + 1. */
    const std::vector<std::function<void (Json&)>>& migrations()
    {
        static const std::vector<std::function<void (Json&)>> steps {
            // 1 -> 2: tracks get their stable IDs in the order they stand ("t1", "t2", ...);
            // versions and notes start empty.
            [] (Json& doc)
            {
                if (doc.contains ("tracks") && doc["tracks"].is_array())
                {
                    int n = 0;
                    for (auto& t : doc["tracks"])
                        if (t.is_object())
                            t[trackIdKey] = "t" + std::to_string (++n);
                }
                doc[versionsKey] = Json::array();
                doc[notesKey] = Json::array();
                doc["version"] = 2;
            },
        };
        return steps;
    }

    std::string resolved (const std::string& path, const std::string& folder)
    {
        fs::path p (path);
        if (p.is_absolute() || folder.empty())
            return p.lexically_normal().string();
        return (fs::path (folder) / p).lexically_normal().string();
    }

    std::string relativeTo (const std::string& path, const std::string& folder)
    {
        if (folder.empty())
            return path;
        std::error_code ec;
        const auto p = fs::absolute (path, ec).lexically_normal();
        const auto base = fs::absolute (folder, ec).lexically_normal();
        if (ec || p.root_name() != base.root_name())
            return path;
        const auto relative = p.lexically_relative (base);
        return relative.empty() ? p.string() : relative.generic_string();
    }

    std::string describe (const std::string& key, const Json& value)
    {
        return key + "=" + (value.is_string() ? value.get<std::string>() : value.dump());
    }

    /** Turns command-line text into the JSON a field's setter takes. */
    Json typedValue (Typed typed, const std::string& key, const std::string& value)
    {
        auto parseNumber = [&key] (const std::string& t) -> Json
        {
            const auto trimmed = juce::String (t).trim().toStdString();
            size_t used = 0;
            double v = 0.0;
            try
            {
                v = std::stod (trimmed, &used);
            }
            catch (const std::exception&)
            {
                used = 0;
            }
            if (trimmed.empty() || used != trimmed.size())
                throw SessionError (key + ": '" + t + "' is not a number");
            return v;
        };
        auto split = [] (const std::string& t)
        {
            std::vector<std::string> parts;
            if (juce::String (t).trim().isEmpty())
                return parts;
            juce::StringArray tokens;
            tokens.addTokens (juce::String (t), ",", "");
            for (const auto& token : tokens)
                parts.push_back (token.trim().toStdString());
            return parts;
        };

        switch (typed)
        {
            case Typed::text:
            case Typed::chainFile:
                return value;
            case Typed::number:
                return parseNumber (value);
            case Typed::optionalNumber:
                return juce::String (value).trim().isEmpty() ? Json() : parseNumber (value);
            case Typed::numberList:
            {
                Json list = Json::array();
                for (const auto& part : split (value))
                    list.push_back (parseNumber (part));
                return list;
            }
            case Typed::textList:
            {
                Json list = Json::array();
                for (const auto& part : split (value))
                    list.push_back (part);
                return list;
            }
        }
        return value;
    }

    template <typename Object>
    bool setFromText (Object& object, const std::vector<Field<Object>>& fields, const std::string& where, const std::string& key,
                      const std::string& value)
    {
        for (const auto& f : fields)
            if (key == f.key)
            {
                const auto j = typedValue (f.typed, where + " " + key, value);
                Object edited = object;
                try
                {
                    f.set (edited, j);
                }
                catch (const Problem& p)
                {
                    throw SessionError (where + ": " + key + "=" + value + ": " + p.message);
                }
                object = edited;
                return true;
            }
        return false;
    }

    template <typename Object>
    Json writeObject (const Object& object, const std::vector<Field<Object>>& fields)
    {
        Json j = Json::object();
        for (const auto& f : fields)
            if (auto value = f.get (object))
                j[f.key] = *value;
        return j;
    }

    Json chainJson (const engine::ChainDescription& chain) { return Json::parse (engine::ChainFile::toJson (chain)); }

    std::string trackWhere (size_t index) { return "track " + std::to_string (index + 1); }
} // namespace

// ---- public ------------------------------------------------------------------------------------

const char* curveName (FadeCurve c)
{
    switch (c)
    {
        case FadeCurve::linear:
            return "linear";
        case FadeCurve::equalPower:
            return "equal-power";
        case FadeCurve::logarithmic:
            return "logarithmic";
        case FadeCurve::sCurve:
            return "s-curve";
    }
    return "linear";
}

bool curveFromName (const std::string& name, FadeCurve& c)
{
    for (const auto candidate : { FadeCurve::linear, FadeCurve::equalPower, FadeCurve::logarithmic, FadeCurve::sCurve })
        if (name == curveName (candidate))
        {
            c = candidate;
            return true;
        }
    return false;
}

Session SessionFile::parse (const std::string& json, const std::string& source, const std::string& sessionFolder)
{
    Json doc;
    try
    {
        doc = Json::parse (json);
    }
    catch (const nlohmann::json::parse_error& e)
    {
        std::string what = e.what();
        if (const auto pos = what.find ("syntax error"); pos != std::string::npos)
            what = what.substr (pos);
        throw SessionError (source + ": not valid JSON at " + lineAndColumn (json, e.byte) + ": " + what);
    }

    if (! doc.is_object() || doc.value ("format", std::string()) != formatName)
        throw SessionError (source + ": not a Crest session (\"format\" must be \"" + formatName + "\")");
    if (! doc.contains ("version") || ! doc["version"].is_number_integer())
        throw SessionError (source + ": \"version\" is missing or not a whole number");
    const int fileVersion = doc["version"].get<int>();
    if (fileVersion > currentVersion)
        throw SessionError (source + ": session version " + std::to_string (fileVersion) + " is newer than this Crest understands (up to "
                            + std::to_string (currentVersion) + "); update Crest to open it");
    if (fileVersion < 1)
        throw SessionError (source + ": session version " + std::to_string (fileVersion) + " does not exist");
    for (int v = fileVersion; v < currentVersion; ++v)
        migrations()[(size_t) v - 1](doc);

    static const std::set<std::string> topKeys { "format", "version", sampleRateKey, "album", chainKey, "tracks", "references", "deliverables",
        versionsKey, notesKey };
    for (const auto& [key, value] : doc.items())
        if (topKeys.count (key) == 0)
            throw SessionError (source + ": unknown key '" + key
                                + "' (known: format, version, sample_rate, album, chain, tracks, references, deliverables, versions, notes)");

    Session session;
    try
    {
        if (doc.contains (sampleRateKey))
            setSampleRate (session, doc[sampleRateKey]);
    }
    catch (const Problem& p)
    {
        throw SessionError (source + ": '" + sampleRateKey + "' " + p.message);
    }
    if (doc.contains ("album"))
        readObject (session.album, doc["album"], albumFields(), "album", source);
    if (doc.contains ("deliverables"))
        readObject (session.deliverables, doc["deliverables"], deliverableFields(), "deliverables", source);
    try
    {
        if (doc.contains (chainKey))
            session.chain = chainOf (doc[chainKey], source + ": the album chain");
    }
    catch (const Problem& p)
    {
        throw SessionError (source + ": 'chain' " + p.message);
    }

    if (doc.contains ("tracks"))
    {
        if (! doc["tracks"].is_array())
            throw SessionError (source + ": \"tracks\" must be a list");
        for (const auto& j : doc["tracks"])
        {
            const auto where = trackWhere (session.tracks.size());
            Track track;
            readObject (track, j, trackFields(), where, source, { chainKey });
            if (! j.contains ("source"))
                throw SessionError (source + ": " + where + ": 'source' is missing (every track needs its audio file)");
            track.source = resolved (track.source, sessionFolder);
            if (j.contains (chainKey))
            {
                try
                {
                    track.chain = chainOf (j[chainKey], source + ": " + where + "'s chain");
                }
                catch (const Problem& p)
                {
                    throw SessionError (source + ": " + where + ": 'chain' " + p.message);
                }
            }
            session.tracks.push_back (std::move (track));
        }
    }

    if (doc.contains ("references"))
    {
        if (! doc["references"].is_array())
            throw SessionError (source + ": \"references\" must be a list");
        for (const auto& j : doc["references"])
        {
            Reference reference;
            readObject (reference, j, referenceFields(), "reference " + std::to_string (session.references.size() + 1), source);
            reference.source = resolved (reference.source, sessionFolder);
            session.references.push_back (std::move (reference));
        }
    }

    if (doc.contains (versionsKey))
    {
        if (! doc[versionsKey].is_array())
            throw SessionError (source + ": \"versions\" must be a list");
        for (const auto& j : doc[versionsKey])
        {
            const auto where = "version " + std::to_string (session.versions.size() + 1);
            Version version;
            readObject (version, j, versionFields(), where, source, { chainKey, "tracks" });
            try
            {
                if (j.contains (chainKey))
                    version.chain = chainOf (j[chainKey], source + ": " + where + "'s album chain");
            }
            catch (const Problem& p)
            {
                throw SessionError (source + ": " + where + ": 'chain' " + p.message);
            }
            if (j.contains ("tracks"))
            {
                if (! j["tracks"].is_array())
                    throw SessionError (source + ": " + where + ": \"tracks\" must be a list");
                for (const auto& t : j["tracks"])
                {
                    const auto trackWhereInVersion = where + " ('" + version.name + "'), track " + std::to_string (version.tracks.size() + 1);
                    VersionTrack vt;
                    readObject (vt.state, t, masteringFields(), trackWhereInVersion, source, { trackIdKey, chainKey, measuredKey });
                    if (! t.contains (trackIdKey) || ! t[trackIdKey].is_string() || t[trackIdKey].get<std::string>().empty())
                        throw SessionError (source + ": " + trackWhereInVersion + ": 'id' is missing (the track it snapshots)");
                    vt.trackId = t[trackIdKey].get<std::string>();
                    if (t.contains (chainKey))
                    {
                        try
                        {
                            vt.state.chain = chainOf (t[chainKey], source + ": " + trackWhereInVersion + "'s chain");
                        }
                        catch (const Problem& p)
                        {
                            throw SessionError (source + ": " + trackWhereInVersion + ": 'chain' " + p.message);
                        }
                    }
                    if (t.contains (measuredKey))
                        readObject (vt.figures, t[measuredKey], figureFields(), trackWhereInVersion + ": measured", source);
                    version.tracks.push_back (std::move (vt));
                }
            }
            session.versions.push_back (std::move (version));
        }
    }

    if (doc.contains (notesKey))
    {
        if (! doc[notesKey].is_array())
            throw SessionError (source + ": \"notes\" must be a list");
        for (const auto& j : doc[notesKey])
        {
            Note note;
            readObject (note, j, noteFields(), "note " + std::to_string (session.notes.size() + 1), source);
            session.notes.push_back (std::move (note));
        }
    }

    assignTrackIds (session);
    if (const auto problems = validate (session); ! problems.empty())
        throw SessionError (source + ": " + problems.front());
    return session;
}

Session SessionFile::load (const std::string& path)
{
    const juce::File file = juce::File::getCurrentWorkingDirectory().getChildFile (juce::String (path));
    if (! file.existsAsFile())
        throw SessionError (path + ": no such session file");
    if (const auto problem = engine::fileKindProblem (file.getFullPathName().toStdString()); ! problem.empty())
        throw SessionError (path + ": " + problem); // a FIFO or a device would hang the read
    juce::MemoryBlock data;
    if (! file.loadFileAsData (data))
        throw SessionError (path + ": cannot be read");
    auto session = parse (data.toString().toStdString(), path, file.getParentDirectory().getFullPathName().toStdString());
    session.sourceCache = file.getSiblingFile (file.getFileNameWithoutExtension() + ".crest-cache").getFullPathName().toStdString();
    return session;
}

std::string SessionFile::toJson (const Session& original, const std::string& sessionFolder)
{
    // A session built in memory may hold tracks without IDs; the file always has them.
    Session session = original;
    assignTrackIds (session);
    Json doc;
    doc["format"] = formatName;
    doc["version"] = currentVersion;
    if (session.sampleRate > 0.0)
        doc[sampleRateKey] = session.sampleRate;
    doc["album"] = writeObject (session.album, albumFields());
    doc[chainKey] = chainJson (session.chain);
    doc["tracks"] = Json::array();
    for (const auto& track : session.tracks)
    {
        auto j = writeObject (track, trackFields());
        j["source"] = relativeTo (track.source, sessionFolder);
        if (track.chain)
            j[chainKey] = chainJson (*track.chain);
        doc["tracks"].push_back (j);
    }
    doc["references"] = Json::array();
    for (const auto& reference : session.references)
    {
        auto j = writeObject (reference, referenceFields());
        j["source"] = relativeTo (reference.source, sessionFolder);
        doc["references"].push_back (j);
    }
    doc["deliverables"] = writeObject (session.deliverables, deliverableFields());
    doc[versionsKey] = Json::array();
    for (const auto& version : session.versions)
    {
        auto j = writeObject (version, versionFields());
        j[chainKey] = chainJson (version.chain);
        j["tracks"] = Json::array();
        for (const auto& vt : version.tracks)
        {
            Json t = Json::object();
            t[trackIdKey] = vt.trackId;
            t.update (writeObject (vt.state, masteringFields()));
            if (vt.state.chain)
                t[chainKey] = chainJson (*vt.state.chain);
            if (auto figures = writeObject (vt.figures, figureFields()); ! figures.empty())
                t[measuredKey] = figures;
            j["tracks"].push_back (t);
        }
        doc[versionsKey].push_back (j);
    }
    doc[notesKey] = Json::array();
    for (const auto& note : session.notes)
        doc[notesKey].push_back (writeObject (note, noteFields()));
    return doc.dump (2) + "\n";
}

void SessionFile::save (const Session& session, const std::string& path)
{
    const juce::File target = juce::File::getCurrentWorkingDirectory().getChildFile (juce::String (path));
    if (! target.getParentDirectory().isDirectory())
        throw SessionError (path + ": the folder does not exist");
    const auto json = toJson (session, target.getParentDirectory().getFullPathName().toStdString());
    std::string error;
    if (! engine::writeFileAtomically (target.getFullPathName().toStdString(), json, error))
        throw SessionError (error);
}

std::string MissingSource::message() const
{
    // A FIFO, a device or a folder is there but is not a file: say what it is.
    const auto kind = engine::fileKindProblem (path);
    return "track " + std::to_string (trackNumber)
           + (kind.empty() || kind == "no such file" ? ": source file not found: " + path : ": source " + path + ": " + kind);
}

std::vector<MissingSource> SessionFile::missingSources (const Session& session)
{
    std::vector<MissingSource> missing;
    for (size_t i = 0; i < session.tracks.size(); ++i)
    {
        std::error_code ec;
        if (! fs::is_regular_file (session.tracks[i].source, ec))
            missing.push_back ({ (int) i + 1, session.tracks[i].source });
    }
    return missing;
}

void SessionFile::checkSources (const Session& session)
{
    const auto missing = missingSources (session);
    if (missing.empty())
        return;
    std::string message;
    for (const auto& m : missing)
        message += (message.empty() ? "" : "; ") + m.message();
    throw SessionError (message);
}

void SessionFile::setAlbumField (Session& session, const std::string& key, const std::string& value)
{
    if (key == sampleRateKey)
    {
        const auto j = typedValue (Typed::number, key, value);
        try
        {
            setSampleRate (session, j);
        }
        catch (const Problem& p)
        {
            throw SessionError ("album: " + describe (key, j) + ": " + p.message);
        }
        return;
    }
    if (key == chainKey)
    {
        try
        {
            session.chain = value.empty() ? engine::ChainDescription {} : engine::ChainFile::load (value);
        }
        catch (const engine::ChainFileError& e)
        {
            throw SessionError (std::string ("album: chain: ") + e.what());
        }
        return;
    }
    if (setFromText (session.album, albumFields(), "album", key, value))
        return;
    if (setFromText (session.deliverables, deliverableFields(), "album", key, value))
        return;
    std::string list;
    for (const auto& k : albumKeys())
        list += (list.empty() ? "" : ", ") + k;
    throw SessionError ("album: unknown key '" + key + "' (known: " + list + ")");
}

void SessionFile::setTrackField (Session& session, int index, const std::string& key, const std::string& value)
{
    if (index < 0 || (size_t) index >= session.tracks.size())
        throw SessionError ("there is no track " + std::to_string (index + 1) + " (the session has " + std::to_string (session.tracks.size())
                            + ")");
    auto& track = session.tracks[(size_t) index];
    const auto where = trackWhere ((size_t) index);
    if (key == chainKey)
    {
        try
        {
            if (value.empty())
                track.chain.reset();
            else
                track.chain = engine::ChainFile::load (value);
        }
        catch (const engine::ChainFileError& e)
        {
            throw SessionError (where + ": chain: " + e.what());
        }
        return;
    }
    if (key == "source")
    {
        if (value.empty())
            throw SessionError (where + ": source= : a track needs a source audio file");
        std::error_code ec;
        track.source = fs::absolute (value, ec).lexically_normal().string();
        return;
    }
    if (! setFromText (track, trackFields(), where, key, value))
    {
        std::string list;
        for (const auto& k : trackKeys())
            list += (list.empty() ? "" : ", ") + k;
        throw SessionError (where + ": unknown key '" + key + "' (known: " + list + ")");
    }
}

std::vector<std::string> SessionFile::albumKeys()
{
    std::vector<std::string> keys;
    for (const auto& f : albumFields())
        keys.push_back (f.key);
    for (const auto& f : deliverableFields())
        keys.push_back (f.key);
    keys.push_back (chainKey);
    keys.push_back (sampleRateKey);
    return keys;
}

std::vector<std::string> SessionFile::trackKeys()
{
    std::vector<std::string> keys;
    for (const auto& f : trackFields())
        keys.push_back (f.key);
    keys.push_back (chainKey);
    return keys;
}

std::vector<std::string> validate (const Session& session)
{
    std::vector<std::string> problems;

    // Every field's own rule: write it out and read it back through its setter.
    auto recheck = [&problems] (auto object, const auto& fields, const std::string& where)
    {
        for (const auto& f : fields)
            if (auto value = f.get (object))
            {
                try
                {
                    f.set (object, *value);
                }
                catch (const Problem& p)
                {
                    problems.push_back (where + ": '" + f.key + "' " + p.message);
                }
            }
    };
    recheck (session.album, albumFields(), "album");
    recheck (session.deliverables, deliverableFields(), "deliverables");
    for (size_t i = 0; i < session.references.size(); ++i)
        recheck (session.references[i], referenceFields(), "reference " + std::to_string (i + 1));

    for (size_t i = 0; i < session.tracks.size(); ++i)
    {
        const auto& t = session.tracks[i];
        const auto where = trackWhere (i);
        recheck (t, trackFields(), where);

        if (t.crossfade && i == 0)
            problems.push_back (where + ": the first track cannot crossfade: there is no track before it");
        if (t.trimOutSeconds)
        {
            const double length = *t.trimOutSeconds - t.trimInSeconds;
            if (length <= 0.0)
                problems.push_back (where + ": trim_out_s (" + juce::String (*t.trimOutSeconds).toStdString()
                                    + " s) must come after trim_in_s (" + juce::String (t.trimInSeconds).toStdString() + " s)");
            else
            {
                for (const auto& [name, fade] : { std::pair { "fade_in_s", t.fadeIn.seconds }, std::pair { "fade_out_s", t.fadeOut.seconds } })
                    if (fade > length)
                        problems.push_back (where + ": " + name + " must not be longer than the track (" + juce::String (fade).toStdString()
                                            + " s > " + juce::String (length).toStdString() + " s)");
                if (t.crossfade && t.crossfade->seconds > length)
                    problems.push_back (where + ": crossfade_s must not be longer than the track");
                if (! t.indexPoints.empty() && t.indexPoints.back() >= length)
                    problems.push_back (where + ": index point " + juce::String (t.indexPoints.back()).toStdString()
                                        + " s must lie inside the track (shorter than " + juce::String (length).toStdString() + " s)");
            }
        }
    }

    // Versions, approvals and notes: names that exist, IDs that are unique.
    std::set<std::string> ids, versionNames;
    for (size_t i = 0; i < session.tracks.size(); ++i)
        if (const auto& id = session.tracks[i].id; ! id.empty() && ! ids.insert (id).second)
            problems.push_back (trackWhere (i) + ": the track ID '" + id + "' is used by another track");
    for (const auto& v : session.versions)
    {
        if (const auto problem = versionNameProblem (v.name); ! problem.empty())
            problems.push_back ("version '" + v.name + "': " + problem);
        else if (! versionNames.insert (v.name).second)
            problems.push_back ("version '" + v.name + "': the name is used by another version");
    }
    for (size_t i = 0; i < session.tracks.size(); ++i)
        if (const auto& approved = session.tracks[i].approvedVersion; ! approved.empty() && versionNames.count (approved) == 0)
            problems.push_back (trackWhere (i) + ": approved at version '" + approved + "', which the session does not have");
    for (size_t i = 0; i < session.notes.size(); ++i)
    {
        const auto& n = session.notes[i];
        const auto where = "note " + std::to_string (i + 1);
        if (ids.count (n.trackId) == 0)
            problems.push_back (where + ": no track has the ID '" + n.trackId + "'");
        if (! n.version.empty() && versionNames.count (n.version) == 0)
            problems.push_back (where + ": heard on version '" + n.version + "', which the session does not have");
        if (n.endSeconds && *n.endSeconds < n.timeSeconds)
            problems.push_back (where + ": end_s must not come before time_s");
    }

    const auto& sides = session.deliverables.vinyl.sideStarts;
    if (! sides.empty() && ! session.tracks.empty() && sides.back() >= (int) session.tracks.size())
        problems.push_back ("deliverables: 'vinyl_sides' names track " + std::to_string (sides.back() + 1) + " but the album has "
                            + std::to_string (session.tracks.size()));
    return problems;
}

} // namespace crest::session
