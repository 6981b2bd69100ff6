#pragma once

#include <string>

namespace crest::cli
{

/** Writes the programme the benches measure to `file` (48 kHz stereo 32-bit float WAV): whole
    wesnoth-music tracks (decoded and resampled by Crest) until `minutes` are reached, or the
    synthesised demo mix without them. Sets `seconds` to its length; returns a description. */
std::string writeBenchProgramme (const std::string& file, double minutes, double& seconds);

/** True when Debian's wesnoth-music tracks are installed (real music for the benches). */
bool wesnothMusicInstalled();

/** `crest bench --only analysis`: whole-file analysis of about `minutes` of real music (the
    wesnoth-music tracks when installed, decoded and resampled to a 48 kHz float WAV by Crest;
    otherwise the synthesised demo mix) by Crest on two threads and on one, against libebur128
    (in this process, reading the file through the same reader) and ffmpeg's ebur128 filter (as
    a child process), alternating, `runs` times. Prints medians as multiples of real time, the
    ratios, the readings side by side and the load average. Returns an exit status. */
int runAnalysisBench (double minutes, int runs);

} // namespace crest::cli
