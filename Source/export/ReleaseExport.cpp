#include "export/ReleaseExport.h"

#include "album/AlbumRenderer.h"
#include "album/SourceAudio.h"
#include "album/Timeline.h"
#include "analysis/LoudnessMeter.h"
#include "engine/AtomicFile.h"
#include "engine/AudioFileOutput.h"
#include "engine/ContainedPath.h"
#include "engine/FileStream.h"
#include "engine/SampleRateConversion.h"
#include "export/AppleDigitalMasters.h"
#include "export/ConcatenatedStream.h"
#include "export/CueSheet.h"
#include "export/DdpImage.h"
#include "export/Dither.h"
#include "export/ExportFolder.h"
#include "export/ExportPreflight.h"
#include "export/FlacWriter.h"
#include "export/LoudnessNormaliser.h"
#include "export/Mp3Writer.h"
#include "export/RedBookPreflight.h"
#include "export/TargetDescriptor.h"
#include "export/TrackTags.h"
#include "export/VinylChecks.h"
#include "session/SessionFile.h"
#include "session/Versions.h"

#include <algorithm>
#include <functional>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <tuple>

namespace crest::delivery
{
namespace fs = std::filesystem;

std::string deliveryFileName (int number, const std::string& title, const std::string& extension)
{
    char prefix[16];
    std::snprintf (prefix, sizeof (prefix), "%02d", number);
    std::string safe;
    for (const char ch : title)
    {
        const auto c = (unsigned char) ch;
        const bool unsafe = c < 0x20 || c == 0x7f || std::string ("/\\:*?\"<>|").find (ch) != std::string::npos;
        safe += unsafe ? '_' : ch;
    }
    // A title longer than a file name may be is shortened (on a UTF-8 character boundary) so
    // the whole name fits engine::maxFileNameBytes.
    const auto room = engine::maxFileNameBytes - std::strlen (prefix) - 2 - extension.size(); // 2: the space and the dot
    if (safe.size() > room)
    {
        safe.resize (room);
        while (! safe.empty() && ((unsigned char) safe.back() & 0xc0) == 0x80)
            safe.pop_back();
        if (! safe.empty() && ((unsigned char) safe.back() & 0x80) != 0)
            safe.pop_back(); // the lead byte of the character cut in two
    }
    // No trailing dots or spaces (Windows drops them), no leading spaces.
    while (! safe.empty() && (safe.back() == '.' || safe.back() == ' '))
        safe.pop_back();
    while (! safe.empty() && safe.front() == ' ')
        safe.erase (safe.begin());
    return std::string (prefix) + (safe.empty() ? "" : " " + safe) + "." + extension;
}

namespace
{
    constexpr int ioBlock = 8192;

    /** Silence after which the ceiling's limiter has forgotten a track (Exporter::cdLimitsPerTrack). */
    constexpr double limiterSettleSeconds = 2.0;

    /** "WAV 24-bit 96 kHz", as the report's format column says it. */
    std::string formatText (const std::string& kind, int bits, double rate)
    {
        char text[64];
        if (std::fmod (rate, 1000.0) == 0.0)
            std::snprintf (text, sizeof (text), "%s %d-bit %d kHz", kind.c_str(), bits, (int) (rate / 1000.0));
        else
            std::snprintf (text, sizeof (text), "%s %d-bit %.1f kHz", kind.c_str(), bits, rate / 1000.0);
        return text;
    }

    /** The report and the checks read loudness, peaks and clipping, never the spectrum or the
        stereo field: measuring those on every file cost about a tenth of an export. */
    constexpr auto reportScope = analysis::TrackAnalyser::Scope::loudnessAndPeaks;

    /** Passes a stream through unchanged, measuring what passes (for writers that pull). */
    class MeasuredStream : public engine::AudioStream
    {
    public:
        explicit MeasuredStream (engine::AudioStream& s) : source (s) { analyser.prepare (s.sampleRate(), s.numChannels(), reportScope); }

        double sampleRate() const override { return source.sampleRate(); }
        int numChannels() const override { return source.numChannels(); }
        int64_t lengthInSamples() const override { return source.lengthInSamples(); }
        const char* error() const override { return source.error(); }
        int read (float* const* channels, int numSamples) override
        {
            const int n = source.read (channels, numSamples);
            if (n > 0)
            {
                // The analyser may clean non-finite samples in place; measure a copy so the
                // writer sees exactly what the stage produced.
                copy.setSize (source.numChannels(), n, false, false, true);
                for (int c = 0; c < source.numChannels(); ++c)
                    copy.copyFrom (c, 0, channels[c], n);
                analyser.process (copy.getArrayOfWritePointers(), n);
            }
            return n;
        }

        analysis::TrackAnalysis finish() { return analyser.finish(); }

    private:
        engine::AudioStream& source;
        analysis::TrackAnalyser analyser;
        juce::AudioBuffer<float> copy;
    };

    /** A FIFO of jobs run by a few threads; jobs may add jobs (the CD's track cuts wait for
        album.wav). The first failure or a cancel stops every job at its next check. */
    class JobPool
    {
    public:
        using Job = std::function<void()>;

        void add (Job job)
        {
            const std::lock_guard<std::mutex> lock (mutex);
            jobs.push_back (std::move (job));
            wake.notify_one();
        }

        /** Runs until every job (and every job they add) is done; a job that throws is
            reported to `onError` as a failure. */
        void run (int numThreads, const std::atomic<bool>& stop, const std::function<void (const std::string&)>& onError)
        {
            std::vector<std::thread> threads;
            for (int t = 0; t < numThreads; ++t)
                threads.emplace_back (
                    [this, &stop, &onError]
                    {
                        for (;;)
                        {
                            Job job;
                            {
                                std::unique_lock<std::mutex> lock (mutex);
                                wake.wait (lock, [this] { return ! jobs.empty() || active == 0; });
                                if (jobs.empty())
                                    return; // nothing queued and nothing running that could queue more
                                job = std::move (jobs.front());
                                jobs.pop_front();
                                ++active;
                            }
                            if (! stop.load())
                            {
                                try
                                {
                                    job();
                                }
                                catch (const std::exception& e)
                                {
                                    onError (e.what());
                                }
                            }
                            const std::lock_guard<std::mutex> lock (mutex);
                            --active;
                            wake.notify_all();
                        }
                    });
            for (auto& t : threads)
                t.join();
        }

    private:
        std::mutex mutex;
        std::condition_variable wake;
        std::deque<Job> jobs;
        int active = 0;
    };

