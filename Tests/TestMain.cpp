#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "TestSignals.h"
#include "plugins/PluginHosting.h"

#include <cstdlib>

int main (int argc, char* argv[])
{
    // The plugin list (scan results, blacklist) of this test process only, not the user's: a
    // plugin the user's last scan blacklisted must not change what a test sees. The CLI children
    // the tests start inherit it.
    ::setenv ("CREST_USER_DATA", (crest::test::tempDir() + "/user-data").c_str(), 1);
    // As the CLI does: chains that name an LV2 plugin get it, not a placeholder.
    crest::plugins::installPluginHosting();
    return Catch::Session().run (argc, argv);
}
