#include "export/Proof.h"

#include "analysis/AnalysisJson.h"
#include "engine/AudioFileInput.h"
#include "export/ExportFolder.h"
#include "export/ReleaseExport.h"
#include "session/DifferenceText.h"
#include "session/Versions.h"

#include <juce_core/juce_core.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

namespace crest::delivery
{
namespace
{
    namespace fs = std::filesystem;
    using Json = nlohmann::ordered_json;

    bool writeText (const fs::path& path, const std::string& text, std::string& error)
    {
        std::ofstream out (path, std::ios::binary);
        out << text;
        out.close();
        if (! out)
            error = path.string() + ": cannot be written";
        return (bool) out;
    }

    std::string twoDigits (int n)
    {
        return (n < 10 ? "0" : "") + std::to_string (n);
    }

    /** Rounded for the page: enough for a reading, short in the file. */
    Json rounded (double v, int places)
    {
        const double scale = std::pow (10.0, places);
        return std::round (v * scale) / scale;
    }
} // namespace

std::string safeVersionName (const std::string& name)
{
    std::string out;
    for (const char c : name)
    {
        const bool keep = std::isalnum ((unsigned char) c) || c == '-' || c == '_';
        if (keep)
            out += c;
        else if (! out.empty() && out.back() != '-')
            out += '-';
    }
    while (! out.empty() && out.back() == '-')
        out.pop_back();
    return out.empty() ? "version" : out.substr (0, 48);
}

std::vector<std::pair<float, float>> filePeaks (const std::string& path, int count, std::string& error)
{
    auto input = engine::AudioFileInput::open (path, error);
    if (input == nullptr)
        return {};
    const auto& info = input->info();
    const int64_t length = std::max<int64_t> (1, info.lengthInSamples);
    const int buckets = (int) std::max<int64_t> (1, std::min<int64_t> (count, length));
    std::vector<std::pair<float, float>> peaks ((size_t) buckets, { 0.0f, 0.0f });
    juce::AudioBuffer<float> buffer (info.numChannels, 8192);
    int64_t position = 0;
    for (;;)
    {
        const int got = input->read (buffer, buffer.getNumSamples());
        if (got <= 0)
            break;
        for (int i = 0; i < got; ++i, ++position)
        {
            auto& [low, high] = peaks[(size_t) std::min<int64_t> (buckets - 1, position * buckets / length)];
            for (int c = 0; c < info.numChannels; ++c)
            {
                const float v = std::clamp (buffer.getSample (c, i), -1.0f, 1.0f);
                low = std::min (low, v);
                high = std::max (high, v);
            }
        }
    }
    return peaks;
}

ProofResult writeProof (const session::Session& session, const ProofOptions& options)
{
    ProofResult result;
    auto fail = [&result] (const std::string& message)
    {
        result.error = message;
        return result;
    };

    // Every version named must exist before anything is rendered.
    if (options.versions.empty())
        return fail ("name at least one version to proof (--version NAME)");
    std::vector<const session::Version*> versions;
    for (const auto& name : options.versions)
    {
        const auto* v = session::findVersion (session, name);
        if (v == nullptr)
            return fail ("there is no version '" + name + "' in the session");
        if (std::find (versions.begin(), versions.end(), v) != versions.end())
            return fail ("version '" + name + "' is named twice");
        versions.push_back (v);
    }
    if (session.tracks.empty())
        return fail ("the session has no tracks");

    std::string error;
    auto folder = ExportFolder::open (options.destination, error);
    if (folder == nullptr)
        return fail (error);

    // Unique file-name forms of the version names.
    std::vector<std::string> safeNames;
    for (const auto* v : versions)
    {
        auto safe = safeVersionName (v->name);
        for (int n = 2; std::find (safeNames.begin(), safeNames.end(), safe) != safeNames.end(); ++n)
            safe = safeVersionName (v->name) + "-" + std::to_string (n);
        safeNames.push_back (safe);
    }

    const size_t numTracks = session.tracks.size();
    struct Rendered
    {
        std::string mp3, audioScript;
        session::TrackFigures figures;
        double duration = 0.0;
        std::vector<std::pair<float, float>> peaks;
        bool present = false;
    };
    std::vector<std::vector<Rendered>> rendered (versions.size(), std::vector<Rendered> (numTracks));

    for (size_t k = 0; k < versions.size(); ++k)
    {
        const auto& version = *versions[k];
        if (options.progress)
            options.progress ("proof: rendering version '" + version.name + "'");

        // The version in place of the working state; approvals and versions play no part.
        auto proofSession = session::withVersion (session, version);
        proofSession.versions.clear();
        for (size_t i = 0; i < proofSession.tracks.size(); ++i)
        {
            auto& t = proofSession.tracks[i];
            t.approvedVersion.clear();
            t.title = (t.title.empty() ? "Track " + std::to_string (i + 1) : t.title) + " (" + version.name + ")";
        }
        proofSession.deliverables.mp3Modes = { "320" };

        const auto renderFolder = folder->staging() / (".render-" + std::to_string (k));
        ReleaseExportOptions exportOptions;
        exportOptions.destination = renderFolder.string();
        exportOptions.targets = { session::DeliverableTarget::mp3 };
        exportOptions.threads = options.threads;
        exportOptions.progress = options.progress;
        exportOptions.cancel = options.cancel;
        exportOptions.tagComment
            = "Crest proof, version '" + version.name + "'" + (version.note.empty() ? "" : ": " + version.note);
        const auto exported = exportRelease (proofSession, exportOptions);
        if (! exported.succeeded)
            return fail ("version '" + version.name + "': " + exported.error);

        for (const auto& row : exported.report.files)
        {
            if (row.track < 1 || (size_t) row.track > numTracks || row.format.rfind ("MP3", 0) != 0)
                continue;
            // The track's place in the working order (the version may order tracks otherwise).
            const auto& id = proofSession.tracks[(size_t) row.track - 1].id;
            const int index = session::trackIndex (session, id);
            if (index < 0)
                continue;
            auto& r = rendered[k][(size_t) index];
            const auto number = twoDigits (index + 1);
            r.mp3 = "mp3/" + fs::path (row.path).filename().string();
            const auto staged = folder->stage (r.mp3, error);
            if (staged.empty())
                return fail (error);
            std::error_code ec;
            fs::rename (renderFolder / row.path, staged, ec);
            if (ec)
                return fail ((renderFolder / row.path).string() + ": cannot be moved into the proof: " + ec.message());
            r.figures = { row.integratedLufs, row.loudnessRangeLu, row.truePeakDbtp, row.plrDb };
            r.duration = row.durationSeconds;
            r.peaks = filePeaks (staged.string(), 800, error);
            if (r.peaks.empty())
                return fail (error);

            // The MP3 as a script, so the page can decode it from file:// without fetching.
            juce::MemoryBlock bytes;
            if (! juce::File (staged.string()).loadFileAsData (bytes))
                return fail (staged.string() + ": cannot be read back");
            const auto key = number + "-" + safeNames[k];
            r.audioScript = "audio/" + key + ".js";
            const auto script = folder->stage (r.audioScript, error);
            if (script.empty())
                return fail (error);
            const auto base64 = juce::Base64::toBase64 (bytes.getData(), bytes.getSize()).toStdString();
            if (! writeText (script,
                    "window.CREST_AUDIO = window.CREST_AUDIO || {}; window.CREST_AUDIO[\"" + key + "\"] = \"" + base64 + "\";\n",
                    error))
                return fail (error);
            r.present = true;
        }
        std::error_code ec;
        fs::remove_all (renderFolder, ec);
        for (size_t i = 0; i < numTracks; ++i)
            if (! rendered[k][i].present)
                return fail ("version '" + version.name + "': track " + std::to_string (i + 1) + " was not rendered");
        auto& figures = result.figures[version.name];
        for (const auto& r : rendered[k])
            figures.push_back (r.figures);
    }

    // The data file.
    Json data;
    data["format"] = "crest-review";
    data["formatVersion"] = 1;
    data["album"] = { { "title", session.album.title }, { "performer", session.album.performer } };
    data["versions"] = Json::array();
    for (const auto* v : versions)
    {
        // The difference from the version made before it (the first: from nothing to say).
        std::vector<std::string> difference;
        for (size_t i = 0; i < session.versions.size(); ++i)
            if (&session.versions[i] == v && i > 0)
                difference = session::describeDifference (session.versions[i - 1], *v);
        data["versions"].push_back (
            { { "name", v->name }, { "created", v->createdUtc }, { "note", v->note }, { "difference", difference } });
    }
    data["tracks"] = Json::array();
    for (size_t i = 0; i < numTracks; ++i)
    {
        std::vector<double> lufs;
        for (size_t k = 0; k < versions.size(); ++k)
            lufs.push_back (rendered[k][i].figures.integratedLufs.value_or (NAN));
        const auto gains = session::loudnessMatchGains (lufs);

        Json track;
        track["number"] = (int) i + 1;
        track["id"] = session.tracks[i].id; // notes.json names tracks by it (NotesFile version 2)
        track["title"] = session.tracks[i].title;
        track["durationSeconds"] = rounded (rendered[0][i].duration, 3);
        Json perVersion = Json::object();
        for (size_t k = 0; k < versions.size(); ++k)
        {
            const auto& r = rendered[k][i];
            Json peaks = Json::array();
            for (const auto& [low, high] : r.peaks)
                peaks.push_back ({ rounded (low, 4), rounded (high, 4) });
            perVersion[versions[k]->name] = { { "mp3", r.mp3 }, { "audioScript", r.audioScript },
                { "integratedLufs", analysis::roundedOrNull (r.figures.integratedLufs, 2) },
                { "lraLu", analysis::roundedOrNull (r.figures.loudnessRangeLu, 2) },
                { "truePeakDbtp", analysis::roundedOrNull (r.figures.truePeakDbtp, 2) },
                { "plrDb", analysis::roundedOrNull (r.figures.plrDb, 2) }, { "matchGainDb", rounded (gains[k], 2) },
                { "peaks", peaks } };
        }
        track["versions"] = perVersion;
        data["tracks"].push_back (track);
    }
    const auto dataPath = folder->stage ("review-data.js", error);
    if (dataPath.empty() || ! writeText (dataPath, "window.CREST_REVIEW = " + data.dump (1) + ";\n", error))
        return fail (error);

    if (! options.reviewPage.empty() && fs::is_regular_file (options.reviewPage))
    {
        const auto page = folder->stage ("index.html", error);
        std::error_code ec;
        if (page.empty() || ! fs::copy_file (options.reviewPage, page, fs::copy_options::overwrite_existing, ec))
            return fail (page.empty() ? error : options.reviewPage + ": cannot be copied: " + ec.message());
        result.pageCopied = true;
    }

    result.files = folder->stagedFiles();
    if (! folder->commit (error))
        return fail (error);
    result.succeeded = true;
    return result;
}

} // namespace crest::delivery
