// crest: the headless front end of the Crest mastering workstation.

#include "cli/CommandLine.h"
#include "plugins/PluginHosting.h"

#include <iostream>
#include <stdexcept>

namespace
{
const char* usage = R"(crest )" CREST_VERSION R"( - the Crest mastering workstation, headless

usage:
  crest analyze [--json] [--series] FILE...   loudness, true peak, levels, stereo and spectrum
  crest check [--json] FILE...                mix evaluation before mastering (exit 1: serious findings)
  crest bench [--only analysis|chain|live|limiter-peer|plugins|export] [--minutes N] [--runs N]
                                              analysis against libebur128; modules and chain speed
  crest bench --memory-hours H                analyse an H-hour 96 kHz file from disk: speed, peak memory
  crest modules [--json]                      the mastering modules and their parameters
  crest render IN -o OUT [--chain CHAIN.json] [--set ID.PARAM=VALUE]... [--bits 16|24|32]
                                              render a file through a mastering chain
  crest play FILE|SESSION [--seconds N] [--device jack|alsa|none] [--chain CHAIN.json] [--start S] [--json]
                                              play live through the chain; report meters, xruns
  crest demo OUT.wav                          write the bundled demo mix (synthesised)
  crest demo --album DIR --chain CHAIN.json   write the demo album (3 tracks) and its session
  crest session new AUDIO... -o S.crest       a session (album) from audio files, in order
  crest session set S.crest [--album KEY=VALUE...] [--track N KEY=VALUE...]
                                              edit album and track fields (invalid values refused)
  crest session show S.crest [--json]         the album, its tracks, start times and totals
  crest ddp verify DIR                        check a DDP image: structure, checksums, track list
  crest ddp extract DIR -o OUT                write a DDP image's tracks as 16-bit WAVs
  crest export SESSION -o DIR [--targets cd,ddp,streaming,adm,hires,mp3,flac,vinyl]
                                              deliver a session to every target at once (Ctrl-C: nothing left)
  crest version create|list|restore|diff SESSION ...
                                              named snapshots of the mastering state; their differences
  crest approve SESSION --track N --version NAME   the client approved track N at a version
  crest notes list|add|import SESSION ...     notes per track, time and version (import: a review page's notes.json)
  crest proof SESSION --version NAME [--version NAME2...] -o DIR
                                              MP3 320 proofs of versions with a review page
  crest plugins scan [--folder DIR]... [--only-folders] [--timeout S]
                                              find LV2 plugins (each tried in a child process; crashers blacklisted)
  crest plugins list [--json]                 the plugins found by the last scan, and the blacklisted ones
  crest --version | --help

Files: WAV, AIFF, FLAC, Ogg Vorbis, MP3; 8 to 384 kHz; 1 to 8 channels.
Exit status: 0 fine, 1 serious findings (check), 2 errors (bad input or usage).
)";
}

int main (int argc, char** argv)
{
    std::vector<std::string> words (argv + 1, argv + argc);
    if (words.empty() || words[0] == "--help" || words[0] == "-h" || words[0] == "help")
    {
        std::cout << usage;
        return words.empty() ? crest::cli::exitError : crest::cli::exitOk;
    }
    if (words[0] == "--version")
    {
        std::cout << "crest " << CREST_VERSION << "\n";
        return crest::cli::exitOk;
    }

    crest::plugins::installPluginHosting(); // chains and sessions may name LV2 plugins
    const auto command = words[0];
    words.erase (words.begin());

    try
    {
        if (command == "analyze" || command == "analyse")
            return crest::cli::runAnalyze (words);
        if (command == "check")
            return crest::cli::runCheck (words);
        if (command == "bench")
            return crest::cli::runBench (words);
        if (command == "modules")
            return crest::cli::runModules (words);
        if (command == "render")
            return crest::cli::runRender (words);
        if (command == "demo")
            return crest::cli::runDemo (words);
        if (command == "play")
            return crest::cli::runPlay (words);
        if (command == "session")
            return crest::cli::runSession (words);
        if (command == "ddp")
            return crest::cli::runDdp (words);
        if (command == "export")
            return crest::cli::runExport (words);
        if (command == "version")
            return crest::cli::runVersion (words);
        if (command == "approve")
            return crest::cli::runApprove (words);
        if (command == "notes")
            return crest::cli::runNotes (words);
        if (command == "proof")
            return crest::cli::runProof (words);
        if (command == "plugins")
            return crest::cli::runPlugins (words);
    }
    catch (const std::exception& e)
    {
        std::cerr << "crest " << command << ": " << e.what() << "\n";
        return crest::cli::exitError;
    }

    std::cerr << "crest: unknown command '" << command << "'\n\n" << usage;
    return crest::cli::exitError;
}