    /** The stages between a source and its writer, built from a target's row and owned
        together; each reads the one before it. */
    class StagePipeline
    {
    public:
        explicit StagePipeline (engine::AudioStream& source) : last (&source) { }

        /** Appends a stage reading the current output: Stage (output(), args...). */
        template <typename Stage, typename... Args>
        void add (Args&&... args)
        {
            stages.push_back (std::make_unique<Stage> (*last, std::forward<Args> (args)...));
            last = stages.back().get();
        }

        /** What the writer reads. */
        engine::AudioStream& output() { return *last; }

    private:
        std::vector<std::unique_ptr<engine::AudioStream>> stages;
        engine::AudioStream* last;
    };

    /** The figures of a measurement that the report and the checks read (setMeasurements,
        admFindings), without the rest: kept per track (and per CD cut until its row is
        written), whole measurements made peak memory grow with the number of tracks. */
    std::shared_ptr<const analysis::TrackAnalysis> reportFigures (analysis::TrackAnalysis&& a)
    {
        auto f = std::make_shared<analysis::TrackAnalysis>();
        f->sampleRate = a.sampleRate;
        f->numChannels = a.numChannels;
        f->lengthInSamples = a.lengthInSamples;
        f->integratedLufs = a.integratedLufs;
        f->loudnessRangeLu = a.loudnessRangeLu;
        f->truePeakDbtp = a.truePeakDbtp;
        f->plrDb = a.plrDb;
        f->shortTermSeries = std::move (a.shortTermSeries);
        f->clippedSamples = a.clippedSamples;
        return f;
    }

    /** A track master through the ceiling's limiter at no gain, owning both: a piece of the
        CD album when its tracks are limited one by one (Exporter::cdLimitsPerTrack). */
    class LimitedMaster : public engine::AudioStream
    {
    public:
        LimitedMaster (std::unique_ptr<engine::AudioStream> m, double ceilingDbtp, std::optional<double> peakDbtp)
            : master (std::move (m)), limiter (*master, 0.0, ceilingDbtp, peakDbtp)
        {
        }

        double sampleRate() const override { return limiter.sampleRate(); }
        int numChannels() const override { return limiter.numChannels(); }
        int64_t lengthInSamples() const override { return limiter.lengthInSamples(); }
        int read (float* const* channels, int numSamples) override { return limiter.read (channels, numSamples); }
        const char* error() const override { return limiter.error(); }

    private:
        std::unique_ptr<engine::AudioStream> master;
        LoudnessNormaliser limiter;
    };

    /** One track's first-pass master. */
    struct TrackMaster
    {
        std::string path;
        int64_t length = 0;
        std::optional<double> integratedLufs, truePeakDbtp;
        std::shared_ptr<const analysis::TrackAnalysis> measured; ///< all of it, for targets that deliver it untouched
        /** The master through the ceiling's limiter at no gain, when two or more targets would
            each run that same limiter (streaming without a loudness target, FLAC, MP3, ADM):
            rendered once and read by them all (empty: none), with its measurement. */
        std::string limitedPath;
        std::shared_ptr<const analysis::TrackAnalysis> limitedMeasured;
    };

    class Exporter
    {
    public:
        Exporter (const session::Session& s, const ReleaseExportOptions& o) : session (s), options (o) { }

        ReleaseExportResult run();

    private:
        // -- plumbing
        bool stopped() const { return stop.load(); }
        void fail (const std::string& message)
        {
            {
                const std::lock_guard<std::mutex> lock (reportMutex);
                if (firstError.empty())
                    firstError = message;
            }
            stop = true;
        }
        void say (const std::string& line)
        {
            if (options.progress)
            {
                const std::lock_guard<std::mutex> lock (progressMutex);
                options.progress (line);
            }
        }
        std::string stagePath (const std::string& relative)
        {
            std::string refused;
            std::filesystem::path path;
            {
                const std::lock_guard<std::mutex> lock (reportMutex);
                path = folder->stage (relative, refused);
            }
            if (path.empty())
                fail (refused); // before the writer's own, vaguer failure on the empty path
            return path.string();
        }
        bool wants (DeliverableTarget target) const
        {
            return std::find (targets.begin(), targets.end(), target) != targets.end();
        }
        /** True when a wanted target's row runs a check (TargetCheck). */
        bool wantsCheck (unsigned check) const
        {
            return std::any_of (targets.begin(), targets.end(), [check] (auto t) { return (describe (t).checks & check) != 0; });
        }
        /** "cd: ", the start of a target's progress lines and messages. */
        static std::string prefix (DeliverableTarget target) { return std::string (session::targetName (target)) + ": "; }
        int numTracks() const { return (int) session.tracks.size(); }
        double rate() const { return samplesTimeline->sampleRate(); }
        std::string trackName (int i, const std::string& ext) const
        {
            return deliveryFileName (i + 1, session.tracks[(size_t) i].title, ext);
        }
        std::string trackTitle (int i) const
        {
            const auto& t = session.tracks[(size_t) i].title;
            return t.empty() ? "Track " + std::to_string (i + 1) : t;
        }
        std::unique_ptr<engine::FileStream> openFile (const std::string& path, int64_t start = 0, int64_t end = -1)
        {
            std::string error;
            auto s = engine::FileStream::open (path, error, start, end);
            if (s == nullptr)
                fail (error);
            return s;
        }

        /** Called with each block after it is written, before it is measured, and with the
            position of its first sample; false stops the write (the hook has called fail()). */
        using BlockHook = std::function<bool (float* const* block, int numSamples, int64_t position)>;

        /** Streams `in` into a WAV, measuring it unless `measure` is false (the samples were
            measured before: an empty measurement comes back); progress in tenths when `label` is
            set. `eachBlock` sees every block (the CD album cuts its tracks from it); `beforeFinish`
            is a last check before the file is completed. */
        std::optional<analysis::TrackAnalysis> writeWav (engine::AudioStream& in, const std::string& path, int bits,
            const std::string& label = {}, bool measure = true, const BlockHook& eachBlock = {},
            const std::function<bool()>& beforeFinish = {});
        void addFile (const std::string& relative, const TargetDescriptor& target, int track, const std::string& title,
            const analysis::TrackAnalysis* measured, bool measureFromFile, const std::string& format = {},
            const std::string& knownMd5 = {});
        void addFindings (std::vector<DeliveryFinding> findings);

