#!/bin/bash
# Builds Crest's Debian package with CPack and checks it as a user's machine would see it:
#   - the file is crest_<version>_amd64.deb and holds both programs, the presets, the demo
#     album, the desktop entry, the icon, the session MIME type, man pages, copyright, changelog;
#   - its dependencies came from dpkg-shlibdeps (libc6 and the codec libraries are there);
#   - lintian reports no error (warnings are printed, not fatal);
#   - the desktop entry passes desktop-file-validate;
#   - the packaged `crest` runs (extracted into a scratch root, no system change) on a
#     generated file;
#   - with --install (CI does this; it changes the system, so it is not the default): the
#     package installs with `apt-get install ./crest_*.deb`, /usr/bin/crest analyses a generated
#     file, and the .crest MIME type is registered.
#
# usage: PackageTest.sh BUILD_DIR WORKDIR [--install]
set -u
build=$1 work=$2 install=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
fail() { echo "FAIL: $*"; exit 1; }

rm -rf "$work"
mkdir -p "$work" || exit 1
build=$(cd "$build" && pwd)
work=$(cd "$work" && pwd)
cd "$work" || exit 1

command -v cpack >/dev/null || fail "cpack is not installed"
(cd "$build" && cpack -G DEB -B "$work" >"$work/cpack.log" 2>&1) || fail "cpack failed: $(tail -20 cpack.log)"
deb=$(ls "$work"/crest_*_amd64.deb 2>/dev/null | head -1)
[ -n "$deb" ] || fail "no crest_*_amd64.deb in $work: $(ls "$work")"
echo "package: $(basename "$deb") ($(du -k "$deb" | cut -f1) kB)"

dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' >contents.txt
for f in /usr/bin/crest /usr/bin/Crest /usr/share/crest/presets/gentle-master.json /usr/share/crest/demo/crest-demo.crest \
         /usr/share/applications/crest.desktop /usr/share/icons/hicolor/scalable/apps/crest.svg \
         /usr/share/mime/packages/crest.xml /usr/share/man/man1/crest.1.gz /usr/share/man/man1/Crest.1.gz \
         /usr/share/doc/crest/copyright /usr/share/doc/crest/changelog.gz; do
    grep -qx "$f" contents.txt || fail "the package lacks $f"
done
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for lib in libc6 libstdc++6 libflac12 libfftw3 libsoxr0 libmp3lame0 libmpg123-0; do
    echo "$depends" | grep -q "$lib" || fail "Depends lacks $lib (shlibdeps did not run?)"
done

if command -v lintian >/dev/null; then
    lintian --fail-on error --tag-display-limit 0 "$deb" >lintian.log 2>&1
    status=$?
    echo "lintian: $(grep -c '^E:' lintian.log) errors, $(grep -c '^W:' lintian.log) warnings, $(grep -c '^I:' lintian.log) info"
    cat lintian.log
    [ $status -eq 0 ] || fail "lintian found errors"
else
    fail "lintian is not installed (Installers/install-deps.sh installs it)"
fi
if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "$here/crest.desktop" || fail "the desktop entry is not valid"
fi

# The packaged program, run from an extracted copy.
dpkg-deb -x "$deb" root || fail "dpkg-deb -x failed"
sox -n -r 48000 -b 24 -c 2 tone.wav synth 3 sine 997 gain -18 || fail "sox could not make a test file"
out=$(root/usr/bin/crest analyze --json tone.wav) || fail "the packaged crest failed: $out"
echo "$out" | grep -q '"integrated_lufs"' || fail "the packaged crest printed no loudness: $out"
echo "packaged crest: $(echo "$out" | head -c 120)..."

if [ "$install" = --install ]; then
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    ${sudo:-} env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$deb" >apt.log 2>&1 \
        || fail "apt-get install failed: $(tail -20 apt.log)"
    echo "installed: $(dpkg-query -W -f='${Package} ${Version} ${Status}' crest)"
    out=$(/usr/bin/crest analyze --json tone.wav) || fail "the installed /usr/bin/crest failed: $out"
    echo "$out" | grep -q '"integrated_lufs"' || fail "the installed crest printed no loudness"
    echo "installed /usr/bin/crest analyze: $(echo "$out" | head -c 120)..."
    /usr/bin/crest render tone.wav -o mastered.wav --chain /usr/share/crest/presets/gentle-master.json >/dev/null \
        || fail "the installed crest could not render through the installed preset"
    if command -v update-mime-database >/dev/null; then
        [ -f /usr/share/mime/application/x-crest-session.xml ] || fail "the .crest MIME type is not registered"
        echo "MIME type registered: /usr/share/mime/application/x-crest-session.xml"
    fi
fi
echo "package OK"
