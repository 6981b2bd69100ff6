#include "album/SourceAudio.h"

#include "engine/AudioFileOutput.h"
#include "engine/FileStream.h"
#include "engine/SampleRateConversion.h"

#include <juce_core/juce_core.h>

#include <algorithm>
#include <cctype>
#include <cinttypes>
#include <cstdio>
#include <filesystem>

namespace crest::album
{
namespace
{
    namespace fs = std::filesystem;

    /** Bumped when the converter or the cache's file format changes: old files are not reused. */
    constexpr int cacheFormat = 1;
    constexpr int64_t endBytes = 1 << 20; // hashed at each end of the source

    /** FNV-1a, 64-bit: tiny, stable across platforms and runs (a cache key, not a defence). */
    struct Fnv1a
    {
        uint64_t value = 14695981039346656037ull;
        void add (const void* data, size_t n)
        {
            const auto* bytes = static_cast<const unsigned char*> (data);
            for (size_t i = 0; i < n; ++i)
                value = (value ^ bytes[i]) * 1099511628211ull;
        }
    };

    std::optional<uint64_t> contentKey (const std::string& path, double rate, std::string& error)
    {
        std::error_code ec;
        const auto size = (int64_t) fs::file_size (path, ec);
        const auto time = fs::last_write_time (path, ec);
        juce::FileInputStream in { juce::File (path) };
        if (ec || ! in.openedOk())
        {
            error = path + ": cannot be read";
            return std::nullopt;
        }
        Fnv1a hash;
        const int64_t parts[] = { size, (int64_t) time.time_since_epoch().count(), (int64_t) rate, cacheFormat };
        hash.add (parts, sizeof (parts));
        std::vector<char> buffer ((size_t) std::min (size, endBytes));
        for (const int64_t at : { (int64_t) 0, std::max<int64_t> (0, size - endBytes) })
        {
            in.setPosition (at);
            const auto got = in.read (buffer.data(), (int) buffer.size());
            hash.add (buffer.data(), (size_t) std::max (0, got));
        }
        return hash.value;
    }

    std::string folderOrTemporary (const std::string& cacheFolder)
    {
        if (! cacheFolder.empty())
            return cacheFolder;
        return juce::File::getSpecialLocation (juce::File::tempDirectory).getChildFile ("crest-source-cache").getFullPathName().toStdString();
    }


