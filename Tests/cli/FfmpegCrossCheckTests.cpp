// An independent second opinion: ffmpeg's ebur128 filter (peak=true) on the same files.

#include "TestSignals.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <regex>

using namespace crest;

namespace
{
    struct FfmpegReading
    {
        double integrated = 0.0, range = 0.0, truePeak = 0.0;
    };

    FfmpegReading ffmpegEbur128 (const std::string& path)
    {
        const auto [status, out] = test::run ("ffmpeg -hide_banner -nostats -i " + test::quote (path)
                                              + " -af ebur128=peak=true -f null - 2>&1");
        REQUIRE (status == 0);
        // The summary at the end: "I: -16.1 LUFS", "LRA: 5.2 LU", "Peak: -0.9 dBFS".
        const auto summary = out.substr (out.rfind ("Summary:"));
        std::smatch m;
        FfmpegReading r;
        REQUIRE (std::regex_search (summary, m, std::regex (R"(I:\s+(-?[0-9.]+) LUFS)")));
        r.integrated = std::stod (m[1]);
        REQUIRE (std::regex_search (summary, m, std::regex (R"(LRA:\s+(-?[0-9.]+) LU)")));
        r.range = std::stod (m[1]);
        REQUIRE (std::regex_search (summary, m, std::regex (R"(Peak:\s+(-?[0-9.]+) dBFS)")));
        r.truePeak = std::stod (m[1]);
        return r;
    }
} // namespace

TEST_CASE ("ffmpeg's ebur128 agrees with crest analyze", "[cli][crosscheck][ffmpeg]")
{
    if (! test::haveProgram ("ffmpeg"))
        FAIL ("ffmpeg is not installed (Installers/install-deps.sh installs it)");

    const auto dir = test::tempDir();
    const std::pair<std::string, test::Buffer> programmes[] = {
        { dir + "/music.wav", test::musicLike (48000.0, 40.0) },
        { dir + "/pink.wav", test::pinkNoise (44100.0, 2, 30.0, -24.0) },
        { dir + "/transients.wav", test::transients (48000.0, 30.0) },
    };

    for (const auto& [path, buffer] : programmes)
    {
        test::writeWav (path, buffer, path.find ("pink") != std::string::npos ? 44100.0 : 48000.0, 32);
        const auto theirs = ffmpegEbur128 (path);
        const auto [status, out] = test::run (std::string (CREST_CLI_PATH) + " analyze --json " + test::quote (path));
        REQUIRE (status == 0);
        const auto ours = nlohmann::json::parse (out);

        INFO (path << ": ffmpeg I " << theirs.integrated << " LRA " << theirs.range << " TP " << theirs.truePeak
                   << "; Crest I " << ours["integrated_lufs"] << " LRA " << ours["loudness_range_lu"] << " TP "
                   << ours["true_peak_dbtp"]);
        // ffmpeg prints one decimal: allow its rounding on top of 0.1 LU agreement.
        CHECK (ours["integrated_lufs"].get<double>() == Approx (theirs.integrated).margin (0.1 + 0.05));
        CHECK (ours["loudness_range_lu"].get<double>() == Approx (theirs.range).margin (0.5));
        CHECK (ours["true_peak_dbtp"].get<double>() >= theirs.truePeak - 0.1);
        CHECK (ours["true_peak_dbtp"].get<double>() <= theirs.truePeak + 0.7);
    }
}
