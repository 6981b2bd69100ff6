#pragma once

// Each track's master after the chain, rendered and measured in the background once the track
// has been played or rendered (album::checkMaster), for the timeline's waveforms and the
// findings panel.
//
// Design note: a track is followed from the moment the play head passes through it while
// playing, or from "Render masters"; from then on, whenever its master fingerprint changes (an
// edit to its chain, gain, fades, trims...), it is rendered again, on this class's own thread,
// never the message thread. A stream of edits (a knob drag) renders once: an ask waits until
// the track's fingerprint has been still for settleMs, and a newer ask for a track stops the
// render in progress for it. The message thread only copies the session and its timeline into
// an ask and reads finished results (shared and immutable). Results are kept by track ID, so a
// reorder does not lose them; a stale result (the fingerprint moved on) is still shown until the
// new one is ready, and says so.

#include "album/MasterCheck.h"
#include "app/AlbumTimeline.h"
#include "app/Workstation.h"

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <set>

namespace crest::app
{

class MasterChecks : private juce::Thread, private juce::Timer
{
public:
    /** One track's rendered master, or why it could not be rendered. */
    struct Result
    {
        std::string fingerprint; ///< what it was rendered from (album::masterFingerprint)
        std::string error; ///< empty when `check` holds the master
        std::optional<album::MasterCheck> check;
    };

    /** How long a track's sound must stay unchanged before it is rendered again. */
    static constexpr int settleMs = 700;

    MasterChecks (Workstation&, AlbumTimeline&);
    ~MasterChecks() override;

    /** Follows every track from now on (the "Render masters" action). */
    void renderAll();

    /** Follows track `index` (0-based) from now on, as playing through it does. */
    void follow (int index);

    /** The newest master of track `index` (0-based, running order), current or not; nullptr
        when it has never been rendered. */
    std::shared_ptr<const Result> find (int index) const;

    /** True when track `index`'s newest master was made from the session as it is now. */
    bool isCurrent (int index) const;

    /** True while track `index` is followed (played or rendered) and its master is not current. */
    bool isPending (int index) const;

    /** Counts finished renders; views refresh when it changes. */
    int finished() const noexcept { return completed.load(); }

    /** Waits until every followed track's master is current (screenshots, tests). */
    void waitUntilCurrent (int timeoutMs);

private:
    struct Ask
    {
        std::string id, fingerprint;
        int index = 0;
        session::Session session;
        album::Timeline timeline;
        double madeMs = 0.0;
    };

    void run() override;
    void timerCallback() override;
    void update();
    std::string idOf (int index) const;

    Workstation& workstation;
    AlbumTimeline& timeline;
    std::set<std::string> followed; // track IDs (message thread only)
    std::vector<std::string> fingerprints; // per track, for the document as it is now (message thread)
    uint64_t fingerprintedRevision = ~0ull;

    mutable std::mutex lock; // guards asks, results and rendering
    std::map<std::string, Ask> asks;
    std::map<std::string, std::shared_ptr<const Result>> results;
    std::string rendering; // the ID being rendered
    std::atomic<bool> cancelRender { false };
    std::atomic<int> completed { 0 };
};

} // namespace crest::app
