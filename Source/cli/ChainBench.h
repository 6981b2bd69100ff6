#pragma once

namespace crest::cli
{

/** Prints the chain benchmark: each module alone and the full chain of every module, 48/96 kHz,
    blocks of 64/512, as multiples of real time on one core (the thread's CPU time) and as
    ratios against a fixed reference workload (eight double biquads on two channels) measured
    just before each row; the full chain on real music too when wesnoth-music is installed;
    speed on denormal-level input; and the linear-phase EQ's latency. */
void runChainBench (double seconds, int runs);

/** Times `crest render` with a limiter-only chain against lv2file running x42's digital peak
    limiter (true-peak mode, same gain, ceiling and release) on the same file (real music when
    wesnoth-music is installed), whole programs, alternating, `runs` times; prints medians of
    wall and CPU time, their ratios, and both outputs' true peaks by Crest's meter, ffmpeg's
    ebur128 and sox at 16x. Returns an exit status. */
int runPeerLimiterBench (double minutes, int runs);

/** Times `crest render` with a chain of two hosted LV2 plugins (x42's fil4 equaliser, then its
    dpl limiter) against the same two plugins through lv2file (one run each, the equaliser's
    output feeding the limiter), alternating runs; prints both as multiples of real time and the
    ratio. Returns an exit status. */
int runHostedPluginBench (double minutes, int runs);

} // namespace crest::cli
