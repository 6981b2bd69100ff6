#include "app/MasterChecks.h"

namespace crest::app
{

MasterChecks::MasterChecks (Workstation& w, AlbumTimeline& t)
    : juce::Thread ("Crest master checks"), workstation (w), timeline (t)
{
    startThread();
    startTimerHz (5);
}

MasterChecks::~MasterChecks()
{
    stopTimer();
    cancelRender = true;
    stopThread (10000);
}

std::string MasterChecks::idOf (int index) const
{
    const auto& tracks = workstation.session().tracks;
    if (index < 0 || index >= (int) tracks.size())
        return {};
    // Sessions made from dropped files may not have IDs yet: the source stands in.
    return tracks[(size_t) index].id.empty() ? tracks[(size_t) index].source : tracks[(size_t) index].id;
}

void MasterChecks::renderAll()
{
    for (int i = 0; i < (int) workstation.session().tracks.size(); ++i)
        follow (i);
}

void MasterChecks::follow (int index)
{
    if (index >= 0 && followed.insert (idOf (index)).second)
    {
        fingerprintedRevision = ~0ull;
        update();
    }
}

std::shared_ptr<const MasterChecks::Result> MasterChecks::find (int index) const
{
    const auto id = idOf (index);
    const std::lock_guard<std::mutex> guard (lock);
    const auto found = results.find (id);
    return found == results.end() ? nullptr : found->second;
}

bool MasterChecks::isCurrent (int index) const
{
    auto result = find (index);
    return result != nullptr && index < (int) fingerprints.size() && result->fingerprint == fingerprints[(size_t) index]
        && fingerprintedRevision == workstation.editor().revision();
}

bool MasterChecks::isPending (int index) const
{
    return followed.count (idOf (index)) > 0 && ! isCurrent (index);
}

void MasterChecks::timerCallback()
{
    // Playing through a track is asking to hear its master: follow it from now on.
    auto& player = workstation.player();
    if (player.isPlaying())
        if (const auto [track, seconds] = timeline.playheadInTrack(); track >= 0)
            follow (track);
    update();
}

void MasterChecks::update()
{
    const auto& layout = timeline.layout();
    if (! layout)
        return;
    const auto& session = workstation.session();
    if (fingerprintedRevision == workstation.editor().revision() && fingerprints.size() == session.tracks.size())
        return;
    fingerprintedRevision = workstation.editor().revision();
    fingerprints.clear();
    // The render reads the files the timeline reads: sources resolved against the session's folder.
    std::optional<session::Session> resolved;
    for (int i = 0; i < (int) session.tracks.size(); ++i)
    {
        const auto id = idOf (i);
        fingerprints.push_back (followed.count (id) > 0 ? album::masterFingerprint (session, *layout, i) : std::string());
        if (fingerprints.back().empty())
            continue;
        {
            const std::lock_guard<std::mutex> guard (lock);
            const auto done = results.find (id);
            if (done != results.end() && done->second->fingerprint == fingerprints.back())
            {
                asks.erase (id);
                continue;
            }
            const auto asked = asks.find (id);
            if (asked != asks.end() && asked->second.fingerprint == fingerprints.back())
                continue;
        }
        if (! resolved)
        {
            resolved = session;
            const auto& paths = timeline.sourcePaths();
            for (size_t t = 0; t < resolved->tracks.size() && t < paths.size(); ++t)
                resolved->tracks[t].source = paths[t];
        }
        Ask ask { id, fingerprints.back(), i, *resolved, *layout, juce::Time::getMillisecondCounterHiRes() };
        const std::lock_guard<std::mutex> guard (lock);
        if (rendering == id)
            cancelRender = true; // what it renders is already out of date
        asks.insert_or_assign (id, std::move (ask));
    }
    notify();
}

void MasterChecks::waitUntilCurrent (int timeoutMs)
{
    const auto until = juce::Time::getMillisecondCounter() + (juce::uint32) timeoutMs;
    for (;;)
    {
        update();
        bool pending = false;
        for (int i = 0; i < (int) workstation.session().tracks.size(); ++i)
            pending = pending || isPending (i);
        if (! pending || juce::Time::getMillisecondCounter() > until)
            return;
        juce::Thread::sleep (20);
    }
}

void MasterChecks::run()
{
    while (! threadShouldExit())
    {
        std::optional<Ask> next;
        int waitMs = 500;
        {
            const std::lock_guard<std::mutex> guard (lock);
            const double now = juce::Time::getMillisecondCounterHiRes();
            for (auto it = asks.begin(); it != asks.end(); ++it)
            {
                const double age = now - it->second.madeMs;
                if (age >= settleMs)
                {
                    next = std::move (it->second);
                    asks.erase (it);
                    break;
                }
                waitMs = juce::jmin (waitMs, (int) (settleMs - age) + 1);
            }
            if (next)
            {
                rendering = next->id;
                cancelRender = false;
            }
        }
        if (! next)
        {
            wait (waitMs);
            continue;
        }
        auto result = std::make_shared<Result>();
        result->fingerprint = next->fingerprint;
        result->check = album::checkMaster (next->session, next->timeline, next->index, result->error, &cancelRender);
        const bool cancelled = cancelRender.load() || threadShouldExit();
        {
            const std::lock_guard<std::mutex> guard (lock);
            rendering.clear();
            if (! cancelled)
                results[next->id] = std::move (result);
        }
        if (! cancelled)
            ++completed;
    }
}

} // namespace crest::app