        // -- passes
        bool prepare();
        void renderMaster (int i);
        bool measureAlbum();
        void queueTargets (JobPool& pool);
        std::optional<double> streamingGain (int i);
        /** Adds the SRC, gain and dither stages a target's row asks for; false (failed) when
            the converter refuses the rates. */
        bool addStages (StagePipeline& stages, const TargetDescriptor& target, double gainDb, std::optional<double> peakDbtp,
            bool limited = false);
        /** True when a per-track target's gain stage, at `gainDb`, is exactly the limiter at no
            gain that the shared limited master holds (TrackMaster::limitedPath). */
        static bool limitsAtNoGain (const TargetDescriptor& target, double gainDb);
        /** How many of the wanted targets would run the limiter at no gain on a track (the CD
            album counts when it limits track by track). */
        int limitersAtNoGain() const;
        /** True when the CD album, if it needs the ceiling's limiter, may run it on each track
            alone and give the same samples as over the whole album (see cdAlbum()). */
        bool cdLimitsPerTrack() const;
        /** True when every wanted target reads a track's limited master whenever it has one:
            then a track that is limited needs no master file of its own. */
        bool onlyLimitedMastersRead() const;
        /** Renders track i's master and its limited master in one pass, keeping the master file
            only if the track turns out not to need the limiter (renderMaster()). */
        bool renderLimitedFirst (int i, album::AlbumStream& stream);
        /** One track of a per-track target: its master through the row's stages into its writer,
            then the row's checks. */
        void deliverTrack (const TargetDescriptor& target, int i, Mp3Mode mode = Mp3Mode::cbr320);
        void cdAlbum (JobPool& pool);
        /** Writes album.wav (and, `withCuts`, the track WAVs cut from it; with `ddp`, the DDP
            image's audio as it goes). */
        std::optional<analysis::TrackAnalysis> writeCdAlbum (engine::AudioStream& in, const std::string& albumPath,
            bool withCuts, const std::string& label, JobPool& pool, DdpImageWriter* ddp);
        /** The DDP image's report rows, once its files are in `directory`. */
        void ddpRows (const std::string& directory);
        void vinylSide (const VinylSide& side);
        /** The masters of tracks first..last on a timeline; with `limitAtPeakDbtp`, each through
            the ceiling's limiter at no gain (the shared limited master where there is one). */
        std::unique_ptr<ConcatenatedStream> placeMasters (int first, int last, const album::Timeline& timeline, int64_t origin,
            int64_t totalLength, std::optional<double> limitAtPeakDbtp = std::nullopt);

        const session::Session& session;

    public:
        /** Per track, the version delivered (empty: the working state); empty when the session has no versions. */
        std::vector<std::string> trackVersions;
        std::vector<DeliveryFinding> preflight; ///< the rows of preflightRelease() that did not stop it: into the report

    private:
        const ReleaseExportOptions& options;
        std::vector<DeliverableTarget> targets;
        std::optional<album::Timeline> samplesTimeline, cdTimeline;
        album::CdLayout layout;
        std::unique_ptr<ExportFolder> folder;
        std::vector<TrackMaster> masters;
        std::optional<double> albumLufs;
        std::vector<double> streamingGains;
        std::unique_ptr<engine::DeferredSync> scratchSync;
        std::atomic<bool> stop { false };
        std::mutex reportMutex, progressMutex;
        std::string firstError;
        ExportReport report;
    };

    std::optional<analysis::TrackAnalysis> Exporter::writeWav (engine::AudioStream& in, const std::string& path, int bits,
        const std::string& label, bool measure, const BlockHook& eachBlock, const std::function<bool()>& beforeFinish)
    {
        std::string error;
        auto out = engine::AudioFileOutput::create (path, in.sampleRate(), in.numChannels(), bits, error);
        if (out == nullptr)
        {
            fail (path + ": " + error);
            return {};
        }
        analysis::TrackAnalyser analyser;
        analyser.prepare (in.sampleRate(), in.numChannels(), reportScope);
        juce::AudioBuffer<float> buffer (in.numChannels(), ioBlock);
        const int64_t total = in.lengthInSamples();
        int64_t written = 0;
        int lastTenth = 0;
        while (! stopped())
        {
            const int n = in.read (buffer.getArrayOfWritePointers(), ioBlock);
            if (n < 0)
            {
                fail (in.error());
                return {};
            }
            if (n == 0)
                break;
            if (! out->write (buffer.getArrayOfReadPointers(), n))
            {
                fail (path + ": " + out->writeFailure());
                return {};
            }
            if (eachBlock && ! eachBlock (buffer.getArrayOfWritePointers(), n, written))
                return {};
            if (measure)
                analyser.process (buffer.getArrayOfWritePointers(), n);
            written += n;
            const int tenth = total > 0 ? (int) (written * 10 / total) : 10;
            if (! label.empty() && tenth > lastTenth && tenth < 10)
                say (label + " " + std::to_string (tenth * 10) + " %");
            lastTenth = tenth;
        }
        if (stopped())
            return {};
        if (written != total)
        {
            fail (path + ": the stream gave " + std::to_string (written) + " samples instead of " + std::to_string (total));
            return {};
        }
        if (beforeFinish && ! beforeFinish())
            return {};
        if (! out->finish (error))
        {
            fail (path + ": " + error);
            return {};
        }
        return measure ? analyser.finish() : analysis::TrackAnalysis {};
    }

    void Exporter::addFile (const std::string& relative, const TargetDescriptor& target, int track, const std::string& title,
        const analysis::TrackAnalysis* measured, bool measureFromFile, const std::string& format, const std::string& knownMd5)
    {
        std::string error;
        auto row = describeWrittenFile (folder->staging().string(), relative, session::targetName (target.target), track,
            title, measureFromFile, error, knownMd5);
        if (! row)
        {
            fail (error);
            return;
        }
        if (measured != nullptr)
            setMeasurements (*row, *measured);
        if (! format.empty())
            row->format = format;
        const std::lock_guard<std::mutex> lock (reportMutex);
        report.files.push_back (std::move (*row));
    }

    void Exporter::addFindings (std::vector<DeliveryFinding> findings)
    {
        const std::lock_guard<std::mutex> lock (reportMutex);
        for (auto& f : findings)
            report.findings.push_back (std::move (f));
    }

