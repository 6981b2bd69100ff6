#include "export/ExportJob.h"

#include <algorithm>
#include <cstdlib>

namespace crest::delivery
{
namespace
{
    /** i/n from "... track i/n done", or a percentage from "... NN %"; nothing otherwise. */
    std::optional<double> fractionIn (const std::string& rest)
    {
        if (const auto slash = rest.find ('/'); slash != std::string::npos && rest.find ("track ") != std::string::npos)
        {
            const auto start = rest.rfind (' ', slash);
            const double i = std::atof (rest.c_str() + (start == std::string::npos ? 0 : start + 1));
            const double n = std::atof (rest.c_str() + slash + 1);
            if (n > 0.0)
                return std::clamp (i / n, 0.0, 1.0);
        }
        if (rest.size() > 2 && rest.compare (rest.size() - 2, 2, " %") == 0)
        {
            const auto start = rest.rfind (' ', rest.size() - 3);
            return std::clamp (std::atof (rest.c_str() + (start == std::string::npos ? 0 : start + 1)) / 100.0, 0.0, 1.0);
        }
        return std::nullopt;
    }

    void update (ExportJob::Status& s)
    {
        double sum = 0.0;
        for (const auto& t : s.targets)
            sum += t.fraction;
        const double targets = s.targets.empty() ? 0.0 : sum / (double) s.targets.size();
        s.overall = s.finished ? 1.0 : 0.5 * s.masters + 0.5 * targets;
        // Extrapolate once a few per cent are done; before that the figure would be noise.
        s.secondsLeft = s.overall >= 0.03 && ! s.finished
            ? std::optional<double> (s.elapsedSeconds * (1.0 - s.overall) / s.overall)
            : std::nullopt;
    }
} // namespace

ExportJob::ExportJob (session::Session session, ReleaseExportOptions options)
{
    const auto& targets = options.targets.empty() ? session.deliverables.targets : options.targets;
    for (auto t : targets)
        state.targets.push_back ({ session::targetName (t), 0.0 });
    started = std::chrono::steady_clock::now();
    thread = std::thread (
        [this, s = std::move (session), o = std::move (options)]() mutable { run (std::move (s), std::move (o)); });
}

ExportJob::~ExportJob()
{
    stop = true;
    if (thread.joinable())
        thread.join();
}

void ExportJob::run (session::Session session, ReleaseExportOptions options)
{
    options.cancel = &stop;
    options.progress = [this] (const std::string& line)
    {
        const std::lock_guard<std::mutex> lock (mutex);
        takeLine (state, line);
    };
    auto result = exportRelease (session, options);
    {
        const std::lock_guard<std::mutex> lock (mutex);
        outcome = std::move (result);
        state.finished = true;
        state.elapsedSeconds = std::chrono::duration<double> (std::chrono::steady_clock::now() - started).count();
        if (outcome.succeeded)
            for (auto& t : state.targets)
                t.fraction = 1.0;
        update (state);
    }
    done = true;
}

void ExportJob::takeLine (Status& s, const std::string& line)
{
    s.lastLine = line;
    const auto colon = line.find (": ");
    if (colon == std::string::npos)
        return;
    const auto who = line.substr (0, colon);
    const auto rest = line.substr (colon + 2);
    const auto fraction = fractionIn (rest);
    const bool whole = rest.size() >= 5 && rest.compare (rest.size() - 5, 5, " done") == 0 && ! fraction;
    if (who == "master")
    {
        if (fraction)
            s.masters = std::max (s.masters, *fraction);
    }
    else
        for (auto& t : s.targets)
            if (t.name == who || who.rfind (t.name + "-", 0) == 0) // "mp3-320" is the mp3 target
            {
                if (fraction)
                    t.fraction = std::max (t.fraction, *fraction);
                if (whole)
                    t.fraction = std::max (t.fraction, 0.5); // e.g. "ddp: audio done": its image is next
            }
    update (s);
}

ExportJob::Status ExportJob::status() const
{
    const std::lock_guard<std::mutex> lock (mutex);
    auto copy = state;
    if (! copy.finished)
    {
        copy.elapsedSeconds = std::chrono::duration<double> (std::chrono::steady_clock::now() - started).count();
        update (copy);
    }
    return copy;
}

bool ExportJob::waitUntilFinished (int milliseconds) const
{
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds (milliseconds);
    while (! done)
    {
        if (milliseconds >= 0 && std::chrono::steady_clock::now() >= until)
            return false;
        std::this_thread::sleep_for (std::chrono::milliseconds (10));
    }
    return true;
}

} // namespace crest::delivery
