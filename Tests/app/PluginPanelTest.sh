#!/bin/bash
# The window's plugin parts, driven as a person would (Crest --check-plugin-panel, under a virtual
# X server): "Scan plugins..." scans a folder holding x42's EQ (Debian's x42-plugins) and a plugin
# that crashes when loaded; the Add menu offers the EQ by format and maker, its item adds it, the
# generic panel moves its output gain to +6 dB, and the check reads the document, the running
# chain's parameter and a render (+6.00 dB to 0.05 dB); the slot's Bypass, S, x and a drag work as
# a built-in module's; the plugin's own X11 editor opens through suil, redraws when the panel moves
# the gain again, and its own knob (turned by XTest's mouse wheel) moves the document; a slot naming a plugin this machine lacks
# shows its placeholder and keeps its state. Then this script checks the log and the pictures.
#
#   PluginPanelTest.sh CREST_APP DEMO_DIR SOURCE_DIR WORK_DIR
set -u
app=$1 demo=$2 source=$3 work=$4
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work"
mkdir -p "$work/data" "$work/lv2"
export CREST_DATA_DIR="$work/data" CREST_USER_DATA="$work/data"
[ -d /usr/lib/lv2/fil4.lv2 ] || fail "x42's EQ (/usr/lib/lv2/fil4.lv2, Debian's x42-plugins) is not installed: Installers/install-deps.sh"
command -v cc > /dev/null || fail "no C compiler (cc) to build the crashing test plugin"
ln -s /usr/lib/lv2/fil4.lv2 "$work/lv2/fil4.lv2"

# The crashing plugin, from the scan test's sources (Tests/plugins/bundles).
bundle="$work/lv2/crash.lv2" uri="urn:crest:test:crash"
mkdir -p "$bundle"
sed -e "s|@URI@|$uri|g" -e "s|@NAME@|crash|g" "$source/Tests/plugins/bundles/manifest.ttl.in" > "$bundle/manifest.ttl"
sed -e "s|@URI@|$uri|g" -e "s|@NAME@|crash|g" "$source/Tests/plugins/bundles/plugin.ttl.in" > "$bundle/crash.ttl"
cc -shared -fPIC -O1 -o "$bundle/crash.so" -DCREST_PLUGIN_URI="\"$uri\"" -DCREST_BROKEN_CRASH "$source/Tests/plugins/bundles/broken.c" -lm \
    || fail "cannot build the crashing test plugin"

cp "$demo"/crest-demo.crest "$demo"/*.wav "$work"/
out="$work/pictures"
timeout 300 xvfb-run -a -s "-screen 0 1920x1080x24" "$app" --check-plugin-panel "$out" --scan-folder "$work/lv2" \
    "$work/crest-demo.crest" > "$work/check.log" 2>&1
status=$?
cat "$work/check.log"
[ $status -eq 0 ] || fail "Crest --check-plugin-panel exited with $status"
grep -q "plugin panel check passed (0 failed)" "$work/check.log" || fail "the check did not pass"
grep -q "blacklisted $uri: crashed" "$work/check.log" || fail "the crashing plugin was not blacklisted with its reason"
grep -q "PASS: the rendered output moved 6.00" "$work/check.log" || fail "the render did not move by +6 dB"

for picture in plugin-scan plugin-editor; do
    [ -s "$out/$picture.png" ] || fail "no $picture.png"
done
for size in 1280x720 1920x1080; do
    for view in plugin-add-menu plugin-panel plugin-editor plugin-missing; do
        png="$out/$view-$size.png"
        [ -s "$png" ] || fail "no $view-$size.png"
        got=$(identify -format "%wx%h" "$png") || fail "$png is not a readable PNG"
        [ "$got" = "$size" ] || fail "$png is $got, not $size"
    done
done
echo "PASS: the plugin panel, menu, editor and placeholder, with pictures in $out"