    bool Exporter::prepare()
    {
        // Every rule that stops an export or warns before it was checked by preflightRelease()
        // (exportRelease runs it first): what is left here is the work the rules allowed.
        targets = options.targets.empty() ? session.deliverables.targets : options.targets;
        addFindings (std::vector<DeliveryFinding> (preflight));

        // Sources at another rate than the session are converted once, into the session's cache
        // (reused by later exports and by the player), before anything is rendered.
        std::string error;
        int lastTenth = -1;
        const auto converted = album::SourceAudio::prepare (
            session, error,
            [this, &lastTenth] (const std::string& source, double fraction)
            {
                const int tenth = (int) (fraction * 10.0);
                if (tenth != lastTenth)
                    say ("converting " + juce::File (source).getFileName().toStdString() + " to the session rate "
                         + std::to_string (tenth * 10) + " %");
                lastTenth = tenth;
            },
            &stop);
        if (! converted)
        {
            firstError = error;
            return false;
        }
        report.conversions = *converted;

        samplesTimeline = album::Timeline::fromSources (session, album::Alignment::samples, error);
        if (! samplesTimeline)
        {
            firstError = error;
            return false;
        }
        if (wantsCheck (redBookPreflight))
        {
            cdTimeline = album::Timeline::fromSources (session, album::Alignment::cdFrames, error);
            if (! cdTimeline)
            {
                firstError = prefix (DeliverableTarget::cd) + error;
                return false;
            }
            layout = cdTimeline->cdLayout (session);
        }

        folder = ExportFolder::open (options.destination, error);
        if (folder == nullptr)
        {
            firstError = error;
            return false;
        }
        // The masters (and a DDP-only album.wav) in .work/ are removed before the commit: they
        // never need to reach the disk.
        scratchSync = std::make_unique<engine::DeferredSync> (
            (folder->staging() / ".work").string(), engine::DeferredSync::Kind::scratch);
        return true;
    }

    void Exporter::renderMaster (int i)
    {
        std::string error;
        auto stream = album::AlbumStream::track (session, *samplesTimeline, i, error);
        if (stream == nullptr)
        {
            fail ("track " + std::to_string (i + 1) + ": " + error);
            return;
        }
        // A track without a chain costs next to nothing to render (its source read, its gain and
        // fades), far less than writing its master to disk and reading it back for the limiter.
        // When only limited masters are read, such a track goes through the limiter as it is
        // rendered, and only a track that needed no limiting is rendered again into a master.
        const auto& chain = session.tracks[(size_t) i].chain ? *session.tracks[(size_t) i].chain : session.chain;
        if (chain.modules.empty() && stream->numChannels() <= 2 && limitersAtNoGain() >= 2 && onlyLimitedMastersRead())
        {
            if (! renderLimitedFirst (i, *stream))
                return;
            if (! masters[(size_t) i].limitedPath.empty())
            {
                say ("master: track " + std::to_string (i + 1) + "/" + std::to_string (numTracks()) + " done");
                return;
            }
            stream = album::AlbumStream::track (session, *samplesTimeline, i, error);
            if (stream == nullptr)
            {
                fail ("track " + std::to_string (i + 1) + ": " + error);
                return;
            }
        }
        char name[48];
        std::snprintf (name, sizeof (name), ".work/track-%02d.wav", i + 1);
        const auto path = stagePath (name);
        auto measured = writeWav (*stream, path, 32);
        if (! measured)
            return;
        auto& m = masters[(size_t) i];
        m.path = path;
        m.length = stream->lengthInSamples();
        m.integratedLufs = measured->integratedLufs;
        m.truePeakDbtp = measured->truePeakDbtp;
        m.measured = reportFigures (std::move (*measured));

        // The ceiling's limiter is the costliest stage of a per-track target, and at no gain it
        // gives every such target the same samples: run once here, not once per target.
        const auto& d = session.deliverables;
        if (stream->numChannels() <= 2 && LoudnessNormaliser::needsLimiter (m.truePeakDbtp, 0.0, d.ceilingDbtp)
            && limitersAtNoGain() >= 2)
        {
            auto master = openFile (path);
            if (master == nullptr)
                return;
            LoudnessNormaliser limiter (*master, 0.0, d.ceilingDbtp, m.truePeakDbtp);
            std::snprintf (name, sizeof (name), ".work/track-%02d-limited.wav", i + 1);
            const auto limitedPath = stagePath (name);
            auto limitedMeasured = writeWav (limiter, limitedPath, 32);
            if (! limitedMeasured)
                return;
            m.limitedPath = limitedPath;
            m.limitedMeasured = reportFigures (std::move (*limitedMeasured));
        }
        say ("master: track " + std::to_string (i + 1) + "/" + std::to_string (numTracks()) + " done");
    }

    bool Exporter::renderLimitedFirst (int i, album::AlbumStream& stream)
    {
        // The limiter runs whatever the peak (a peak above any ceiling asks for it); its output
        // does not depend on the peak it is told, only whether it runs does, so this is the
        // limited master renderMaster() would make from the master file.
        const auto& d = session.deliverables;
        MeasuredStream master (stream);
        LoudnessNormaliser limiter (master, 0.0, d.ceilingDbtp, std::numeric_limits<double>::max());
        char name[48];
        std::snprintf (name, sizeof (name), ".work/track-%02d-limited.wav", i + 1);
        const auto limitedPath = stagePath (name);
        auto limitedMeasured = writeWav (limiter, limitedPath, 32);
        if (! limitedMeasured)
            return false;
        auto measured = master.finish();
        auto& m = masters[(size_t) i];
        m.length = stream.lengthInSamples();
        m.integratedLufs = measured.integratedLufs;
        m.truePeakDbtp = measured.truePeakDbtp;
        m.measured = reportFigures (std::move (measured));
        if (LoudnessNormaliser::needsLimiter (m.truePeakDbtp, 0.0, d.ceilingDbtp))
        {
            m.limitedPath = limitedPath;
            m.limitedMeasured = reportFigures (std::move (*limitedMeasured));
        }
        else
        {
            std::error_code ec;
            fs::remove (limitedPath, ec); // under the ceiling: every target reads the master as it is
        }
        return true;
    }

    bool Exporter::onlyLimitedMastersRead() const
    {
        const auto& d = session.deliverables;
        for (const auto target : targets)
        {
            const auto& t = describe (target);
            if (target == DeliverableTarget::cd || target == DeliverableTarget::ddp)
            {
                if (! cdLimitsPerTrack())
                    return false; // the album's own limiter reads the masters
                continue;
            }
            const bool noGain = t.gain != GainRule::streamingTarget || ! d.streamingLufs;
            if (! noGain || ! limitsAtNoGain (t, 0.0))
                return false;
        }
        return true;
    }

