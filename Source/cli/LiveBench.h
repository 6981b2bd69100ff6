#pragma once

namespace crest::cli
{

/** Prints the live engine's cost per block at 48 kHz / 256 samples, on the audio thread only
    (disk reading happens on its own thread): meters alone, with a full mastering chain, and
    with a reference, a translation check and a platform preview on top; as microseconds per
    block (mean, 99th percentile, worst) and as a multiple of real time. */
void runLiveBench (double seconds);

} // namespace crest::cli
