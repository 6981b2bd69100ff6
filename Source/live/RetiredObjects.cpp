#include "live/RetiredObjects.h"

#include <algorithm>

namespace crest::live
{

void RetiredObjects::collect()
{
    const auto done = blocksDone.load();
    const bool audioIdle = ! audioRunning.load();
    held.erase (std::remove_if (
                    held.begin(), held.end(), [done, audioIdle] (const Held& h) { return audioIdle || done >= h.afterBlock; }),
        held.end());
}

} // namespace crest::live