    std::unique_ptr<ConcatenatedStream> Exporter::placeMasters (int first, int last, const album::Timeline& timeline,
        int64_t origin, int64_t totalLength, std::optional<double> limitAtPeakDbtp)
    {
        std::vector<ConcatenatedStream::Piece> pieces;
        for (int i = first; i <= last; ++i)
        {
            const auto& p = timeline.tracks()[(size_t) i];
            const auto& m = masters[(size_t) i];
            if (p.ownAudioEnd - p.audioStart != m.length)
            {
                fail ("track " + std::to_string (i + 1) + ": its master's length differs from its place on the album");
                return nullptr;
            }
            if (limitAtPeakDbtp && m.limitedPath.empty())
            {
                const auto path = m.path;
                const double ceiling = session.deliverables.ceilingDbtp;
                pieces.push_back ({ p.audioStart - origin, m.length,
                    [path, ceiling, limitAtPeakDbtp] (std::string& error) -> std::unique_ptr<engine::AudioStream>
                    {
                        auto master = engine::FileStream::open (path, error);
                        if (master == nullptr)
                            return nullptr;
                        return std::make_unique<LimitedMaster> (std::move (master), ceiling, limitAtPeakDbtp);
                    } });
                continue;
            }
            const auto path = limitAtPeakDbtp ? m.limitedPath : m.path;
            pieces.push_back ({ p.audioStart - origin, m.length,
                [path] (std::string& error) -> std::unique_ptr<engine::AudioStream>
                { return engine::FileStream::open (path, error); } });
        }
        return std::make_unique<ConcatenatedStream> (std::move (pieces), totalLength, timeline.sampleRate(), 2);
    }

    bool Exporter::measureAlbum()
    {
        // The album's integrated loudness as Spotify's album mode hears it: the masters in order.
        int64_t at = 0;
        std::vector<ConcatenatedStream::Piece> pieces;
        for (const auto& m : masters)
        {
            const auto path = m.path;
            pieces.push_back ({ at, m.length, [path] (std::string& error) -> std::unique_ptr<engine::AudioStream> {
                                   return engine::FileStream::open (path, error);
                               } });
            at += m.length;
        }
        ConcatenatedStream all (std::move (pieces), at, rate(), 2);
        analysis::LoudnessMeter meter;
        meter.prepare (rate(), 2);
        juce::AudioBuffer<float> buffer (2, ioBlock);
        for (;;)
        {
            if (stopped())
                return false;
            const int n = all.read (buffer.getArrayOfWritePointers(), ioBlock);
            if (n < 0)
            {
                fail (all.error());
                return false;
            }
            if (n == 0)
                break;
            meter.process (buffer.getArrayOfReadPointers(), n);
        }
        albumLufs = meter.integratedLufs();
        return true;
    }

    std::optional<double> Exporter::streamingGain (int i)
    {
        const auto& d = session.deliverables;
        const auto& m = masters[(size_t) i];
        double gain = streamingGains[(size_t) i];
        if (d.streamingLufs && ! d.streamingAlbumMode && LoudnessNormaliser::needsLimiter (m.truePeakDbtp, gain, d.ceilingDbtp))
        {
            // The limiter will take some loudness away: settle the gain on the stage's output.
            std::string error;
            analysis::TrackAnalysis measured;
            measured.integratedLufs = m.integratedLufs;
            measured.truePeakDbtp = m.truePeakDbtp;
            const auto settled = settleTrackGainDb (
                [&]() -> std::unique_ptr<engine::AudioStream>
                {
                    std::string e;
                    return engine::FileStream::open (m.path, e);
                },
                measured, *d.streamingLufs, d.ceilingDbtp, error, 0.05, 4, &stop);
            if (! settled)
            {
                if (! stopped())
                    fail (prefix (DeliverableTarget::streaming) + "track " + std::to_string (i + 1) + ": " + error);
                return std::nullopt;
            }
            gain = *settled;
        }
        return gain;
    }

    bool Exporter::limitsAtNoGain (const TargetDescriptor& t, double gainDb)
    {
        return t.unit == TargetUnit::track && t.gain != GainRule::asMastered && ! resamplesBeforeGain (t.rate) && gainDb == 0.0;
    }

    int Exporter::limitersAtNoGain() const
    {
        const auto& d = session.deliverables;
        int count = 0;
        for (const auto target : targets)
        {
            const auto& t = describe (target);
            // A streaming loudness target sets each track's gain after every master is measured.
            const bool noGain = t.gain != GainRule::streamingTarget || ! d.streamingLufs;
            if (noGain && limitsAtNoGain (t, 0.0))
                count += t.writer == TargetWriter::mp3 ? (int) d.mp3Modes.size() : 1;
        }
        // A track over the ceiling puts the album over it too.
        if ((wants (DeliverableTarget::cd) || wants (DeliverableTarget::ddp)) && cdLimitsPerTrack())
            ++count;
        return count;
    }

    bool Exporter::cdLimitsPerTrack() const
    {
        // The limiter keeps no memory of a track once it has heard long enough silence: its
        // slowest release (twice the 60 ms default, charged at most to a full reduction) falls
        // under its idle threshold within 1.7 s, and its delays and means then hold only zeros.
        // From that state it limits the next track exactly as a fresh limiter does, so when every
        // gap is at least that long, the album through one limiter and each track through its
        // own are the same samples. Shorter gaps (gapless albums, crossfades) run the album's.
        // ReleaseExportTests check the two agree.
        if (! cdTimeline)
            return false;
        const auto& placements = cdTimeline->tracks();
        const auto settle = (int64_t) std::ceil (limiterSettleSeconds * cdTimeline->sampleRate());
        for (size_t i = 1; i < placements.size(); ++i)
            if (placements[i].audioStart - placements[i - 1].ownAudioEnd < settle)
                return false;
        return true;
    }

    bool Exporter::addStages (StagePipeline& stages, const TargetDescriptor& t, double gainDb, std::optional<double> peakDbtp,
        bool limited)
    {
        const auto& d = session.deliverables;
        const double toRate = deliveredRate (t, d, rate());
        try
        {
            if (t.rate != RateRule::session && resamplesBeforeGain (t.rate))
                stages.add<engine::SampleRateConversion> (toRate);
            if (t.gain != GainRule::asMastered && ! limited)
                stages.add<LoudnessNormaliser> (gainDb, d.ceilingDbtp, peakDbtp);
            if (t.rate != RateRule::session && ! resamplesBeforeGain (t.rate))
                stages.add<engine::SampleRateConversion> (toRate);
        }
        catch (const std::exception& e)
        {
            fail (prefix (t.target) + e.what());
            return false;
        }
        if (t.dither == DitherRule::sessionCurve)
            stages.add<DitherStage> (*ditherFor (t, d));
        return true;
    }

