#include "cli/Progress.h"

#include <cstdio>
#include <unistd.h>

namespace crest::cli
{

Progress::Progress (std::string what, bool worthShowing)
    : label (std::move (what)), active (worthShowing && isatty (STDERR_FILENO) != 0)
{
}

Progress::~Progress()
{
    if (printed)
        std::fprintf (stderr, "\r\033[K");
}

void Progress::update (double fraction)
{
    if (! active)
        return;

    const auto now = std::chrono::steady_clock::now();
    if (printed && now - lastPrint < std::chrono::milliseconds (100) && fraction < 1.0)
        return;

    lastPrint = now;
    printed = true;
    std::fprintf (stderr, "\r\033[K%s  %3.0f %%", label.c_str(), 100.0 * fraction);
    std::fflush (stderr);
}

} // namespace crest::cli
