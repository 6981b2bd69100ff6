#pragma once

// What the client view shows, worked out without a GUI, from a read-only feed.
//
// Design note: the client view is for the client in the room, and it must not be able to
// change anything. So it is built only on ClientFeed, an interface of const questions (the
// session as a const reference, what is playing, the output meters), and this model turns
// the answers into the texts the window paints: the track and position, what is heard, the
// loudness against the platform target, the running order with each track's approved
// version, and a log of what the engineer changed, in the same words as the version
// differences (describeDifference between successive states), newest first. Neither the model
// nor the feed can reach a SessionEditor or the Workstation's mutators: ClientViewModel is
// constructible from `const ClientFeed&` only (Tests/live/ClientViewModelTests.cpp checks it
// at compile time), and the window that shows it holds nothing but the model.

#include "live/MeterSnapshot.h"
#include "live/PlatformTargets.h"
#include "session/Session.h"

#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace crest::live
{

/** The read-only questions the client view may ask. Every member is const. */
class ClientFeed
{
public:
    virtual ~ClientFeed() = default;

    /** The session as it is now. */
    virtual const session::Session& session() const = 0;

    /** The track under the play head (0-based), or -1. */
    virtual int currentTrack() const = 0;

    /** The play head, in seconds from the track's start (from the album's start when no track). */
    virtual double trackPositionSeconds() const = 0;

    virtual bool isPlaying() const = 0;

    /** What is heard, in words: "Master", "Version 'v1 proof'", "Before (unprocessed)",
        "Reference: NAME". */
    virtual std::string heard() const = 0;

    /** The newest output meter reading. */
    virtual const MeterSnapshot& outputMeters() const = 0;

    /** The platform whose target the loudness is shown against. */
    virtual Platform platform() const = 0;
};

/** One line of the running order. */
struct RunningOrderLine
{
    int number = 0; ///< 1-based
    std::string title;
    std::string state; ///< "approved: v2" or "working state (not approved)"
    bool approved = false;
    bool playing = false;
};

/** One entry of the change log. */
struct ChangeLogEntry
{
    std::string time; ///< as given to refresh(), e.g. "14:03:12"
    std::string text;
};

/** The client view's texts (see the design note). */
class ClientViewModel
{
public:
    /** Reads only through `feed`, which must outlive the model. */
    explicit ClientViewModel (const ClientFeed& feed);

    /** Asks the feed again; lines for what changed since the last refresh go on top of the
        log, stamped with `time`. */
    void refresh (const std::string& time);

    std::string trackText; ///< "3  Night Drive" or "Not playing"
    std::string positionText; ///< "1:23.4"
    std::string heardText;
    std::string integratedText, shortTermText; ///< "-14.2 LUFS" or "-"
    std::string targetText; ///< "Spotify target -14 LUFS: 0.2 LU under"
    std::vector<RunningOrderLine> runningOrder;

    /** What the engineer changed, newest first (at most maximumLogEntries). */
    const std::deque<ChangeLogEntry>& log() const noexcept { return entries; }
    static constexpr size_t maximumLogEntries = 300;

    /** The feed, for reading. */
    const ClientFeed& source() const noexcept { return feed; }

private:
    const ClientFeed& feed;
    std::optional<session::Version> lastState;
    std::vector<std::string> lastApprovals, lastVersions;
    std::deque<ChangeLogEntry> entries;
};

/** "m:ss.t" for a time in seconds (negative: "-m:ss.t"). */
std::string clockText (double seconds);

} // namespace crest::live
