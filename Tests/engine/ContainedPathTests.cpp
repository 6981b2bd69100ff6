// Names from files made into paths: only plain names below the folder the user named.

#include "engine/ContainedPath.h"

#include <catch2/catch.hpp>

using namespace crest;

TEST_CASE ("containedPath keeps plain relative names inside the folder", "[engine][paths]")
{
    std::string error;
    const auto p = engine::containedPath ("/out", "cd/01 Dawn.wav", error);
    REQUIRE (p);
    CHECK (p->string() == "/out/cd/01 Dawn.wav");
    CHECK (engine::containedPath ("/out", "report.json", error)->string() == "/out/report.json");
    CHECK (engine::containedPath ("/out", "01 \xc3\xa9t\xc3\xa9.wav", error)); // UTF-8 is fine
    CHECK (engine::containedPath ("/out", std::string (255, 'a'), error));
    CHECK (engine::fileNameProblem ("..hidden").empty()); // dots inside a name are only a name
}

TEST_CASE ("containedPath refuses every way out of the folder, with a message", "[engine][paths]")
{
    const std::pair<std::string, std::string> refused[] = {
        { "..", "'..'" },
        { "../escape.wav", "'..'" },
        { "cd/../../escape.wav", "'..'" },
        { "./x", "'.'" },
        { "/etc/passwd", "absolute" },
        { "\\windows\\x", "absolute" },
        { "cd\\..\\x.wav", "separator" },
        { "cd//x.wav", "empty" },
        { "cd/", "empty" },
        { "", "empty" },
        { std::string ("a\nb.wav"), "control character" },
        { std::string ("a\0b", 3), "control character" },
        { "C:evil.wav", "drive letter" },
        { std::string (256, 'a'), "256 bytes long" },
        { "cd/" + std::string (300, 'x') + ".wav", "304 bytes long" },
        { std::string (1100, 'a'), "1100 bytes long" },
    };
    for (const auto& [name, why] : refused)
    {
        INFO (name);
        std::string error;
        CHECK_FALSE (engine::containedPath ("/out", name, error));
        CHECK_THAT (error, Catch::Contains ("is refused as a file inside /out") && Catch::Contains (why));
        CHECK (error.find ('\n') == std::string::npos); // a name's control characters are not echoed
        CHECK (error.size() < 400);                     // nor its whole length
    }
}