    /** Converts `path` to `rate` into `target` (atomically). */
    bool convert (const std::string& path, double rate, const std::string& target, std::string& error,
                  const SourceAudio::Progress& progress, const std::atomic<bool>* stop)
    {
        auto in = engine::FileStream::open (path, error);
        if (in == nullptr)
            return false;
        std::error_code ec;
        fs::create_directories (fs::path (target).parent_path(), ec);
        if (ec)
        {
            error = path + ": the cache folder " + fs::path (target).parent_path().string() + " cannot be made: " + ec.message();
            return false;
        }
        engine::SampleRateConversion converted (*in, rate);
        auto out = engine::AudioFileOutput::create (target, rate, in->numChannels(), 32, error);
        if (out == nullptr)
        {
            error = path + ": cannot write its converted copy " + target + ": " + error;
            return false;
        }
        const int block = 16384;
        std::vector<std::vector<float>> samples ((size_t) in->numChannels(), std::vector<float> ((size_t) block));
        std::vector<float*> pointers;
        for (auto& c : samples)
            pointers.push_back (c.data());
        const int64_t total = converted.lengthInSamples();
        int64_t done = 0;
        for (;;)
        {
            if (stop != nullptr && stop->load())
            {
                error = path + ": conversion stopped";
                return false; // `out` goes without finish(): nothing is left behind
            }
            const int n = converted.read (pointers.data(), block);
            if (n < 0)
            {
                error = path + ": " + converted.error();
                return false;
            }
            if (n == 0)
                break;
            if (! out->write (pointers.data(), n))
            {
                error = path + ": writing its converted copy " + target + " failed (is the disk full?)";
                return false;
            }
            done += n;
            if (progress)
                progress (path, total > 0 ? (double) done / (double) total : 1.0);
        }
        if (done != total)
        {
            error = path + ": its audio ended " + std::to_string (total - done) + " samples early while converting";
            return false;
        }
        std::string why;
        if (! out->finish (why))
        {
            error = path + ": cannot write its converted copy " + target + ": " + why;
            return false;
        }
        return true;
    }
} // namespace

double SourceAudio::sessionRate (const session::Session& session, std::string& error)
{
    if (session.sampleRate > 0.0)
        return session.sampleRate;
    if (session.tracks.empty())
    {
        error = "the session has no tracks";
        return 0.0;
    }
    const auto& path = session.tracks.front().source;
    std::string why;
    auto input = engine::AudioFileInput::open (path, why);
    if (input == nullptr)
    {
        error = "track 1: " + path + ": " + why;
        return 0.0;
    }
    return input->info().sampleRate;
}

std::optional<engine::AudioFileInfo> SourceAudio::describe (const std::string& path, double rate, std::string& error)
{
    std::string why;
    auto input = engine::AudioFileInput::open (path, why);
    if (input == nullptr)
    {
        error = path + ": " + why;
        return std::nullopt;
    }
    auto info = input->info();
    if (info.sampleRate != rate)
    {
        info.lengthInSamples = engine::SampleRateConversion::convertedLength (info.lengthInSamples, info.sampleRate, rate);
        info.sampleRate = rate;
    }
    return info;
}

std::optional<std::string> SourceAudio::cachedPath (const std::string& path, double rate, const std::string& cacheFolder,
                                                    std::string& error)
{
    std::string why;
    auto input = engine::AudioFileInput::open (path, why);
    if (input == nullptr)
    {
        error = path + ": " + why;
        return std::nullopt;
    }
    if (input->info().sampleRate == rate)
        return path;
    const auto key = contentKey (path, rate, error);
    if (! key)
        return std::nullopt;
    char suffix[64];
    std::snprintf (suffix, sizeof (suffix), "-%016" PRIx64 "-%d.wav", *key, (int) rate);
    return (fs::path (folderOrTemporary (cacheFolder)) / (fs::path (path).stem().string() + suffix)).string();
}

std::optional<std::string> SourceAudio::resolve (const std::string& path, double rate, const std::string& cacheFolder,
                                                 std::string& error, const Progress& progress)
{
    const auto where = cachedPath (path, rate, cacheFolder, error);
    if (! where)
        return std::nullopt;
    std::error_code ec;
    if (*where != path && ! fs::exists (*where, ec) && ! convert (path, rate, *where, error, progress, nullptr))
        return std::nullopt;
    return where;
}

std::unique_ptr<engine::AudioFileInput> SourceAudio::open (const std::string& path, double rate, const std::string& cacheFolder,
                                                           std::string& error, const Progress& progress)
{
    const auto where = resolve (path, rate, cacheFolder, error, progress);
    if (! where)
        return nullptr;
    std::string why;
    auto input = engine::AudioFileInput::open (*where, why);
    if (input == nullptr)
        error = path + ": its converted copy " + *where + ": " + why;
    return input;
}

std::optional<std::vector<SourceConversion>> SourceAudio::prepare (const session::Session& session, std::string& error,
                                                                   const Progress& progress, const std::atomic<bool>* stop)
{
    const double rate = sessionRate (session, error);
    if (rate <= 0.0)
        return std::nullopt;
    // Every source is read (its header checked) before anything is converted, so a bad one
    // stops the whole preparation with nothing written.
    struct Job
    {
        std::string path, role;
        engine::AudioFileInfo info;
    };
    std::vector<Job> jobs;
    auto check = [&] (const std::string& path, const std::string& role)
    {
        std::string why;
        auto input = engine::AudioFileInput::open (path, why);
        if (input == nullptr)
        {
            error = role + ": " + path + ": " + why;
            return false;
        }
        if (input->info().sampleRate != rate)
            jobs.push_back ({ path, role, input->info() });
        return true;
    };
    for (size_t i = 0; i < session.tracks.size(); ++i)
        if (! check (session.tracks[i].source, "track " + std::to_string (i + 1)))
            return std::nullopt;
    for (size_t i = 0; i < session.references.size(); ++i)
        if (! check (session.references[i].source, "reference " + std::to_string (i + 1)))
            return std::nullopt;

    std::vector<SourceConversion> done;
    for (const auto& job : jobs)
    {
        std::string why;
        const auto where = cachedPath (job.path, rate, session.sourceCache, why);
        std::error_code ec;
        if (! where || (! fs::exists (*where, ec) && ! convert (job.path, rate, *where, why, progress, stop)))
        {
            error = job.role + ": " + why;
            return std::nullopt;
        }
        done.push_back ({ job.path, job.role, job.info.sampleRate, job.info.bitsPerSample, rate, *where });
    }
    return done;
}

std::vector<SourceConversion> SourceAudio::conversions (const session::Session& session)
{
    std::vector<SourceConversion> list;
    std::string error;
    const double rate = sessionRate (session, error);
    if (rate <= 0.0)
        return list;
    auto one = [&] (const std::string& path, const std::string& role)
    {
        std::string why;
        auto input = engine::AudioFileInput::open (path, why);
        if (input == nullptr || input->info().sampleRate == rate)
            return;
        const auto where = cachedPath (path, rate, session.sourceCache, why);
        list.push_back ({ path, role, input->info().sampleRate, input->info().bitsPerSample, rate, where.value_or ("") });
    };
    for (size_t i = 0; i < session.tracks.size(); ++i)
        one (session.tracks[i].source, "track " + std::to_string (i + 1));
    for (size_t i = 0; i < session.references.size(); ++i)
        one (session.references[i].source, "reference " + std::to_string (i + 1));
    return list;
}

std::vector<std::string> SourceAudio::pruneCache (const session::Session& session, std::string& error)
{
    std::vector<std::string> removed;
    std::error_code ec;
    if (session.sourceCache.empty() || ! fs::is_directory (session.sourceCache, ec))
        return removed;
    const double rate = sessionRate (session, error);
    if (rate <= 0.0)
        return removed;

    std::vector<std::string> kept;
    auto keep = [&] (const std::string& path)
    {
        const auto where = cachedPath (path, rate, session.sourceCache, error);
        if (where)
            kept.push_back (fs::path (*where).filename().string());
        return where.has_value();
    };
    for (const auto& track : session.tracks)
        if (! keep (track.source))
            return removed;
    for (const auto& reference : session.references)
        if (! keep (reference.source))
            return removed;

    // What cachedPath() names: stem, '-', 16 hex digits, '-', the rate, ".wav".
    auto crestNamed = [] (const std::string& name)
    {
        const auto wav = name.size() > 4 ? name.size() - 4 : 0;
        if (name.empty() || name.front() == '.' || wav == 0 || name.compare (wav, 4, ".wav") != 0)
            return false;
        const auto rateDash = name.rfind ('-', wav);
        if (rateDash == std::string::npos || rateDash + 1 == wav || rateDash < 18 || name[rateDash - 17] != '-')
            return false;
        for (auto i = rateDash + 1; i < wav; ++i)
            if (name[i] < '0' || name[i] > '9')
                return false;
        for (auto i = rateDash - 16; i < rateDash; ++i)
            if (! std::isxdigit ((unsigned char) name[i]) || std::isupper ((unsigned char) name[i]))
                return false;
        return true;
    };
    for (const auto& entry : fs::directory_iterator (session.sourceCache, ec))
    {
        const auto name = entry.path().filename().string();
        if (! entry.is_regular_file (ec) || ! crestNamed (name) || std::find (kept.begin(), kept.end(), name) != kept.end())
            continue;
        if (fs::remove (entry.path(), ec))
            removed.push_back (entry.path().string());
        else if (ec)
            error = entry.path().string() + ": " + ec.message();
    }
    return removed;
}

} // namespace crest::album
