#!/bin/bash
# live.music-null: issue 10's null on real music (Tests/cli/MusicNullCliTests.cpp, hidden tag
# [music]) when wesnoth-music is installed; skipped (exit 77) when it is not.
set -u
tests=$1
if ! compgen -G "/usr/share/games/wesnoth/*/data/core/music/*.ogg" >/dev/null; then
    echo "wesnoth-music is not installed (Installers/install-deps.sh installs it): skipped"
    exit 77
fi
exec "$tests" "[music]"
