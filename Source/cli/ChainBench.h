#pragma once

namespace crest::cli
{

/** Prints the chain benchmark: each module and a full mastering chain, 48/96 kHz, blocks of
    64/512, as multiples of real time on one core; and the linear-phase EQ's latency. */
void runChainBench (double seconds, int runs);

/** Times `crest render` with a limiter-only chain against lv2file running x42's digital peak
    limiter on the same file, alternating runs, and prints the ratio and both outputs' true
    peaks. Returns an exit status. */
int runPeerLimiterBench (double minutes, int runs);

/** Times `crest render` with a chain of two hosted LV2 plugins (x42's fil4 equaliser, then its
    dpl limiter) against the same two plugins through lv2file (one run each, the equaliser's
    output feeding the limiter), alternating runs; prints both as multiples of real time and the
    ratio. Returns an exit status. */
int runHostedPluginBench (double minutes, int runs);

} // namespace crest::cli
