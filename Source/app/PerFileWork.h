#pragma once

// Work done once per source file on a background thread, for views that must never block the
// message thread on audio (the timeline's waveform peaks, the album's mix checks).
//
// Design note: a view asks find(path) on every paint; the first ask queues the file and returns
// nullptr, later asks return the finished result, shared and immutable, so the view can keep it
// while the thread goes on. One thread per kind of work, one file at a time: the player and the
// window keep the other core. A file that cannot be read still gets a result (saying why), so it
// is never queued again.

#include <juce_core/juce_core.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace crest::app
{

/** A background thread computing one `Result` per file, on demand. Subclasses give compute(). */
template <typename Result>
class PerFileWork : private juce::Thread
{
public:
    /** The result for a file (a full path), or nullptr while it is being worked on (it is queued). */
    std::shared_ptr<const Result> find (const std::string& path)
    {
        {
            const std::lock_guard<std::mutex> guard (lock);
            if (auto found = results.find (path); found != results.end())
                return found->second;
            if (std::find (queue.begin(), queue.end(), path) == queue.end())
                queue.push_back (path);
            busy = true;
        }
        notify();
        return nullptr;
    }

    /** Counts results finished; views refresh when it changes. */
    int finished() const noexcept { return completed.load(); }

    /** Waits until every queued file is done (screenshots). */
    void waitUntilIdle (int timeoutMs)
    {
        const auto until = juce::Time::getMillisecondCounter() + (juce::uint32) timeoutMs;
        while (busy.load() && juce::Time::getMillisecondCounter() < until)
            juce::Thread::sleep (10);
    }

protected:
    /** `nameOfThread` names the thread in a debugger; `exitTimeoutMs` is how long the destructor
        waits for compute() to notice threadShouldExit(). */
    PerFileWork (const juce::String& nameOfThread, int exitTimeoutMs) : juce::Thread (nameOfThread), exitTimeout (exitTimeoutMs)
    {
    }

    /** Subclasses call this at the end of their constructor, once they are fully built
        (compute() is theirs). */
    void start() { startThread(); }

    /** Subclasses call this first in their destructor, before their members go. */
    void stop() { stopThread (exitTimeout); }

    /** The work for one file, on the background thread. Returns nullptr only when it stopped
        because the thread is asked to exit (see shouldStop()). */
    virtual std::shared_ptr<const Result> compute (const std::string& path) = 0;

    /** True when compute() should give up: the window is closing. */
    bool shouldStop() const { return threadShouldExit(); }

private:
    void run() override
    {
        while (! threadShouldExit())
        {
            std::string path;
            {
                const std::lock_guard<std::mutex> guard (lock);
                if (! queue.empty())
                {
                    path = queue.front();
                    queue.erase (queue.begin());
                }
                else
                    busy = false;
            }
            if (path.empty())
            {
                wait (500);
                continue;
            }
            auto result = compute (path);
            if (result == nullptr || threadShouldExit())
                return;
            {
                const std::lock_guard<std::mutex> guard (lock);
                results[path] = std::move (result);
            }
            ++completed;
        }
    }

    const int exitTimeout;
    std::mutex lock; // guards results and queue
    std::map<std::string, std::shared_ptr<const Result>> results;
    std::vector<std::string> queue;
    std::atomic<int> completed { 0 };
    std::atomic<bool> busy { false };
};

} // namespace crest::app
