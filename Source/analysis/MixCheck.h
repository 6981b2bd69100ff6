#pragma once

#include "analysis/TrackAnalyser.h"

#include <optional>
#include <string>
#include <vector>

namespace crest::analysis
{

/** How much a finding matters to the master. `serious` findings make `crest check` exit 1. */
enum class Severity
{
    info,    ///< worth knowing, nothing to fix
    warning, ///< likely to limit the master; worth asking the mix engineer about
    serious  ///< damage in the file, or a problem no mastering move can undo
};

/** A time position as people read it on a transport: minutes and seconds to a tenth (1:04.2). */
std::string clockTime (double seconds);

/** Lower-case name of a severity, as printed and in JSON. */
const char* severityName (Severity) noexcept;

/** One thing a mastering engineer would point out on receiving a mix. */
struct Finding
{
    Severity severity = Severity::info;
    std::string code;                  ///< stable identifier, e.g. "clipping", "lossy-source"
    std::optional<double> timeSeconds; ///< where it happens (first occurrence), if it has a place
    std::string message;               ///< one plain sentence
};

/** How the file was delivered (what the container says, not what the audio measures). */
struct DeliveryFormat
{
    std::string formatName; ///< "WAV", "FLAC", "MP3", ...
    int bitsPerSample = 24;
    bool isFloatingPoint = false;
    bool isLossy = false;
};

/** A brick-wall drop in a long-term spectrum. */
struct SpectralCutoff
{
    double frequencyHz = 0.0; ///< where the spectrum falls away
    double dropDb = 0.0;      ///< level just below minus level just above
};

/** Looks for the steepest drop between two frequencies: the level of the 800 Hz below a
    candidate edge against the 800 Hz above it, in 100 Hz steps. Returns the edge when the
    drop is at least `minimumDropDb` (natural roll-offs fall a few dB per kHz; encoders and
    resamplers fall tens of dB within one). */
std::optional<SpectralCutoff> findSpectralCutoff (const SpectrumAnalyser& spectrum, double lowestHz,
                                                  double highestHz, double minimumDropDb);

/** The mix evaluation a mastering engineer does before processing anything: clipping,
    inter-sample overs, headroom, over-limiting, DC, mono compatibility, lossy or fake
    high-resolution sources, bit depth, edges, and tonal balance. Findings come in order of
    severity, most serious first. */
std::vector<Finding> checkMix (const TrackAnalysis& analysis, const DeliveryFormat& format);

/** The highest severity among findings, or empty when there are none. */
std::optional<Severity> worstSeverity (const std::vector<Finding>& findings) noexcept;

} // namespace crest::analysis
