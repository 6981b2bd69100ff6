#pragma once

// The export report: report.json for machines and report.html for people, listing every file
// an export wrote with its checksum and measurements, and every finding of every check.
//
// Design note: `crest export` fills an ExportReport as it goes (describeWrittenFile() after
// each file, the findings of the preflight, ADM and vinyl checks) and writes it last, so the
// report describes the files as they are on disk. The HTML is one self-contained file (inline
// CSS and SVG, no scripts, no external assets) so it can be mailed to a client or archived
// with the masters: a bar chart of integrated loudness per file and a short-term loudness plot
// per track.

#include "album/SourceAudio.h"
#include "analysis/TrackAnalyser.h"
#include "export/DeliveryFinding.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace crest::delivery
{

/** One file an export wrote. */
struct ReportFile
{
    std::string path; ///< relative to the export folder, as the user finds it ("mp3/01 Title.mp3")
    std::string target; ///< the target's name (session::targetName)
    int track = 0; ///< 1-based track (or side for vinyl), 0 for album-wide files (CUE, DDP, album WAV)
    std::string title; ///< what the row is called (track title, "Side A", "Album")
    std::string md5; ///< 32 hex digits
    int64_t bytes = 0;

    // Audio files only (empty for CUE sheets, DDP descriptors, ...).
    std::string format; ///< e.g. "WAV 24-bit 96 kHz", "MP3 320 kbps"
    double durationSeconds = 0.0;
    std::optional<double> integratedLufs, loudnessRangeLu, truePeakDbtp, plrDb;
    std::vector<float> shortTermLufs; ///< every 100 ms (NaN under the gate), for the plot
};

/** A whole export's report. */
struct ExportReport
{
    std::string albumTitle, albumArtist;
    std::string sessionPath; ///< the session exported
    std::string createdUtc; ///< ISO 8601, e.g. "2025-03-01T12:00:00Z" (see nowUtc())
    std::vector<std::string> targets; ///< the names of the targets asked for, in order
    std::vector<ReportFile> files;
    std::vector<DeliveryFinding> findings;
    std::vector<album::SourceConversion> conversions; ///< sources that played converted to the session rate

    /** Per track, the version its deliverables came from (its approved version), empty for
        the working state. Empty when the session has no versions: then nothing is said. */
    std::vector<std::string> trackVersions;
};

/** The current time as ISO 8601 UTC. */
std::string nowUtc();

/** Copies the measurements a report shows (loudness, LRA, true peak, PLR, duration and the
    short-term series) from an analysis into a row. */
void setMeasurements (ReportFile& file, const analysis::TrackAnalysis& analysis);

/** Describes a file that has been written: its size and MD5, and, for an audio file Crest can
    read (WAV, AIFF, FLAC, MP3), its measurements, read back from the file itself.

    @param folder        the export folder
    @param relativePath  the file, relative to `folder`
    @param measureAudio  false for files that are not audio, or to skip the measuring pass
    @param knownMd5      the file's MD5 when its writer hashed it as it wrote (the DDP image's
                         CHECKSUM.MD5): taken instead of reading the file again
    @returns the row, or empty with `error` naming the file when it cannot be read */
std::optional<ReportFile> describeWrittenFile (const std::string& folder, const std::string& relativePath,
    const std::string& target, int track, const std::string& title, bool measureAudio, std::string& error,
    const std::string& knownMd5 = {});

/** The report as JSON (format "crest-export-report", version 1). Missing values are null. */
nlohmann::ordered_json reportToJson (const ExportReport& report);

/** The report as one self-contained HTML page. */
std::string reportToHtml (const ExportReport& report);

/** Writes report.json and report.html into `folder`, each whole or not at all. False with
    `error` set on failure. */
bool writeReport (const ExportReport& report, const std::string& folder, std::string& error);

} // namespace crest::delivery
