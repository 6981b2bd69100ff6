#pragma once

// Where the audio of a track (or a reference) comes from: its file, at the session's rate.
//
// Design note: a session may hold sources at any rate Crest reads (44.1, 48, 88.2, 96, 176.4,
// 192 kHz and the rest of 8-384 kHz; 16/24/32-bit, integer or float). Everything downstream
// (the timeline, the album renderer, the player, the references) works at the session rate, so
// a source at another rate is converted once, with libsoxr's very-high-quality recipe
// (engine::SampleRateConversion), into a 32-bit float WAV in the session's cache folder
// (Session::sourceCache, "NAME.crest-cache" beside the session file). The renderer and the
// player both open sources through open() here and so read the same converted samples: what
// the client hears live is what the export delivers.
//
// The cache is keyed on the source's content: its size, its modification time, and a 64-bit
// FNV-1a hash of its first and last MiB, plus the target rate. Why not a full hash: it would
// read every source in full each time a session opens (a 24-bit 96 kHz album is gigabytes),
// which costs about what converting it does; the size and the two ends catch a re-bounced or
// replaced mix (headers, lengths and tails change), and the time catches an edit in place.
// The file name carries the key, so a changed source gets a new cache file, never a stale one.
// Files are written atomically (engine::AudioFileOutput through engine::AtomicFile): a cache
// file that exists is complete, and a failed or interrupted conversion leaves nothing. A
// replaced source leaves its old conversion behind; pruneCache() removes what no source plays
// any more (the app when it opens a session, `crest session set` when it saves one).
//
// Conversion takes time (about a second per minute of 96 kHz stereo on one core), so front ends
// call prepare() off the audio thread, and in the app off the message thread, with progress;
// open() converts on demand what prepare() was not asked to, on the caller's thread, so a
// renderer running on a worker thread never depends on prepare() having run.

#include "engine/AudioFileInput.h"
#include "session/Session.h"

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace crest::album
{

/** A source that plays converted: what it was and what it became. */
struct SourceConversion
{
    std::string source;      ///< the source file, as held in the session
    std::string role;        ///< "track 2", "reference 1"
    double fromRate = 0.0;   ///< the file's own rate
    int fromBits = 0;        ///< its bit depth as stored
    double toRate = 0.0;     ///< the session rate
    std::string cachePath;   ///< the converted file (32-bit float WAV)
};

namespace SourceAudio
{
    /** Receives progress through one conversion: the source and the fraction done (0..1). */
    using Progress = std::function<void (const std::string& source, double fraction)>;

    /** The session's processing rate: its sample_rate field, or the first track's rate when that
        is 0. Returns 0 with `error` set (naming the file) when the first track cannot be read. */
    double sessionRate (const session::Session& session, std::string& error);

    /** What a source looks like at `rate` without converting anything: its description with the
        rate and length it has once converted (length = round (frames * rate / own rate), as
        engine::SampleRateConversion produces). Returns nothing with `error` set (naming the file
        and the reason: missing, truncated, an absurd rate in its header...) otherwise. */
    std::optional<engine::AudioFileInfo> describe (const std::string& path, double rate, std::string& error);

    /** Where `path`'s audio at `rate` lives: `path` itself at its own rate, otherwise its
        converted file in `cacheFolder` (the system's temporary directory when empty). Reads only
        the file's header and its two ends. Returns nothing with `error` set when it is unreadable. */
    std::optional<std::string> cachedPath (const std::string& path, double rate, const std::string& cacheFolder, std::string& error);

    /** The one answer to "where does this source's audio at `rate` come from": the path of a
        file at `rate` holding it, the source itself or its converted copy, converting it first
        (on this thread) when the cache does not hold it. Returns nothing with `error` set
        (naming the file) when it cannot be read or converted. Never on the audio thread. */
    std::optional<std::string> resolve (const std::string& path, double rate, const std::string& cacheFolder, std::string& error,
                                        const Progress& progress = {});

    /** Opens a source's audio at `rate` (resolve(), then opened): the file itself, or its converted file, converting it
        first (on this thread) when the cache does not hold it. Returns nullptr with `error` set
        (naming the file) when it cannot be read or converted. Never call it on the audio thread. */
    std::unique_ptr<engine::AudioFileInput> open (const std::string& path, double rate, const std::string& cacheFolder,
                                                  std::string& error, const Progress& progress = {});

    /** Converts every track and reference of the session not at the session rate into its cache
        (a file already there is reused) and lists what plays converted, in session order
        (tracks, then references). `stop`, when set, is polled between blocks. Returns nothing with
        `error` set (naming the track or reference and its file) on the first failure; nothing
        is left in the cache for it. */
    std::optional<std::vector<SourceConversion>> prepare (const session::Session& session, std::string& error,
                                                          const Progress& progress = {}, const std::atomic<bool>* stop = nullptr);

    /** Lists what would play converted, without converting (a file's header only). Sources that
        cannot be read are left out (the timeline reports them). */
    std::vector<SourceConversion> conversions (const session::Session& session);

    /** Removes the converted files in the session's cache folder that no source of the session
        plays any more (a replaced or re-bounced source, a changed session rate), so the folder
        does not grow with every edit. Only files Crest names there (NAME-KEY-RATE.wav, KEY 16 hex
        digits) are candidates, never a partial file being written or anything else a user put
        there. Nothing is removed when the session has no cache folder of its own, or when a
        source cannot be read (its cached copy cannot be told apart from a stale one; a source
        briefly offline must not lose it). Returns the paths removed; `error` names what could
        not be read or removed. Message thread or a worker, never the audio thread. */
    std::vector<std::string> pruneCache (const session::Session& session, std::string& error);
} // namespace SourceAudio

} // namespace crest::album
