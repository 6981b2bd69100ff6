#pragma once

namespace crest::cli
{

/** `crest bench --only analysis`: whole-file analysis of about `minutes` of real music (the
    wesnoth-music tracks when installed, decoded and resampled to a 48 kHz float WAV by Crest;
    otherwise the synthesised demo mix) by Crest on two threads and on one, against libebur128
    (in this process, reading the file through the same reader) and ffmpeg's ebur128 filter (as
    a child process), alternating, `runs` times. Prints medians as multiples of real time, the
    ratios, the readings side by side and the load average. Returns an exit status. */
int runAnalysisBench (double minutes, int runs);

} // namespace crest::cli
