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

/** How many threads analyseFile() may use. */
enum class AnalysisThreads
{
    one,      ///< every meter on the calling thread
    automatic ///< the peak lane on a second thread when the process may run on two cores or more
};

/** Streams a file through a TrackAnalyser, one second at a time, so memory stays flat
    however long the file is. With a second thread the results are the same bit for bit
    (see TrackAnalyser); the calling thread reads the next block while the worker measures.

    @param path      the file to analyse
    @param error     set to the reason (without the path) when the file cannot be analysed
    @param progress  called now and then with the fraction done (0..1); may be empty
    @param cancel    checked between blocks; analysis stops and fails when it becomes true
    @param threads   one, or a second core where there is one
*/
std::optional<FileAnalysis> analyseFile (const std::string& path, std::string& error,
                                         const std::function<void (double)>& progress = {},
                                         const std::atomic<bool>* cancel = nullptr,
                                         AnalysisThreads threads = AnalysisThreads::automatic);

/** Cores this process may run on (its CPU affinity where the system reports it). */
int usableCores() noexcept;

} // namespace crest::engine