    void Exporter::deliverTrack (const TargetDescriptor& t, int i, Mp3Mode mode)
    {
        const auto& d = session.deliverables;
        const auto& m = masters[(size_t) i];
        double gain = 0.0;
        if (t.gain == GainRule::streamingTarget)
        {
            const auto settled = streamingGain (i);
            if (! settled)
                return;
            gain = *settled;
        }
        // The limiter at no gain, when the track has it rendered already, is read from there.
        const bool limited = ! m.limitedPath.empty() && limitsAtNoGain (t, gain);
        auto in = openFile (limited ? m.limitedPath : m.path);
        if (in == nullptr)
            return;
        StagePipeline stages (*in);
        if (! addStages (stages, t, gain, m.truePeakDbtp, limited))
            return;
        auto& out = stages.output();
        // A target whose stages leave the master's samples as they are (same rate, no gain, no
        // limiter, no dither: streaming without a loudness target, FLAC, ADM) measures what the
        // master measured; measuring the same samples again cost a fifth of an export. One
        // that delivers the limited master as it is measures what that measured.
        const bool asRendered = deliveredRate (t, d, rate()) == rate() && t.dither == DitherRule::none;
        const bool untouched = asRendered
            && (t.gain == GainRule::asMastered
                || (gain == 0.0 && ! LoudnessNormaliser::needsLimiter (m.truePeakDbtp, 0.0, d.ceilingDbtp)));
        const auto* known = untouched ? m.measured.get() : limited && asRendered ? m.limitedMeasured.get() : nullptr;

        const bool mp3 = t.writer == TargetWriter::mp3;
        const bool flac = t.writer == TargetWriter::flac || (t.writer == TargetWriter::hiresFormat && d.hiresFormat == "flac");
        const std::string folderName = mp3 ? mp3Folder (mode) : targetFolder (t);
        const auto relative = folderName + "/" + trackName (i, mp3 ? "mp3" : flac ? "flac" : "wav");
        const auto path = stagePath (relative);
        std::optional<analysis::TrackAnalysis> measured;
        std::string format;
        if (mp3 || flac)
        {
            // MP3s are measured as they go into the encoder: decoding every MP3 again to measure
            // it cost more than the encode (JUCE's decoder), and the codec's effect on peaks is
            // what the adm target's codec check is for. Loudness moves by hundredths of an LU
            // through LAME.
            MeasuredStream tee (out);
            auto& source = known != nullptr ? out : static_cast<engine::AudioStream&> (tee);
            std::string error;
            auto tags = tagsForTrack (session, i);
            tags.comment = options.tagComment;
            const bool written = mp3 ? writeMp3 (source, path, mode, tags, error, &stop).has_value()
                                     : writeFlac (source, path, t.bits, tagsForTrack (session, i), error, &stop);
            if (! written)
            {
                if (! stopped())
                    fail (error);
                return;
            }
            if (known == nullptr)
                measured = tee.finish();
            else
                measured.emplace();
            format = mp3 ? (mode == Mp3Mode::cbr320 ? "MP3 320 kbps" : "MP3 V0 (VBR)")
                         : formatText ("FLAC", t.bits, out.sampleRate());
        }
        else
        {
            measured = writeWav (out, path, t.bits, {}, known == nullptr);
            format = formatText ("WAV", t.bits, out.sampleRate());
        }
        if (! measured)
            return;
        const auto& figures = known != nullptr ? *known : *measured;

        if ((t.checks & codecClipping) != 0)
        {
            auto written = openFile (path);
            if (written == nullptr)
                return;
            std::string error;
            const auto codec = checkCodecClipping (*written, error, &stop);
            if (! codec)
            {
                if (! stopped())
                    fail (prefix (t.target) + relative + ": " + error);
                return;
            }
            addFindings (admFindings (i + 1, t.bits, rate(), figures.clippedSamples, figures.truePeakDbtp.value_or (-300.0),
                d.ceilingDbtp, *codec));
        }
        addFile (relative, t, i + 1, trackTitle (i), &figures, false, format);
        say (folderName + ": track " + std::to_string (i + 1) + "/" + std::to_string (numTracks()) + " done");
    }

    void Exporter::cdAlbum (JobPool& pool)
    {
        // The CD's album stream is rendered once for both targets that take it: kept as the
        // cd target's album.wav, or staged in .work/ when only the DDP image is wanted.
        const auto& cd = describe (DeliverableTarget::cd);
        const auto& ddp = describe (DeliverableTarget::ddp);
        const bool keepCd = wants (cd.target);
        const auto& t = keepCd ? cd : ddp;
        std::optional<double> peak;
        for (const auto& m : masters)
            if (m.truePeakDbtp)
                peak = std::max (peak.value_or (-300.0), *m.truePeakDbtp);
        // The album over the ceiling: its tracks limited one by one where that gives the same
        // samples (cdLimitsPerTrack), reading the limited masters the per-track targets share
        // instead of running the limiter over the album a second time.
        const bool perTrack = LoudnessNormaliser::needsLimiter (peak, 0.0, session.deliverables.ceilingDbtp)
            && cdLimitsPerTrack()
            && std::any_of (masters.begin(), masters.end(), [] (const TrackMaster& m) { return ! m.limitedPath.empty(); });
        auto album = placeMasters (0, numTracks() - 1, *cdTimeline, 0, cdTimeline->lengthInSamples(),
            perTrack ? peak : std::optional<double> {});
        if (album == nullptr)
            return;
        StagePipeline stages (*album);
        if (! addStages (stages, t, 0.0, peak, perTrack))
            return;

        const auto relative = keepCd ? targetFolder (cd) + "/album.wav" : std::string (".work/album.wav");
        const auto albumPath = stagePath (relative);
        const auto label = keepCd ? prefix (cd.target) + "album.wav" : prefix (ddp.target) + "audio";
        // The DDP image is written from the same blocks as album.wav: reading album.wav back
        // for it cost a pass over the disc, and its job waited for the album's end.
        std::unique_ptr<DdpImageWriter> image;
        const auto ddpDirectory = (folder->staging() / targetFolder (ddp)).string();
        if (wants (ddp.target))
        {
            std::string error;
            image = DdpImageWriter::create (layout, stages.output().sampleRate(), stages.output().numChannels(), ddpDirectory, error);
            if (image == nullptr)
            {
                fail (prefix (ddp.target) + error);
                return;
            }
        }
        const auto measured = writeCdAlbum (stages.output(), albumPath, keepCd, label, pool, image.get());
        if (! measured)
            return;
        if (measured->lengthInSamples != album::CdLayout::samples (layout.totalFrames))
        {
            fail (prefix (cd.target) + "album.wav holds " + std::to_string (measured->lengthInSamples) + " samples, the disc "
                + std::to_string (album::CdLayout::samples (layout.totalFrames)));
            return;
        }
        say (label + " done");

        if (keepCd)
        {
            addFile (relative, cd, 0, "Album", &*measured, false, formatText ("WAV", cd.bits, stages.output().sampleRate()));
            const auto cue = targetFolder (cd) + "/album.cue";
            std::string error;
            if (! writeCueSheet (layout, stagePath (cue), error))
            {
                fail (cue + ": " + error);
                return;
            }
            addFile (cue, cd, 0, "CUE sheet", nullptr, false);
        }
        if (image != nullptr)
        {
            std::string error;
            if (! image->finish (error))
            {
                fail (prefix (ddp.target) + error);
                return;
            }
            ddpRows (ddpDirectory);
        }
    }

