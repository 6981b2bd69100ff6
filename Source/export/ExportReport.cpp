#include "export/ExportReport.h"

#include "analysis/AnalysisJson.h"
#include "engine/AtomicFile.h"
#include "engine/FileAnalysis.h"
#include "export/Md5.h"
#include "export/TargetDescriptor.h"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <map>
#include <sstream>

namespace crest::delivery
{

namespace
{
    std::string fixed (double v, int decimals)
    {
        char text[64];
        std::snprintf (text, sizeof (text), "%.*f", decimals, v);
        return text;
    }

    std::string orDash (const std::optional<double>& v, int decimals, const char* unit)
    {
        return v ? fixed (*v, decimals) + unit : std::string ("–");
    }

    std::string clock (double seconds)
    {
        const int tenths = (int) std::lround (std::max (0.0, seconds) * 10.0);
        char text[32];
        std::snprintf (text, sizeof (text), "%d:%02d.%d", tenths / 600, (tenths / 10) % 60, tenths % 10);
        return text;
    }

    std::string escape (const std::string& s)
    {
        std::string out;
        for (const char c : s)
        {
            switch (c)
            {
                case '&':
                    out += "&amp;";
                    break;
                case '<':
                    out += "&lt;";
                    break;
                case '>':
                    out += "&gt;";
                    break;
                case '"':
                    out += "&quot;";
                    break;
                case '\'':
                    out += "&#39;";
                    break;
                default:
                    out += c;
            }
        }
        return out;
    }

    bool isAudioPath (const std::string& path)
    {
        auto ext = std::filesystem::path (path).extension().string();
        std::transform (ext.begin(), ext.end(), ext.begin(), [] (unsigned char c) { return (char) std::tolower (c); });
        return ext == ".wav" || ext == ".aif" || ext == ".aiff" || ext == ".flac" || ext == ".mp3";
    }

    const char* colourFor (const std::string& target)
    {
        const auto* row = describe (target);
        return row != nullptr ? row->reportColour : "#888888";
    }

    /** Horizontal bars of integrated loudness, one per audio file. */
    std::string loudnessChart (const std::vector<const ReportFile*>& files)
    {
        if (files.empty())
            return "<p>No audio files were measured.</p>";
        double low = -30.0;
        for (const auto* f : files)
            low = std::min (low, std::floor (*f->integratedLufs / 5.0) * 5.0 - 5.0);
        const double high = 0.0;
        const int label = 260, plot = 520, rowHeight = 22, top = 20;
        const int height = top + (int) files.size() * rowHeight + 30;
        const auto x = [&] (double lufs) { return label + (std::clamp (lufs, low, high) - low) / (high - low) * plot; };

        std::ostringstream svg;
        svg << "<svg class=\"loudness-chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" << label + plot + 60
            << "\" height=\"" << height << "\" role=\"img\" aria-label=\"Integrated loudness per file\">\n";
        for (double tick = low; tick <= high + 1e-9; tick += 5.0)
            svg << "<line x1=\"" << x (tick) << "\" y1=\"" << top - 5 << "\" x2=\"" << x (tick) << "\" y2=\"" << height - 25
                << "\" stroke=\"#ddd\"/><text x=\"" << x (tick) << "\" y=\"" << height - 10
                << "\" font-size=\"11\" text-anchor=\"middle\">" << fixed (tick, 0) << "</text>\n";
        for (size_t i = 0; i < files.size(); ++i)
        {
            const auto& f = *files[i];
            const int y = top + (int) i * rowHeight;
            const std::string name
                = (f.track > 0 ? std::to_string (f.track) + ". " : std::string()) + f.title + " (" + f.target + ")";
            svg << "<text x=\"" << label - 6 << "\" y=\"" << y + 15 << "\" font-size=\"12\" text-anchor=\"end\">" << escape (name)
                << "</text>"
                << "<rect class=\"bar\" x=\"" << label << "\" y=\"" << y + 3 << "\" width=\""
                << std::max (1.0, x (*f.integratedLufs) - label) << "\" height=\"" << rowHeight - 6 << "\" fill=\""
                << colourFor (f.target) << "\"/>"
                << "<text x=\"" << x (*f.integratedLufs) + 4 << "\" y=\"" << y + 15 << "\" font-size=\"11\">"
                << fixed (*f.integratedLufs, 1) << "</text>\n";
        }
        svg << "<text x=\"" << label + plot / 2 << "\" y=\"" << height
            << "\" font-size=\"11\" text-anchor=\"middle\">LUFS (integrated)</text>\n";
        svg << "</svg>";
        return svg.str();
    }

