#pragma once

#include "analysis/TrackAnalyser.h"
#include "engine/AudioFileInput.h"

#include <atomic>
#include <functional>
#include <optional>
#include <string>

namespace crest::engine
{

/** A file's description together with everything measured in it. */
struct FileAnalysis
{
    AudioFileInfo file;
    analysis::TrackAnalysis analysis;
};

/** Streams a file through a TrackAnalyser, one second at a time, so memory stays flat
    however long the file is.

    @param path      the file to analyse
    @param error     set to the reason (without the path) when the file cannot be analysed
    @param progress  called now and then with the fraction done (0..1); may be empty
    @param cancel    checked between blocks; analysis stops and fails when it becomes true
*/
std::optional<FileAnalysis> analyseFile (const std::string& path, std::string& error,
                                         const std::function<void (double)>& progress = {},
                                         const std::atomic<bool>* cancel = nullptr);

} // namespace crest::engine
