// The export dialog's two engine parts: the preflight shown before exporting, and the
// background job (progress, time left, cancel), with its files the same bytes as exportRelease's.

#include "TestSignals.h"
#include "export/ExportJob.h"
#include "export/ExportPreflight.h"
#include "export/Md5.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

using namespace crest;
namespace fs = std::filesystem;
using T = session::DeliverableTarget;

namespace
{
session::Session twoTracks (const std::string& dir, double seconds = 5.0)
{
    session::Session s;
    s.album.title = "Job";
    s.chain.modules.push_back ({ "master-limiter", "limiter", false, {} });
    for (int i = 0; i < 2; ++i)
    {
        session::Track t;
        t.source = test::writeWav (
            dir + "/source-" + std::to_string (i + 1) + ".wav", test::musicLike (44100.0, seconds), 44100.0, 24);
        t.title = "Track " + std::to_string (i + 1);
        t.gapSeconds = 2.0;
        s.tracks.push_back (t);
    }
    s.deliverables.targets = { T::cd, T::streaming };
    return s;
}

std::map<std::string, std::string> md5s (const std::string& dir)
{
    std::map<std::string, std::string> sums;
    for (const auto& name : test::filesUnder (dir))
        if (name.rfind ("report.", 0) != 0) // the reports name the time and folder
            sums[name] = test::run ("md5sum " + test::quote (dir + "/" + name) + " | cut -c1-32").second;
    return sums;
}

std::vector<std::string> checksOf (const std::vector<delivery::DeliveryFinding>& findings, delivery::Severity severity)
{
    std::vector<std::string> checks;
    for (const auto& f : findings)
        if (f.severity == severity)
            checks.push_back (f.target + ":" + f.check);
    return checks;
}
} // namespace

TEST_CASE ("The preflight finds what the export would stop on, before anything is rendered", "[export][preflight]")
{
    const auto dir = test::tempDir();
    auto s = twoTracks (dir);
    CHECK (checksOf (delivery::preflightRelease (s), delivery::Severity::error).empty());

    SECTION ("a track shorter than 4 s and a bad ISRC are Red Book errors; a loud streaming ceiling a warning")
    {
        s.tracks[1].trimOutSeconds = 3.0;
        s.tracks[0].isrc = "GB-ABC";
        s.deliverables.ceilingDbtp = -0.1;
        const auto findings = delivery::preflightRelease (s);
        const auto errors = checksOf (findings, delivery::Severity::error);
        CHECK (std::find (errors.begin(), errors.end(), "cd:track-length") != errors.end());
        CHECK (std::find (errors.begin(), errors.end(), "cd:isrc") != errors.end());
        CHECK (checksOf (findings, delivery::Severity::warning) == std::vector<std::string> { "streaming:platform-ceiling" });
        // The export itself refuses the same session, and writes nothing.
        delivery::ReleaseExportOptions options;
        options.destination = dir + "/out";
        const auto result = delivery::exportRelease (s, options);
        CHECK_FALSE (result.succeeded);
        CHECK (result.error.find ("preflight: cd track") != std::string::npos);
        CHECK_FALSE (fs::exists (dir + "/out"));
    }
    SECTION ("a missing source, no targets")
    {
        fs::remove (s.tracks[1].source);
        s.deliverables.targets.clear();
        CHECK (checksOf (delivery::preflightRelease (s), delivery::Severity::error)
            == std::vector<std::string> { ":targets", ":source" });
    }
    SECTION ("vinyl sides beyond the album, an unknown hi-res format, Apple Digital Masters below 44.1 kHz")
    {
        s.deliverables.vinyl.sideStarts = { 0, 5 };
        s.deliverables.hiresFormat = "aiff";
        s.sampleRate = 32000.0;
        const auto errors = checksOf (delivery::preflightRelease (s, { T::vinyl, T::hires, T::adm }), delivery::Severity::error);
        CHECK (errors == std::vector<std::string> { "adm:rate", "hires:format", "vinyl:sides" });
    }
}

TEST_CASE ("An export job writes the same files as exportRelease, with progress per target", "[export][job]")
{
    const auto dir = test::tempDir();
    const auto s = twoTracks (dir);

    delivery::ReleaseExportOptions direct;
    direct.destination = dir + "/direct";
    REQUIRE (delivery::exportRelease (s, direct).succeeded);

    delivery::ReleaseExportOptions options;
    options.destination = dir + "/job";
    delivery::ExportJob job (s, options);
    double lastOverall = 0.0;
    bool sawProgress = false;
    while (! job.finished())
    {
        const auto st = job.status();
        CHECK (st.overall >= lastOverall - 1e-9); // never goes back
        lastOverall = st.overall;
        sawProgress = sawProgress || (st.overall > 0.0 && st.overall < 1.0);
        std::this_thread::sleep_for (std::chrono::milliseconds (5));
    }
    REQUIRE (job.result().succeeded);
    const auto end = job.status();
    CHECK (end.finished);
    CHECK (end.overall == 1.0);
    CHECK_FALSE (end.secondsLeft.has_value());
    REQUIRE (end.targets.size() == 2);
    CHECK (end.targets[0].name == "cd");
    CHECK (end.targets[1].fraction == 1.0);
    CHECK (sawProgress);
    const auto a = md5s (dir + "/direct"), b = md5s (dir + "/job");
    CHECK (a.size() >= 6);
    CHECK (a == b);
}

TEST_CASE ("A cancelled export job leaves nothing behind", "[export][job]")
{
    const auto dir = test::tempDir();
    const auto s = twoTracks (dir, 60.0);
    delivery::ReleaseExportOptions options;
    options.destination = dir + "/out";
    delivery::ExportJob job (s, options);
    while (job.status().overall <= 0.0 && ! job.finished())
        std::this_thread::sleep_for (std::chrono::milliseconds (2));
    job.cancel();
    REQUIRE (job.waitUntilFinished (30000));
    CHECK (job.result().cancelled);
    CHECK_FALSE (fs::exists (dir + "/out"));
}

TEST_CASE ("Progress lines become fractions per target and a time left", "[export][job]")
{
    delivery::ExportJob::Status s;
    s.targets = { { "cd", 0.0 }, { "mp3", 0.0 } };
    s.elapsedSeconds = 10.0;
    delivery::ExportJob::takeLine (s, "master: track 1/2 done");
    CHECK (s.masters == 0.5);
    delivery::ExportJob::takeLine (s, "master: track 2/2 done");
    delivery::ExportJob::takeLine (s, "cd: album.wav 40 %");
    CHECK (s.targets[0].fraction == Approx (0.4));
    delivery::ExportJob::takeLine (s, "cd: track 1/4 done"); // lower: kept at the highest seen
    CHECK (s.targets[0].fraction == Approx (0.4));
    delivery::ExportJob::takeLine (s, "mp3-320: track 3/4 done");
    CHECK (s.targets[1].fraction == Approx (0.75));
    CHECK (s.overall == Approx (0.5 + 0.5 * (0.4 + 0.75) / 2.0));
    REQUIRE (s.secondsLeft.has_value());
    CHECK (*s.secondsLeft == Approx (10.0 * (1.0 - s.overall) / s.overall));
    CHECK (s.lastLine == "mp3-320: track 3/4 done");
}
