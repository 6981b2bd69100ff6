#pragma once

#include "analysis/TrackAnalyser.h"
#include "engine/AudioFileInput.h"
#include "engine/ChainDescription.h"

#include <atomic>
#include <functional>
#include <optional>
#include <string>

namespace crest::engine
{

/** How `crest render` writes its output. */
struct RenderOptions
{
    int bitsPerSample = 24;       ///< 16 (TPDF-dithered), 24, or 32 (float WAV)
    int blockSize = 4096;         ///< processing block; the output does not depend on it
    uint32_t ditherSeed = 1;      ///< dither is seeded so renders are reproducible
    std::function<void (double)> progress;
    const std::atomic<bool>* cancel = nullptr;
};

/** What a render produced. */
struct RenderResult
{
    AudioFileInfo input;
    analysis::TrackAnalysis output; ///< measured on the samples written (before quantisation)
    int latencySamples = 0;         ///< removed from the output
};

/** Renders a file through a chain offline, with the same ProcessingChain the player runs.

    The output has exactly the input's length and alignment: the chain's latency is removed
    from the start and its tail is flushed with silence at the end, so a neutral chain nulls
    against the source. Mono sources are processed as dual mono and written as mono (the mean
    of both sides); more than two channels are refused. The source is never written: a target
    that is the source is refused, and the output appears under its name only when complete.
    16-bit output gets TPDF dither (dsp::TpdfDither, seeded), except on digital silence.
*/
std::optional<RenderResult> renderFile (const std::string& inputPath, const std::string& outputPath,
                                        const ChainDescription& chain, const RenderOptions& options, std::string& error);

} // namespace crest::engine
