#!/bin/sh
# Installs every Debian 12 package Crest needs to build, test and run.
# Run as root (or through sudo). Nothing else is downloaded, at install or build time.
set -eu

if [ "$(id -u)" -ne 0 ]; then
    exec sudo "$0" "$@"
fi

export DEBIAN_FRONTEND=noninteractive

packages="
    build-essential cmake ninja-build ccache pkg-config git
    juce-modules-source
    libebur128-dev libfftw3-dev libmp3lame-dev libmpg123-dev libsoxr-dev catch2 nlohmann-json3-dev
    libflac-dev libvorbis-dev libogg-dev libpng-dev libjpeg-dev zlib1g-dev
    libasound2-dev libjack-jackd2-dev jackd2 libfreetype-dev libfontconfig1-dev
    libx11-dev libxext-dev libxinerama-dev libxrandr-dev libxcursor-dev libxcomposite-dev
    libgl-dev libcurl4-gnutls-dev libgtk-3-dev libwebkit2gtk-4.0-dev
    xvfb xauth x11-apps imagemagick
    ffmpeg sox flac lame lv2file x42-plugins
    liblilv-dev libsuil-dev libxtst-dev lilv-utils lsp-plugins-lv2 zam-plugins
    cuetools cdrdao mp3val id3v2 libtag1-dev
    jq parallel lintian desktop-file-utils shared-mime-info strace
    clang libclang-rt-14-dev
    chromium chromium-driver python3-selenium
    wesnoth-music
"

if [ -z "${CREST_SKIP_APT_UPDATE:-}" ]; then
    apt-get update -q
fi
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $packages