    std::optional<analysis::TrackAnalysis> Exporter::writeCdAlbum (engine::AudioStream& in, const std::string& albumPath,
        bool withCuts, const std::string& label, JobPool& pool, DdpImageWriter* ddp)
    {
        // The track WAVs are cut from the album stream as it is written, each measured as it
        // goes: reading album.wav back to cut and measure it cost a pass over the disc and left
        // the cuts queued behind everything else. A track runs (as a player counts it) from its
        // INDEX 01 to the next track's INDEX 00; the ranges follow each other, so one cut is
        // open at a time.
        struct Cut
        {
            int64_t start = 0, end = 0;
            std::string relative, path;
            std::unique_ptr<engine::AudioFileOutput> out;
            std::unique_ptr<analysis::TrackAnalyser> analyser;
        };
        const auto& cd = describe (DeliverableTarget::cd);
        std::vector<Cut> cuts;
        if (withCuts)
            for (int i = 0; i < numTracks(); ++i)
            {
                const auto& t = layout.tracks[(size_t) i];
                Cut cut;
                cut.start = album::CdLayout::samples (t.startFrame);
                cut.end = album::CdLayout::samples (t.endFrame);
                cut.relative = targetFolder (cd) + "/" + trackName (i, "wav");
                cuts.push_back (std::move (cut));
            }

        std::string error;
        std::vector<float*> offset ((size_t) in.numChannels());
        size_t next = 0; // the first cut not yet finished
        const int64_t total = in.lengthInSamples();
        int ddpTenth = 0;
        const BlockHook cutTracks = [&] (float* const* block, int n, int64_t written)
        {
            if (ddp != nullptr)
            {
                if (! ddp->write (block, n, error))
                {
                    fail (prefix (DeliverableTarget::ddp) + error);
                    return false;
                }
                const int tenth = total > 0 ? (int) ((written + n) * 10 / total) : 10;
                if (tenth > ddpTenth && tenth < 10)
                    say (prefix (DeliverableTarget::ddp) + "IMAGE.DAT " + std::to_string (tenth * 10) + " %");
                ddpTenth = std::max (ddpTenth, tenth);
            }
            for (; next < cuts.size() && cuts[next].start < written + n; ++next)
            {
                auto& cut = cuts[next];
                const auto from = std::max (cut.start, written), to = std::min (cut.end, written + n);
                if (to > from)
                {
                    if (cut.out == nullptr)
                    {
                        cut.path = stagePath (cut.relative);
                        if (cut.path.empty())
                            return false;
                        cut.out = engine::AudioFileOutput::create (cut.path, in.sampleRate(), in.numChannels(), cd.bits, error);
                        if (cut.out == nullptr)
                        {
                            fail (cut.path + ": " + error);
                            return false;
                        }
                        cut.analyser = std::make_unique<analysis::TrackAnalyser>();
                        cut.analyser->prepare (in.sampleRate(), in.numChannels(), reportScope);
                    }
                    for (int c = 0; c < in.numChannels(); ++c)
                        offset[(size_t) c] = block[c] + (from - written);
                    if (! cut.out->write (offset.data(), (int) (to - from)))
                    {
                        fail (cut.path + ": " + cut.out->writeFailure());
                        return false;
                    }
                    cut.analyser->process (offset.data(), (int) (to - from));
                }
                if (cut.end > written + n)
                    break; // goes on in the next block
                if (cut.out == nullptr || ! cut.out->finish (error))
                {
                    fail (cut.path + ": " + (cut.out == nullptr ? std::string ("the album ended before this track") : error));
                    return false;
                }
                // Its report row (size, MD5 of the file) on another thread while the album goes on.
                const int track = (int) next;
                auto measured = reportFigures (cut.analyser->finish());
                cut.out.reset();
                cut.analyser.reset();
                pool.add (
                    [this, track, relative = cut.relative, measured, rate = in.sampleRate()]
                    {
                        const auto& cdRow = describe (DeliverableTarget::cd);
                        addFile (relative, cdRow, track + 1, trackTitle (track), measured.get(), false,
                            formatText ("WAV", cdRow.bits, rate));
                        say (prefix (cdRow.target) + "track " + std::to_string (track + 1) + "/"
                             + std::to_string (numTracks()) + " done");
                    });
            }
            return true;
        };
        const auto allCut = [&]
        {
            if (next == cuts.size())
                return true;
            fail (cuts[next].relative + ": the album ended before this track");
            return false;
        };
        return writeWav (in, albumPath, cd.bits, label, true, cutTracks, allCut);
    }

    void Exporter::ddpRows (const std::string& directory)
    {
        const auto& ddp = describe (DeliverableTarget::ddp);
        std::vector<std::string> names;
        std::error_code ec;
        for (const auto& entry : fs::directory_iterator (directory, ec))
            if (entry.is_regular_file())
                names.push_back (entry.path().filename().string());
        std::sort (names.begin(), names.end());
        // The writer hashed every file as it wrote it (CHECKSUM.MD5): hashing the image (the
        // whole disc) a second time for the report cost a pass over it.
        std::map<std::string, std::string> hashed;
        {
            std::ifstream sums (fs::path (directory) / ddpFiles::checksums);
            std::string hex, name;
            while (sums >> hex >> name)
                hashed[name] = hex;
        }
        for (const auto& name : names)
            addFile (targetFolder (ddp) + "/" + name, ddp, 0, name, nullptr, false, {}, hashed[name]);
        say (prefix (ddp.target) + "image done");
    }

