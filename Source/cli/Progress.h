#pragma once

#include <chrono>
#include <string>

namespace crest::cli
{

/** A one-line progress indication on stderr, shown only when stderr is a terminal and the
    work is long enough to be worth watching. Updates at most ten times a second. */
class Progress
{
public:
    /** @param label       what is being worked on (usually the file name)
        @param worthShowing false for short jobs: nothing is printed at all */
    Progress (std::string label, bool worthShowing);
    ~Progress();

    /** Reports the fraction done (0..1). */
    void update (double fraction);

private:
    std::string label;
    bool active = false, printed = false;
    std::chrono::steady_clock::time_point lastPrint;
};

} // namespace crest::cli
