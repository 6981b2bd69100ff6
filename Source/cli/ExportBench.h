#pragma once

namespace crest::cli
{

/** `crest bench --only export`: a synthesised album of `minutes` (20 tracks, 96 kHz 24-bit)
    exported by `crest export` to cd + ddp + streaming + mp3 + flac in a child process (wall
    time as a multiple of real time, the child's peak RSS), beside the same deliverables made
    by hand (sox to 16/44.1 with dither, sox to 24-bit, lame -b 320, flac, sox joining the CD
    tracks into an image) as two parallel jobs, alternating, best of two, with the ratio; then
    Crest's peak RSS for 5 tracks and for 5 tracks twice as long, as ratios to show it is flat
    in the number and length of tracks. Returns an exit status. */
int runExportBench (double minutes);

} // namespace crest::cli