    void Exporter::vinylSide (const VinylSide& side)
    {
        const auto& placements = samplesTimeline->tracks();
        const auto origin = placements[(size_t) side.firstTrack].audioStart;
        const auto length = placements[(size_t) side.lastTrack].ownAudioEnd - origin;
        auto stream = placeMasters (side.firstTrack, side.lastTrack, *samplesTimeline, origin, length);
        if (stream == nullptr)
            return;
        const std::string title = std::string ("Side ") + side.letter;
        const auto& vinyl = describe (DeliverableTarget::vinyl);
        const auto relative = targetFolder (vinyl) + "/" + title + ".wav";
        std::string error;
        const auto measured = writeVinylSide (*stream, stagePath (relative), error, &stop);
        if (! measured)
        {
            if (! stopped())
                fail (prefix (vinyl.target) + error);
            return;
        }
        addFindings (vinylFindings (side.number, *measured, session.deliverables.vinyl));
        addFile (relative, vinyl, side.number, title, nullptr, true);
        say (prefix (vinyl.target) + title + " done");
    }

    void Exporter::queueTargets (JobPool& pool)
    {
        // The CD album first: it is the longest single job and others wait on it.
        if (wants (DeliverableTarget::cd) || wants (DeliverableTarget::ddp))
            pool.add ([this, &pool] { cdAlbum (pool); });
        if (wants (DeliverableTarget::vinyl))
        {
            std::string error;
            for (const auto& side : vinylSides (session.deliverables.vinyl, numTracks(), error))
                pool.add ([this, side] { vinylSide (side); });
        }
        // Then the per-track jobs, the costliest kind first (MP3: a resampler and LAME; then
        // FLAC), so the short ones come last and both threads finish together instead of one
        // finishing a long encode alone.
        std::vector<DeliverableTarget> order (session::allDeliverableTargets.begin(), session::allDeliverableTargets.end());
        std::stable_partition (order.begin(), order.end(), [] (auto t) { return describe (t).writer == TargetWriter::flac; });
        std::stable_partition (order.begin(), order.end(), [] (auto t) { return describe (t).writer == TargetWriter::mp3; });
        for (const auto target : order)
            for (int i = 0; i < numTracks(); ++i)
            {
                const auto& t = describe (target);
                if (t.unit != TargetUnit::track || ! wants (target))
                    continue;
                if (t.writer != TargetWriter::mp3)
                {
                    pool.add ([this, &t, i] { deliverTrack (t, i); });
                    continue;
                }
                for (const auto mode : { Mp3Mode::cbr320, Mp3Mode::v0 })
                {
                    const auto& modes = session.deliverables.mp3Modes;
                    if (std::find (modes.begin(), modes.end(), mp3ModeName (mode)) != modes.end())
                        pool.add ([this, &t, i, mode] { deliverTrack (t, i, mode); });
                }
            }
    }

    ReleaseExportResult Exporter::run()
    {
        ReleaseExportResult result;
        const auto cancelled = [this] { return options.cancel != nullptr && options.cancel->load(); };
        if (! prepare())
        {
            result.error = firstError;
            return result;
        }

        // The writers check one flag; this watcher folds the caller's cancel into it.
        std::atomic<bool> finished { false };
        std::thread watcher (
            [&]
            {
                while (! finished.load())
                {
                    if (cancelled())
                        stop = true;
                    std::this_thread::sleep_for (std::chrono::milliseconds (20));
                }
            });
        const int threads = options.threads > 0 ? options.threads : (int) std::max (2u, std::thread::hardware_concurrency());

        masters.assign ((size_t) numTracks(), {});
        {
            JobPool pool;
            for (int i = 0; i < numTracks(); ++i)
                pool.add ([this, i] { renderMaster (i); });
            pool.run (threads, stop, [this] (const std::string& e) { fail (e); });
        }

        const auto& d = session.deliverables;
        streamingGains.assign ((size_t) numTracks(), 0.0);
        if (! stopped() && wants (DeliverableTarget::streaming) && d.streamingLufs)
        {
            if (d.streamingAlbumMode)
                measureAlbum();
            std::vector<std::optional<double>> lufs;
            for (const auto& m : masters)
                lufs.push_back (m.integratedLufs);
            streamingGains = loudnessGainsDb (
                lufs, albumLufs, *d.streamingLufs, d.streamingAlbumMode ? LoudnessMode::album : LoudnessMode::perTrack);
        }

        if (! stopped())
        {
            JobPool pool;
            queueTargets (pool);
            pool.run (threads, stop, [this] (const std::string& e) { fail (e); });
        }

        finished = true;
        watcher.join();

        if (cancelled())
        {
            result.cancelled = true;
            result.error = "cancelled (nothing was written)";
            return result; // the ExportFolder removes everything staged
        }
        if (! firstError.empty())
        {
            result.error = firstError;
            return result;
        }

        report.albumTitle = session.album.title;
        report.albumArtist = session.album.performer;
        report.trackVersions = trackVersions; // the approvals' findings came with the preflight's
        report.sessionPath = options.sessionPath;
        report.createdUtc = nowUtc();
        for (const auto target : targets)
            report.targets.push_back (session::targetName (target));
        std::sort (
            report.files.begin(), report.files.end(), [] (const ReportFile& a, const ReportFile& b) { return a.path < b.path; });
        std::stable_sort (report.findings.begin(), report.findings.end(),
            [] (const DeliveryFinding& a, const DeliveryFinding& b)
            { return std::tie (a.target, a.track) < std::tie (b.target, b.track); });

        std::error_code ec;
        fs::remove_all (folder->staging() / ".work", ec);
        std::string error;
        if (! writeReport (report, folder->staging().string(), error))
        {
            result.error = error;
            return result;
        }
        if (! folder->commit (error))
        {
            result.error = error;
            return result;
        }
        result.succeeded = true;
        result.report = report;
        return result;
    }
} // namespace

ReleaseExportResult exportRelease (const session::Session& session, const ReleaseExportOptions& options)
{
    // The rules first, all of them in one place: the first error stops the export before
    // anything is converted, rendered or created.
    auto preflight = preflightRelease (session, options.targets);
    if (const auto* stop = firstPreflightError (preflight))
    {
        ReleaseExportResult stopped;
        stopped.error = "preflight: " + describePreflight (*stop);
        return stopped;
    }
    // Each approved track is delivered from its version; the rest from the working state.
    const auto delivery = session::deliverySession (session);
    Exporter exporter (delivery.session, options);
    exporter.preflight = std::move (preflight);
    if (! session.versions.empty())
        exporter.trackVersions = delivery.trackVersions;
    return exporter.run();
}

} // namespace crest::delivery
