#!/bin/bash
# A VST3 plugin's own editor in the window (Crest --check-plugin-panel, under a virtual X server):
# "Scan plugins..." scans the folder holding the project's VST3 test plugin (Crest Test Gain,
# built with JUCE's plugin client), the Add menu's item adds it, the generic panel sets its gain to
# +6 dB (document, running parameter and a render +6.00 dB), its editor (JUCE's generic editor)
# opens embedded in the window and redraws when the panel sets -12 dB, its own slider (turned by
# XTest's mouse wheel) moves the document as an undoable edit. Then the log and the pictures.
#
#   PluginVst3EditorTest.sh CREST_APP DEMO_DIR VST3_BUNDLE WORK_DIR
set -u
app=$1 demo=$2 bundle=$3 work=$4
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work"
mkdir -p "$work/data" "$work/vst3"
export CREST_DATA_DIR="$work/data" CREST_USER_DATA="$work/data"
[ -d "$bundle" ] || fail "no VST3 test plugin at $bundle (build the CrestTestGain_VST3 target)"
ln -s "$(realpath "$bundle")" "$work/vst3/CrestTestGain.vst3"

cp "$demo"/crest-demo.crest "$demo"/*.wav "$work"/
out="$work/pictures"
# JUCE's plugins take their parameters normalised: gain -24..+24 dB, so +6 dB is 0.625 and -12 dB 0.25.
timeout 300 xvfb-run -a -s "-screen 0 1920x1080x24" "$app" --check-plugin-panel "$out" --scan-folder "$work/vst3" \
    --plugin-named CrestTestGain --parameter gain --gain-values 0.625,0.25 --ui-click 280,20 \
    "$work/crest-demo.crest" > "$work/check.log" 2>&1
status=$?
cat "$work/check.log"
[ $status -eq 0 ] || fail "Crest --check-plugin-panel exited with $status"
grep -q "plugin panel check passed (0 failed)" "$work/check.log" || fail "the check did not pass"
grep -q "the Add menu offers vst3: CrestTestGain" "$work/check.log" || fail "the scan did not list the VST3 test plugin"
grep -q "PASS: the rendered output moved 6.00" "$work/check.log" || fail "the render did not move by +6 dB"

[ -s "$out/plugin-editor.png" ] || fail "no plugin-editor.png"
for size in 1280x720 1920x1080; do
    png="$out/plugin-editor-$size.png"
    [ -s "$png" ] || fail "no plugin-editor-$size.png"
    got=$(identify -format "%wx%h" "$png") || fail "$png is not a readable PNG"
    [ "$got" = "$size" ] || fail "$png is $got, not $size"
done
echo "PASS: the VST3 test plugin's own editor in the window, with pictures in $out"
