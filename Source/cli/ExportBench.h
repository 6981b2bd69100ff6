#pragma once

namespace crest::cli
{

/** `crest bench --only export`: a synthesised album of `minutes` (five tracks, 48 kHz 24-bit)
    exported by `crest export` to cd + streaming + mp3 in a child process (wall time as a
    multiple of real time, the child's peak RSS), beside the chain of peers a user would type
    by hand on the same files (sox to 16/44.1 with dither, lame -b 320), run one after another
    and as two parallel jobs, with the ratios. Returns an exit status. */
int runExportBench (double minutes);

} // namespace crest::cli