    /** Short-term loudness against time for one file. */
    std::string shortTermPlot (const ReportFile& f)
    {
        const int width = 760, height = 180, left = 40, bottom = 20, top = 8;
        const double low = -40.0, high = 0.0;
        const double seconds = std::max (0.1, f.durationSeconds);
        const size_t n = f.shortTermLufs.size();
        const size_t step = std::max<size_t> (1, n / 1500); // keeps the page small for long tracks
        const auto y
            = [&] (double lufs) { return top + (high - std::clamp (lufs, low, high)) / (high - low) * (height - top - bottom); };

        std::ostringstream svg;
        svg << "<svg class=\"short-term\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
            << "\" role=\"img\" aria-label=\"Short-term loudness of " << escape (f.title) << "\">\n";
        for (double tick = low; tick <= high; tick += 10.0)
            svg << "<line x1=\"" << left << "\" y1=\"" << y (tick) << "\" x2=\"" << width << "\" y2=\"" << y (tick)
                << "\" stroke=\"#ddd\"/><text x=\"" << left - 4 << "\" y=\"" << y (tick) + 4
                << "\" font-size=\"10\" text-anchor=\"end\">" << fixed (tick, 0) << "</text>\n";
        if (f.integratedLufs)
            svg << "<line x1=\"" << left << "\" y1=\"" << y (*f.integratedLufs) << "\" x2=\"" << width << "\" y2=\""
                << y (*f.integratedLufs) << "\" stroke=\"#e15759\" stroke-dasharray=\"4 3\"/>\n";
        std::ostringstream path;
        bool drawing = false;
        for (size_t i = 0; i < n; i += step)
        {
            const float v = f.shortTermLufs[i];
            if (! std::isfinite (v))
            {
                drawing = false;
                continue;
            }
            const double t = (double) (i + 1) / 10.0; // step k ends at (k + 1) / 10 s
            path << (drawing ? " L" : " M") << fixed (left + t / seconds * (width - left), 1) << "," << fixed (y (v), 1);
            drawing = true;
        }
        svg << "<path d=\"" << path.str() << "\" fill=\"none\" stroke=\"" << colourFor (f.target)
            << "\" stroke-width=\"1.5\"/>\n";
        svg << "<text x=\"" << width << "\" y=\"" << height - 4 << "\" font-size=\"10\" text-anchor=\"end\">" << clock (seconds)
            << "</text>"
            << "<text x=\"" << left << "\" y=\"" << height - 4 << "\" font-size=\"10\">0:00</text>\n";
        svg << "</svg>";
        return svg.str();
    }
} // namespace

std::string nowUtc()
{
    const std::time_t now = std::time (nullptr);
    std::tm utc {};
    gmtime_r (&now, &utc);
    char text[32];
    std::strftime (text, sizeof (text), "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

void setMeasurements (ReportFile& file, const analysis::TrackAnalysis& a)
{
    file.durationSeconds = a.durationSeconds();
    file.integratedLufs = a.integratedLufs;
    file.loudnessRangeLu = a.loudnessRangeLu;
    file.truePeakDbtp = a.truePeakDbtp;
    file.plrDb = a.plrDb;
    file.shortTermLufs = a.shortTermSeries;
}

std::optional<ReportFile> describeWrittenFile (const std::string& folder, const std::string& relativePath,
    const std::string& target, int track, const std::string& title, bool measureAudio, std::string& error,
    const std::string& knownMd5)
{
    const auto full = (std::filesystem::path (folder) / relativePath).string();
    ReportFile row;
    row.path = relativePath;
    row.target = target;
    row.track = track;
    row.title = title;

    std::error_code ec;
    row.bytes = (int64_t) std::filesystem::file_size (full, ec);
    if (ec)
    {
        error = full + ": " + ec.message();
        return std::nullopt;
    }
    std::string why;
    row.md5 = knownMd5.empty() ? Md5::ofFile (full, why) : knownMd5;
    if (row.md5.empty())
    {
        error = full + ": " + why;
        return std::nullopt;
    }
    if (measureAudio && isAudioPath (full))
    {
        const auto measured = engine::analyseFile (full, why);
        if (! measured)
        {
            error = full + ": " + why;
            return std::nullopt;
        }
        const auto& info = measured->file;
        row.format = info.formatName + (info.isLossy ? std::string() : " " + std::to_string (info.bitsPerSample) + "-bit") + " "
            + fixed (info.sampleRate / 1000.0, info.sampleRate == std::floor (info.sampleRate / 1000.0) * 1000.0 ? 0 : 1)
            + " kHz";
        setMeasurements (row, measured->analysis);
    }
    return row;
}

nlohmann::ordered_json reportToJson (const ExportReport& report)
{
    using analysis::roundedOrNull;
    nlohmann::ordered_json j;
    j["format"] = "crest-export-report";
    j["version"] = 1;
    j["crest_version"] = CREST_VERSION;
    j["created_utc"] = report.createdUtc;
    j["session"] = report.sessionPath;
    j["album"] = { { "title", report.albumTitle }, { "artist", report.albumArtist } };
    j["targets"] = report.targets;

    auto files = nlohmann::ordered_json::array();
    for (const auto& f : report.files)
    {
        nlohmann::ordered_json row;
        row["path"] = f.path;
        row["target"] = f.target;
        row["track"] = f.track;
        row["title"] = f.title;
        row["md5"] = f.md5;
        row["bytes"] = f.bytes;
        row["format"] = f.format;
        row["duration_s"] = f.durationSeconds > 0.0 ? roundedOrNull (f.durationSeconds, 3) : nlohmann::ordered_json();
        row["integrated_lufs"] = roundedOrNull (f.integratedLufs, 2);
        row["loudness_range_lu"] = roundedOrNull (f.loudnessRangeLu, 2);
        row["true_peak_dbtp"] = roundedOrNull (f.truePeakDbtp, 2);
        row["plr_db"] = roundedOrNull (f.plrDb, 2);
        if (! report.trackVersions.empty() && f.track > 0 && (size_t) f.track <= report.trackVersions.size()
            && f.target != session::targetName (session::DeliverableTarget::vinyl))
            row["version"] = report.trackVersions[(size_t) f.track - 1].empty() ? nlohmann::ordered_json()
                                                                                : nlohmann::ordered_json (report.trackVersions[(size_t) f.track - 1]);
        files.push_back (row);
    }
    j["files"] = files;
    if (! report.trackVersions.empty())
    {
        // Which version each track's deliverables came from (null: the working state).
        auto versions = nlohmann::ordered_json::array();
        for (size_t i = 0; i < report.trackVersions.size(); ++i)
            versions.push_back ({ { "track", (int) i + 1 },
                { "version", report.trackVersions[i].empty() ? nlohmann::ordered_json() : nlohmann::ordered_json (report.trackVersions[i]) } });
        j["track_versions"] = versions;
    }

    auto findings = nlohmann::ordered_json::array();
    for (const auto& f : report.findings)
        findings.push_back ({ { "target", f.target }, { "check", f.check }, { "severity", toString (f.severity) },
            { "track", f.track }, { "time_s", roundedOrNull (f.atSeconds, 2) }, { "message", f.message } });
    j["findings"] = findings;

    // Which sources were converted to the session rate, and from what (empty: none were).
    auto converted = nlohmann::ordered_json::array();
    for (const auto& c : report.conversions)
        converted.push_back ({ { "role", c.role }, { "source", c.source }, { "from_hz", c.fromRate }, { "from_bits", c.fromBits },
            { "to_hz", c.toRate } });
    j["sources_converted"] = converted;
    return j;
}

std::string reportToHtml (const ExportReport& report)
{
    std::ostringstream html;
    const std::string heading = report.albumTitle.empty() ? std::string ("Export report") : report.albumTitle;
    html << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" << escape (heading)
         << " — Crest export report</title>\n"
         << "<style>\n"
            "body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:2em;color:#222;max-width:1200px}\n"
            "table{border-collapse:collapse;margin:1em 0;font-size:13px}th,td{border-bottom:1px solid #ddd;padding:4px "
            "8px;text-align:left}\n"
            "td.num{text-align:right;font-variant-numeric:tabular-nums}code{font-size:12px}\n"
            ".error{color:#b00020;font-weight:600}.warning{color:#a15c00}.info{color:#555}\n"
            "h2{margin-top:1.6em}figure{margin:0.5em 0 1.5em}figcaption{font-size:13px;color:#555}\n"
            "</style>\n</head>\n<body>\n";
    html << "<h1>" << escape (heading) << "</h1>\n<p>";
    if (! report.albumArtist.empty())
        html << escape (report.albumArtist) << " · ";
    html << "exported " << escape (report.createdUtc) << " by Crest " << CREST_VERSION;
    if (! report.sessionPath.empty())
        html << " from <code>" << escape (report.sessionPath) << "</code>";
    html << "</p>\n";
    if (! report.targets.empty())
    {
        html << "<p>Targets: ";
        for (size_t i = 0; i < report.targets.size(); ++i)
            html << (i ? ", " : "") << escape (report.targets[i]);
        html << "</p>\n";
    }

    int errors = 0, warnings = 0;
    for (const auto& f : report.findings)
    {
        errors += f.severity == Severity::error ? 1 : 0;
        warnings += f.severity == Severity::warning ? 1 : 0;
    }
    html << "<p><strong>" << report.files.size() << " files</strong>, " << errors << " errors, " << warnings
         << " warnings.</p>\n";

    if (! report.trackVersions.empty())
    {
        html << "<h2>Versions delivered</h2>\n<table class=\"versions\">\n<thead><tr><th>Track</th><th>Delivered from</th></tr></thead>\n<tbody>\n";
        for (size_t i = 0; i < report.trackVersions.size(); ++i)
            html << "<tr class=\"version\"><td class=\"num\">" << i + 1 << "</td><td>"
                 << (report.trackVersions[i].empty() ? std::string ("the working state (not approved)")
                                                     : "version <strong>" + escape (report.trackVersions[i]) + "</strong> (approved)")
                 << "</td></tr>\n";
        html << "</tbody>\n</table>\n";
    }

    if (! report.conversions.empty())
    {
        html << "<h2>Sources converted</h2>\n<p>These sources run at another rate than the session and were converted "
                "to it (libsoxr, very high quality) before processing.</p>\n<table class=\"conversions\">\n<thead><tr>"
                "<th>Source</th><th>File</th><th>From</th><th>To</th></tr></thead>\n<tbody>\n";
        for (const auto& c : report.conversions)
            html << "<tr class=\"conversion\"><td>" << escape (c.role) << "</td><td><code>" << escape (c.source)
                 << "</code></td><td class=\"num\">" << c.fromRate / 1000.0 << " kHz, " << c.fromBits
                 << "-bit</td><td class=\"num\">" << c.toRate / 1000.0 << " kHz</td></tr>\n";
        html << "</tbody>\n</table>\n";
    }

    html << "<h2>Files</h2>\n<table "
            "class=\"files\">\n<thead><tr><th>File</th><th>Target</th><th>Track</th><th>Title</th><th>Format</th>"
            "<th>Duration</th><th>Integrated</th><th>LRA</th><th>True "
            "peak</th><th>PLR</th><th>Bytes</th><th>MD5</th></tr></thead>\n<tbody>\n";
    for (const auto& f : report.files)
    {
        html << "<tr class=\"file\"><td><code>" << escape (f.path) << "</code></td><td>" << escape (f.target)
             << "</td><td class=\"num\">" << (f.track > 0 ? std::to_string (f.track) : std::string ("–")) << "</td><td>"
             << escape (f.title) << "</td><td>" << escape (f.format) << "</td><td class=\"num\">"
             << (f.durationSeconds > 0.0 ? clock (f.durationSeconds) : "–") << "</td><td class=\"num\">"
             << orDash (f.integratedLufs, 1, " LUFS") << "</td><td class=\"num\">" << orDash (f.loudnessRangeLu, 1, " LU")
             << "</td><td class=\"num\">" << orDash (f.truePeakDbtp, 2, " dBTP") << "</td><td class=\"num\">"
             << orDash (f.plrDb, 1, " dB") << "</td><td class=\"num\">" << f.bytes << "</td><td><code>" << escape (f.md5)
             << "</code></td></tr>\n";
    }
    html << "</tbody>\n</table>\n";

    html << "<h2>Findings</h2>\n";
    if (report.findings.empty())
        html << "<p>No findings.</p>\n";
    else
    {
        html << "<table "
                "class=\"findings\">\n<thead><tr><th>Severity</th><th>Target</th><th>Track</th><th>Check</th><th>At</"
                "th><th>Finding</th></tr></thead>\n<tbody>\n";
        for (const auto& f : report.findings)
            html << "<tr class=\"finding\"><td class=\"" << toString (f.severity) << "\">" << toString (f.severity) << "</td><td>"
                 << escape (f.target) << "</td><td class=\"num\">" << (f.track > 0 ? std::to_string (f.track) : std::string ("–"))
                 << "</td><td>" << escape (f.check) << "</td><td class=\"num\">" << (f.atSeconds ? clock (*f.atSeconds) : "–")
                 << "</td><td>" << escape (f.message) << "</td></tr>\n";
        html << "</tbody>\n</table>\n";
    }

    std::vector<const ReportFile*> measured;
    for (const auto& f : report.files)
        if (f.integratedLufs)
            measured.push_back (&f);
    html << "<h2>Loudness per track</h2>\n<figure>" << loudnessChart (measured)
         << "<figcaption>Integrated loudness (BS.1770) of every audio file written.</figcaption></figure>\n";

    // One plot per track: the first measured file of each track (targets are the same music).
    html << "<h2>Short-term loudness</h2>\n";
    std::map<int, const ReportFile*> firstOfTrack;
    for (const auto* f : measured)
        if (! f->shortTermLufs.empty() && firstOfTrack.count (f->track) == 0)
            firstOfTrack[f->track] = f;
    if (firstOfTrack.empty())
        html << "<p>No short-term loudness was measured.</p>\n";
    for (const auto& [track, f] : firstOfTrack)
        html << "<figure>" << shortTermPlot (*f) << "<figcaption>" << (track > 0 ? std::to_string (track) + ". " : std::string())
             << escape (f->title) << " — short-term loudness (3 s window) from <code>" << escape (f->path)
             << "</code>, -40 to 0 LUFS; dashed: integrated.</figcaption></figure>\n";

    html << "</body>\n</html>\n";
    return html.str();
}

bool writeReport (const ExportReport& report, const std::string& folder, std::string& error)
{
    const auto base = std::filesystem::path (folder);
    return engine::writeFileAtomically ((base / "report.json").string(), reportToJson (report).dump (2) + "\n", error)
        && engine::writeFileAtomically ((base / "report.html").string(), reportToHtml (report), error);
}

} // namespace crest::delivery
