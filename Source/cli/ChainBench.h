#pragma once

namespace crest::cli
{

/** Prints the chain benchmark: each module and a full mastering chain, 48/96 kHz, blocks of
    64/512, as multiples of real time on one core; and the linear-phase EQ's latency. */
void runChainBench (double seconds, int runs);

} // namespace crest::cli
